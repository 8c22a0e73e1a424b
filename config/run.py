"""`make run`: set up, then run the web server, a Celery worker and beat until Ctrl-C.

Usage: python -m config.run   (HOST and PORT from the environment; 127.0.0.1:8000 by default)

One copy at a time (a lock under var/); Ctrl-C stops every process it started, and the embedded
PostgreSQL and Redis too when this run was the one that started them.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HEALTH_TIMEOUT_S = 120


def say(message: str) -> None:
    print(f"[tandem] {message}", flush=True)


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)  # noqa: S603


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_healthy(url: str, children: list[subprocess.Popen]) -> dict | None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    body = None
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return None
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own localhost URL
                return json.load(response)
        except urllib.error.HTTPError as error:
            body = json.load(error)
        except OSError:
            pass
        time.sleep(0.5)
    return body


def main(*, own_db: bool, own_redis: bool) -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    lock = open(embedded.var_dir() / "run.lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        say(f"Tandem is already running from this folder ({lock.read().strip()}).")
        say("Use that one, or stop it with Ctrl-C in its terminal, then run `make run` again.")
        return 1
    if not port_free(host, port):
        say(f"Port {port} on {host} is in use by another program. Try: PORT={port + 1} make run")
        return 1
    lock.seek(0)
    lock.truncate()
    lock.write(f"pid {os.getpid()}, http://{host}:{port}/")
    lock.flush()

    say("Starting services, migrating, loading demo data ...")
    manage("migrate", "--noinput")
    manage("uma_prepare", "--adapters")
    manage("seed_demo")
    manage("seed_offers")

    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"{host}:{port}"],
        "worker": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default,embeddings,llm",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "-n",
            f"tandem-{os.getpid()}@%h",
        ],
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--pidfile=",
            "--schedule",
            str(embedded.var_dir() / "celerybeat-schedule"),
        ],
    }
    children = [subprocess.Popen(cmd, cwd=BASE_DIR, start_new_session=True) for cmd in commands.values()]  # noqa: S603

    def stop(*_: object) -> None:
        say("Stopping ...")
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        if own_redis and embedded.stop_redis():
            say("Stopped the embedded Redis.")
        if own_db and embedded.stop_postgres():
            say("Stopped the embedded PostgreSQL.")
        say("Stopped. Your data is kept under var/.")

    # Explicit, so Ctrl-C works even where SIGINT was ignored by whoever started us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        health = wait_healthy(f"http://{host}:{port}/healthz", children)
        if health is None or health.get("failing"):
            say(f"Tandem did not come up healthy: {json.dumps(health)}")
            return 1
        print_welcome(host, port)
        while all(child.poll() is None for child in children):
            time.sleep(1)
        dead = [name for name, child in zip(commands, children, strict=True) if child.poll() is not None]
        say(f"{', '.join(dead)} stopped unexpectedly; stopping the rest.")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop()


def print_welcome(host: str, port: int) -> None:
    from marketplace.demo import CAST, DEMO_PASSWORD

    url = f"http://{host}:{port}/"
    lines = [
        "",
        f"Tandem is running at {url}   (health: {url}healthz, admin: {url}admin/)",
        f"Demo logins (password {DEMO_PASSWORD}):",
        *[f"  {p.email:<22} {p.kind}{' — ' + p.organization if p.organization else ''}" for p in CAST],
        "Press Ctrl-C to stop.",
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    # Whether this run starts the embedded servers (and so stops them at the end): decided
    # before Django's settings start them.
    started_db = not os.environ.get("DATABASE_URL") and not embedded.postgres_running()
    started_redis = not os.environ.get("REDIS_URL") and not embedded.redis_running()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.exit(main(own_db=started_db, own_redis=started_redis))
