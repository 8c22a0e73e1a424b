from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from uma.management.tasks import spec_or_error
from uma.training.data import build


def knob(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    return name, float(value)


class Command(BaseCommand):
    help = (
        "Build a task's training data: the hand-written gold examples plus SIZE synthetic ones made from this "
        "database's rows, steered by knobs (--knob thin=0.3), split train/validation/test by entity."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--task", required=True)
        parser.add_argument("--size", type=int, default=3000, help="synthetic examples (default 3000)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--knob", type=knob, action="append", default=[], help="name=probability, repeatable")

    def handle(self, *args, **options) -> None:
        spec = spec_or_error(options["task"])
        unknown = {name for name, _ in options["knob"]} - set(spec.knobs)
        if unknown:
            raise CommandError(f"unknown knob {', '.join(sorted(unknown))}; {spec.name} has {', '.join(spec.knobs)}")
        with tqdm(total=options["size"], desc=f"{spec.name} synthetic", unit="ex") as bar:
            manifest = build(
                spec.name, size=options["size"], seed=options["seed"], knobs=dict(options["knob"]), progress=bar.update
            )
        self.stdout.write(f"dataset {manifest['hash'][:12]}: {manifest['counts']}")
