import time

import pytest
from django.conf import settings
from django.core import mail

from config.celery import app
from marketplace.tasks import email_send


def test_celery_is_wired_as_the_conventions_say():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert {q.name for q in conf.task_queues} == {"default", "embeddings", "llm"}
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_always_eager is False


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_after_commit_runs_on_a_real_worker(celery_worker):
    from django.db import transaction

    with transaction.atomic():
        email_send.delay_on_commit(subject="Hi", body="From a worker", to=["x@example.test"])
        time.sleep(0.3)
        assert mail.outbox == []  # nothing leaves before the commit
    for _ in range(100):
        if mail.outbox:
            break
        time.sleep(0.05)
    assert [m.subject for m in mail.outbox] == ["Hi"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(celery_worker):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_send.delay_on_commit(subject="Never", body="", to=["x@example.test"])
        raise RuntimeError("roll back")
    time.sleep(0.5)
    assert mail.outbox == []
