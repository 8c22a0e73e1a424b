from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.errors import Conflict, InvalidInput, NotAllowed
from marketplace.models import Contract, Milestone, Thread, TimeLog
from marketplace.services import contracts as svc
from marketplace.services.contracts import MilestoneTerms
from tests.factories import fixed_contract, hourly_contract

TODAY = timezone.localdate


@pytest.mark.django_db
class TestContractCreate:
    def test_exactly_once_per_source(self, alice, bob):
        first = fixed_contract(client=alice, freelancer=bob, ref="offer:1")
        again = fixed_contract(client=alice, freelancer=bob, ref="offer:1")
        assert first.pk == again.pk
        assert Contract.objects.count() == 1
        assert list(first.milestones.values_list("position", "title")) == [(1, "Design"), (2, "Checkout page")]
        assert Thread.objects.filter(contract=first).count() == 1

    def test_milestones_must_add_up(self, alice, bob):
        with pytest.raises(ValidationError, match="add up to 1000.00, not the contract's 900"):
            svc.contract_create(
                source_ref="x",
                organization=alice.organizations.get(),
                client=alice,
                freelancer=bob,
                title="T",
                contract_type="fixed",
                fixed_amount=Decimal("900"),
                start_date=TODAY(),
                milestones=[MilestoneTerms("A", Decimal("400"), TODAY()), MilestoneTerms("B", Decimal("600"), TODAY())],
            )
        assert Contract.objects.count() == 0

    def test_hourly_needs_rate_and_limit(self, alice, bob):
        with pytest.raises(ValidationError, match="rate and a weekly"):
            svc.contract_create(
                source_ref="x",
                organization=alice.organizations.get(),
                client=alice,
                freelancer=bob,
                title="T",
                contract_type="hourly",
                hourly_rate=Decimal("40"),
                start_date=TODAY(),
            )

    def test_only_a_member_hires_and_only_a_freelancer_is_hired(self, alice, carol, bob):
        with pytest.raises(NotAllowed):
            svc.contract_create(
                source_ref="a",
                organization=alice.organizations.get(),
                client=carol,
                freelancer=bob,
                title="T",
                contract_type="hourly",
                hourly_rate=Decimal(40),
                weekly_limit=10,
                start_date=TODAY(),
            )
        with pytest.raises(NotAllowed):
            hourly_contract(client=alice, freelancer=carol)


