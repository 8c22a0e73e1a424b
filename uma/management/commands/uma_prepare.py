from pathlib import Path

from django.core.management.base import BaseCommand

from uma.base_model import prepare
from uma.embeddings import prepare as embeddings_prepare
from uma.llm.backends import BASE
from uma.llm.gguf import served_prepare


class Command(BaseCommand):
    help = (
        "Make the base LLM ready to load: convert the packaged SmolLM2 GGUF to safetensors once (UMA_BASE_MODEL), "
        "and write the Q8_0 GGUF that llama.cpp serves. With --adapters, also register the adapters shipped in "
        "uma/adapters/ (needs a migrated database) and write each active version's merged GGUF. The sentence "
        "encoder is exported for ONNX Runtime once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="convert again even if already prepared")
        parser.add_argument("--adapters", action="store_true", help="register (and activate) the shipped adapters")

    def handle(self, *args, **options) -> None:
        prepare(force=options["force"], say=self.stdout.write)
        served_prepare(BASE, None, say=self.stdout.write)
        embeddings_prepare(say=self.stdout.write)
        if options["adapters"]:
            from uma.models import ModelVersion
            from uma.training.registry import shipped_install

            shipped_install(say=self.stdout.write)
            for version in ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE):
                served_prepare(version.name, Path(version.adapter_path), say=self.stdout.write)
