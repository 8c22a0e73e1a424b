"""Training data per task: hand-written gold examples (uma/data/gold/<task>.jsonl) plus synthetic
examples made from platform rows (UMA_TRAINING_SOURCES), steered to edge cases by the task's knobs and
labelled by its deterministic policy. Split train / validation / test by entity (a freelancer, a
contract), so the same person never appears on two sides."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from uma.llm.runner import task_spec

SPLITS = ("train", "validation", "test")
GOLD_DIR = Path(__file__).resolve().parent.parent / "data" / "gold"


@dataclass
class Example:
    id: str
    entity: str
    origin: str  # "gold" or "synthetic"
    input: dict
    output: dict
    note: str = ""


class GoldError(ValueError):
    pass


def split_of(entity: str) -> str:
    bucket = int(hashlib.sha256(entity.encode()).hexdigest()[:8], 16) % 10
    return "test" if bucket < 2 else ("validation" if bucket == 2 else "train")


def gold(task: str) -> list[Example]:
    """The task's hand-written examples, each checked: input and output fit the schemas, and the output
    is grounded in the input."""
    spec = task_spec(task)
    examples = []
    for number, line in enumerate((GOLD_DIR / f"{task}.jsonl").read_text().splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        inputs = spec.input_model.model_validate(row["input"])
        output = spec.output_model.model_validate(row["output"])
        report = spec.ground(inputs, output)
        if not report.grounded:
            raise GoldError(f"{task} gold line {number} ({row['id']}): not grounded: {report.unsupported}")
        examples.append(
            Example(
                id=row["id"],
                entity=row.get("entity", row["id"]),
                origin="gold",
                input=inputs.model_dump(mode="json"),
                output=output.model_dump(mode="json"),
                note=row.get("note", ""),
            )
        )
    return examples


def synthesise(
    task: str, *, size: int, seed: int = 0, knobs: dict[str, float] | None = None, progress=None
) -> list[Example]:  # noqa: ANN001
    """`size` examples from platform rows, varied by the knobs (default: the task's), labelled by policy."""
    spec = task_spec(task)
    knobs = {**spec.knobs, **(knobs or {})}
    source = import_string(settings.UMA_TRAINING_SOURCES[task])
    rng = random.Random(seed)
    examples: list[Example] = []
    per_class: Counter[str] = Counter()
    share = -(-size // len(spec.classes)) if spec.label_of else size  # no class takes more than its share
    for number, (entity, raw) in enumerate(source(limit=size * (6 if spec.label_of else 1), seed=seed)):
        if len(examples) >= size:
            break
        data = spec.vary(json.loads(json.dumps(raw, default=str)), rng, knobs)
        inputs = spec.input_model.model_validate(data)
        output = (spec.teach or spec.fallback)(inputs)
        if spec.label_of:
            label = spec.label_of(output)
            if per_class[label] >= share:
                continue
            per_class[label] += 1
        examples.append(
            Example(
                f"{task}-s{seed}-{number}",
                entity,
                "synthetic",
                inputs.model_dump(mode="json"),
                output.model_dump(mode="json"),
            )
        )
        if progress:
            progress(1)
    return examples


def dataset_dir(task: str) -> Path:
    return Path(settings.UMA_DATA_DIR) / "datasets" / task


def build(task: str, *, size: int, seed: int = 0, knobs: dict[str, float] | None = None, progress=None) -> dict:  # noqa: ANN001
    """Write the task's dataset (gold + synthetic, split by entity) and its manifest; returns the manifest."""
    examples = gold(task) + synthesise(task, size=size, seed=seed, knobs=knobs, progress=progress)
    folder = dataset_dir(task)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    counts: dict[str, dict[str, int]] = {}
    for split in SPLITS:
        rows = [e for e in examples if split_of(e.entity) == split]
        text = "".join(json.dumps(asdict(e)) + "\n" for e in rows)  # fields keep their schema order
        (folder / f"{split}.jsonl").write_text(text)
        digest.update(text.encode())
        counts[split] = dict(Counter(e.origin for e in rows))
    manifest = {
        "task": task,
        "hash": digest.hexdigest(),
        "size": size,
        "seed": seed,
        "knobs": {**task_spec(task).knobs, **(knobs or {})},
        "counts": counts,
        "built_at": timezone.now().isoformat(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def manifest(task: str) -> dict | None:
    path = dataset_dir(task) / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


def load(task: str, split: str) -> list[Example]:
    path = dataset_dir(task) / f"{split}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"no {task} dataset yet: run `python manage.py uma_dataset --task {task}`")
    return [Example(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
