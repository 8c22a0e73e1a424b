"""One way a contract becomes terms (Terms.of_contract), with the milestones chosen by name: a change
may replace only milestones with no work submitted; someone taking over delivers every milestone whose
work was not accepted. The change page, the change service and the replacement offer agree."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.services.contracts import (
    MilestoneTerms,
    milestone_approve,
    milestone_request_revision,
    milestone_submit,
)
from offers.services import negotiation as svc
from recruiter.services.invitations import old_terms
from tests.factories import fixed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(alice, bob):
    today = timezone.localdate()
    plans = [MilestoneTerms(t, Decimal(a), today + timedelta(days=d)) for t, a, d in [
        ("Design", "100", 5), ("Build", "200", 10), ("Test", "300", 15), ("Launch", "400", 20),
    ]]  # fmt: skip
    contract = fixed_contract(client=alice, freelancer=bob, milestones=plans)
    design, build, test, _ = contract.milestones.order_by("position")
    milestone_submit(milestone=design, by=bob, note="Done")
    milestone_approve(milestone=design, by=alice)
    milestone_submit(milestone=build, by=bob, note="Done")
    milestone_request_revision(milestone=build, by=alice, reason="Not yet")
    milestone_submit(milestone=test, by=bob, note="Done")
    return contract


def test_a_change_may_replace_only_what_has_no_work_submitted(contract, client_for, alice):
    terms = svc.contract_terms(contract)
    assert [m.title for m in terms.milestones] == ["Launch"] and terms.fixed_amount == Decimal("400")
    page = client_for(alice).get(f"/contracts/{contract.pk}/changes/")
    assert page.status_code == 200
    assert [f.initial.get("title") for f in page.context["formset"] if f.initial] == ["Launch"]


def test_someone_taking_over_delivers_everything_not_accepted(contract):
    terms = old_terms(contract)
    assert [m["title"] for m in terms["milestones"]] == ["Build", "Test", "Launch"]
    assert Decimal(terms["fixed_amount"]) == Decimal("900.00")
    dues = [m["due_date"] for m in terms["milestones"]]
    assert dues == sorted(dues) and dues[0] > timezone.localdate().isoformat()
