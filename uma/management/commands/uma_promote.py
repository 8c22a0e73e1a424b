from django.core.management.base import BaseCommand, CommandError

from uma.training.registry import PromotionRefused, version_promote


class Command(BaseCommand):
    help = (
        "Make a task's newest candidate (or --model-version NAME) active, only if it beats the active version (or the "
        "untuned base) on the task's main metric in the same uma_eval run without losing grounding."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--task", required=True)
        parser.add_argument("--model-version", default=None, help="a candidate by name (default: the newest)")

    def handle(self, *args, **options) -> None:
        try:
            version = version_promote(task=options["task"], name=options["model_version"])
        except PromotionRefused as error:
            raise CommandError(f"not promoted: {error}") from None
        self.stdout.write(f"{version.name} is now active for {version.task}")