@pytest.mark.django_db
class TestMilestones:
    def test_submit_review_revise_approve_pay(self, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        milestone = contract.milestones.get(position=1)
        svc.milestone_submit(
            milestone=milestone,
            by=bob,
            note="Figma file attached",
            files=[SimpleUploadedFile("notes.txt", b"see figma", "text/plain")],
        )
        svc.milestone_request_revision(milestone=milestone, by=alice, reason="Mobile layout is missing")
        svc.milestone_submit(milestone=milestone, by=bob, note="Added mobile")
        svc.milestone_approve(milestone=milestone, by=alice)
        svc.milestone_pay(milestone=milestone, by=alice)
        milestone.refresh_from_db()
        assert milestone.status == Milestone.Status.PAID
        assert milestone.revision_count == 1
        decisions = list(milestone.submissions.order_by("created_at").values_list("decision", "review_reason"))
        assert decisions == [("revision_requested", "Mobile layout is missing"), ("approved", "")]
        assert milestone.submissions.order_by("created_at").first().files.get().name == "notes.txt"

    def test_approving_a_paid_milestone_is_a_conflict_and_changes_nothing(self, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        milestone = contract.milestones.get(position=1)
        svc.milestone_submit(milestone=milestone, by=bob, note="done")
        svc.milestone_approve(milestone=milestone, by=alice)
        svc.milestone_pay(milestone=milestone, by=alice)
        with pytest.raises(Conflict, match="paid"):
            svc.milestone_approve(milestone=milestone, by=alice)
        milestone.refresh_from_db()
        assert milestone.status == Milestone.Status.PAID

    def test_no_submission_on_an_ended_contract(self, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        svc.contract_end(contract=contract, by=alice, reason="not_needed")
        with pytest.raises(Conflict, match="ended"):
            svc.milestone_submit(milestone=contract.milestones.first(), by=bob, note="late work")
        assert not contract.milestones.filter(status="submitted").exists()

    def test_wrong_side_and_missing_reason(self, alice, bob, dave):
        contract = fixed_contract(client=alice, freelancer=bob)
        milestone = contract.milestones.first()
        with pytest.raises(NotAllowed):
            svc.milestone_submit(milestone=milestone, by=dave, note="not mine")
        with pytest.raises(NotAllowed):
            svc.milestone_submit(milestone=milestone, by=alice, note="client can't submit")
        svc.milestone_submit(milestone=milestone, by=bob, note="ok")
        with pytest.raises(ValidationError, match="what needs to change"):
            svc.milestone_request_revision(milestone=milestone, by=alice, reason="  ")

    def test_bad_upload_is_refused_before_anything_changes(self, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        milestone = contract.milestones.first()
        fake_pdf = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 this is an exe", "application/pdf")
        with pytest.raises(ValidationError, match="does not contain what its name says"):
            svc.milestone_submit(milestone=milestone, by=bob, note="see pdf", files=[fake_pdf])
        exe = SimpleUploadedFile("setup.exe", b"MZ", "application/octet-stream")
        with pytest.raises(ValidationError, match="can't be attached"):
            svc.milestone_submit(milestone=milestone, by=bob, note="run me", files=[exe])
        milestone.refresh_from_db()
        assert milestone.status == Milestone.Status.ACTIVE
        assert not milestone.submissions.exists()

    def test_added_milestone_grows_the_total_and_refuses_past_dates(self, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        with pytest.raises(ValidationError, match="past"):
            svc.milestone_add(
                contract=contract, by=alice, terms=MilestoneTerms("QA", Decimal(100), TODAY() - timedelta(days=1))
            )
        svc.milestone_add(contract=contract, by=alice, terms=MilestoneTerms("QA", Decimal(100), TODAY()))
        contract.refresh_from_db()
        assert contract.fixed_amount == Decimal("1100.00")
        assert contract.milestones.order_by("-position").first().position == 3


@pytest.mark.django_db
class TestTimeAndFeedback:
    def test_weekly_limit_is_enforced(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob, weekly_limit=10)
        monday = TODAY() - timedelta(days=TODAY().weekday() + 7)
        svc.time_log_add(contract=contract, by=bob, day=monday, hours=Decimal("6"), memo="API endpoints")
        with pytest.raises(
            InvalidInput, match=r"total 11.00 hours, over the 10-hour weekly limit \(6.00 already logged\)"
        ):
            svc.time_log_add(contract=contract, by=bob, day=monday + timedelta(days=2), hours=Decimal("5"), memo="x")
        svc.time_log_add(
            contract=contract, by=bob, day=monday + timedelta(days=7), hours=Decimal("5"), memo="next week"
        )
        assert TimeLog.objects.count() == 2

    def test_a_day_holds_at_most_24_hours_over_all_its_logs(self, alice, bob, client_for):
        """Each log was checked against 24 alone: two of 20 hours made a 40-hour day."""
        contract = hourly_contract(client=alice, freelancer=bob, weekly_limit=60)
        monday = TODAY() - timedelta(days=TODAY().weekday() + 7)
        svc.time_log_add(contract=contract, by=bob, day=monday, hours=Decimal("20"), memo="Long day")
        response = client_for(bob).post(
            f"/api/v1/contracts/{contract.pk}/time-logs/",
            {"date": monday.isoformat(), "hours": "20", "memo": "And more"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["field"] == "hours" and "a day has 24" in response.json()["detail"]
        svc.time_log_add(contract=contract, by=bob, day=monday, hours=Decimal("4"), memo="Evening")
        assert contract.time_logs.filter(date=monday).count() == 2

    def test_future_days_and_fixed_contracts_are_refused(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        with pytest.raises(ValidationError, match="hasn't happened"):
            svc.time_log_add(contract=contract, by=bob, day=TODAY() + timedelta(days=1), hours=Decimal(1), memo="x")
        with pytest.raises(Conflict, match="hourly contracts only"):
            svc.time_log_add(
                contract=fixed_contract(client=alice, freelancer=bob), by=bob, day=TODAY(), hours=Decimal(1), memo="x"
            )

    def test_feedback_after_the_end_once_per_side(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        with pytest.raises(Conflict, match="opens when the contract ends"):
            svc.feedback_leave(contract=contract, by=alice, rating=5)
        svc.contract_end(contract=contract, by=bob, reason="completed", note="All done")
        svc.feedback_leave(contract=contract, by=alice, rating=5, review="Fast and careful")
        svc.feedback_leave(contract=contract, by=bob, rating=4)
        with pytest.raises(Conflict, match="already"):
            svc.feedback_leave(contract=contract, by=alice, rating=1)
        other = hourly_contract(client=alice, freelancer=bob, ref="other")
        svc.contract_end(contract=other, by=alice, reason="completed")
        with pytest.raises(ValidationError):
            svc.feedback_leave(contract=other, by=alice, rating=9)
        assert not other.feedback.exists()

    def test_ending_twice_is_a_conflict(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        svc.contract_end(contract=contract, by=alice, reason="completed")
        with pytest.raises(Conflict):
            svc.contract_end(contract=contract, by=bob, reason="other")
        contract.refresh_from_db()
        assert (contract.ended_by_id, contract.end_reason) == (alice.pk, "completed")
