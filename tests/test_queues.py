"""Generation never holds up email: Uma's tasks go to the `llm` queue, which `make run` and compose give
a worker of its own, so a worker of `default` (and `embeddings`) sends email while `llm` is full."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings
from django.core import mail

from config import run
from offers.tasks import version_summarise
from recruiter.tasks import shortlist_build


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
    client = redis.Redis.from_url(settings.BROKER_REDIS_URL)
    try:
        return client.llen("llm")
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_an_email_is_sent_while_the_llm_queue_is_full(default_worker, anonymous, bob):
    before = llm_waiting()
    for n in range(30):  # a backlog of generation: summaries and shortlists nobody is working on here
        version_summarise.delay(version_id=10_000 + n)
        shortlist_build.delay(case_id=10_000 + n, round_=1)
    assert llm_waiting() - before == 60
    started = time.monotonic()
    assert anonymous.post("/password-reset/", {"email": "bob@tandem.test"}).status_code == 302
    while not mail.outbox and time.monotonic() - started < 10:
        time.sleep(0.05)
    assert [m.to for m in mail.outbox] == [["bob@tandem.test"]]
    assert time.monotonic() - started < 5
    assert llm_waiting() - before == 60  # still waiting for the llm worker: nothing jumped the queue
    client = redis.Redis.from_url(settings.BROKER_REDIS_URL)
    client.delete("llm")
    client.close()


@pytest.mark.django_db(transaction=True)
def test_a_shortlist_a_person_asks_for_goes_before_the_ones_scans_started():
    """A client who opens a case waits for Uma; the shortlists a scan opened can wait behind it."""
    from types import SimpleNamespace

    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_prerun
    from django.db import transaction

    from config.celery import app
    from recruiter.services.shortlists import _enqueue
    from tests.helpers import wait_for

    client = redis.Redis.from_url(settings.BROKER_REDIS_URL)
    for key in client.keys("llm*"):
        client.delete(key)
    with transaction.atomic():  # queued on commit, as the services do
        for n in range(3):
            _enqueue(SimpleNamespace(pk=10_000 + n, shortlist_round=1), by=None)  # a scan's
        _enqueue(SimpleNamespace(pk=20_000, shortlist_round=1), by=SimpleNamespace(pk=1))  # a person's
    ran: list[int] = []

    def seen(sender=None, kwargs=None, **_):
        if sender is not None and sender.name == "recruiter.tasks.shortlist_build":
            ran.append(kwargs["case_id"])

    task_prerun.connect(seen, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["llm"]):
            assert wait_for(lambda: len(ran) == 4, 30)
    finally:
        task_prerun.disconnect(seen)
        client.close()
    assert ran == [20_000, 10_000, 10_001, 10_002]
