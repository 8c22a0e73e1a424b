"""How many of the demo marketplace's at-risk contracts go to a person, with real shortlists.

On a fresh copy of the benchmark's demo database (see recruiter_retrieval.py; built here if missing),
the scan opens cases for the contracts in trouble, every shortlist is built with the shipped model in
this process, and the escalation policy runs as in production. Prints `recruiter_report`'s figures:
the escalated share (target: about one case in ten), split from the cases Enterprise's plan sends to
people anyway, also over only the cases the recruiter worked (Basic plans get an alert only), and why
each went.

    .venv/bin/python bench/recruiter_escalation.py [--size 6] [--seed 7]

Another --seed builds (and keeps) a demo world of its own, tandem_bench_demo_<seed>.

Results: bench/results/recruiter_escalation.json. Takes about 10 seconds of model time per candidate
on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=None, help="candidates per shortlist (RECRUITER_SHORTLIST_SIZE)")
    parser.add_argument("--seed", type=int, default=7, help="the demo world's seed (seed_demo --seed)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import override_settings

    from bench.recruiter_retrieval import create, demo_database, use, write_results
    from config.celery import app

    def say(text: str) -> None:
        print(f"  {text}", flush=True)

    suffix = "" if args.seed == 7 else f"_{args.seed}"  # seed 7's world is the retrieval benchmark's too
    demo = f"tandem_bench_demo{suffix}"
    demo_database(demo, rebuild=False, say=say, seed=args.seed)
    create("tandem_bench_cases", template=demo, rebuild=True)
    use("tandem_bench_cases")
    # No worker here: the tasks the scan queues (notices, shortlists) run in this process, in order.
    app.conf.task_always_eager = True
    from recruiter.models import ShortlistEntry
    from recruiter.report import recruiter_figures
    from recruiter.services.cases import contracts_scan_batch
    from uma.training.registry import shipped_install

    shipped_install(say=lambda _: None)
    started = time.perf_counter()
    size = args.size or settings.RECRUITER_SHORTLIST_SIZE
    with override_settings(RECRUITER_SHORTLIST_SIZE=size):
        after = 0
        while (batch := contracts_scan_batch(after_id=after)).last_id is not None:
            after = batch.last_id
    took = time.perf_counter() - started
    figures = recruiter_figures()
    entries = ShortlistEntry.objects.exclude(status="pending")
    figures["candidates_reasoned"] = entries.count()
    figures["from_model"] = entries.filter(source="model").count()
    figures["verdicts"] = {v: entries.filter(verdict=v).count() for v in ("strong", "possible", "weak")}
    figures["seconds"] = round(took)
    figures["seed"] = args.seed
    print(f"\n{figures['opened']} cases, {figures['candidates_reasoned']} candidates reasoned in {took:.0f} s")
    print(f"  by service: {figures['by_service']}")
    print(f"  verdicts: {figures['verdicts']} ({figures['from_model']} from the model)")
    print(f"  escalated: {figures['escalated']} ({figures['escalated_share']:.0%} of cases)")
    print(
        f"    by the escalation policy: {figures['escalated_by_policy']} ({figures['escalated_by_policy_share']:.0%})"
    )
    print(f"    only because the plan says so (Enterprise): {figures['escalated_by_plan_only']}")
    if figures["recruited"]:
        print(
            f"  of the {figures['recruited']} cases the recruiter worked (Basic plans get an alert only): "
            f"{figures['escalated_of_recruited_share']:.0%} escalated, "
            f"{figures['escalated_by_policy_of_recruited_share']:.0%} by the policy"
        )
    for reason, n in figures["escalation_reasons"].items():
        print(f"    {n:3}  {reason}")
    write_results(f"recruiter_escalation{suffix}", figures)


if __name__ == "__main__":
    main()
