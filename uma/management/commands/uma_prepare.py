from django.core.management.base import BaseCommand

from uma.base_model import prepare


class Command(BaseCommand):
    help = (
        "Make the base LLM ready to load: convert the packaged SmolLM2 GGUF to safetensors once (UMA_BASE_MODEL). "
        "With --adapters, also register the adapters shipped in uma/adapters/ (needs a migrated database)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="convert again even if already prepared")
        parser.add_argument("--adapters", action="store_true", help="register (and activate) the shipped adapters")

    def handle(self, *args, **options) -> None:
        prepare(force=options["force"], say=self.stdout.write)
        if options["adapters"]:
            from uma.training.registry import shipped_install

            shipped_install(say=self.stdout.write)
