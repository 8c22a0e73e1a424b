"""Every task delivered twice (as a broker may after a lost acknowledgement) has one effect."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from marketplace.services.notifications import email_queue
from marketplace.tasks import email_send, notification_emails_send
from offers.models import VersionSummary
from offers.services import negotiation as svc
from offers.tasks import version_summarise
from recruiter.models import CaseEvent, ShortlistEntry
from recruiter.tasks import cases_start, shortlist_build
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db(transaction=True)


def settle(condition, seconds: float = 30) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)
    time.sleep(0.5)  # and let any second delivery run too


def test_each_task_twice_has_one_effect(celery_worker, alice, bob, case, settings):
    settings.UMA_UNTUNED_BASE = False  # Tandem's rules answer: fast, and this is about delivery
    email = email_queue(key="test:twice", to="bob@tandem.test", subject="Hello", body="Once")
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")
    version = svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("45"), message="More")
    settle(lambda: VersionSummary.objects.filter(version=version).exists() and len(mail.outbox) >= 3)
    mail.outbox.clear()
    for _ in range(2):
        email_send.delay(email_id=email.pk)
        notification_emails_send.delay(event_key=f"offer:{offer.pk}:v2")
        version_summarise.delay(version_id=version.pk)
        cases_start.delay(case_ids=[case.pk])
    settle(lambda: CaseEvent.objects.filter(case=case, kind="shortlist_ready").exists())
    shortlist_build.delay(case_id=case.pk, round_=1)
    settle(lambda: False, 3)
    # Only the case's own two emails to alice (it opened; Uma found people), each once; nothing resent.
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2 and len(set(subjects)) == 2 and all(m.to == ["alice@tandem.test"] for m in mail.outbox)
    assert VersionSummary.objects.filter(version=version).count() == 1
    assert CaseEvent.objects.filter(case=case, kind="shortlist_requested").count() == 1
    assert CaseEvent.objects.filter(case=case, kind="shortlist_ready").count() == 1
    assert ShortlistEntry.objects.filter(case=case).count() == 2
