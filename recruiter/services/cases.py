"""Risk cases: the scan that opens them (set-based, safe when two scans run at once), and what the
client and the recruiters do with them. Every decision is a CaseEvent and, when it is about Uma's
recommendations, a human-decision row in Uma's audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.priorities import BACKGROUND
from marketplace.errors import Conflict, NotAllowed
from marketplace.models import Contract, User
from marketplace.models.text import SHORT, text_check
from marketplace.policies import is_member, is_recruiter, require_contract_side
from marketplace.services.contracts import contract_end
from marketplace.services.limits import require_room
from marketplace.services.notifications import notify
from marketplace.services.transitions import lock, require_transition
from recruiter import tasks
from recruiter.models import CaseEvent, ContractConcern, RiskCase
from recruiter.plans import gets_shortlist, may_ask_for_person, service_for
from recruiter.risk import Assessment, assess
from uma.audit import decision_record

RATIONALE = "candidate_rationale"


@dataclass
class ScanBatch:
    last_id: int | None  # None: no contracts after this batch
    seen: int
    at_risk: list[Assessment] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)  # case ids opened by this batch


def event(
    case: RiskCase, kind: str, *, by: User | None = None, about: int | None = None, **detail: object
) -> CaseEvent:
    """A step on the case; a person's step is also a decision in Uma's audit log."""
    step = CaseEvent.objects.create(case=case, actor=by, kind=kind, detail=detail)
    if by is not None:
        decision_record(
            task=RATIONALE,
            actor=f"{by.email} (user {by.pk})",
            action=kind,
            subject_ids={"case": case.pk, "contract": case.contract_id},
            detail=detail,
            about=about,
        )
    return step


def move(case: RiskCase, to: str, **fields: object) -> None:
    """The case's status moves (checked against RiskCase.TRANSITIONS), with the fields that go with it."""
    require_transition(case, to, action=f"mark it {RiskCase.Status(to).label.lower()}")
    case.status = to
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["status", "updated_at", *fields])


# --- Scanning ---------------------------------------------------------------------------------------


