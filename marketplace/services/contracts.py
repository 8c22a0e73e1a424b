"""Contracts and the work under them. contract_create is the one way a contract comes to exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from marketplace import events, policies
from marketplace.errors import Conflict, InvalidInput
from marketplace.formats import money
from marketplace.models import (
    Contract,
    ContractType,
    Feedback,
    JobPost,
    Milestone,
    MilestoneSubmission,
    Organization,
    Proposal,
    TimeLog,
    User,
)
from marketplace.models.contracts import HORIZON_YEARS, beyond_horizon
from marketplace.models.money import MAX_AMOUNT
from marketplace.models.text import MEDIUM, SHORT, text_check
from marketplace.services.common import validated
from marketplace.services.files import attachment_create, uploads_check
from marketplace.services.messaging import thread_for_contract
from marketplace.services.notifications import notify
from marketplace.services.transitions import lock, require_transition


@dataclass(frozen=True)
class MilestoneTerms:
    """One milestone's terms, as contracts and offers hold them (the one milestone shape)."""

    title: str
    amount: Decimal
    due_date: date
    description: str = ""

    def as_json(self) -> dict[str, str]:
        return {"title": self.title, "amount": f"{self.amount:.2f}", "due_date": self.due_date.isoformat()}

    @classmethod
    def of(cls, milestone: Milestone) -> MilestoneTerms:
        return cls(milestone.title, Decimal(milestone.amount), milestone.due_date)


def _stats_refresh_later(user_id: int) -> None:
    from marketplace.tasks import freelancer_stats_refresh

    freelancer_stats_refresh.delay_on_commit(user_id=user_id)


@transaction.atomic
def contract_create(
    *,
    source_ref: str,
    organization: Organization,
    client: User,
    freelancer: User,
    title: str,
    contract_type: str,
    start_date: date,
    job: JobPost | None = None,
    scope: str = "",
    hourly_rate: Decimal | None = None,
    fixed_amount: Decimal | None = None,
    currency: str = "USD",
    weekly_limit: int | None = None,
    milestones: list[MilestoneTerms] | None = None,
    proposal: Proposal | None = None,
) -> Contract:
    """Create a contract and its milestones exactly once per source_ref (e.g. "offer:42").

    Calling again with the same source_ref returns the contract made the first time.
    """
    existing = Contract.objects.filter(source_ref=source_ref).first()
    if existing:
        return existing
    policies.require_member(client, organization)
    policies.require_freelancer(freelancer)
    milestones = list(milestones or [])
    contract = Contract(
        source_ref=source_ref,
        organization=organization,
        client=client,
        freelancer=freelancer,
        job=job,
        title=title,
        scope=scope,
        contract_type=contract_type,
        currency=currency,
        start_date=start_date,
        hourly_rate=hourly_rate if contract_type == ContractType.HOURLY else None,
        fixed_amount=fixed_amount if contract_type == ContractType.FIXED else None,
        weekly_limit=weekly_limit if contract_type == ContractType.HOURLY else None,
    )
    validated(contract)
    if contract_type == ContractType.HOURLY:
        if hourly_rate is None or not weekly_limit:
            raise ValidationError("An hourly contract needs a rate and a weekly hour limit.")
        if milestones:
            raise ValidationError("Hourly contracts are paid by the hour and have no milestones.")
    else:
        if fixed_amount is None:
            raise ValidationError("A fixed-price contract needs its total amount.")
        if not milestones:
            milestones = [MilestoneTerms("Complete the work", Decimal(fixed_amount), start_date + timedelta(days=14))]
        total = sum((Decimal(m.amount) for m in milestones), Decimal(0))
        if total != Decimal(fixed_amount):
            raise ValidationError(
                f"The milestones add up to {total:.2f}, not the contract's {Decimal(fixed_amount):.2f}."
            )
    contract.save()
    rows = [_milestone(contract, position, terms) for position, terms in enumerate(milestones, start=1)]
    Milestone.objects.bulk_create(rows)
    thread_for_contract(contract=contract)
    if proposal is not None:
        from marketplace.services.jobs import proposal_mark_hired

        proposal_mark_hired(proposal=proposal)
    notify(
        users=[client, freelancer],
        kind="contract_started",
        event_key=f"contract:{contract.pk}:start",
        title=f"Contract “{title}” has started",
        url=contract.get_absolute_url(),
    )
    return contract


