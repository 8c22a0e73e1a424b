"""Risk signals: each a small function over a batch of contracts that returns the contracts it finds in
trouble, with a reason a person can read and a weight. Every function makes a fixed number of queries
whatever the batch size. Thresholds live in settings (RECRUITER_*).

The risk score of a contract is the sum of its signals' weights, capped at 100; a case opens at
RECRUITER_OPEN_SCORE.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from marketplace.models import Contract, Message, Milestone, Thread, TimeLog
from marketplace.services.stats import replies_of
from recruiter.models import ContractConcern

WORKDAY_START, WORKDAY_END = 9, 17  # working hours, in the freelancer's own timezone, Monday to Friday
RECENT_DAYS, HISTORY_DAYS = 14, 90
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Signal:
    code: str
    reason: str
    weight: int

    def as_json(self) -> dict:
        return asdict(self)


Found = dict[int, Signal]


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def milestone_overdue(contracts: Sequence[Contract], *, now: datetime) -> Found:
    """A milestone past its due date (plus a grace period) with no submission waiting for review."""
    today = now.date()
    late = Milestone.objects.filter(
        contract__in=contracts,
        status__in=[Milestone.Status.ACTIVE, Milestone.Status.REVISION_REQUESTED],
        due_date__lt=today - timedelta(days=settings.RECRUITER_OVERDUE_GRACE_DAYS - 1),
    ).order_by("contract_id", "due_date")
    found: Found = {}
    for m in late:
        if m.contract_id in found:
            continue
        days = (today - m.due_date).days
        found[m.contract_id] = Signal(
            "milestone_overdue",
            f"Milestone {m.position} ‘{m.title}’ was due {_days(days)} ago; no submission",
            40 + 5 * min(days, 6),
        )
    return found


def working_hours_between(start: datetime, end: datetime, tz_name: str) -> int:
    """Whole working hours (Monday–Friday, 9:00–17:00 in `tz_name`) between two moments."""
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    start, end = start.astimezone(tz), end.astimezone(tz)
    seconds, day = 0.0, start.date()
    while day <= end.date():
        if day.weekday() < 5:
            opens = datetime(day.year, day.month, day.day, WORKDAY_START, tzinfo=tz)
            closes = datetime(day.year, day.month, day.day, WORKDAY_END, tzinfo=tz)
            seconds += max(0.0, (min(closes, end) - max(opens, start)).total_seconds())
        day += timedelta(days=1)
    return int(seconds // 3600)


def client_unanswered(contracts: Sequence[Contract], *, now: datetime) -> Found:
    """The client's oldest message since the freelancer last wrote has waited N working hours."""
    last_reply = (
        Message.objects.filter(thread=OuterRef("pk"), sender=OuterRef("freelancer"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waiting = (
        Message.objects.filter(thread=OuterRef("pk"), created_at__gt=Coalesce(OuterRef("last_reply"), Value(EPOCH)))
        .exclude(sender=OuterRef("freelancer"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    threads = (
        Thread.objects.filter(contract__in=contracts)
        .annotate(last_reply=Subquery(last_reply))
        .annotate(waiting_since=Subquery(waiting))
        .filter(waiting_since__isnull=False)
        .select_related("freelancer__freelancer_profile")
    )
    found: Found = {}
    for thread in threads:
        profile = getattr(thread.freelancer, "freelancer_profile", None)
        working = working_hours_between(thread.waiting_since, now, profile.timezone if profile else "UTC")
        if working >= settings.RECRUITER_SILENCE_WORKING_HOURS:
            hours = int((now - thread.waiting_since).total_seconds() // 3600)
            found[thread.contract_id] = Signal(  # type: ignore[index]
                "client_unanswered",
                f"No reply to the client for {hours} hours ({working} working hours in their timezone)",
                30 + min(20, working // 4),
            )
    return found


def no_time_logged(contracts: Sequence[Contract], *, now: datetime) -> Found:
    """An active hourly contract with no time logged for N days."""
    today, days = now.date(), settings.RECRUITER_NO_TIME_DAYS
    hourly = [c for c in contracts if c.contract_type == "hourly" and c.status == Contract.Status.ACTIVE]
    if not hourly:
        return {}
    last = dict(
        TimeLog.objects.filter(contract__in=hourly)
        .values("contract_id")
        .annotate(last=Max("date"))
        .values_list("contract_id", "last")
    )
    found: Found = {}
    for c in hourly:
        since: date = last.get(c.pk) or c.start_date
        idle = (today - since).days
        if idle >= days:
            what = "No time logged" + ("" if c.pk in last else " since the contract started")
            found[c.pk] = Signal("no_time_logged", f"{what} for {_days(idle)}", 25)
    return found


def repeated_revisions(contracts: Sequence[Contract], *, now: datetime) -> Found:
    """The client sent the same milestone back for changes N times and it is still not approved."""
    rows = Milestone.objects.filter(
        contract__in=contracts,
        revision_count__gte=settings.RECRUITER_REVISIONS_LIMIT,
        status__in=[Milestone.Status.SUBMITTED, Milestone.Status.REVISION_REQUESTED, Milestone.Status.ACTIVE],
    ).order_by("contract_id", "-revision_count")
    found: Found = {}
    for m in rows:
        found.setdefault(
            m.contract_id,
            Signal(
                "repeated_revisions",
                f"Milestone {m.position} ‘{m.title}’ was sent back for changes {m.revision_count} times",
                20,
            ),
        )
    return found


def client_concern(contracts: Sequence[Contract], *, now: datetime) -> Found:
    """The client marked a concern about the contract (and has not cleared it)."""
    rows = ContractConcern.objects.filter(contract__in=contracts, cleared_at__isnull=True).order_by("-created_at")
    found: Found = {}
    for concern in rows:
        note = f": “{concern.note[:120]}”" if concern.note else ""
        found.setdefault(
            concern.contract_id,
            Signal("client_concern", f"The client marked a concern on {concern.created_at:%-d %b}{note}", 50),
        )
    return found


def responsiveness_drop(contracts: Sequence[Contract], *, now: datetime) -> Found:
    """Over the last two weeks the freelancer replies N times slower than over their own history."""
    by_freelancer = defaultdict(list)
    for c in contracts:
        by_freelancer[c.freelancer_id].append(c.pk)
    replies = replies_of(user_ids=by_freelancer, since=now - timedelta(days=HISTORY_DAYS))
    recent_from = now - timedelta(days=RECENT_DAYS)
    found: Found = {}
    for freelancer_id, theirs in replies.items():
        recent = [hours for at, hours in theirs.delays if at >= recent_from]
        before = [hours for at, hours in theirs.delays if at < recent_from]
        if len(recent) < 2 or len(before) < 3:
            continue
        now_takes, used_to = statistics.median(recent), statistics.median(before)
        if now_takes >= 12 and now_takes >= settings.RECRUITER_RESPONSE_DROP_FACTOR * max(used_to, 1):
            signal = Signal(
                "responsiveness_drop",
                f"Replies now take about {round(now_takes)} hours, against {round(used_to)} hours before",
                15,
            )
            for contract_id in by_freelancer[freelancer_id]:
                found[contract_id] = signal
    return found


SIGNALS: tuple[Callable[..., Found], ...] = (
    milestone_overdue,
    client_unanswered,
    no_time_logged,
    repeated_revisions,
    client_concern,
    responsiveness_drop,
)


@dataclass(frozen=True)
class Assessment:
    contract: Contract
    signals: tuple[Signal, ...]

    @property
    def score(self) -> int:
        return min(100, sum(s.weight for s in self.signals))

    @property
    def at_risk(self) -> bool:
        return self.score >= settings.RECRUITER_OPEN_SCORE

    @property
    def reasons(self) -> str:
        return "; ".join(s.reason for s in self.signals)


def assess(contracts: Sequence[Contract], *, now: datetime) -> list[Assessment]:
    """Every signal over the batch: one assessment per contract, strongest signal first."""
    if not contracts:
        return []
    found = [signal(contracts, now=now) for signal in SIGNALS]
    return [
        Assessment(c, tuple(sorted((f[c.pk] for f in found if c.pk in f), key=lambda s: -s.weight))) for c in contracts
    ]
