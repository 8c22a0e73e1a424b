"""The negotiation services: every action, its turn rules, and the refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from marketplace.errors import Conflict, InvalidInput, NotAllowed
from marketplace.models import Contract, Notification, Organization
from offers.models import Offer, OfferVersion
from offers.services import negotiation as svc
from offers.services.negotiation import OfferMoved, TooMany
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def fixed_terms(total="1500.00", split=(("Design", "500.00", 10), ("Build", "1000.00", 20))) -> dict:
    return {
        "contract_type": "fixed",
        "fixed_amount": total,
        "start_date": day(2),
        "scope": "Build the checkout page.\nWith tests and a short handover note for the team.",
        "milestones": [{"title": t, "amount": a, "due_date": day(d)} for t, a, d in split],
    }


def hourly_terms(rate="40.00", limit=20) -> dict:
    return {"contract_type": "hourly", "hourly_rate": rate, "weekly_limit": limit, "start_date": day(3), "scope": "x"}


@pytest.fixture
def offer(alice, bob):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, title="Checkout page")
    return svc.offer_send(by=alice, freelancer=bob, job=job, terms=fixed_terms(), title="", message="Welcome aboard")


def state(offer: Offer) -> tuple:
    offer.refresh_from_db()
    return offer.status, offer.version_count, offer.awaiting, list(offer.versions.values_list("pk", flat=True))


def test_sending_makes_version_one_and_tells_the_freelancer(offer, bob):
    assert offer.status == Offer.Status.OPEN and offer.awaiting == "freelancer" and offer.version_count == 1
    assert offer.title == "Checkout page"
    version = offer.versions.get()
    assert version.kind == "sent" and version.author_side == "client" and len(version.milestones) == 2
    assert offer.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert Notification.objects.filter(user=bob, event_key=f"offer:{offer.pk}:v1:sent").exists()


def test_full_negotiation_counter_counter_revert_accept_makes_the_agreed_contract(offer, alice, bob):
    v2 = svc.offer_counter(
        offer=offer,
        by=bob,
        expected_version=1,
        terms=fixed_terms("1800.00", (("Design", "600", 10), ("Build", "1200", 20))),
        message="More screens than I thought",
    )
    assert (v2.number, v2.author_side, v2.based_on.number) == (2, "freelancer", 1)
    v3 = svc.offer_counter(
        offer=offer,
        by=alice,
        expected_version=2,
        terms=fixed_terms("1650.00", (("All", "1650", 15),)),
        message="Meet in the middle",
    )
    assert v3.author_side == "client" and v3.fixed_amount == Decimal("1650.00")
    v4 = svc.offer_revert(offer=offer, by=bob, expected_version=3, number=2, message="Back to mine, please")
    assert v4.kind == "revert" and v4.based_on_id == v2.pk and v4.fixed_amount == Decimal("1800.00")
    svc.offer_accept(offer=offer, by=alice, expected_version=4)
    offer.refresh_from_db()
    contract = Contract.objects.get(source_ref=f"offer:{offer.pk}")
    assert offer.status == "accepted" and offer.accepted_version == 4 and offer.contract == contract
    assert contract.fixed_amount == Decimal("1800.00") and contract.freelancer == bob
    assert [(m.title, m.amount) for m in contract.milestones.order_by("position")] == [
        ("Design", Decimal("600.00")),
        ("Build", Decimal("1200.00")),
    ]
    assert list(offer.versions.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_rejecting_a_counter_restores_the_clients_previous_terms(offer, alice, bob):
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("55"), message="Prefer hourly")
    svc.offer_reject(offer=offer, by=alice, expected_version=2)
    offer.refresh_from_db()
    restored = offer.versions.get(number=3)
    assert restored.kind == "restored" and restored.fixed_amount == Decimal("1500.00") and restored.based_on.number == 1
    assert offer.awaiting == "freelancer" and offer.status == "open"


def test_freelancer_accepts_an_hourly_offer(alice, bob):
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("42.50", 15), title="Support")
    svc.offer_accept(offer=offer, by=bob, expected_version=1)
    contract = Contract.objects.get(source_ref=f"offer:{offer.pk}")
    assert (contract.hourly_rate, contract.weekly_limit, contract.contract_type) == (Decimal("42.50"), 15, "hourly")


def test_acting_on_an_old_version_is_a_409_that_changes_nothing(offer, alice, bob):
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms(), message="Hourly please")
    before = state(offer)
    with pytest.raises(OfferMoved) as refused:
        svc.offer_accept(offer=offer, by=alice, expected_version=1)
    assert refused.value.status_code == 409 and "version 2" in refused.value.message
    assert state(offer) == before and not Contract.objects.exists()


@pytest.mark.parametrize(
    "who,action",
    [
        ("alice", lambda o, u: svc.offer_accept(offer=o, by=u, expected_version=1)),  # out of turn
        ("alice", lambda o, u: svc.offer_counter(offer=o, by=u, expected_version=1, terms=hourly_terms(), message="x")),
        ("bob", lambda o, u: svc.offer_withdraw(offer=o, by=u, expected_version=1, reason="other", note="x")),
        ("bob", lambda o, u: svc.offer_reject(offer=o, by=u, expected_version=1)),
        ("carol", lambda o, u: svc.offer_accept(offer=o, by=u, expected_version=1)),
        ("dave", lambda o, u: svc.offer_decline(offer=o, by=u, expected_version=1, reason="no")),
    ],
)
def test_out_of_turn_or_outsider_actions_are_refused(offer, alice, bob, carol, dave, who, action):
    user = {"alice": alice, "bob": bob, "carol": carol, "dave": dave}[who]
    before = state(offer)
    with pytest.raises((Conflict, NotAllowed)):
        action(offer, user)
    assert state(offer) == before


@pytest.mark.parametrize(
    "terms,field",
    [
        ({**fixed_terms(), "fixed_amount": "-5"}, "fixed_amount"),
        ({**fixed_terms(), "fixed_amount": "0"}, "fixed_amount"),
        ({**fixed_terms(), "fixed_amount": "1500.001"}, "fixed_amount"),
        (fixed_terms("1400.00"), "milestones"),  # milestones add up to 1500
        ({**fixed_terms(), "start_date": day(30)}, "milestones"),  # due before the start
        ({**fixed_terms(), "currency": "EUR"}, "currency"),  # currency change mid-negotiation
        ({**hourly_terms(), "hourly_rate": "abc"}, "hourly_rate"),
        ({**hourly_terms(), "weekly_limit": 0}, "weekly_limit"),
        ({**hourly_terms(), "start_date": day(-1)}, "start_date"),
        ({**hourly_terms(), "start_date": "9999-12-31"}, "start_date"),  # years ahead: a slip, not a plan
        (fixed_terms(split=(("Design", "500.00", 10), ("Build", "1000.00", 365 * 6))), "milestones"),
        ({"contract_type": "barter"}, "contract_type"),
    ],
)
def test_bad_counter_terms_get_a_clear_error_and_change_nothing(offer, bob, terms, field):
    before = state(offer)
    with pytest.raises(ValidationError) as refused:
        svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=terms, message="Try this")
    assert field in refused.value.message_dict
    assert state(offer) == before


def test_a_counter_must_change_something_and_say_why(offer, bob):
    version = offer.versions.get()
    from offers.terms import Terms

    with pytest.raises(InvalidInput, match="already on the table"):
        svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=Terms.of(version).as_json(), message="same")
    with pytest.raises(ValidationError, match="Say why"):
        svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms(), message="  ")


@pytest.mark.parametrize("status", ["declined", "withdrawn", "accepted"])
def test_nothing_can_be_done_to_a_closed_offer(offer, alice, bob, status):
    if status == "declined":
        svc.offer_decline(offer=offer, by=bob, expected_version=1, reason="Busy")
    elif status == "withdrawn":
        svc.offer_withdraw(offer=offer, by=alice, expected_version=1, reason="hired_other")
    else:
        svc.offer_accept(offer=offer, by=bob, expected_version=1)
    before = state(offer)
    with pytest.raises(Conflict, match=status):
        svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms(), message="Late")
    with pytest.raises(Conflict):
        svc.offer_accept(offer=offer, by=bob, expected_version=1)
    assert state(offer) == before and Contract.objects.count() == (1 if status == "accepted" else 0)


def test_an_expired_offer_cannot_be_accepted_even_before_the_sweep(offer, bob):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict, match="expired"):
        svc.offer_accept(offer=offer, by=bob, expected_version=1)
    assert not Contract.objects.exists()


def test_withdrawing_needs_a_reason(offer, alice):
    with pytest.raises(ValidationError, match="Choose why"):
        svc.offer_withdraw(offer=offer, by=alice, expected_version=1, reason="because")
    with pytest.raises(ValidationError, match="few words"):
        svc.offer_withdraw(offer=offer, by=alice, expected_version=1, reason="other")
    svc.offer_withdraw(offer=offer, by=alice, expected_version=1, reason="edit_terms")
    offer.refresh_from_db()
    assert offer.withdraw_reason == "edit_terms" and offer.closed_by == alice


def test_three_change_requests_an_hour_per_party(offer, alice, bob, settings):
    settings.OFFERS_MAX_VERSIONS = 50
    number = 1
    for rate in ("41", "42", "43"):
        svc.offer_counter(offer=offer, by=bob, expected_version=number, terms=hourly_terms(rate), message="again")
        svc.offer_reject(offer=offer, by=alice, expected_version=number + 1)
        number += 2
    before = state(offer)
    with pytest.raises(TooMany, match="3 times") as refused:
        svc.offer_counter(offer=offer, by=bob, expected_version=number, terms=hourly_terms("44"), message="again")
    assert refused.value.status_code == 429 and state(offer) == before


def test_the_number_of_rounds_is_capped(offer, alice, bob, settings):
    settings.OFFERS_MAX_VERSIONS = 2
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms(), message="hourly")
    with pytest.raises(TooMany, match="2 rounds"):
        svc.offer_counter(offer=offer, by=alice, expected_version=2, terms=hourly_terms("30"), message="lower")


def test_enterprise_offers_cannot_be_countered_the_freelancer_is_told_to_message(alice, bob):
    Organization.objects.filter(memberships__user=alice).update(plan=Organization.Plan.ENTERPRISE)
    alice = type(alice).objects.get(pk=alice.pk)
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms(), title="Big co work")
    with pytest.raises(NotAllowed, match="message the client"):
        svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("80"), message="More")
    svc.offer_accept(offer=offer, by=bob, expected_version=1)  # accepting still works


def test_one_live_offer_per_freelancer_and_job(offer, alice, bob):
    with pytest.raises(Conflict, match="already has an open offer"):
        svc.offer_send(by=alice, freelancer=bob, job=offer.job, terms=hourly_terms(), title="Again")


def test_offers_from_a_proposal_mark_it_hired_on_acceptance(alice, bob):
    from marketplace.services import jobs as job_svc

    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    proposal = job_svc.proposal_submit(
        job=job, freelancer=bob, cover_letter="Me", bid_amount=Decimal(40), estimated_duration="lt1m"
    )
    offer = svc.offer_send(by=alice, proposal=proposal, terms=hourly_terms(), title="")
    assert offer.freelancer == bob and offer.job == job
    svc.offer_accept(offer=offer, by=bob, expected_version=1)
    proposal.refresh_from_db()
    assert proposal.status == "hired"


def test_versions_cannot_be_changed_or_deleted_in_the_database(offer):
    version = offer.versions.get()
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        OfferVersion.objects.filter(pk=version.pk).update(scope="rewritten")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        OfferVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.scope.startswith("Build the checkout")


def test_new_offers_are_limited_per_sender_per_day(alice, bob, dave, settings):
    """An offer needs no proposal: each is an email to a freelancer who may never have asked, and a
    scam sender had nothing to stop them sending thousands."""
    settings.OFFERS_PER_DAY = 2
    org = alice.organizations.get()
    jobs = [JobFactory(organization=org, created_by=alice, title=f"Job {n}") for n in range(3)]
    for job in jobs[:2]:
        svc.offer_send(by=alice, freelancer=bob, job=job, terms=fixed_terms(), title="")
    with pytest.raises(TooMany, match="in the last 24 hours"):
        svc.offer_send(by=alice, freelancer=dave, job=jobs[2], terms=fixed_terms(), title="")
    assert Offer.objects.filter(client=alice).count() == 2
