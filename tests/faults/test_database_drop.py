"""The database drops a negotiation's session in the middle of a counter — after the new version and
the offer were written, before the notification — as a PostgreSQL restart does to every session: no
half-written version is left, and the same counter made again lands once."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from marketplace.models import Notification
from offers.models import Offer, OfferVersion
from offers.services import negotiation as svc
from tests.helpers import wait_for
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db(transaction=True)


def blocked_backends() -> list[int]:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_counter_cut_off_mid_write_leaves_nothing_half_written(alice, bob):
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")
    event_key = f"offer:{offer.pk}:v2:countered"
    outcome: list[object] = []
    holding, release = threading.Event(), threading.Event()

    def hold_the_notification_key() -> None:
        """Another session inserts the notification the counter will insert, and holds it uncommitted:
        the counter's own insert waits on the unique index — after its version and offer writes."""
        try:
            with transaction.atomic():
                Notification.objects.create(user=alice, kind="offer", title="x", event_key=event_key)
                holding.set()
                release.wait(30)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def counter() -> None:
        try:
            svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("45"), message="More")
            outcome.append("saved")
        except OperationalError as error:
            outcome.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_notification_key)
    holder.start()
    assert holding.wait(10)
    writer = threading.Thread(target=counter)
    writer.start()
    assert wait_for(lambda: len(blocked_backends()) == 1, 10), "the counter never reached the notification"
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [blocked_backends()[0]])
    writer.join(10)
    release.set()
    holder.join(10)

    assert len(outcome) == 1 and isinstance(outcome[0], OperationalError)
    offer.refresh_from_db()
    assert (offer.version_count, offer.awaiting) == (1, "freelancer")
    assert OfferVersion.objects.filter(offer=offer).count() == 1
    assert not Notification.objects.filter(event_key=event_key).exists()

    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("45"), message="More")
    offer.refresh_from_db()
    assert offer.version_count == 2 and OfferVersion.objects.filter(offer=offer).count() == 2
    assert Notification.objects.filter(event_key=event_key).count() == 1
    assert Offer.objects.get(pk=offer.pk).status == "open"