def _milestone(contract: Contract, position: int, terms: MilestoneTerms) -> Milestone:
    """A checked, unsaved milestone of the contract."""
    return validated(
        Milestone(
            contract=contract,
            position=position,
            title=terms.title,
            amount=terms.amount,
            due_date=terms.due_date,
            description=terms.description,
        ),
        exclude=["contract"],
    )


def _contract_move(contract: Contract, by: User, to: str, action: str, *, side: str | None) -> Contract:
    if side:
        policies.require_contract_side(by, contract, side)
    elif policies.contract_side(by, contract) not in {"client", "freelancer"}:
        raise policies.NotAllowed("Only the two parties to a contract can do that.")
    contract = lock(contract)  # type: ignore[assignment]
    require_transition(contract, to, action=action)
    contract.status = to
    return contract


@transaction.atomic
def contract_pause(*, contract: Contract, by: User) -> Contract:
    contract = _contract_move(contract, by, Contract.Status.PAUSED, "pause this contract", side="client")
    contract.save(update_fields=["status"])
    return contract


@transaction.atomic
def contract_resume(*, contract: Contract, by: User) -> Contract:
    contract = _contract_move(contract, by, Contract.Status.ACTIVE, "resume this contract", side="client")
    contract.save(update_fields=["status"])
    return contract


@transaction.atomic
def contract_end(*, contract: Contract, by: User, reason: str, note: str = "") -> Contract:
    """End the contract (either side), with a reason; both may then leave feedback."""
    if reason not in Contract.EndReason.values:
        raise ValidationError({"reason": "Choose why the contract is ending."})
    note = text_check(note, field="note", limit=SHORT, label="The note")
    contract = _contract_move(contract, by, Contract.Status.ENDED, "end this contract", side=None)
    contract.end_reason, contract.end_note = reason, note
    contract.ended_by, contract.ended_at = by, timezone.now()
    contract.save(update_fields=["status", "end_reason", "end_note", "ended_by", "ended_at"])
    notify(
        users=[contract.client, contract.freelancer],
        kind="contract_ended",
        event_key=f"contract:{contract.pk}:end",
        title=f"Contract “{contract.title}” has ended ({contract.get_end_reason_display().lower()})",
        url=contract.get_absolute_url(),
    )
    _stats_refresh_later(contract.freelancer_id)
    return contract


# --- Milestones ------------------------------------------------------------------------------------


def _require_working(contract: Contract) -> None:
    if contract.status != Contract.Status.ACTIVE:
        raise Conflict(f"The contract is {contract.get_status_display().lower()}: no work can be submitted on it.")


@transaction.atomic
def milestone_submit(
    *, milestone: Milestone, by: User, note: str, files: list[UploadedFile] | None = None
) -> MilestoneSubmission:
    policies.require_contract_side(by, milestone.contract, "freelancer")
    note = text_check(note, field="note", limit=MEDIUM, label="The note with your work")
    if not note:
        raise ValidationError({"note": "Say what you are submitting."})
    uploads_check(files)
    milestone = lock(milestone)  # type: ignore[assignment]
    contract = milestone.contract  # read fresh, after the lock
    _require_working(contract)
    require_transition(milestone, Milestone.Status.SUBMITTED, action="submit work for this milestone")
    milestone.status = Milestone.Status.SUBMITTED
    milestone.save(update_fields=["status"])
    submission = MilestoneSubmission.objects.create(milestone=milestone, submitted_by=by, note=note.strip())
    for upload in files or []:
        attachment_create(upload=upload, by=by, submission=submission)
    notify(
        users=[contract.client],
        kind="milestone_submitted",
        event_key=f"submission:{submission.pk}",
        title=f"Work submitted for “{milestone.title}”",
        body=note[:300],
        url=contract.get_absolute_url(),
    )
    return submission


