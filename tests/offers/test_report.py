"""offers_report and the metrics behind it, on offers with known outcomes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.models import Organization
from offers.models import Offer
from offers.selectors import offers_metrics
from offers.services import negotiation as svc
from offers.services.sweep import offers_expire
from tests.factories import FreelancerFactory
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(alice, carol):
    people = [FreelancerFactory() for _ in range(5)]
    a = svc.offer_send(by=alice, freelancer=people[0], terms=hourly_terms(), title="accepted after a counter")
    svc.offer_counter(offer=a, by=people[0], expected_version=1, terms=hourly_terms("50"), message="more")
    svc.offer_accept(offer=a, by=alice, expected_version=2)
    b = svc.offer_send(by=alice, freelancer=people[1], terms=hourly_terms(), title="accepted at once")
    svc.offer_accept(offer=b, by=people[1], expected_version=1)
    c = svc.offer_send(by=carol, freelancer=people[2], terms=hourly_terms(), title="withdrawn")
    svc.offer_withdraw(offer=c, by=carol, expected_version=1, reason="hired_other")
    d = svc.offer_send(by=carol, freelancer=people[3], terms=hourly_terms(), title="expired")
    offers_expire(now=timezone.now() + timedelta(days=8))
    svc.offer_send(by=carol, freelancer=people[4], terms=hourly_terms(), title="still open")
    # The first three were sent more than a week ago.
    Offer.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(created_at=timezone.now() - timedelta(days=10))
    Offer.objects.filter(pk__in=[a.pk, b.pk]).update(closed_at=timezone.now() - timedelta(days=9))
    return a, b, c, d


def test_metrics_overall_and_by_plan(outcomes):
    metrics = offers_metrics()
    overall = metrics["overall"]
    assert overall["offers"] == 5
    assert overall["acceptance_rate_7d"] == pytest.approx(2 / 3, abs=0.001)  # of the 3 offers a week old
    assert overall["countered_share"] == 0.2
    assert overall["rounds_to_agreement_mean"] == 1.5 and overall["rounds_to_agreement_median"] == 1.5
    assert overall["expiry_rate"] == pytest.approx(1 / 4, abs=0.001)  # 4 decided: 2 accepted, 1 withdrawn, 1 expired
    assert overall["withdrawal_reasons"]["Hired someone else"] == 1
    assert overall["median_days_first_offer_to_start"] == 13.0  # sent 10 days ago, starting in 3
    assert metrics["by_plan"][Organization.Plan.BUSINESS_PLUS]["offers"] == 2
    assert metrics["by_plan"][Organization.Plan.BASIC]["expiry_rate"] == 0.5


def test_the_command_prints_the_table(outcomes, capsys):
    call_command("offers_report")
    out = capsys.readouterr().out
    assert "Accepted within 7 days" in out and "67%" in out and "business_plus" in out and "Hired someone else" in out
