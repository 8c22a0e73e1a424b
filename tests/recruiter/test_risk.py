"""Risk signals, each alone; the score; the scan (set-based, idempotent, safe when two run at once)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.models import Contract, Message, Milestone, Notification, TimeLog
from marketplace.services.contracts import MilestoneTerms
from marketplace.services.messaging import thread_for_contract
from recruiter import risk
from recruiter.models import CaseEvent, ContractConcern, RiskCase
from recruiter.services.cases import contract_check_now, contracts_scan_batch
from tests.factories import FreelancerFactory, fixed_contract, hourly_contract
from tests.helpers import manage, service_env

WEDNESDAY_NOON_NY = datetime(2026, 11, 18, 17, 0, tzinfo=UTC)


def _overdue(alice, bob, days: int = 3) -> Contract:
    """A fixed-price contract whose first milestone is paid and whose second is `days` late."""
    today = timezone.localdate()
    contract = fixed_contract(
        client=alice,
        freelancer=bob,
        start=today - timedelta(days=30),
        milestones=[
            MilestoneTerms("Design", Decimal("300.00"), today - timedelta(days=20)),
            MilestoneTerms("Checkout page", Decimal("700.00"), today - timedelta(days=days)),
        ],
    )
    Milestone.objects.filter(contract=contract, position=1).update(status=Milestone.Status.PAID)
    return contract


def _say(contract: Contract, who, at: datetime, body: str = "Hello?") -> None:
    Message.objects.create(thread=thread_for_contract(contract=contract), sender=who, body=body, created_at=at)


def test_working_hours_count_weekdays_nine_to_five_in_their_own_timezone():
    friday_4pm_ny = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    monday_10am_ny = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert risk.working_hours_between(friday_4pm_ny, monday_10am_ny, "America/New_York") == 2  # 1 + weekend 0 + 1
    assert risk.working_hours_between(friday_4pm_ny, monday_10am_ny, "Asia/Tokyo") == 8  # Tokyo's Monday is done
    assert risk.working_hours_between(friday_4pm_ny, monday_10am_ny, "Not/AZone") == 6  # unknown zone: UTC


@pytest.mark.django_db
def test_an_overdue_milestone_is_a_signal_with_its_name_and_days(alice, bob):
    contract = _overdue(alice, bob, days=3)
    found = risk.milestone_overdue([contract], now=timezone.now())
    assert found[contract.pk].reason == "Milestone 2 ‘Checkout page’ was due 3 days ago; no submission"
    Milestone.objects.filter(contract=contract, position=2).update(status=Milestone.Status.SUBMITTED)
    assert risk.milestone_overdue([contract], now=timezone.now()) == {}  # submitted: waiting on the client


@pytest.mark.django_db
def test_a_client_left_unanswered_counts_working_hours_in_the_freelancers_timezone(alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob)
    monday_9am_ny = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
    _say(contract, bob, monday_9am_ny - timedelta(days=3), "Done for the week")
    _say(contract, alice, monday_9am_ny, "Can you look at the failed load?")
    _say(contract, alice, monday_9am_ny + timedelta(hours=24), "Any news?")
    found = risk.client_unanswered([contract], now=WEDNESDAY_NOON_NY)
    assert found[contract.pk].reason == "No reply to the client for 51 hours (19 working hours in their timezone)"
    _say(contract, bob, WEDNESDAY_NOON_NY - timedelta(hours=1), "On it")
    assert risk.client_unanswered([contract], now=WEDNESDAY_NOON_NY) == {}


@pytest.mark.django_db
def test_a_weekend_of_silence_is_not_a_signal(alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob)
    _say(contract, alice, datetime(2026, 11, 20, 21, 0, tzinfo=UTC))  # Friday 4pm in New York
    assert risk.client_unanswered([contract], now=datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) == {}


@pytest.mark.django_db
def test_no_time_logged_on_an_hourly_contract(alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob, start=timezone.localdate() - timedelta(days=30))
    now = timezone.now()
    assert risk.no_time_logged([contract], now=now)[contract.pk].reason == (
        "No time logged since the contract started for 30 days"
    )
    TimeLog.objects.create(contract=contract, date=timezone.localdate() - timedelta(days=2), hours=3, memo="work")
    assert risk.no_time_logged([contract], now=now) == {}


@pytest.mark.django_db
def test_repeated_revisions_and_client_concern(alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    Milestone.objects.filter(contract=contract, position=1).update(revision_count=2, status="revision_requested")
    ContractConcern.objects.create(contract=contract, raised_by=alice, note="Quality is slipping")
    now = timezone.now()
    assert risk.repeated_revisions([contract], now=now)[contract.pk].reason == (
        "Milestone 1 ‘Design’ was sent back for changes 2 times"
    )
    assert "Quality is slipping" in risk.client_concern([contract], now=now)[contract.pk].reason


@pytest.mark.django_db
def test_a_sharp_drop_in_responsiveness_against_their_own_history(alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob)
    now = timezone.now()
    for days_ago in (60, 50, 40, 30):  # used to answer in an hour
        asked = now - timedelta(days=days_ago)
        _say(contract, alice, asked)
        _say(contract, bob, asked + timedelta(hours=1))
    for days_ago in (10, 5):  # now takes two days
        asked = now - timedelta(days=days_ago)
        _say(contract, alice, asked)
        _say(contract, bob, asked + timedelta(hours=48))
    found = risk.responsiveness_drop([contract], now=now)
    assert found[contract.pk].reason == "Replies now take about 48 hours, against 1 hours before"


@pytest.mark.django_db
def test_the_score_adds_the_signals_and_a_case_opens_only_past_the_threshold(alice, bob, dave, settings):
    late = _overdue(alice, bob, days=3)
    healthy = fixed_contract(client=alice, freelancer=dave)
    assessments = {a.contract.pk: a for a in risk.assess([late, healthy], now=timezone.now())}
    assert assessments[late.pk].score == 55 and assessments[late.pk].at_risk
    assert assessments[healthy.pk].signals == () and not assessments[healthy.pk].at_risk
    settings.RECRUITER_OPEN_SCORE = 60
    assert not assessments[late.pk].at_risk


@pytest.mark.django_db
def test_the_scan_opens_one_case_per_contract_in_trouble_and_none_for_healthy_ones(alice, bob, dave):
    late = _overdue(alice, bob)
    fixed_contract(client=alice, freelancer=dave)
    batch = contracts_scan_batch()
    case = RiskCase.objects.get()
    assert batch.opened == [case.pk] and case.contract == late and case.service == "shortlist"
    assert case.signals[0]["code"] == "milestone_overdue"
    assert contracts_scan_batch().opened == []  # run twice: still one case
    assert RiskCase.objects.count() == 1 and CaseEvent.objects.filter(kind="opened").count() == 1


@pytest.mark.django_db
def test_a_dry_run_lists_and_opens_nothing(alice, bob):
    _overdue(alice, bob)
    batch = contracts_scan_batch(dry_run=True)
    assert len(batch.at_risk) == 1 and batch.opened == [] and not RiskCase.objects.exists()


@pytest.mark.django_db
def test_the_scan_makes_the_same_number_of_queries_for_10_or_30_contracts(alice):
    people = [FreelancerFactory() for _ in range(30)]

    def queries(n: int) -> int:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            contracts_scan_batch(dry_run=True, limit=n)
        return len(captured.captured_queries)

    for i, person in enumerate(people):
        if i % 3 == 0:
            _overdue(alice, person)
        else:
            hourly_contract(client=alice, freelancer=person)
    assert queries(10) == queries(30)


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_open_no_duplicate_case(alice, bob):
    _overdue(alice, bob)
    barrier, errors = threading.Barrier(2), []

    def scan() -> None:
        try:
            barrier.wait()
            contracts_scan_batch()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and RiskCase.objects.count() == 1


@pytest.mark.django_db
def test_a_new_case_tells_the_client_not_the_freelancer(alice, bob, carol):
    from recruiter.services.cases import case_start

    carol.organizations.update(plan="basic")
    contract = _overdue(alice, bob)
    (case_id,) = contract_check_now(contract_id=contract.pk)
    RiskCase.objects.filter(pk=case_id).update(service="alert")  # no shortlist: this test is about telling
    case_start(case_id=case_id)
    case_start(case_id=case_id)  # safe twice
    assert Notification.objects.filter(user=alice, kind="risk").count() == 1
    assert not Notification.objects.filter(user=bob, kind="risk").exists()


@pytest.mark.django_db(transaction=True)
def test_scan_at_risk_dry_run_command_lists_why(alice, bob):
    _overdue(alice, bob)
    result = manage("scan_at_risk", "--dry-run", env=service_env())
    assert result.returncode == 0, result.stderr
    assert "Checkout page" in result.stdout and "would open" in result.stdout
    assert not RiskCase.objects.exists()
    opened = manage("scan_at_risk", env=service_env())
    assert "opened 1 new cases" in opened.stdout and RiskCase.objects.count() == 1


@pytest.mark.django_db
def test_on_the_demo_data_the_cast_contracts_in_trouble_get_cases(alice, bob, carol, dave, rita):
    from django.core.management import call_command

    from tests.marketplace.test_seed_demo import SMALL

    call_command("seed_demo", *SMALL, "--seed", "3")
    contracts_scan_batch(limit=10_000)
    cases = {c.contract.source_ref: c for c in RiskCase.objects.select_related("contract")}
    assert "demo:cast:alice-bob" in cases and "demo:cast:alice-dave" in cases
    assert "Checkout page" in cases["demo:cast:alice-bob"].signals[0]["reason"]
    assert {s["code"] for s in cases["demo:cast:alice-dave"].signals} == {"client_unanswered", "no_time_logged"}
    assert all(c.score >= 40 and c.signals for c in cases.values())
    assert len(cases) < Contract.objects.filter(status="active").count() / 3  # the healthy majority: no case
