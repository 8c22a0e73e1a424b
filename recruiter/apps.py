from django.apps import AppConfig


class RecruiterConfig(AppConfig):
    name = "recruiter"
    verbose_name = "AI recruiter"
    recruiter_permissions = (
        "recruiter.view_riskcase",
        "recruiter.change_riskcase",
        "recruiter.view_shortlistentry",
        "recruiter.view_caseevent",
        "recruiter.view_contractconcern",
    )

    def ready(self) -> None:
        from marketplace import events
        from recruiter import receivers

        events.contract_activity.connect(receivers.contract_activity, dispatch_uid="recruiter.contract_activity")
        events.invitation_answered.connect(receivers.invitation_answered, dispatch_uid="recruiter.invitation")