def _review(milestone: Milestone, by: User, to: str, action: str, reason: str = "") -> Milestone:
    policies.require_contract_side(by, milestone.contract, "client")
    milestone = lock(milestone)  # type: ignore[assignment]
    require_transition(milestone, to, action=action)
    milestone.status = to
    now = timezone.now()
    if to == Milestone.Status.APPROVED:
        milestone.approved_at = now
    if to == Milestone.Status.REVISION_REQUESTED:
        milestone.revision_count += 1
    if to == Milestone.Status.PAID:
        milestone.paid_at = now
    milestone.save(update_fields=["status", "approved_at", "paid_at", "revision_count"])
    if to in {Milestone.Status.APPROVED, Milestone.Status.REVISION_REQUESTED}:
        latest = milestone.submissions.order_by("-created_at").first()
        if latest:
            MilestoneSubmission.objects.filter(pk=latest.pk).update(
                decision=to, review_reason=reason, reviewed_by=by, reviewed_at=now
            )
        notify(
            users=[milestone.contract.freelancer],
            kind="milestone_reviewed",
            event_key=f"milestone:{milestone.pk}:{to}:{milestone.revision_count}",
            title=f"“{milestone.title}”: {milestone.get_status_display().lower()}",
            body=reason,
            url=milestone.contract.get_absolute_url(),
        )
    if to == Milestone.Status.PAID:  # money moved: the freelancer hears about it in the bell and by email
        contract = milestone.contract
        notify(
            users=[contract.freelancer],
            kind="payment_released",
            event_key=f"milestone:{milestone.pk}:paid",
            title=f"Payment released: {money(milestone.amount, contract.currency)} for “{milestone.title}”",
            body=f"{by.get_full_name()} released the payment for “{milestone.title}” on “{contract.title}”.",
            url=contract.get_absolute_url(),
        )
    return milestone


@transaction.atomic
def milestone_approve(*, milestone: Milestone, by: User) -> Milestone:
    return _review(milestone, by, Milestone.Status.APPROVED, "approve this milestone")


@transaction.atomic
def milestone_request_revision(*, milestone: Milestone, by: User, reason: str) -> Milestone:
    reason = text_check(reason, field="reason", limit=SHORT, label="The reason")
    if not reason:
        raise ValidationError({"reason": "Say what needs to change."})
    milestone = _review(milestone, by, Milestone.Status.REVISION_REQUESTED, "ask for a revision", reason.strip())
    contract_id = milestone.contract_id
    transaction.on_commit(
        lambda: events.contract_activity.send(sender=Milestone, contract_id=contract_id, what="revision_requested")
    )
    return milestone


@transaction.atomic
def milestone_pay(*, milestone: Milestone, by: User) -> Milestone:
    milestone = _review(milestone, by, Milestone.Status.PAID, "release payment for this milestone")
    _stats_refresh_later(milestone.contract.freelancer_id)
    return milestone


