"""`make run` stopped with SIGTERM to its whole process group, twice (make passes the signal on, and a
busy worker makes the stop slow): every process it started is gone afterwards. It used to exit on the
second signal and leave the Celery workers and beat running as orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import ROOT, free_port, service_env

pytestmark = pytest.mark.django_db(transaction=True)


def descendants(pid: int) -> set[int]:
    """Every process started from `pid` that is still alive (by /proc's parent links and session)."""
    found, alive = set(), set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
            except OSError:
                continue
            if stat[0] != "Z":
                alive.add((int(entry), int(stat[1])))
    parents = {pid}
    changed = True
    while changed:
        changed = False
        for child, parent in alive:
            if parent in parents and child not in parents:
                parents.add(child)
                found.add(child)
                changed = True
    return found


def test_sigterm_twice_to_the_group_leaves_nothing_running(tmp_path):
    port = free_port()
    env = service_env(
        DEMO="false", PORT=str(port), TANDEM_VAR_DIR=str(tmp_path), SECRET_KEY="test-" + "x" * 50, DEBUG="false"
    )
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["SECURE_SSL_REDIRECT"] = "false"
    supervisor = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "config.run"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("make run never came up healthy")
        started = descendants(supervisor.pid)
        assert len(started) >= 4  # gunicorn (and its workers), two Celery workers, beat
        os.killpg(supervisor.pid, signal.SIGTERM)
        time.sleep(0.5)
        os.killpg(supervisor.pid, signal.SIGTERM)  # the second one, while it is stopping
        output, _ = supervisor.communicate(timeout=120)
        time.sleep(1)
        left = {
            pid
            for pid in started
            if os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
        }  # noqa: SIM115, E501
        assert left == set(), f"still running: {left}\n{output[-2000:]}"
        assert "Stopped." in output
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
