import time

import pytest
from django.conf import settings
from django.core import mail

from config.celery import app
from marketplace.models import OutgoingEmail
from marketplace.services.notifications import email_queue
from marketplace.tasks import email_send
from tests.helpers import wait_for


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
        email_queue(key="hello:1", to="x@example.test", subject="Hi", body="From a worker")
        time.sleep(0.3)
        assert mail.outbox == []  # nothing leaves before the commit
    assert wait_for(lambda: mail.outbox)  # up to 30 s: a loaded CI machine outran 5
    assert [m.subject for m in mail.outbox] == ["Hi"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(celery_worker):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_queue(key="never:1", to="x@example.test", subject="Never", body="")
        raise RuntimeError("roll back")
    time.sleep(0.5)
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_an_email_job_run_twice_sends_once():
    email = email_queue(key="welcome:7", to="y@example.test", subject="Welcome", body="Hello")
    assert email_queue(key="welcome:7", to="y@example.test", subject="Welcome", body="Hello").pk == email.pk
    email_send.apply(kwargs={"email_id": email.pk})  # the task body, here, twice
    email_send.apply(kwargs={"email_id": email.pk})
    assert [m.subject for m in mail.outbox] == ["Welcome"]
