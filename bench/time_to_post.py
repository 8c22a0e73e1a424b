"""Time to post a job: "Start with Uma" against the plain form, in a scripted browser, on the server and
the llm worker as `make run` starts them (demo data, 127.0.0.1 only).

Usage: .venv/bin/python bench/time_to_post.py [--cases 3]

For each case a client (alice, demo) posts the job twice:
- with Uma: one sentence, answers to the questions Uma asks, a look at the draft, the title edited,
  "Post job";
- by hand: the same final post (title, description, skills, budget, category, type) typed into the
  plain form.

A script fills fields faster than a person, so each run's time is what the browser and the server
really took (the waits for Uma included) plus a person's share, modelled the same way for both: typing
at 40 words a minute (200 characters a minute) and 2 s for each field chosen or button clicked.
Prints both, the characters typed, and the ratio of the two totals (Upwork reports about 0.2).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHARS_PER_SECOND = 200 / 60  # 40 words a minute
SECONDS_PER_STEP = 2.0  # choosing a field, an option or a button
CASES = [
    (
        "need someone to fix our Shopify checkout, it drops orders",
        {
            "scope": "Orders fail at the payment step since we changed theme last week",
            "deliverables": "The fix live on the store, and a note on the cause",
            "timeline": "Within a week",
            "experience": "Expert",
        },
    ),
    (
        "Build a Django REST API for our booking app",
        {
            "scope": "Endpoints for rooms, bookings and users; a React frontend exists",
            "deliverables": "Code in our repository, tests and API docs",
            "timeline": "6 weeks",
            "experience": "Intermediate",
        },
    ),
    (
        "Design 3 landing pages in Figma for a fintech startup",
        {
            "scope": "Savings, loans and the app; we have a brand and copy",
            "timeline": "2 weeks",
            "experience": "Expert",
            "contract_type": "Fixed price",
        },
    ),
]


class Run:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.chars = 0
        self.steps = 0
        self.waited = 0.0  # for Uma

    def typed(self, text: str) -> str:
        self.chars += len(text)
        self.steps += 1
        return text

    def step(self) -> None:
        self.steps += 1

    def row(self) -> dict:
        wall = time.perf_counter() - self.started
        person = self.chars / CHARS_PER_SECOND + self.steps * SECONDS_PER_STEP
        return {
            "chars": self.chars,
            "steps": self.steps,
            "wall_s": wall,
            "uma_wait_s": self.waited,
            "total_s": wall + person,
        }


def with_uma(page, need: str, answers: dict[str, str]) -> tuple[dict, int]:  # noqa: ANN001
    run = Run()
    page.goto("/jobs/new/")
    page.get_by_label("Describe the job").fill(run.typed(need))
    run.step()
    page.get_by_role("button", name="Ask Uma").click()
    waited = time.perf_counter()
    page.locator("#answers").wait_for(timeout=120_000)
    run.waited += time.perf_counter() - waited
    for field in page.locator("#answers textarea").all():
        topic = field.get_attribute("name") or ""
        if topic in answers:
            field.fill(run.typed(answers[topic]))
    run.step()
    page.get_by_role("button", name="Draft my post").click()
    waited = time.perf_counter()
    page.locator("#uma-draft").wait_for(timeout=180_000)
    run.waited += time.perf_counter() - waited
    run.step()
    page.get_by_role("link", name="Edit and post").click()
    title = page.get_by_label("Title")
    title.fill(title.input_value() + run.typed(" (Uma)"))
    for label, value in (("Budget from", "30"), ("Budget up to", "60")):  # when the market had no figure
        if not page.get_by_label(label).input_value():
            page.get_by_label(label).fill(run.typed(value))
    if not page.get_by_label("Category").input_value():
        page.get_by_label("Category").select_option(index=1)
        run.step()
    run.step()
    page.get_by_role("button", name="Post job").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    return run.row(), int(re.search(r"/jobs/(\d+)/", page.url).group(1))


def by_hand(page, job: dict) -> dict:  # noqa: ANN001
    run = Run()
    page.goto("/jobs/new/")
    page.get_by_label("Title", exact=True).fill(run.typed(job["title"] + " (by hand)"))
    page.get_by_label("Description", exact=True).fill(run.typed(job["description"]))
    page.get_by_label("Category").select_option(label=job["category"])
    run.step()
    page.get_by_label("Contract type").select_option(job["contract_type"])
    run.step()
    page.get_by_label("Budget from").fill(run.typed(str(int(float(job["budget_min"])))))
    page.get_by_label("Budget up to").fill(run.typed(str(int(float(job["budget_max"])))))
    page.get_by_label("Skills").fill(run.typed(", ".join(job["skills"])))
    page.get_by_label("Duration").select_option(job["duration"])
    run.step()
    page.get_by_label("Experience level").select_option(job["experience_level"])
    run.step()
    run.step()
    page.get_by_role("button", name="Post job").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    return run.row()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=len(CASES))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from bench.served import phone_page, prepare, served

    prepare(offers=False)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()  # served() waits for the llm worker's warm-up through Django's cache
    rows = []
    with served(("web", "worker", "llm-worker"), env={"API_RATE_USER": "1000000/min"}) as base:
        with sync_playwright() as playwright:
            browser, page = phone_page(playwright, base, "alice@tandem.test")
            for need, answers in CASES[: args.cases]:
                uma, job_id = with_uma(page, need, answers)
                job = page.request.get(f"{base}/api/v1/jobs/{job_id}/").json()
                hand = by_hand(page, job)
                rows.append({"need": need, "uma": uma, "hand": hand, "ratio": uma["total_s"] / hand["total_s"]})
                print(f"  {need[:50]}: with Uma {uma['total_s']:.0f} s, by hand {hand['total_s']:.0f} s", flush=True)
            browser.close()

    print(f"\n{'case':<44}{'chars':>7}{'wall s':>8}{'Uma s':>7}{'total s':>9}   {'chars':>6}{'total s':>9}{'ratio':>7}")
    print(f"{'':<44}{'— with Uma —':>31}   {'— by hand —':>15}")
    for row in rows:
        uma, hand = row["uma"], row["hand"]
        print(
            f"{row['need'][:43]:<44}{uma['chars']:>7}{uma['wall_s']:>8.1f}{uma['uma_wait_s']:>7.1f}{uma['total_s']:>9.0f}"
            f"   {hand['chars']:>6}{hand['total_s']:>9.0f}{row['ratio']:>7.2f}"
        )
    mean = sum(r["uma"]["total_s"] for r in rows) / sum(r["hand"]["total_s"] for r in rows)
    print(f"time to post with Uma / by hand: {mean:.2f} (a person typing 40 wpm, {SECONDS_PER_STEP:.0f} s per step)")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "time_to_post.json").write_text(json.dumps({"rows": rows, "ratio": mean}, indent=2))


if __name__ == "__main__":
    main()
