"""Every status change of an offer goes through Offer.TRANSITIONS (it used to be assigned directly in
closing, trust & safety and the expiry sweep): a move the map forbids is refused and changes nothing."""

from __future__ import annotations

import pytest

from marketplace.errors import Conflict
from offers.models import Offer
from offers.services import negotiation as svc
from offers.services.safety import flag_reject
from offers.services.sweep import offers_expire
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(alice, bob):
    return svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")


def test_a_move_the_map_forbids_is_refused(offer, monkeypatch):
    monkeypatch.setitem(Offer.TRANSITIONS, Offer.Status.OPEN, {Offer.Status.ACCEPTED})  # no withdrawing
    with pytest.raises(Conflict, match="Cannot close this offer as withdrawn"):
        svc.offer_withdraw(offer=offer, by=offer.client, expected_version=1, reason="hired_other")
    offer.refresh_from_db()
    assert offer.status == "open" and offer.closed_at is None


def test_trust_and_safety_removal_follows_the_map(offer, rita, monkeypatch):
    from offers.models import SafetyFlag

    flag = SafetyFlag.objects.create(
        offer=offer, version=offer.versions.get(), source="report", score=0, level="low", reasons=[]
    )
    monkeypatch.setitem(Offer.TRANSITIONS, Offer.Status.OPEN, {Offer.Status.ACCEPTED})
    with pytest.raises(Conflict):
        flag_reject(flag=flag, by=rita, note="Scam")
    offer.refresh_from_db()
    assert offer.status == "open"


def test_the_sweep_expires_only_what_the_map_lets_expire(offer, monkeypatch):
    from django.utils import timezone

    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now())
    monkeypatch.setitem(Offer.TRANSITIONS, Offer.Status.OPEN, {Offer.Status.ACCEPTED})
    offers_expire()
    offer.refresh_from_db()
    assert offer.status == "open"
    monkeypatch.undo()
    offers_expire()
    offer.refresh_from_db()
    assert offer.status == "expired"
