"""The recruiter's figures (command, staff page): cases opened, self-served vs escalated — split into the
escalation policy and Enterprise's plan — why cases went to people, time to each step, recovery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from recruiter.escalation import BY_PLAN
from recruiter.models import RiskCase
from recruiter.report import recruiter_figures
from recruiter.services.cases import case_escalate, case_resolve
from tests.factories import FreelancerFactory, hourly_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(alice):
    now = timezone.now()

    def case(**fields):  # noqa: ANN003, ANN202
        contract = hourly_contract(client=alice, freelancer=FreelancerFactory())
        return RiskCase.objects.create(
            contract=contract, **{"service": "shortlist", "score": 50, "detected_at": now} | fields
        )

    by_plan = case(service="human", shortlist_at=now + timedelta(hours=1))
    case_escalate(case=by_plan, reasons=[BY_PLAN])
    no_strong = case(shortlist_at=now + timedelta(hours=3))
    case_escalate(case=no_strong, reasons=[BY_PLAN, "No candidate reached a strong verdict"])
    recovered = case(shortlist_at=now + timedelta(hours=2), status="client_reviewing")
    case_resolve(case=recovered, by=alice)
    case()  # just opened
    case(service="alert")  # a Basic plan's: an alert only, never shortlisted nor escalated
    return {"by_plan": by_plan, "no_strong": no_strong, "recovered": recovered}


def test_the_figures_split_escalations_and_count_their_reasons(cases):
    figures = recruiter_figures()
    assert (figures["opened"], figures["live"], figures["escalated"]) == (5, 4, 2)
    assert (figures["escalated_share"], figures["self_served_share"]) == (0.4, 0.6)
    assert (figures["escalated_by_policy"], figures["escalated_by_plan_only"]) == (1, 1)
    assert figures["escalated_by_policy_share"] == 0.2
    # Of the 4 cases the recruiter worked (the alert-only one aside): 2 escalated, 1 by the policy.
    assert figures["recruited"] == 4
    assert (figures["escalated_of_recruited_share"], figures["escalated_by_policy_of_recruited_share"]) == (0.5, 0.25)
    assert figures["escalation_reasons"] == {BY_PLAN: 2, "No candidate reached a strong verdict": 1}
    assert figures["hours_to_shortlist"] == 2.0 and figures["recovery_rate"] == 1.0


def test_a_case_a_recruiter_worked_is_not_served_by_uma_alone(cases, rita, alice, client_for):
    """It used to say "Served by Uma alone 100%" after Rita claimed, overrode and resolved cases."""
    from recruiter.models import CaseEvent

    just_opened = (
        RiskCase.objects.filter(status="open", service="shortlist").exclude(pk__in=[c.pk for c in cases.values()]).get()
    )
    CaseEvent.objects.create(case=just_opened, actor=rita, kind="claimed")
    CaseEvent.objects.create(case=cases["recovered"], actor=alice, kind="candidate_removed")  # the client: still Uma
    figures = recruiter_figures()
    assert figures["staff_acted"] == 1
    assert figures["self_served_share"] == 0.4  # 5 cases: 2 escalated, 1 worked by rita
    page = client_for(rita).get("/recruiter/figures/").content.decode()
    assert "40%" in page.split("Served by Uma alone")[1][:80]
    assert "no data yet" in page.split("Detection → replacement")[1][:80]


def test_the_command_and_the_staff_page_show_them(cases, rita, alice, client_for, capsys):
    call_command("recruiter_report")
    out = capsys.readouterr().out
    assert (
        "escalated (share)" in out
        and "0.4" in out
        and "cases the recruiter worked" in out
        and "No candidate reached a strong verdict" in out
    )
    page = client_for(rita).get("/recruiter/figures/")
    assert page.status_code == 200 and "Why cases went to people" in page.content.decode()
    assert client_for(alice).get("/recruiter/figures/").status_code == 302  # staff only: to the admin's login
