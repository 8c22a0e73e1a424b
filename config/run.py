"""`make run`: set up, then serve Tandem as users see it until Ctrl-C: gunicorn (a bounded number of
workers and threads, so a bounded number of database connections), a Celery worker for `default` and
`embeddings`, another for `llm` alone (email never waits behind generation), and beat.

Usage: python -m config.run   (HOST and PORT from the environment; 127.0.0.1:8000 by default;
WEB_WORKERS, WEB_THREADS; DEBUG=true for Django's debug pages; RELOAD=1 to restart on code changes;
DEMO=false to start without loading the demo data)

The first run writes a local `.env` (a generated SECRET_KEY, plain-HTTP cookies for localhost), so the
README's commands work as shown. One copy at a time (a lock under var/); Ctrl-C or SIGTERM stops every
process it started, and the embedded PostgreSQL and Redis too when this run was the one that started them.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
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
ENV_FILE = BASE_DIR / ".env"
LOCAL_ENV = """# Written by the first `make run` for this machine: Tandem served on http://127.0.0.1 without TLS.
# Commands like `python manage.py offers_report` read it too. For a server, start from .env.example.
SECRET_KEY={secret}
ALLOWED_HOSTS=localhost,127.0.0.1,[::1]
SECURE_SSL_REDIRECT=false
SESSION_COOKIE_SECURE=false
CSRF_COOKIE_SECURE=false
SECURE_HSTS_SECONDS=0
"""


def say(message: str) -> None:
    print(f"[tandem] {message}", flush=True)


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)  # noqa: S603


def local_env() -> bool:
    """Write the local .env on the first run (never over one that exists); whether it did."""
    if ENV_FILE.exists():
        return False
    ENV_FILE.write_text(LOCAL_ENV.format(secret=secrets.token_urlsafe(50)))
    ENV_FILE.chmod(0o600)
    return True


def site_url(host: str, port: int) -> str | None:
    """The address links in emails should use for a server on host:port (a wildcard host is this
    machine), unless SITE_URL is set already, in the environment or the .env; None then."""
    written = ENV_FILE.read_text() if ENV_FILE.exists() else ""
    if os.environ.get("SITE_URL") or re.search(r"^SITE_URL=\S", written, re.MULTILINE):
        return None
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else f"[{host}]" if ":" in host else host  # noqa: S104
    return f"http://{shown}:{port}"


def celery(*args: str) -> list[str]:
    return [PYTHON, "-m", "celery", "-A", "config", *args, "--loglevel", "INFO"]


def commands(host: str, port: int) -> dict[str, list[str]]:
    """The processes `make run` supervises."""
    web = [
        PYTHON, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"{host}:{port}",
        "--worker-class", "gthread",
        "--workers", os.environ.get("WEB_WORKERS", "2"),
        "--threads", os.environ.get("WEB_THREADS", "4"),
        "--timeout", "60", "--graceful-timeout", "10",
        "--max-requests", "5000", "--max-requests-jitter", "500",
        "--access-logfile", "-",
    ]  # fmt: skip
    if os.environ.get("RELOAD", "").lower() in {"1", "true", "yes"}:
        web.append("--reload")
    tag = os.getpid()
    return {
        "web": web,
        "worker": celery("worker", "-Q", "default,embeddings", "--concurrency", "2", "-n", f"tandem-{tag}@%h"),
        "llm-worker": celery("worker", "-Q", "llm", "--concurrency", "1", "-n", f"tandem-llm-{tag}@%h"),
        "beat": celery("beat", "--pidfile=", "--schedule", str(embedded.var_dir() / "celerybeat-schedule")),
    }


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

    if url := site_url(host, port):
        os.environ["SITE_URL"] = url  # emails link to this server, whatever PORT it runs on
    say("Starting services, migrating, loading demo data ...")
    manage("migrate", "--noinput")
    manage("uma_prepare", "--adapters")
    demo = os.environ.get("DEMO", "true").lower() not in {"0", "false", "no"}
    if demo:
        manage("seed_demo")
        manage("seed_offers")

    manage("collectstatic", "--noinput", "--verbosity", "0")
    if demo:
        manage("scan_at_risk")  # the demo's at-risk contracts get their cases now, not at the first beat

    processes = commands(host, port)
    children = [subprocess.Popen(cmd, cwd=BASE_DIR, start_new_session=True) for cmd in processes.values()]  # noqa: S603

    def stop() -> None:
        # A second Ctrl-C or SIGTERM (make passes signals on) must not cut the stop short and orphan the
        # worker and beat: from here on both are ignored.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
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

    # Explicit, so Ctrl-C works even where SIGINT was ignored by whoever started us. The first signal
    # starts the stop; any after it are ignored until everything has stopped.
    signal.signal(signal.SIGINT, _stop_on(KeyboardInterrupt))
    signal.signal(signal.SIGTERM, _stop_on(SystemExit))
    try:
        health = wait_healthy(f"http://{host}:{port}/healthz", children)
        if health is None or health.get("failing"):
            say(f"Tandem did not come up healthy: {json.dumps(health)}")
            return 1
        print_welcome(host, port)
        while all(child.poll() is None for child in children):
            time.sleep(1)
        dead = [name for name, child in zip(processes, children, strict=True) if child.poll() is not None]
        say(f"{', '.join(dead)} stopped unexpectedly; stopping the rest.")
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        stop()


def _stop_on(error: type[BaseException]):  # noqa: ANN202
    def handler(*_: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise error

    return handler


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
    if local_env():
        say(f"Wrote {ENV_FILE.name} for this machine (a generated SECRET_KEY; plain HTTP on localhost).")
    # Whether this run starts the embedded servers (and so stops them at the end): decided
    # before Django's settings start them.
    started_db = not os.environ.get("DATABASE_URL") and not embedded.postgres_running()
    started_redis = not os.environ.get("REDIS_URL") and not embedded.redis_running()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.exit(main(own_db=started_db, own_redis=started_redis))
