"""How long Uma's hiring tasks take on this machine, per task, on its hand-written gold inputs:
- "served": what a user waits for today (the task's promoted adapter when it has one, else Tandem's rules,
  as UMA_UNTUNED_BASE is off);
- "base model": the untuned base forced on every task through the same engine (llama.cpp), i.e. what a
  model of this size costs for the task once it has an adapter, answers refused or not.

Targets (the hiring issue): a job post draft and an interview assessment each under 5 s.

    .venv/bin/python bench/uma_hiring_speed.py [--per-task 6]

Writes bench/results/uma_hiring_speed.json. Runs in a database of its own (tandem_bench_uma, made
afresh), where only Uma's audit rows are written. A refused answer is retried once, then the rules
answer: the "base model" times include that, as a user would wait it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
TASKS = ("job_post_questions", "job_post_draft", "interview_questions", "interview_assessment", "candidate_rationale")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-task", type=int, default=6)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    from bench.recruiter_retrieval import create, use
    from uma.llm.backends import BASE
    from uma.llm.runner import run
    from uma.training.data import gold
    from uma.training.registry import shipped_install

    create("tandem_bench_uma", rebuild=True)
    use("tandem_bench_uma")
    call_command("migrate", verbosity=0)
    shipped_install(say=lambda _: None)
    rows = []
    for task in TASKS:
        examples = gold(task)[: args.per_task]
        for label, untuned in (("served", False), ("base model", True)):
            version = BASE if untuned else None  # the base even where an adapter is active
            with override_settings(UMA_UNTUNED_BASE=untuned):
                run(task, examples[0].input, version=version)  # load the engine and model once, untimed
                seconds, sources, tokens = [], [], 0
                for example in examples:
                    began = time.perf_counter()
                    result = run(task, example.input, version=version)
                    seconds.append(time.perf_counter() - began)
                    sources.append(result.source)
                    tokens += result.completion_tokens
            ordered = sorted(seconds)
            row = {
                "task": task,
                "path": label,
                "n": len(seconds),
                "p50_s": round(statistics.median(ordered), 2),
                "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
                "from_model": sources.count("model"),
                "tokens_out": tokens,
            }
            rows.append(row)
            print(f"  {task:<22} {label:<11} p50 {row['p50_s']:>6.2f} s  p95 {row['p95_s']:>6.2f} s  "
                  f"model answered {row['from_model']}/{row['n']}", flush=True)  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "uma_hiring_speed.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
