import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from uma.fairness import TARGET
from uma.management.tasks import spec_or_error
from uma.training.evaluate import BIAS_EXAMPLES, evaluate, table


class Command(BaseCommand):
    help = (
        "Compare the untuned base, the active version and the newest candidate (or --model-version NAME ...) on the "
        "task's held-out test set; print the table, write a markdown report and a PNG chart, store the scores."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--task", required=True)
        parser.add_argument("--model-version", action="append", default=None, help="a version to include (repeatable)")
        parser.add_argument("--limit", type=int, default=None, help="only the first N test examples (gold first)")
        parser.add_argument("--batch-size", type=int, default=8)
        parser.add_argument("--max-new-tokens", type=int, default=None, help="cap answers (quick checks only)")
        parser.add_argument(
            "--engine",
            action="append",
            choices=["llamacpp", "transformers"],
            default=None,
            help="local engine(s) to run on, side by side (repeatable; default UMA_LOCAL_ENGINE)",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        task = spec_or_error(options["task"]).name
        bars: dict[str, tqdm] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in bars:
                bars[label] = tqdm(total=total, desc=label[:40], unit="ex")
            bar = bars[label]
            bar.update(done - bar.n)

        try:
            report = evaluate(
                task,
                names=options["model_version"],
                limit=options["limit"],
                batch_size=options["batch_size"],
                max_new_tokens=options["max_new_tokens"],
                engines=options["engine"],
                progress=progress,
            )
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from None
        for bar in bars.values():
            bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(table(report))
            if any("impact_gender" in scores for scores in report["results"].values()):
                self.stdout.write(
                    f"impact_*: selection-rate impact ratio of what users see, {BIAS_EXAMPLES} held-out inputs each "
                    f"made into matched people (names, gendered words, ages); target ≥ {TARGET}"
                )
