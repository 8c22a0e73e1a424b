from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from uma.management.tasks import spec_or_error
from uma.training.finetune import Hyper, finetune


class Command(BaseCommand):
    help = (
        "Train a LoRA adapter for a task on its dataset (uma_dataset), on GPU when present, else CPU. Resumes an "
        "interrupted run with the same data and settings; registers the result as a candidate version."
    )

    def add_arguments(self, parser) -> None:
        defaults = Hyper()
        parser.add_argument("--task", required=True)
        parser.add_argument("--epochs", type=float, default=defaults.epochs)
        parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
        parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
        parser.add_argument("--rank", type=int, default=defaults.rank)
        parser.add_argument("--max-examples", type=int, default=None, help="cap the training examples")
        parser.add_argument("--top-layers", type=int, default=None, help="adapt only the last N layers (faster)")
        parser.add_argument(
            "--max-length", type=int, default=defaults.max_length, help="tokens per example, prompt and answer"
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--checkpoint-every", type=int, default=defaults.checkpoint_every)
        parser.add_argument("--restart", action="store_true", help="ignore a checkpoint and start over")

    def handle(self, *args, **options) -> None:
        task = spec_or_error(options["task"]).name
        hyper = Hyper(
            rank=options["rank"],
            alpha=options["rank"] * 2,
            learning_rate=options["learning_rate"],
            epochs=options["epochs"],
            batch_size=options["batch_size"],
            max_examples=options["max_examples"],
            top_layers=options["top_layers"],
            max_length=options["max_length"],
            seed=options["seed"],
            checkpoint_every=options["checkpoint_every"],
        )
        bar = tqdm(desc=f"fine-tuning {task}", unit="step")

        def progress(step: int, total: int, loss: float) -> None:
            bar.total = total
            bar.n = step
            bar.set_postfix(loss=f"{loss:.3f}")
            bar.refresh()

        try:
            version = finetune(task, hyper=hyper, restart=options["restart"], progress=progress, say=self.stdout.write)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        rate = version.train_examples / version.train_seconds if version.train_seconds else 0
        self.stdout.write(
            f"candidate {version.name}: {version.train_examples} examples in {version.train_seconds:.0f}s "
            f"({rate:.2f}/s), adapter in {version.adapter_path}. Next: uma_eval --task {task}"
        )
