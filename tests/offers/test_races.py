"""Simultaneous actions on one offer, in threads against the real database: exactly one wins."""

import pytest

from marketplace.errors import Conflict, TooMany
from marketplace.models import Contract
from offers.models import Offer
from offers.services import negotiation as svc
from offers.services import safety
from offers.services.sweep import offers_expire
from tests.factories import JobFactory
from tests.helpers import race, winners
from tests.offers.test_negotiation import fixed_terms, hourly_terms

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offer(alice, bob):
    return svc.offer_send(by=alice, freelancer=bob, terms=fixed_terms(), title="Checkout page")


@pytest.mark.parametrize("attempt", range(3))
def test_accept_and_withdraw_at_once_one_wins(offer, alice, bob, attempt):
    outcomes = race(
        lambda: svc.offer_accept(offer=offer, by=bob, expected_version=1),
        lambda: svc.offer_withdraw(offer=offer, by=alice, expected_version=1, reason="hired_other"),
    )
    assert len(winners(outcomes)) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, Exception))
    offer.refresh_from_db()
    assert offer.status in {"accepted", "withdrawn"}
    assert Contract.objects.count() == (1 if offer.status == "accepted" else 0)


def test_two_counters_on_the_same_version_one_wins_and_terms_never_mix(offer, bob):
    outcomes = race(
        lambda: svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("50"), message="tab 1"),
        lambda: svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("60"), message="tab 2"),
    )
    won = winners(outcomes)
    assert len(won) == 1
    offer.refresh_from_db()
    latest = offer.versions.get(number=2)
    assert offer.version_count == 2 and not offer.versions.filter(number=3).exists()
    assert (latest.hourly_rate, latest.message) == (won[0].hourly_rate, won[0].message)


def test_accept_twice_at_once_makes_one_contract(offer, bob):
    outcomes = race(
        lambda: svc.offer_accept(offer=offer, by=bob, expected_version=1),
        lambda: svc.offer_accept(offer=offer, by=bob, expected_version=1),
    )
    assert len(winners(outcomes)) == 1
    assert Contract.objects.filter(source_ref=f"offer:{offer.pk}").count() == 1


def test_two_expiry_sweeps_and_an_accept_at_once(offer, bob):
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.models import Notification

    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    outcomes = race(
        offers_expire,
        offers_expire,
        lambda: svc.offer_accept(offer=offer, by=bob, expected_version=1),
    )
    # If the accept held the row when the sweeps looked, they skipped it; the next tick expires it.
    later = offers_expire()
    offer.refresh_from_db()
    assert offer.status == "expired" and not Contract.objects.exists()
    expired_lists = [o for o in outcomes[:2] if isinstance(o, list)]
    assert sorted(sum(expired_lists, later)) == [offer.pk]  # claimed by exactly one sweep
    assert isinstance(outcomes[2], Conflict)
    assert Notification.objects.filter(event_key=f"offer:{offer.pk}:v1:expired").count() == 2  # client + freelancer


@pytest.mark.parametrize("job_or_none", ["job", "direct"])
def test_the_same_offer_sent_ten_times_at_once_makes_one(alice, bob, job_or_none):
    """Ten parallel sends used to leave three open offers (three contracts once accepted)."""
    from tests.factories import JobFactory

    job = JobFactory(organization=alice.organizations.get(), created_by=alice) if job_or_none == "job" else None
    outcomes = race(
        *[
            (lambda: svc.offer_send(by=alice, freelancer=bob, job=job, terms=hourly_terms("40"), title="Support"))
            for _ in range(10)
        ]
    )
    assert len(winners(outcomes)) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, Exception))
    assert Offer.objects.filter(freelancer=bob, status="open").count() == 1


def test_a_report_sent_eight_times_at_once_is_one_report(offer, bob):
    """The check for an earlier report and the new one were not under a lock: parallel reports all got in."""
    outcomes = race(
        *[(lambda: safety.offer_report(offer=offer, by=bob, note="Asked me to pay upfront")) for _ in range(8)]
    )
    assert len(winners(outcomes)) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, Exception))
    assert offer.flags.filter(source="report").count() == 1


def test_the_offer_limit_holds_at_the_same_instant(alice, bob, settings):
    settings.OFFERS_PER_DAY = 2
    org = alice.organizations.get()
    jobs = [JobFactory(organization=org, created_by=alice, title=f"Job {n}") for n in range(5)]
    outcomes = race(
        *[(lambda j=j: svc.offer_send(by=alice, freelancer=bob, job=j, terms=fixed_terms(), title="")) for j in jobs]
    )

    assert len(winners(outcomes)) == 2
    assert all(isinstance(o, TooMany) for o in outcomes if isinstance(o, Exception))
    assert Offer.objects.filter(client=alice).count() == 2
