"""A client's walk through a case, in a scripted browser on a phone-sized window, against the server and
workers as `make run` starts them (demo data, 127.0.0.1 only): alice opens her at-risk case, tells Uma
what matters ("Find again"), and watches the shortlist fill in.

Usage: .venv/bin/python bench/case_walk.py [--walks 4]

The clock starts at the click. Printed per walk: when the first candidate's verdict and reasons were on
the page, and when the last one was (the progress line gone), with the moments the worker saved them
(from the audit) beside them: the page shows what is saved at its next poll. Targets (issue 16): the
first within 2 s, all six within 5 s of the worker's start. The workers are up and their engines warm
before the first walk, as in a running deployment (the time that took is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VERDICT = ".candidate [class*=verdict-]"


def walk(page, case_id: int) -> dict:  # noqa: ANN001
    """One "Find again" on the case page: seconds from the click to the first verdict and to the last."""
    from recruiter.models import RiskCase
    from uma.models import AuditRecord

    page.goto(f"/recruiter/cases/{case_id}/")
    page.locator("summary", has_text="Tell Uma what matters").click()
    clicked = time.perf_counter()
    page.get_by_role("button", name="Find again").click()
    page.locator("#progress").wait_for(timeout=30_000)  # the new round is building
    page.locator(VERDICT).first.wait_for(timeout=60_000)
    first = time.perf_counter() - clicked
    page.locator("#progress").wait_for(state="detached", timeout=120_000)
    last = time.perf_counter() - clicked
    case = RiskCase.objects.get(pk=case_id)
    asked = case.events.filter(kind="shortlist_requested").latest("created_at").created_at
    saved = sorted(
        (a.created_at - asked).total_seconds()
        for a in AuditRecord.objects.filter(
            task="candidate_rationale", subject_ids__case=case_id, created_at__gte=asked
        ).exclude(source="human")  # the click itself is audited under the task too
    )
    return {
        "first_s": first,
        "last_s": last,
        "candidates": page.locator(".candidate").count(),
        "saved_first_s": saved[0] if saved else None,
        "saved_last_s": saved[-1] if saved else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walks", type=int, default=4)
    args = parser.parse_args()

    from bench.served import phone_page, prepare, served

    prepare(offers=False)
    subprocess.run([sys.executable, "manage.py", "scan_at_risk"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    import django

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's sync API (its loop)
    django.setup()
    from playwright.sync_api import sync_playwright

    from recruiter.models import RiskCase

    cases = list(
        RiskCase.objects.filter(
            contract__client__email="alice@tandem.test", status__in=RiskCase.LIVE, service="shortlist"
        ).values_list("pk", flat=True)
    )
    assert cases, "alice has no live shortlist case in the demo data"  # noqa: S101
    purge = [sys.executable, "-m", "celery", "-A", "config", "purge", "-f", "-Q", "llm,default,embeddings"]
    subprocess.run(purge, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    rows = []
    with served(("web", "worker", "llm-worker"), env={"RECRUITER_ROUNDS_PER_HOUR": "1000"}) as base:
        with sync_playwright() as playwright:
            browser, page = phone_page(playwright, base, "alice@tandem.test")
            for n in range(args.walks):
                row = walk(page, cases[n % len(cases)])
                rows.append(row)
                print(
                    f"  walk {n + 1}: first on the page {row['first_s']:.1f} s (saved {row['saved_first_s']:.1f} s), "
                    f"all {row['candidates']} {row['last_s']:.1f} s (saved {row['saved_last_s']:.1f} s)",
                    flush=True,
                )
            browser.close()
    for key in ("first_s", "last_s", "saved_first_s", "saved_last_s"):
        values = [r[key] for r in rows if r[key] is not None]
        print(f"{key:>14}: median {statistics.median(values):.2f} s, max {max(values):.2f} s")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "case_walk.json").write_text(json.dumps({"walks": rows}, indent=2))


if __name__ == "__main__":
    main()
