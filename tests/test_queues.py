"""Generation never holds up email: Uma's tasks go to the `llm` queue, which `make run` and compose give
a worker of its own, so a worker of `default` (and `embeddings`) sends email while `llm` is full."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core import mail

from config import run
from offers.tasks import version_summarise
from recruiter.tasks import shortlist_build
from tests.helpers import wait_for


@pytest.fixture
def default_worker(transactional_db):
    """A real worker consuming what `make run`'s general worker consumes (not `llm`)."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    cmd = run.commands("127.0.0.1", 8000)["worker"]
    queues = cmd[cmd.index("-Q") + 1].split(",")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=queues) as worker:
        yield worker


def llm_waiting() -> int:
    """Messages waiting on `llm`, at every priority (kombu keeps a list per priority step)."""
    client = redis.Redis.from_url(settings.BROKER_REDIS_URL)
    try:
        return sum(client.llen(key) for key in client.keys("llm*") if client.type(key) == b"list")
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_an_email_is_sent_while_the_llm_queue_is_full(default_worker, anonymous, bob):
    before = llm_waiting()
    for n in range(30):  # a backlog of generation: summaries and shortlists nobody is working on here
        version_summarise.delay(version_id=10_000 + n)
        shortlist_build.delay(case_id=10_000 + n, round_=1)
    assert llm_waiting() - before == 60
    assert anonymous.post("/password-reset/", {"email": "bob@tandem.test"}).status_code == 302
    wait_for(lambda: mail.outbox)
    assert [m.to for m in mail.outbox] == [["bob@tandem.test"]]  # sent while all 60 wait (below)
    assert llm_waiting() - before == 60  # still waiting for the llm worker: nothing jumped the queue
    client = redis.Redis.from_url(settings.BROKER_REDIS_URL)
    for key in client.keys("llm*"):
        client.delete(key)
    client.close()


@pytest.mark.django_db(transaction=True)
def test_a_shortlist_a_person_asks_for_goes_before_summaries_and_the_ones_scans_started():
    """A client who opens a case waits for Uma. A scan's shortlists and the summaries of counter-offers
    (shown when ready) wait behind it, first come first served: a flood of counters never starves it.
    Before, summaries went first (the default priority) and four asked-for shortlists were not ready
    after 180 s while offers were countered (bench/recruiter_load.py)."""
    from types import SimpleNamespace

    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_prerun
    from django.db import transaction

    from config.celery import app
    from recruiter.services.shortlists import _enqueue

    client = redis.Redis.from_url(settings.BROKER_REDIS_URL)
    for key in client.keys("llm*"):
        client.delete(key)
    with transaction.atomic():  # queued on commit, as the services do
        _enqueue(SimpleNamespace(pk=10_000, shortlist_round=1), by=None)  # a scan's
        version_summarise.delay_on_commit(version_id=30_000)  # a counter's summary
        _enqueue(SimpleNamespace(pk=10_001, shortlist_round=1), by=None)
        version_summarise.delay_on_commit(version_id=30_001)
        _enqueue(SimpleNamespace(pk=20_000, shortlist_round=1), by=SimpleNamespace(pk=1))  # a person's
    ran: list[int] = []

    def seen(sender=None, kwargs=None, **_):
        if sender is not None and sender.name in (shortlist_build.name, version_summarise.name):
            ran.append(kwargs.get("case_id") or kwargs.get("version_id"))

    task_prerun.connect(seen, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["llm"]):
            assert wait_for(lambda: len(ran) == 5, 30)
    finally:
        task_prerun.disconnect(seen)
        client.close()
    assert ran == [20_000, 10_000, 30_000, 10_001, 30_001]
