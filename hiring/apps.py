from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Uma across hiring"

    def ready(self) -> None:
        from hiring import receivers
        from marketplace import events

        events.proposal_submitted.connect(receivers.proposal_submitted, dispatch_uid="hiring.proposal_submitted")
