from django.core.management.base import BaseCommand

from uma.injection import PHRASE_LIST, corpus, detector, measure


class Command(BaseCommand):
    help = (
        "Measure the injection classifier (uma/injection.py) on the held-out corpus it was never trained on "
        "(uma/data/injection/heldout.txt: reworded attacks and look-alike work text), beside the old phrase "
        "list: precision and recall of each, and the texts each got wrong."
    )

    def handle(self, *args, **options) -> None:
        held_out = corpus("heldout.txt")
        texts = [e.text for e in held_out]
        found = detector()
        scores = found.scores(texts)
        rows = {
            "classifier": found.flags(texts),
            "phrase list (before)": [bool(PHRASE_LIST.search(t)) for t in texts],
        }
        attacks = sum(e.label for e in held_out)
        self.stdout.write(
            f"held-out: {len(held_out)} texts, {attacks} attacks; trained on {len(corpus('train.txt'))} "
            f"(C={found.strength:g} by cross-validation)"
        )
        self.stdout.write(f"{'detector':<24}{'precision':>10}{'recall':>8}")
        for name, flagged in rows.items():
            m = measure(held_out, flagged)
            self.stdout.write(f"{name:<24}{m['precision']:>10.2f}{m['recall']:>8.2f}")
        for example, flag, score in zip(held_out, rows["classifier"], scores, strict=True):
            if flag != bool(example.label):
                kind = "missed" if example.label else "false alarm"
                self.stdout.write(f"  {kind} ({score:.2f}): {example.text}")
