"""Derived figures on a freelancer's profile, each with the basis it was computed from.

- Job success score: the share of ended contracts that ended well, each weighted by recency
  (half-life 12 months) and size (log of its value), over the last 24 months.
- Responsiveness: the median hours between a client's message and the freelancer's next reply,
  over the last 90 days.
- Rating, total hours and earnings: plain sums and averages.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.utils import timezone

from marketplace.models import Contract, Feedback, FreelancerProfile, Message, Milestone, TimeLog

JSS_WINDOW_DAYS = 730
JSS_HALF_LIFE_DAYS = 365
RESPONSE_WINDOW_DAYS = 90


def contract_value(contract: Contract, hours: Decimal) -> Decimal:
    if contract.contract_type == "hourly":
        return hours * (contract.hourly_rate or Decimal(0))
    return contract.fixed_amount or Decimal(0)


def job_success(*, user_id: int, now: datetime) -> tuple[int | None, dict]:
    since = now - timedelta(days=JSS_WINDOW_DAYS)
    contracts = list(
        Contract.objects.filter(
            freelancer_id=user_id, status__in=[Contract.Status.ENDED, Contract.Status.CANCELLED], ended_at__gte=since
        ).annotate(
            hours=Subquery(
                TimeLog.objects.filter(contract=OuterRef("pk")).values("contract").annotate(n=Sum("hours")).values("n")
            ),
            client_rating=Subquery(
                Feedback.objects.filter(contract=OuterRef("pk"), author=OuterRef("client")).values("rating")[:1]
            ),
        )
    )
    if not contracts:
        return None, {"method": "no ended contracts in the last 24 months", "contracts": 0}
    good_weight = total_weight = 0.0
    good = 0
    for contract in contracts:
        age_days = max((now - contract.ended_at).days, 0)  # type: ignore[operator]
        recency = 0.5 ** (age_days / JSS_HALF_LIFE_DAYS)
        size = math.log1p(float(contract_value(contract, contract.hours or Decimal(0))))
        weight = recency * max(size, 1.0)
        ended_well = contract.status == Contract.Status.ENDED and contract.end_reason in Contract.GOOD_ENDINGS
        if contract.client_rating is not None and contract.client_rating <= 2:
            ended_well = False
        good += ended_well
        good_weight += weight * ended_well
        total_weight += weight
    score = round(100 * good_weight / total_weight)
    basis = {
        "method": "weighted share of contracts that ended well (recency half-life 12 months, size log(value))",
        "contracts": len(contracts),
        "ended_well": good,
        "weighted_share": round(good_weight / total_weight, 4),
        "window_days": JSS_WINDOW_DAYS,
    }
    return score, basis


@dataclass
class Replies:
    """One freelancer's replies to clients: (when, hours it took) each, and messages still waiting."""

    delays: list[tuple[datetime, float]] = field(default_factory=list)
    unanswered: int = 0


def replies_of(*, user_ids: Iterable[int], since: datetime) -> dict[int, Replies]:
    """For each freelancer, the hours from a client's message to their next message in the same thread,
    since `since` — one query for any number of freelancers."""
    rows = (
        Message.objects.filter(thread__freelancer_id__in=list(user_ids), created_at__gte=since)
        .order_by("thread_id", "created_at", "pk")
        .values_list("thread__freelancer_id", "thread_id", "sender_id", "created_at")
    )
    found: dict[int, Replies] = defaultdict(Replies)
    waiting: dict[int, tuple[int, datetime]] = {}  # thread → (its freelancer, the first unanswered message)
    for freelancer_id, thread_id, sender_id, created_at in rows:
        if sender_id == freelancer_id:
            asked = waiting.pop(thread_id, None)
            if asked is not None:
                found[freelancer_id].delays.append((created_at, (created_at - asked[1]).total_seconds() / 3600))
        else:
            waiting.setdefault(thread_id, (freelancer_id, created_at))
    for freelancer_id, _ in waiting.values():
        found[freelancer_id].unanswered += 1
    return found


def response_time(*, user_id: int, now: datetime) -> tuple[float | None, dict]:
    """Median hours from a client's message to the freelancer's next message in the same thread."""
    replies = replies_of(user_ids=[user_id], since=now - timedelta(days=RESPONSE_WINDOW_DAYS)).get(user_id, Replies())
    basis = {
        "method": "median hours from a client's message to the freelancer's next reply, last 90 days",
        "replies": len(replies.delays),
        "unanswered": replies.unanswered,
    }
    if not replies.delays:
        return None, basis
    return round(statistics.median(hours for _, hours in replies.delays), 2), basis


def freelancer_stats_refresh(*, user_id: int, now: datetime | None = None) -> FreelancerProfile | None:
    """Recompute and store every derived figure of one freelancer. Safe to run any number of times."""
    now = now or timezone.now()
    profile = FreelancerProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        return None
    score, score_basis = job_success(user_id=user_id, now=now)
    hours, hours_basis = response_time(user_id=user_id, now=now)
    ratings = Feedback.objects.filter(recipient_id=user_id).aggregate(avg=Avg("rating"), n=Count("pk"))
    logged = TimeLog.objects.filter(contract__freelancer_id=user_id).aggregate(
        logged_hours=Sum("hours"),
        earned=Sum(ExpressionWrapper(F("hours") * F("contract__hourly_rate"), output_field=DecimalField())),
    )
    paid = Milestone.objects.filter(contract__freelancer_id=user_id, status=Milestone.Status.PAID).aggregate(
        total=Sum("amount")
    )
    FreelancerProfile.objects.filter(pk=profile.pk).update(
        job_success_score=score,
        job_success_basis=score_basis,
        response_hours=hours,
        response_basis=hours_basis,
        rating_avg=round(Decimal(ratings["avg"]), 2) if ratings["avg"] is not None else None,
        rating_count=ratings["n"],
        total_hours=logged["logged_hours"] or 0,
        total_earnings=(logged["earned"] or Decimal(0)) + (paid["total"] or Decimal(0)),
        stats_updated_at=now,
    )
    profile.refresh_from_db()
    return profile


def freelancer_stats_refresh_batch(*, after_id: int, limit: int) -> int | None:
    """Refresh the next `limit` freelancers by user id; the last id done, or None when finished."""
    ids = list(
        FreelancerProfile.objects.filter(user_id__gt=after_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:limit]
    )
    for user_id in ids:
        freelancer_stats_refresh(user_id=user_id)
    return ids[-1] if len(ids) == limit else None