def contracts_scan_batch(
    *, after_id: int = 0, limit: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> ScanBatch:
    """Assess one batch of active contracts (by id) and open a case for each at-risk one that has none.
    The number of queries does not depend on the batch size."""
    now, limit = now or timezone.now(), limit or settings.RECRUITER_SCAN_BATCH
    contracts = list(_active().filter(pk__gt=after_id).order_by("pk")[:limit])
    batch = ScanBatch(last_id=contracts[-1].pk if len(contracts) == limit else None, seen=len(contracts))
    batch.at_risk, batch.opened = _scan(contracts, now=now, dry_run=dry_run)
    return batch


def contract_check_now(*, contract_id: int, now: datetime | None = None) -> list[int]:
    """The scan, for one contract (after an event on it)."""
    return _scan(list(_active().filter(pk=contract_id)), now=now or timezone.now(), dry_run=False)[1]


def _active():  # noqa: ANN202 - a queryset
    return Contract.objects.filter(status=Contract.Status.ACTIVE).select_related("organization")


def _scan(contracts: list[Contract], *, now: datetime, dry_run: bool) -> tuple[list[Assessment], list[int]]:
    """(the at-risk assessments, the ids of the cases opened for them)."""
    at_risk = [a for a in assess(contracts, now=now) if a.at_risk]
    return at_risk, cases_open(assessments=at_risk, now=now) if at_risk and not dry_run else []


@transaction.atomic
def cases_open(*, assessments: Sequence[Assessment], now: datetime) -> list[int]:
    """Open a case per at-risk contract without a live one; refresh the signals of live ones.
    Two scans at once can't open two cases for a contract: a partial unique index allows one live case,
    and the insert skips conflicts (the later scan waits for the earlier one's commit, then skips)."""
    by_contract = {a.contract.pk: a for a in assessments}
    live = {c.contract_id: c for c in RiskCase.objects.filter(contract_id__in=by_contract, status__in=RiskCase.LIVE)}
    for contract_id, case in live.items():
        case.score = by_contract[contract_id].score
        case.signals = [s.as_json() for s in by_contract[contract_id].signals]
    RiskCase.objects.bulk_update(live.values(), ["score", "signals"])
    fresh = [a for cid, a in by_contract.items() if cid not in live]
    RiskCase.objects.bulk_create(
        [
            RiskCase(
                contract=a.contract,
                service=service_for(a.contract.organization.plan),
                score=a.score,
                signals=[s.as_json() for s in a.signals],
                detected_at=now,
            )
            for a in fresh
        ],
        ignore_conflicts=True,
    )
    opened = list(
        RiskCase.objects.filter(contract_id__in=[a.contract.pk for a in fresh], detected_at=now).values_list(
            "pk", "contract_id", "score"
        )
    )
    CaseEvent.objects.bulk_create(
        [CaseEvent(case_id=pk, kind="opened", detail={"score": score}) for pk, _, score in opened]
    )
    ids = [pk for pk, _, _ in opened]
    if ids:
        tasks.cases_start.delay_on_commit(case_ids=ids)
    return ids


def case_start(*, case_id: int) -> None:
    """After a case opens: tell the client (dashboard and email), and start the shortlist their plan
    gives. Safe to run twice: the notification is once per event, the shortlist builds once per round."""
    case = RiskCase.objects.select_related("contract__client", "contract__organization").filter(pk=case_id).first()
    if case is None:  # gone (its contract was deleted) before the task ran: nothing to tell anyone
        return
    contract = case.contract
    reasons = "; ".join(s["reason"] for s in case.signals)
    notify(
        users=[contract.client],
        kind="risk",
        event_key=f"risk_case:{case.pk}:opened",
        title=f"“{contract.title}” needs your attention",
        body=reasons,
        url=case.get_absolute_url(),
    )
    if gets_shortlist(case) and case.is_live and case.shortlist_round == 0:
        from recruiter.services.shortlists import shortlist_start

        shortlist_start(case=case, by=None, preferences=case.preferences)


def shortlists_resume(*, older_than: timedelta) -> list[int]:
    """Queue again the shortlists of live cases that should be underway but have not moved for
    `older_than`: a worker killed mid-shortlist (its message returns only after the broker's visibility
    timeout, an hour), or a broker that was down when the case opened. Building is idempotent: entries
    already reasoned about are kept, each person is reasoned about once."""
    cutoff = timezone.now() - older_than
    live = RiskCase.objects.filter(status__in=RiskCase.LIVE, updated_at__lt=cutoff)
    stuck = list(live.filter(shortlist_state="building").values_list("pk", "shortlist_round"))
    for case_id, round_ in stuck:
        tasks.shortlist_build.apply_async(kwargs={"case_id": case_id, "round_": round_}, priority=BACKGROUND)
    unstarted = [
        c.pk for c in live.filter(shortlist_round=0).select_related("contract__organization") if gets_shortlist(c)
    ]
    if unstarted:
        tasks.cases_start.delay(case_ids=unstarted)
    return [pk for pk, _ in stuck] + unstarted


# --- The client ------------------------------------------------------------------------------------


def require_case_client(user: User, case: RiskCase) -> None:
    """Only members of the contract's organisation act on its case (others get 404 from the views)."""
    if not is_member(user, case.contract.organization_id):
        raise NotAllowed("This case belongs to another organisation.")


def reviewing(case: RiskCase) -> None:
    """The client acted on a ready shortlist: they are reviewing it now."""
    if case.status == RiskCase.Status.SHORTLIST_READY:
        move(case, RiskCase.Status.CLIENT_REVIEWING)


CONCERN_NOTE_LIMIT = 500


@transaction.atomic
def concern_raise(*, contract: Contract, by: User, note: str = "", wants_person: bool = False) -> ContractConcern:
    """The client marks a concern about a contract: a risk signal, checked at once."""
    require_contract_side(by, contract, "client")
    note = text_check(note, field="note", limit=CONCERN_NOTE_LIMIT, label="Your note")  # was cut at 500, unsaid
    contract = lock(contract)  # concerns sent at once are counted one after the other
    if not contract.is_live:
        raise Conflict("This contract has ended.")
    require_room(
        contract.concerns.all(),
        within=timedelta(hours=1),
        limit=settings.RECRUITER_CONCERNS_PER_HOUR,
        message="You have told us about this contract several times in the last hour: Uma is on it already.",
    )
    concern = ContractConcern.objects.create(
        contract=contract,
        raised_by=by,
        note=note,
        wants_person=wants_person and may_ask_for_person(contract.organization.plan),
    )
    tasks.contract_check.delay_on_commit(contract_id=contract.pk)
    return concern


@transaction.atomic
def case_ask_person(*, case: RiskCase, by: User, note: str = "") -> RiskCase:
    require_case_client(by, case)
    case = lock(case)  # type: ignore[assignment]
    if not may_ask_for_person(case.contract.organization.plan):
        raise NotAllowed("A human recruiter comes with Business Plus and Enterprise plans.")
    if case.status != RiskCase.Status.ESCALATED:
        case_escalate(case=case, reasons=["The client asked for a person"], by=by, note=note)
    return case


def case_escalate(*, case: RiskCase, reasons: list[str], by: User | None = None, note: str = "") -> None:
    """Hand the case to the human queue (callers hold the case locked)."""
    now = timezone.now()
    move(
        case,
        RiskCase.Status.ESCALATED,
        escalation_reasons=reasons,
        sla_due_at=now + timedelta(hours=settings.RECRUITER_SLA_HOURS),
    )
    event(case, "escalated", by=by, reasons=reasons, note=note)


@transaction.atomic
def case_resolve(*, case: RiskCase, by: User, note: str = "") -> RiskCase:
    """The contract recovered: the case ends, the client's concerns are cleared."""
    _require_client_or_recruiter(by, case)
    case = lock(case)  # type: ignore[assignment]
    move(case, RiskCase.Status.RESOLVED, closed_at=timezone.now())
    ContractConcern.objects.filter(contract_id=case.contract_id, cleared_at__isnull=True).update(
        cleared_at=timezone.now()
    )
    event(case, "resolved", by=by, note=note)
    return case


@transaction.atomic
def case_close(*, case: RiskCase, by: User, note: str = "") -> RiskCase:
    _require_client_or_recruiter(by, case)
    case = lock(case)  # type: ignore[assignment]
    move(case, RiskCase.Status.CLOSED, closed_at=case.closed_at or timezone.now())
    event(case, "closed", by=by, note=note)
    return case


@transaction.atomic
def case_replace(*, case: RiskCase, by: User) -> RiskCase:
    """The client found a replacement: the old contract ends as "replaced by another freelancer"."""
    require_case_client(by, case)
    case = lock(case)  # type: ignore[assignment]
    contract = case.contract
    if contract.is_live:
        contract_end(contract=contract, by=by, reason=Contract.EndReason.REPLACED, note="Replaced via Uma's shortlist")
    reviewing(case)
    move(case, RiskCase.Status.REPLACED, replaced_at=timezone.now(), closed_at=timezone.now())
    event(case, "replaced", by=by)
    return case


# --- Recruiters ------------------------------------------------------------------------------------


def _require_client_or_recruiter(user: User, case: RiskCase) -> None:
    if not is_recruiter(user):
        require_case_client(user, case)


@transaction.atomic
def case_claim(*, case: RiskCase, by: User) -> RiskCase:
    """A recruiter takes the case (claiming one someone else holds is refused)."""
    if not is_recruiter(by):
        raise NotAllowed("Only recruiters claim cases.")
    case = lock(case)  # type: ignore[assignment]
    if case.assigned_to_id not in (None, by.pk):
        raise Conflict(f"{case.assigned_to} has already claimed this case.")
    if not case.is_live:
        raise Conflict("This case is over.")
    case.assigned_to, case.claimed_at = by, timezone.now()
    if case.sla_due_at is None:
        case.sla_due_at = timezone.now() + timedelta(hours=settings.RECRUITER_SLA_HOURS)
    case.save(update_fields=["assigned_to", "claimed_at", "sla_due_at", "updated_at"])
    event(case, "claimed", by=by)
    return case


@transaction.atomic
def case_message_client(*, case: RiskCase, by: User, body: str) -> None:
    """A recruiter writes to the client about the case (bell and email)."""
    if not is_recruiter(by):
        raise NotAllowed("Only recruiters message clients from a case.")
    body = text_check(body, field="body", limit=SHORT, label="A message")
    if not body:
        raise ValidationError({"body": "Write a message."})
    step = event(case, "recruiter_message", by=by, body=body)
    notify(
        users=[case.contract.client],
        kind="risk",
        event_key=f"risk_case:{case.pk}:event:{step.pk}",
        title=f"{by.get_full_name() or 'Your Tandem recruiter'} wrote about “{case.contract.title}”",
        body=body,
        url=case.get_absolute_url(),
    )
