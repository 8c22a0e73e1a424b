from django.core.management.base import BaseCommand, CommandError

from uma.training.registry import PromotionRefused, version_rollback


class Command(BaseCommand):
    help = "Retire a task's active version and bring back the one it replaced (or the untuned base)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--task", required=True)

    def handle(self, *args, **options) -> None:
        try:
            version = version_rollback(task=options["task"])
        except PromotionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{options['task']} now runs on {version.name if version else 'the untuned base'}")
