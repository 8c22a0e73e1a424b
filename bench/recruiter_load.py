"""The recruiter under load, as `make run` serves it: 4 clients ask for shortlists at once while offers are
sent, countered and withdrawn. Every shortlist should complete within 15 s, and no email wait over 5 s.

Usage: .venv/bin/python bench/recruiter_load.py [--clients 4] [--rounds 1]

It migrates and seeds the demo database as `make run` does, purges work queued before, then starts
`make run`'s two workers (config.run.commands: `default,embeddings`, and `llm` alone), waits until they
answer and the llm worker's engines are warm (as they are when clients come to a running deployment;
the time is printed), and then, in this process, 4 threads that each start a new shortlist round on a
live case at the same moment, and one thread that sends, counters and withdraws offers (each a
notification email) until the shortlists are done. Prints when each shortlist was ready, and the wait
of every email from queued to claimed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def counter_offers(stop: threading.Event, done: list[int]) -> None:
    """Send, counter and withdraw offers in a loop (alice ↔ dave), each step emailing the other side."""
    try:
        _counter_offers(stop, done)
    except Exception as error:
        print(f"  offers stopped: {error!r}", flush=True)
        raise


def _counter_offers(stop: threading.Event, done: list[int]) -> None:
    from django.db import close_old_connections
    from django.utils import timezone

    from marketplace.models import User
    from offers.models import Offer
    from offers.services import negotiation as svc

    alice, dave = User.objects.get(email="alice@tandem.test"), User.objects.get(email="dave@tandem.test")
    for old in Offer.objects.filter(client=alice, freelancer=dave, job=None, status__in=Offer.LIVE):
        svc.offer_withdraw(offer=old, by=alice, expected_version=old.version_count, reason="other", note="Load check")
    start = (timezone.localdate() + timedelta(days=5)).isoformat()
    rate = 40
    while not stop.is_set():
        terms = {"contract_type": "hourly", "hourly_rate": f"{rate}.00", "weekly_limit": 20, "start_date": start}
        offer = svc.offer_send(
            by=alice, freelancer=dave, terms={**terms, "scope": "Load check"}, title="Load check", message="Load check"
        )
        svc.offer_counter(
            offer=offer, by=dave, expected_version=1, terms={**terms, "hourly_rate": f"{rate + 5}.00"}, message="More"
        )
        svc.offer_withdraw(offer=offer, by=alice, expected_version=2, reason="other", note="Load check")
        done.append(offer.pk)
        rate += 1
        time.sleep(0.5)
    close_old_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--limit", type=float, default=180, help="stop waiting after this many seconds")
    args = parser.parse_args()

    from bench.served import served
    from config.run import local_env

    local_env()
    manage = [sys.executable, "manage.py"]
    steps = (
        ["migrate", "--noinput"],
        ["seed_demo"],
        ["seed_offers"],
        ["uma_prepare", "--adapters"],
        ["uma_reindex"],  # as make run's embeddings worker would have: semantic search has vectors to search
        ["scan_at_risk"],
    )
    for step in steps:
        subprocess.run([*manage, *step], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("RECRUITER_ROUNDS_PER_HOUR", "1000")  # runs one after another ask on the same cases
    os.environ.setdefault("OFFERS_PER_DAY", "1000000")  # the loop below sends an offer a second
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from marketplace.models import Notification, OutgoingEmail
    from recruiter.models import RiskCase
    from recruiter.services.shortlists import shortlist_start

    # Work queued before (the scan's own shortlists): dropped, so the workers start with only this run's.
    purge = [sys.executable, "-m", "celery", "-A", "config", "purge", "-f", "-Q", "llm,default,embeddings"]
    subprocess.run(purge, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    with served(("worker", "llm-worker")):  # up and warm, as clients of a running deployment meet them
        live = RiskCase.objects.filter(status__in=RiskCase.LIVE, service="shortlist")
        cases = list(live.select_related("contract__client").order_by("pk")[: args.clients])
        assert len(cases) == args.clients, f"the demo has {len(cases)} live cases"  # noqa: S101
        print(f"{args.clients} clients ask for a new shortlist at once; offers countered meanwhile ...", flush=True)
        began = timezone.now()
        stop, offers = threading.Event(), []
        counter = threading.Thread(target=counter_offers, args=(stop, offers), daemon=True)
        counter.start()
        barrier = threading.Barrier(args.clients)

        def ask(case: RiskCase) -> None:
            barrier.wait()
            shortlist_start(case=case, by=case.contract.client, preferences=[])  # the client asks

        askers = [threading.Thread(target=ask, args=(c,)) for c in cases]
        for t in askers:
            t.start()
        for t in askers:
            t.join()
        ready: dict[int, float] = {}
        deadline = time.monotonic() + args.limit
        while len(ready) < len(cases) and time.monotonic() < deadline:
            for case in RiskCase.objects.filter(pk__in=[c.pk for c in cases], shortlist_state="ready"):
                ready.setdefault(case.pk, (timezone.now() - began).total_seconds())
            time.sleep(0.2)
        stop.set()
        counter.join(30)
        time.sleep(3)  # the last emails
        # Notification emails are claimed (emailed_at) by the worker that sends them; other emails (sent_at).
        notes = Notification.objects.filter(created_at__gte=began)
        outgoing = OutgoingEmail.objects.filter(created_at__gte=began)
        waits = sorted(
            [(n.emailed_at - n.created_at).total_seconds() for n in notes if n.emailed_at]
            + [(e.sent_at - e.created_at).total_seconds() for e in outgoing if e.sent_at]
        )
        unsent = notes.filter(emailed_at__isnull=True).count() + outgoing.filter(sent_at__isnull=True).count()

    print(f"\nShortlists of {settings.RECRUITER_SHORTLIST_SIZE}, asked for at once by {args.clients} clients")
    for n, case in enumerate(cases, start=1):
        seconds = ready.get(case.pk)
        print(f"  client {n}: {'not ready' if seconds is None else f'{seconds:.1f} s'}")
    worst = max(ready.values()) if len(ready) == len(cases) else None
    print(f"  slowest: {worst if worst is None else f'{worst:.1f} s'} (target <= 15 s)")
    p95 = waits[int(0.95 * (len(waits) - 1))] if waits else 0.0
    print(f"\nEmails meanwhile: {len(waits)} sent, {unsent} not sent; offers cycled: {len(offers)}")
    if waits:
        print(f"  wait p50 {statistics.median(waits):.2f} s, p95 {p95:.2f} s, max {waits[-1]:.2f} s (target <= 5 s)")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    result = {"clients": args.clients, "ready_s": list(ready.values()), "email_waits_s": waits, "unsent": unsent}
    (out / "recruiter_load.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
