"""Tandem as `make run` serves it, for the benchmarks that drive it from outside: the demo data
prepared as `make run` prepares it, and the processes `make run` supervises (by name: web, worker,
llm-worker) started on 127.0.0.1 and stopped afterwards."""

from __future__ import annotations

import os
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
    them); stops them all afterwards, whatever happened."""
    from config.run import commands

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
        yield base
    finally:
        for process in started:
            os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            process.wait(60)
