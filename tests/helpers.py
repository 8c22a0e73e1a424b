"""Test helpers: running manage.py in a child process with a chosen environment; a signed-in client; a page
asked for while a worker thread saves; actions raced in threads."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def service_env(**overrides: str) -> dict[str, str]:
    """The environment of this test run, pointed at the same servers explicitly."""
    db = settings.DATABASES["default"]
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TANDEM_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(
        DATABASE_URL=f"postgres://{db['USER']}@/{db['NAME']}?host={db['HOST']}",
        REDIS_URL=settings.REDIS_URL,
        DEBUG="true",
        TANDEM_ENV_FILE="",  # as on a clean machine, whatever a developer's .env says
    )
    base.update(overrides)
    return base


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_(world, who: str) -> Client:
    """A client signed in as a member of the cast in `world["users"]` (or none, for "anonymous")."""
    client = Client()
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


def wait_for(condition, seconds: float = 30, *, every: float = 0.1) -> bool:  # noqa: ANN001
    """Poll `condition` until it holds or `seconds` pass; whether it held (work done by other processes)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def shipped_adapter(task: str) -> Path:
    """The one adapter the repo ships for a task: uma/adapters/<task>-<version>/."""
    (folder,) = (ROOT / "uma" / "adapters").glob(f"{task}-*")
    return folder


def asked_while_saving(client: Client, url: str, params: dict, save: Callable[[], object]) -> tuple[str, float]:
    """A waiting page's request (200), while a worker thread saves Uma's work half a second in: its html
    and how many seconds it took."""

    def worker() -> None:
        time.sleep(0.5)
        try:
            save()
        finally:
            connection.close()

    saving = threading.Thread(target=worker)
    saving.start()
    started = time.monotonic()
    response = client.get(url, params)
    waited = time.monotonic() - started
    saving.join()
    assert response.status_code == 200
    return response.content.decode(), waited


def race(*actions) -> list:
    """Run the actions at the same instant, each in its own thread and connection; their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def runner(index: int, action) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def winners(outcomes: list) -> list:
    return [o for o in outcomes if not isinstance(o, Exception)]
