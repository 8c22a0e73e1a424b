"""Compare the untuned base, the active version and the candidate on a task's held-out test set, in one
run: schema-valid rate of the first answer (before any retry or fallback), grounded rate, task accuracy
(agreement with the expected answer), latency p50/p95 and tokens per second. Writes a markdown report
and a PNG chart, and stores each version's scores (and its rivals') on its registry row."""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from uma.fairness import ATTRIBUTES, impact_ratio, person
from uma.llm.backends import BASE, ENGINES, Adapter, generate_local_batch
from uma.llm.runner import judge, task_spec
from uma.llm.spec import TaskSpec
from uma.models import ModelVersion
from uma.training import data
from uma.training.registry import version_scores_record

METRICS = ("schema_valid", "grounded", "agreement", "agreement_gold")
EVAL_SECONDS = 3600.0
BIAS_EXAMPLES = 24  # held-out inputs each made into every group's person, for the impact ratio


@dataclass
class Scores:
    contender: str
    n: int = 0
    valid: int = 0
    grounded: int = 0
    agree: int = 0
    gold_n: int = 0
    gold_agree: int = 0
    latencies: list[float] = field(default_factory=list)
    completion_tokens: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        share = lambda part, whole: round(part / whole, 4) if whole else None  # noqa: E731
        ordered = sorted(self.latencies)
        return {
            "n": self.n,
            "schema_valid": share(self.valid, self.n),
            "grounded": share(self.grounded, self.n),
            "agreement": share(self.agree, self.n),
            "agreement_gold": share(self.gold_agree, self.gold_n),
            "latency_p50_ms": round(statistics.median(ordered) * 1000) if ordered else None,
            "latency_p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000)
            if ordered
            else None,
            "tokens_per_second": round(self.completion_tokens / self.seconds, 1) if self.seconds else None,
        }


def contenders(task: str, names: list[str] | None = None) -> list[tuple[str, Adapter | None]]:
    """[(label, adapter)]: the base, the active version and the newest candidate (or the named versions)."""
    versions = ModelVersion.objects.filter(task=task).order_by("-created_at")
    if names:
        chosen = list(versions.filter(name__in=names))
        missing = set(names) - {v.name for v in chosen}
        if missing:
            raise ValueError(f"no {task} version named {', '.join(sorted(missing))}")
    else:
        chosen = [*versions.filter(status=ModelVersion.Status.ACTIVE)[:1]]
        chosen += versions.filter(status=ModelVersion.Status.CANDIDATE)[:1]
    return [(BASE, None)] + [(v.name, Adapter(v.name, v.adapter_path)) for v in chosen]


def _generate(adapter: Adapter | None, prompts: list, max_new_tokens: int, batch_size: int, engine: str):  # noqa: ANN202
    """Yield (generation, seconds the caller waited) per prompt. Versions are LoRA adapters on the local
    base, so they are compared on the local backend (in batches) whatever backend serves the task."""
    for start in range(0, len(prompts), batch_size):
        began = time.monotonic()
        batch = generate_local_batch(
            prompts[start : start + batch_size],
            max_new_tokens=max_new_tokens,
            adapter=adapter,
            engine=engine,
            seconds=EVAL_SECONDS,  # an evaluation measures; it is not cut off as a user's request is
        )
        waited = time.monotonic() - began
        for generation in batch:
            yield generation, waited


def impact_ratios(spec: TaskSpec, examples: list, adapter: Adapter | None, batch_size: int, engine: str) -> dict:
    """Selection-rate impact ratio per attribute (uma/fairness.py) of what users would see: the answer when
    accepted, else the rules'. Each example becomes each group's person; a prompt is generated once however
    many copies share it (greedy decoding: the answer is a function of the prompt)."""
    rows = []
    for n, example in enumerate(examples):
        for attribute, groups in ATTRIBUTES.items():
            for group, *_ in groups:
                data = spec.counterfactual(example.input, *person(attribute, group, n))  # type: ignore[misc]
                rows.append((attribute, group, spec.input_model.model_validate(data)))
    prompts = [spec.prompt(inputs) for *_, inputs in rows]
    unique = {json.dumps(p): p for p in prompts}
    texts = [g.text for g, _ in _generate(adapter, list(unique.values()), spec.max_new_tokens, batch_size, engine)]
    answer = dict(zip(unique, texts, strict=True))
    pool: dict[str, Counter] = {a: Counter() for a in ATTRIBUTES}
    chosen: dict[str, Counter] = {a: Counter() for a in ATTRIBUTES}
    for (attribute, group, inputs), prompt in zip(rows, prompts, strict=True):
        verdict = judge(spec, inputs, answer[json.dumps(prompt)])
        shown = verdict.output if verdict.accepted and verdict.output else spec.fallback(inputs)
        pool[attribute][group] += 1
        chosen[attribute][group] += spec.label_of(shown) == spec.selected  # type: ignore[misc]
    ratios = {f"impact_{a}": impact_ratio(chosen[a], pool[a]) for a in ATTRIBUTES}
    return ratios | {"bias_prompts_distinct": len(unique), "bias_copies": len(rows)}