@transaction.atomic
def milestone_add(*, contract: Contract, by: User, terms: MilestoneTerms) -> Milestone:
    """A new milestone on a live fixed-price contract; the contract's total grows by its amount."""
    policies.require_contract_side(by, contract, "client")
    contract = lock(contract)  # type: ignore[assignment]
    if contract.contract_type != ContractType.FIXED:
        raise Conflict("Hourly contracts have no milestones.")
    _require_working(contract)
    if terms.due_date < timezone.localdate():
        raise ValidationError({"due_date": "The due date can't be in the past."})
    if beyond_horizon(terms.due_date, timezone.localdate()):
        raise ValidationError({"due_date": f"The due date can be at most {HORIZON_YEARS} years ahead."})
    position = (contract.milestones.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    milestone = _milestone(contract, position, terms)
    total = (contract.fixed_amount or Decimal(0)) + Decimal(terms.amount)
    if total > MAX_AMOUNT:  # the cap holds for the contract's total, not only for each amount
        room = max(MAX_AMOUNT - (contract.fixed_amount or Decimal(0)), Decimal(0))
        raise ValidationError(
            {"amount": f"A contract's total can be at most {MAX_AMOUNT:,.2f}; this one has room for {room:,.2f} more."}
        )
    milestone.save()
    contract.fixed_amount = total
    contract.save(update_fields=["fixed_amount"])
    return milestone  # type: ignore[return-value]


# --- Time and feedback -----------------------------------------------------------------------------


@transaction.atomic
def time_log_add(*, contract: Contract, by: User, day: date, hours: Decimal, memo: str) -> TimeLog:
    """Hours on a day of an hourly contract: never more than 24 on one day, nor past the weekly limit
    (Monday to Sunday)."""
    policies.require_contract_side(by, contract, "freelancer")
    contract = lock(contract)  # type: ignore[assignment]  # serialises concurrent logs on one contract
    if contract.contract_type != ContractType.HOURLY:
        raise Conflict("Time is logged on hourly contracts only.")
    _require_working(contract)
    if day > timezone.localdate():
        raise ValidationError({"date": "You can't log time for a day that hasn't happened yet."})
    if day < contract.start_date:
        raise ValidationError({"date": "That day is before the contract started."})
    log = validated(TimeLog(contract=contract, date=day, hours=hours, memo=memo.strip()))
    that_day = contract.time_logs.filter(date=day).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if that_day + Decimal(hours) > 24:
        raise InvalidInput(
            f"That day would total {that_day + Decimal(hours)} hours: a day has 24 ({that_day} already logged).",
            field="hours",
        )
    monday = day - timedelta(days=day.weekday())
    week = contract.time_logs.filter(date__gte=monday, date__lte=monday + timedelta(days=6))
    logged = week.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    limit = Decimal(contract.weekly_limit or 0)
    if logged + Decimal(hours) > limit:
        raise InvalidInput(
            f"That week would total {logged + Decimal(hours)} hours, over the {limit}-hour weekly limit "
            f"({logged} already logged).",
            field="hours",
        )
    log.save()
    return log  # type: ignore[return-value]


@transaction.atomic
def feedback_leave(*, contract: Contract, by: User, rating: int, review: str = "") -> Feedback:
    side = policies.contract_side(by, contract)
    if side not in {"client", "freelancer"}:
        raise policies.NotAllowed("Only the two parties to a contract can leave feedback on it.")
    contract = Contract.objects.get(pk=contract.pk)  # its current status
    if contract.is_live:
        raise Conflict("Feedback opens when the contract ends.")
    recipient = contract.freelancer if side == "client" else contract.client
    feedback = validated(Feedback(contract=contract, author=by, recipient=recipient, rating=rating, review=review))
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise Conflict("You have already left feedback on this contract.") from None
    notify(
        users=[recipient],
        kind="feedback_received",
        event_key=f"feedback:{feedback.pk}",
        title=f"{by.get_full_name()} left feedback on “{contract.title}”",
        url=contract.get_absolute_url(),
    )
    if side == "client":
        _stats_refresh_later(contract.freelancer_id)
    return feedback  # type: ignore[return-value]


# --- Changes to a live contract's terms --------------------------------------------------------------


def future_milestones(contract: Contract) -> list[Milestone]:
    """The milestones no work has been submitted for yet: the ones a change of terms may replace (one
    with a submission keeps it, so it is never replaced)."""
    return list(contract.milestones.filter(status=Milestone.Status.ACTIVE).order_by("position"))


def unaccepted_milestones(contract: Contract) -> list[Milestone]:
    """The milestones whose work the client has not accepted (not approved, not paid): what someone
    taking over the contract would still have to deliver."""
    done = (Milestone.Status.APPROVED, Milestone.Status.PAID)
    return list(contract.milestones.exclude(status__in=done).order_by("position"))


@transaction.atomic
def contract_terms_change(
    *,
    contract: Contract,
    by: User,
    expected_future: list[MilestoneTerms],
    hourly_rate: Decimal | None = None,
    weekly_limit: int | None = None,
    milestones: list[MilestoneTerms] | None = None,
) -> Contract:
    """Apply terms both sides agreed to from now on: an hourly contract's rate and weekly limit, or a
    fixed-price contract's future milestones (replacing the ones not started, which must still be
    `expected_future`: if work was submitted since the change was proposed, nothing changes)."""
    if policies.contract_side(by, contract) not in {"client", "freelancer"}:
        raise policies.NotAllowed("Only the two parties to a contract can change its terms.")
    contract = lock(contract)  # type: ignore[assignment]
    _require_working(contract)
    if contract.contract_type == ContractType.HOURLY:
        contract.hourly_rate, contract.weekly_limit = hourly_rate, weekly_limit
        validated(contract)
        contract.save(update_fields=["hourly_rate", "weekly_limit"])
        return contract
    current = future_milestones(contract)
    if [MilestoneTerms.of(m) for m in current] != [
        MilestoneTerms(t.title, Decimal(t.amount), t.due_date) for t in expected_future
    ]:
        raise Conflict("The milestones changed since this change was proposed (work was submitted): propose it again.")
    kept = contract.milestones.exclude(pk__in=[m.pk for m in current])
    kept_total = kept.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    last = kept.order_by("-position").values_list("position", flat=True).first() or 0
    Milestone.objects.filter(pk__in=[m.pk for m in current]).delete()
    rows = [_milestone(contract, last + offset, terms) for offset, terms in enumerate(milestones or [], start=1)]
    Milestone.objects.bulk_create(rows)
    contract.fixed_amount = kept_total + sum((Decimal(t.amount) for t in milestones or []), Decimal(0))
    contract.save(update_fields=["fixed_amount"])
    return contract
