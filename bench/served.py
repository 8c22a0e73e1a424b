"""Tandem as `make run` serves it, for the benchmarks that drive it from outside: the demo data
prepared as `make run` prepares it, and the processes `make run` supervises (by name: web, worker,
llm-worker) started on 127.0.0.1 and stopped afterwards."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_up(base: str, deadline_s: float = 90) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz/db", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not come up")


def prepare(*, offers: bool = True) -> None:
    """Migrate, install the shipped adapters and load the demo data, as `make run` does."""
    from config.run import local_env

    local_env()
    steps = [
        ["migrate", "--noinput"],
        ["uma_prepare", "--adapters"],
        ["seed_demo"],
        *([["seed_offers"]] if offers else []),
    ]
    for step in [*steps, ["collectstatic", "--noinput", "-v", "0"]]:
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, check=True)  # noqa: S603


@contextmanager
def served(names: tuple[str, ...], *, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `make run`'s processes `names`; yields the web server's base URL (up, when "web" is among
    them; with "llm-worker", once the workers answer and its engines are warm, as clients of a running
    deployment meet them: the boot is printed, never counted); stops them all afterwards, whatever
    happened."""
    from config.run import commands

    generating = "llm-worker" in names
    if generating:  # the caller has Django set up: the warm-up's key, so a stale one is not taken for it
        from django.core.cache import cache

        from uma.llm.warm import WARM_KEY

        cache.delete(WARM_KEY)
    booting = time.monotonic()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = commands("127.0.0.1", port)
    processes["web"] = [arg for arg in processes["web"] if arg not in ("--access-logfile", "-")]
    environment = {**os.environ, "LOG_LEVEL": "WARNING", **(env or {})}
    started = [
        subprocess.Popen(processes[name], cwd=ROOT, env=environment, start_new_session=True, stdout=subprocess.DEVNULL)  # noqa: S603
        for name in names
    ]
    try:
        if "web" in names:
            wait_up(base)
        if generating:
            waited = _wait_warm(booting, workers=sum(name in ("worker", "llm-worker") for name in names))
            print(f"workers up, engines warm after {waited:.1f} s", flush=True)
        yield base
    finally:
        for process in started:
            os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            process.wait(60)


CHROMIUM = "/usr/bin/chromium"


def phone_page(playwright, base: str, email: str):  # noqa: ANN001, ANN201 - Playwright's browser and page
    """Debian's Chromium, headless, a phone-sized page on `base`, logged in as `email` (the demo password)."""
    from bench.web_load import PASSWORD

    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
    page = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}).new_page()
    page.goto("/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard/|/$"))
    return browser, page


def _wait_warm(since: float, *, workers: int, deadline_s: float = 120) -> float:
    """Wait until `workers` Celery workers answer and the llm worker's engines are warm (uma/llm/warm.py);
    the seconds since `since` (time.monotonic())."""
    from django.core.cache import cache

    from config.celery import app
    from uma.llm.warm import WARM_KEY

    while cache.get(WARM_KEY) is None or len(app.control.ping(timeout=1)) < workers:
        if time.monotonic() - since > deadline_s:
            raise SystemExit(f"the workers did not come up and warm within {deadline_s:g} s")
        time.sleep(0.5)
    return time.monotonic() - since
