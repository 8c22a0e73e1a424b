"""Expiry and reminders (the beat job, run twice), and trust & safety screening, reports and decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.errors import Conflict, NotAllowed
from marketplace.models import Notification, Organization
from offers.models import Offer, SafetyFlag
from offers.plans import rules_for
from offers.policies import offers_visible
from offers.screening import screen
from offers.services import negotiation as svc
from offers.services import safety
from offers.services.sweep import offers_expire, offers_remind
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(alice, bob):
    return svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms(), title="Support")


def test_expiry_window_comes_from_the_plan(settings, offer):
    settings.OFFERS_EXPIRY_DAYS = {**settings.OFFERS_EXPIRY_DAYS, "business_plus": 3}
    assert rules_for(Organization.Plan.BUSINESS_PLUS).expiry == timedelta(days=3)
    assert rules_for(Organization.Plan.ENTERPRISE).expiry == timedelta(days=7)
    assert not rules_for(Organization.Plan.ENTERPRISE).may_counter and rules_for("basic").may_counter


def test_reminder_a_day_before_then_expiry_each_once(offer, bob, alice):
    now = timezone.now()
    assert offers_remind(now=now) == []  # 7 days left
    soon = offer.expires_at - timedelta(hours=20)
    assert offers_remind(now=soon) == [offer.pk]
    assert offers_remind(now=soon) == []  # once per version
    reminder = Notification.objects.get(event_key=f"offer:{offer.pk}:v1:reminder")
    assert reminder.user == bob and "Waiting for an answer" in reminder.body
    assert offers_expire(now=now) == []
    later = offer.expires_at + timedelta(minutes=1)
    assert offers_expire(now=later) == [offer.pk]
    assert offers_expire(now=later) == []  # idempotent
    offer.refresh_from_db()
    assert offer.status == "expired"
    assert set(Notification.objects.filter(event_key__endswith=":expired").values_list("user", flat=True)) == {
        alice.pk,
        bob.pk,
    }


def test_a_new_version_restarts_the_clock_and_the_reminder(offer, bob):
    offers_remind(now=offer.expires_at - timedelta(hours=1))
    version = svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("55"), message="More")
    offer.refresh_from_db()
    assert offer.expires_at > version.created_at + timedelta(days=6)
    assert offers_remind(now=offer.expires_at - timedelta(hours=1)) == [offer.pk]  # now reminds alice
    assert Notification.objects.get(event_key=f"offer:{offer.pk}:v2:reminder").user.email == "alice@tandem.test"


@pytest.mark.parametrize(
    "text,level",
    [
        ("Build the Stripe checkout page with tests and docs.", "low"),
        ("Let's talk on WhatsApp: +1 415 555 0100 and pay outside Tandem via wire transfer", "high"),
        ("You must pay a registration fee and buy equipment from our vendor", "high"),
        ("We pay in bitcoin to your wallet address", "medium"),
        ("We'll mail you a cheque, deposit the check and send back the rest", "high"),
        ("Details at http://bit.ly/3xYz", "medium"),
        ("Email me at boss@example.com", "medium"),
        ("Designs: https://www.figma.com/file/abc and milestone due 2026-12-03, 1500.00 total", "low"),
    ],
)
def test_screening_levels(text, level):
    assert screen(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "Full brief here: bit.ly/3xYzAb",  # a shortened link without http:// (was missed)
        "Message me on Telegram @hr.manager for the details",  # a handle with a dot (was missed)
        "My TG is @jobs_desk",
        "Ping t.me/hiring_desk to start",
        "Write to john [at] gmail [dot] com",
        "Contact me on tele\u200bgram",  # hidden characters inside the word
        "Ｔｅｌｅｇｒａｍ: jobs_hr",  # fullwidth letters
    ],
)
def test_screening_sees_links_and_handles_however_they_are_written(text):
    assert screen(text).level in {"medium", "high"}, screen(text).reasons


@pytest.mark.parametrize(
    "text", ["Use Node.js; the repo is github.com/acme/shop", "Speed > 2x by 2026-12-01, budget 1,500.00", "v1.2/3"]
)
def test_ordinary_technical_text_is_not_flagged(text):
    assert screen(text).level == "low", screen(text).reasons


def test_a_high_score_holds_the_offer_until_trust_and_safety_approves(alice, bob, rita):
    offer = svc.offer_send(
        by=alice,
        freelancer=bob,
        terms={**hourly_terms(), "scope": "Pay the training fee, then telegram me"},
        title="Data entry",
    )
    assert offer.status == "held" and offer.delivered_at is None
    assert not offers_visible(bob).filter(pk=offer.pk).exists()
    assert not Notification.objects.filter(user=bob).exists()
    flag = SafetyFlag.objects.get(offer=offer)
    assert flag.level == "high" and flag.decision == "pending" and any("training" in r for r in flag.reasons)
    with pytest.raises(NotAllowed):
        safety.flag_approve(flag=flag, by=bob)
    safety.flag_approve(flag=flag, by=rita, note="Training is paid by the client; checked")
    offer.refresh_from_db()
    flag.refresh_from_db()
    assert offer.status == "open" and offer.delivered_at is not None
    assert (flag.decision, flag.decided_by, flag.decision_note) == (
        "approved",
        rita,
        "Training is paid by the client; checked",
    )
    assert Notification.objects.filter(user=bob, event_key=f"offer:{offer.pk}:v1:sent").exists()
    with pytest.raises(Conflict, match="already decided"):
        safety.flag_reject(flag=flag, by=rita, note="changed my mind")


def test_rejecting_a_held_offer_removes_it_and_tells_the_client(alice, bob, rita):
    offer = svc.offer_send(
        by=alice, freelancer=bob, terms={**hourly_terms(), "scope": "Deposit the check and buy equipment"}, title="Job"
    )
    flag = offer.flags.get()
    safety.flag_reject(flag=flag, by=rita, note="Classic cheque scam")
    offer.refresh_from_db()
    assert offer.status == "removed" and offer.close_note == "Classic cheque scam"
    assert Notification.objects.filter(user=alice, event_key=f"offer:{offer.pk}:v1:removed").exists()
    assert not Notification.objects.filter(user=bob).exists()


def test_a_medium_score_is_delivered_with_a_warning(alice, bob):
    offer = svc.offer_send(by=alice, freelancer=bob, terms={**hourly_terms(), "scope": "Ping me on skype"}, title="x")
    assert offer.status == "open" and offer.warning
    assert offer.flags.get().decision == "warned"


def test_the_freelancer_can_report_an_offer_once(offer, bob, alice):
    with pytest.raises(NotAllowed):
        safety.offer_report(offer=offer, by=alice, note="spam")
    flag = safety.offer_report(offer=offer, by=bob, note="They asked me to pay for a laptop")
    assert flag.source == "report" and flag.decision == "pending" and flag.reported_by == bob
    with pytest.raises(Conflict, match="already reported"):
        safety.offer_report(offer=offer, by=bob, note="again")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN  # a report alone does not hide the offer