def evaluate(
    task: str,
    *,
    names: list[str] | None = None,
    limit: int | None = None,
    batch_size: int = 8,
    max_new_tokens: int | None = None,
    engines: list[str] | None = None,
    progress=None,  # noqa: ANN001
) -> dict:
    """`engines`: the local engines to compare (default: UMA_LOCAL_ENGINE alone). The first one's
    scores are stored on the versions; the others appear in the report as "<version> (<engine>)"."""
    spec = task_spec(task)
    engines = engines or [settings.UMA_LOCAL_ENGINE]
    examples = data.load(task, "test")
    examples = sorted(examples, key=lambda e: (e.origin != "gold", e.id))[:limit] if limit else examples
    inputs = [spec.input_model.model_validate(e.input) for e in examples]
    expected = [spec.output_model.model_validate(e.output) for e in examples]
    prompts = [spec.prompt(i) for i in inputs]
    results: dict[str, dict] = {}
    stored: dict[str, dict] = {}  # the first engine's scores: what the versions keep
    runs = [(engine, named) for engine in engines for named in contenders(task, names)]
    for engine, (version_name, adapter) in runs:
        label = version_name if engine == engines[0] else f"{version_name} ({ENGINES[engine]})"
        scores = Scores(label)
        began = time.monotonic()
        answers = _generate(adapter, prompts, max_new_tokens or spec.max_new_tokens, batch_size, engine)
        for example, data_in, want, (generation, waited) in zip(examples, inputs, expected, answers, strict=True):
            verdict = judge(spec, data_in, generation.text)
            agreed = verdict.accepted and spec.agrees(data_in, verdict.output, want)  # type: ignore[arg-type]
            scores.n += 1
            scores.valid += verdict.valid
            scores.grounded += verdict.accepted
            scores.agree += agreed
            scores.gold_n += example.origin == "gold"
            scores.gold_agree += agreed and example.origin == "gold"
            scores.latencies.append(waited)
            scores.completion_tokens += generation.completion_tokens
            if progress:
                progress(label, scores.n, len(examples))
        scores.seconds = time.monotonic() - began
        results[label] = scores.as_dict()
        if spec.counterfactual:
            results[label] |= impact_ratios(spec, examples[:BIAS_EXAMPLES], adapter, batch_size, engine)
        if engine == engines[0]:
            stored[version_name] = results[label]
    report = {
        "task": task,
        "main_metric": spec.main_metric,
        "examples": len(examples),
        "gold_examples": sum(e.origin == "gold" for e in examples),
        "batch_size": batch_size,
        "engines": [ENGINES[e] for e in engines],
        "dataset_hash": (data.manifest(task) or {}).get("hash", ""),
        "at": timezone.now().isoformat(timespec="seconds"),
        "results": results,
    }
    folder = Path(settings.UMA_DATA_DIR) / "reports" / f"{task}-{timezone.now():%Y%m%d-%H%M%S}"
    write_report(report, folder)
    version_scores_record(task=task, results=stored, at=report["at"], report_path=str(folder / "report.md"))
    return report


def table(report: dict) -> str:
    columns = [*METRICS, "latency_p50_ms", "latency_p95_ms", "tokens_per_second"]
    columns += [c for c in ("impact_gender", "impact_age") if any(c in r for r in report["results"].values())]
    lines = ["| version | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, scores in report["results"].items():
        cells = [
            "–" if scores.get(c) is None else (f"{scores[c]:.1%}" if c in METRICS else f"{scores[c]}") for c in columns
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_report(report: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = (
        f"# uma_eval: {report['task']}\n\n"
        f"{report['examples']} held-out test examples ({report['gold_examples']} hand-written gold), dataset "
        f"`{report['dataset_hash'][:12]}`, batch size {report['batch_size']}, "
        f"on {' and '.join(report.get('engines', []))}, {report['at']}.\n"
        f"Rates are of the first answer, before any retry or fallback; agreement counts only answers that are "
        f"valid and grounded. Main metric: {report['main_metric']}.\n\n{table(report)}\n\n![chart](chart.png)\n"
    )
    (folder / "report.md").write_text(text)
    _chart(report, folder / "chart.png")


def _chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report["results"])
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    width = 0.8 / max(1, len(names))
    for offset, name in enumerate(names):
        values = [report["results"][name][m] or 0 for m in METRICS]
        xs = [i + offset * width for i in range(len(METRICS))]
        ax.bar(xs, values, width, label=name[:40])
    ax.set_xticks([i + width * (len(names) - 1) / 2 for i in range(len(METRICS))], METRICS)
    ax.set_ylim(0, 1)
    ax.set_title(f"{report['task']}: {report['examples']} held-out examples")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
