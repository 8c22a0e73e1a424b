from django.core.management.base import BaseCommand

from uma.base_model import prepare


class Command(BaseCommand):
    help = "Make the base LLM ready to load: convert the packaged SmolLM2 GGUF to safetensors once (UMA_BASE_MODEL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="convert again even if already prepared")

    def handle(self, *args, **options) -> None:
        prepare(force=options["force"], say=self.stdout.write)
