"""Load on the web server as `make run` serves it: 50 users for 2 minutes over the contract list, job
search, the offer page and the API, against a bare `SELECT 1` view measured in the same run.

Usage: .venv/bin/python bench/web_load.py [--users 50] [--seconds 120] [--baseline-seconds 20]
       [--writes-per-second N] [--page-cache-seconds S]

It starts its own gunicorn with `make run`'s command (config.run.commands) on a free port of
127.0.0.1, on the demo database (migrated and seeded first, as `make run` does), with the API's
per-user throttle lifted so the figures measure the server, not the throttle. Traffic goes to
127.0.0.1 only; every loop is bounded in time. Prints p50/p95, errors and throughput of each phase,
the throughput ratio (target ≥ 0.5) and whether /healthz answered 200 throughout (polled every 2 s).
"kept" is the share of answers the page cache served again (marketplace/snapshot_cache.py);
--writes-per-second adds a write elsewhere in the database that often (each one makes every page
fresh once), --page-cache-seconds 0 runs the server without the page cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "tandem-demo-2026"  # noqa: S105 - the public demo password


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    kept: int = 0  # answers served again from the page cache (X-Page-Cache: hit)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, problem: str | None, kept: bool = False) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.kept += kept
            if problem:
                self.errors[problem] = self.errors.get(problem, 0) + 1

    def row(self, name: str, elapsed: float) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "phase": name,
            "requests": len(self.latencies),
            "errors": sum(self.errors.values()),
            "error_kinds": self.errors,
            "throughput_rps": len(self.latencies) / elapsed,
            "kept_share": self.kept / max(len(self.latencies), 1),
            "p50_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        }


def logged_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        timeout=10,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {response.status_code}")
    return session


def hammer(urls_for, cookies_for, seconds: float, users: int) -> Tally:  # noqa: ANN001
    """`users` threads, each with its own keep-alive connection, looping over its URLs for `seconds`."""
    tally, stop_at = Tally(), time.monotonic() + seconds

    def user(index: int) -> None:
        session = requests.Session()
        session.cookies.update(cookies_for(index))
        urls, turn = urls_for(index), 0
        while time.monotonic() < stop_at:
            url = urls[turn % len(urls)]
            turn += 1
            started, kept = time.monotonic(), False
            try:
                response = session.get(url, timeout=30)
                problem = None if response.status_code == 200 else f"{response.status_code} {url.split('?')[0]}"
                kept = response.headers.get("X-Page-Cache") == "hit"
            except requests.RequestException as error:
                problem = type(error).__name__
            tally.add(time.monotonic() - started, problem, kept)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return tally


def watch_health(base: str, stop: threading.Event, seen: list[int]) -> None:
    while not stop.is_set():
        try:
            seen.append(requests.get(f"{base}/healthz", timeout=10).status_code)
        except requests.RequestException:
            seen.append(0)
        stop.wait(2)


def write_now_and_then(per_second: float, stop: threading.Event, done: list[int]) -> None:
    """A write elsewhere in the database `per_second` times a second (a staff member's last_login): each
    one changes the database's snapshot, so every kept page is built afresh once (see README, "Load")."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    users = get_user_model().objects.filter(email="rita@tandem.test")
    while not stop.wait(1 / per_second):
        users.update(last_login=timezone.now())
        done.append(1)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument("--writes-per-second", type=float, default=0, help="a write elsewhere this often")
    parser.add_argument("--page-cache-seconds", help="PAGE_CACHE_SECONDS for the server (0: no page cache)")
    args = parser.parse_args()

    from bench.served import prepare, served

    prepare()
    env = {"API_RATE_USER": "1000000/min"}
    if args.page_cache_seconds is not None:
        env["PAGE_CACHE_SECONDS"] = args.page_cache_seconds
    with served(("web", "worker"), env=env) as base:
        alice, carol = logged_in(base, "alice@tandem.test"), logged_in(base, "carol@tandem.test")
        offer = carol.get(f"{base}/api/v1/offers/", timeout=10).json()["results"][0]["id"]
        mix = {
            0: (alice, ["/contracts/", "/jobs/?q=python", "/api/v1/contracts/", "/api/v1/jobs/?q=django"]),
            1: (carol, [f"/offers/{offer}/", "/contracts/", "/jobs/?q=design", f"/api/v1/offers/{offer}/"]),
        }

        print(f"baseline: {args.users} users on /healthz/db (SELECT 1) for {args.baseline_seconds:.0f} s ...")
        baseline = hammer(lambda i: [f"{base}/healthz/db"], lambda i: {}, args.baseline_seconds, args.users).row(
            "SELECT 1 view", args.baseline_seconds
        )

        print(f"load: {args.users} users over the marketplace for {args.seconds:.0f} s ...")
        stop, health = threading.Event(), []
        watcher = threading.Thread(target=watch_health, args=(base, stop, health), daemon=True)
        watcher.start()
        writes: list[int] = []
        if args.writes_per_second > 0:
            writer = threading.Thread(target=write_now_and_then, args=(args.writes_per_second, stop, writes))
            writer.start()
        load = hammer(
            lambda i: [base + path for path in mix[i % 2][1]],
            lambda i: mix[i % 2][0].cookies.get_dict(),
            args.seconds,
            args.users,
        ).row("marketplace mix", args.seconds)
        stop.set()
        watcher.join(15)

    ratio = load["throughput_rps"] / baseline["throughput_rps"]
    healthy = bool(health) and all(code == 200 for code in health)
    print(f"\n{'phase':<18}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'kept':>7}")
    for row in (baseline, load):
        print(
            f"{row['phase']:<18}{row['requests']:>10}{row['errors']:>8}{row['throughput_rps']:>9.1f}"
            f"{row['p50_ms']:>9.0f}{row['p95_ms']:>9.0f}{row['kept_share']:>7.0%}"
        )
    print(f"throughput ratio (mix / SELECT 1): {ratio:.2f} (target ≥ 0.5)")
    if args.writes_per_second > 0:
        print(f"writes during the mix: {len(writes)} ({len(writes) / args.seconds:.1f}/s)")
    print(f"/healthz: {len(health)} polls, {'all 200' if healthy else 'NOT all 200: ' + str(sorted(set(health)))}")
    if load["errors"]:
        print(f"errors: {load['error_kinds']}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    result = {"users": args.users, "baseline": baseline, "load": load, "ratio": ratio, "healthz": health}
    result["writes"] = len(writes)
    (out / "web_load.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
