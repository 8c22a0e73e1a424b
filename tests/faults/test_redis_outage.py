"""Redis stops while offers are accepted, countered and messages are sent: every action still succeeds
(the work is in PostgreSQL), and once Redis is back the sweeps queue what was never queued, so every
email and summary goes out, once."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.core import mail

from marketplace.models import Contract, Message, Notification
from marketplace.services.messaging import thread_for_contract
from marketplace.services.notifications import outbox_sweep
from offers.models import VersionSummary
from offers.services import negotiation as svc
from offers.services.sweep import summaries_resume
from tests.factories import JobFactory, fixed_contract
from tests.helpers import wait_for
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db(transaction=True)


def test_nothing_is_lost_while_redis_is_down(private_redis, alice, bob, client_for, settings, caplog):
    settings.UMA_UNTUNED_BASE = False  # summaries from the rules: this test is about delivery, not the model
    # A Celery test worker started earlier in the session may leave the root logger at ERROR.
    caplog.set_level(logging.WARNING, logger="config.celery")
    org = alice.organizations.get()
    jobs = [JobFactory(organization=org, created_by=alice) for _ in range(2)]
    first = svc.offer_send(by=alice, freelancer=bob, job=jobs[0], terms=hourly_terms("40"), title="Support")
    second = svc.offer_send(by=alice, freelancer=bob, job=jobs[1], terms=hourly_terms("50"), title="Audit")
    thread = thread_for_contract(contract=fixed_contract(client=alice, freelancer=bob))
    mail.outbox.clear()
    notified_before = set(Notification.objects.values_list("pk", flat=True))

    private_redis.stop()
    as_bob = client_for(bob)
    accepted = as_bob.post(f"/offers/{first.pk}/accept/", {"expected_version": 1})
    assert accepted.status_code in {302, 303}, accepted.status_code
    sent = as_bob.post(f"/messages/{thread.pk}/post/", {"body": "Delivered the audit draft"})
    assert sent.status_code in {302, 303}, sent.status_code
    countered = svc.offer_counter(
        offer=second, by=bob, expected_version=1, terms=hourly_terms("55"), message="A bit more"
    )
    assert "not queued (broker unreachable" in caplog.text
    assert Contract.objects.filter(offers=first).count() == 1
    assert Message.objects.filter(thread=thread, body="Delivered the audit draft").exists()
    waiting = Notification.objects.exclude(pk__in=notified_before).filter(emailed_at__isnull=True)
    assert waiting.count() >= 3  # the acceptance, the message and the counter, none emailed yet
    assert mail.outbox == [] and not VersionSummary.objects.filter(version=countered).exists()

    private_redis.start()
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        events, _ = outbox_sweep(older_than=timedelta(0))
        summaries_resume(older_than=timedelta(0))
        assert events
        assert wait_for(lambda: not waiting.filter(emailed_at__isnull=True).exists())
        assert wait_for(lambda: VersionSummary.objects.filter(version=countered).exists())
        outbox_sweep(older_than=timedelta(0))  # a second sweep finds nothing left to send
        summaries_resume(older_than=timedelta(0))
        time.sleep(1)
    # Every notification was emailed exactly once, those queued before Redis died (lost with it) included.
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(sent) == Notification.objects.count() == len(set(sent))
    assert VersionSummary.objects.filter(version=countered).count() == 1
