"""A worker killed with SIGKILL in the middle of a shortlist: once another worker runs, the shortlist
finishes with each candidate reasoned about once and one "ready" — not an hour later, when the broker
would hand the lost message back, but at the next sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest

from recruiter.models import CaseEvent, ShortlistEntry
from recruiter.services import shortlists
from recruiter.services.cases import shortlists_resume
from tests.helpers import ROOT, service_env, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def llm_worker() -> subprocess.Popen:
    """A real `llm` worker process, as `make run` starts one, on the tests' database and broker."""
    env = service_env(TANDEM_TESTING="1")
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        "llm",
        "--pool",
        "solo",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def test_a_shortlist_survives_its_worker_being_killed(case, shipped_models):
    entries = ShortlistEntry.objects.filter(case=case, round=1)
    worker = llm_worker()
    try:
        shortlists.shortlist_start(case=case, by=None, preferences=[])  # queued after commit
        assert wait_for(lambda: entries.filter(status="ready").exists(), 180), "the first worker never started"
        os.killpg(worker.pid, signal.SIGKILL)  # mid-shortlist: the second candidate is not done
        worker.wait(10)
        assert entries.filter(status="pending").exists()
        worker = llm_worker()
        shortlists_resume(older_than=timedelta(0))
        assert wait_for(lambda: not entries.filter(status="pending").exists(), 180)
        assert wait_for(lambda: CaseEvent.objects.filter(case=case, kind="shortlist_ready").exists(), 30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
    assert entries.count() == 2 and set(entries.values_list("status", flat=True)) == {"ready"}
    assert CaseEvent.objects.filter(case=case, kind="shortlist_ready").count() == 1
    case.refresh_from_db()
    assert case.shortlist_state == "ready"
