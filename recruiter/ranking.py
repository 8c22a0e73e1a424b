"""Re-ranking retrieved candidates on the facts: skill coverage, job success, responsiveness, rating,
similar past contracts, rate fit, timezone overlap and retrieval evidence, with the client's stated
preferences doubling the weight of what they care about. Each feature is 0..1 and kept with the entry,
so a person can see why someone is where they are.

The weights follow the recruiting policy the candidates are then judged by (uma/task_specs/
candidate_rationale.py): every required skill matters most, and a job success score counts in full only
over a proven record (PROVEN_JOBS completed jobs) — a newcomer's single good job is not a track record —
and someone free now for all the hours beats someone free later or for fewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count

from marketplace.models import Contract, FreelancerProfile
from recruiter.retrieval import Need
from uma.task_specs.candidate_rationale import PROVEN_JOBS

WEIGHTS = {
    "skills": 0.30,
    "job_success": 0.20,
    "availability": 0.10,
    "responsiveness": 0.05,
    "rating": 0.05,
    "similar_work": 0.10,
    "rate_fit": 0.10,
    "timezone": 0.05,
    "retrieval": 0.05,
}
UNKNOWN_SCORE = 0.5  # no score yet: neither good nor bad, and weighed by the (short) record below
LATER = 0.3  # available only from a later day inside the start window
# What each stated preference weighs more. "us_hours" / "europe_hours" are also hard filters.
PREFERENCE_FEATURE = {
    "within_budget": "rate_fit",
    "fast_replies": "responsiveness",
    "proven_record": "job_success",
    "full_availability": "availability",
    "us_hours": "timezone",
    "europe_hours": "timezone",
}
PREFERENCES = {
    "within_budget": "Stays within the budget",
    "fast_replies": "Replies within a day",
    "proven_record": "A proven track record",
    "full_availability": "All the hours the work needs",
    "us_hours": "Must overlap US working hours (New York)",
    "europe_hours": "Must overlap European working hours (Berlin)",
}
ZONE_OF_PREFERENCE = {"us_hours": "America/New_York", "europe_hours": "Europe/Berlin"}
MIN_OVERLAP_HOURS = 2


@dataclass
class Ranked:
    profile: FreelancerProfile
    score: float
    features: dict[str, float]
    retrieval: dict


def _offset_hours(tz_name: str, at: datetime) -> float:
    try:
        offset = at.astimezone(ZoneInfo(tz_name)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0.0
    return offset.total_seconds() / 3600 if offset else 0.0


def overlap_hours(tz_a: str, tz_b: str, at: datetime) -> float:
    """Hours that 9:00–17:00 in one zone overlaps 9:00–17:00 in the other, on the same day."""
    shift = _offset_hours(tz_a, at) - _offset_hours(tz_b, at)  # a's 9:00 is b's (9 - shift)
    return max(0.0, 8 - abs(shift))


def _similar_work(need: Need, user_ids: list[int]) -> dict[int, int]:
    """Ended contracts each candidate did on jobs that needed one of these skills (one query)."""
    if not need.skill_ids:
        return {}
    rows = (
        Contract.objects.filter(
            freelancer_id__in=user_ids, status=Contract.Status.ENDED, job__skills__in=need.skill_ids
        )
        .values("freelancer_id")
        .annotate(n=Count("pk", distinct=True))
    )
    return {r["freelancer_id"]: r["n"] for r in rows}


def _rate_fit(need: Need, rate: Decimal | None) -> float:
    if need.contract_type != "hourly" or need.budget_max is None or rate is None:
        return 0.5
    if rate <= need.budget_max:
        return 1.0
    over = float((rate - need.budget_max) / need.budget_max)
    return max(0.0, 1 - over * 4)


def record(profile: FreelancerProfile) -> float:
    """Job success weighed by how much work it rests on: full weight from PROVEN_JOBS completed jobs."""
    score = profile.job_success_score / 100 if profile.job_success_score is not None else UNKNOWN_SCORE
    return score * min(1.0, profile.completed_jobs / PROVEN_JOBS)


def availability(need: Need, profile: FreelancerProfile, today: date) -> float:
    """1 for free now for all the hours the work needs; the share of those hours; LATER if not yet free."""
    if not profile.is_available_by(today):
        return LATER
    if not need.weekly_hours:
        return 1.0
    return min(1.0, profile.weekly_hours_free / need.weekly_hours)


def features_of(
    need: Need,
    profile: FreelancerProfile,
    skills: list[str],
    similar: int,
    retrieval: dict,
    top_fused: float,
    at: datetime,
    client_tz: str,
) -> dict[str, float]:
    have = {s.lower() for s in skills}
    coverage = sum(s.lower() in have for s in need.skills) / len(need.skills) if need.skills else 0.5
    reply = profile.response_hours
    return {
        "skills": round(coverage, 3),
        "job_success": round(record(profile), 3),
        "availability": round(availability(need, profile, at.date()), 3),
        "responsiveness": round(max(0.0, 1 - reply / 48), 3) if reply is not None else 0.4,
        "rating": round(float(profile.rating_avg) / 5, 3) if profile.rating_avg is not None else 0.5,
        "similar_work": round(min(1.0, similar / 3), 3),
        "rate_fit": round(_rate_fit(need, profile.hourly_rate), 3),
        "timezone": round(overlap_hours(profile.timezone, client_tz, at) / 8, 3),
        "retrieval": round(retrieval["fused"] / top_fused, 3) if top_fused else 0.0,
    }


def rerank(
    need: Need,
    retrieved: list[dict],
    *,
    preferences: list[str],
    skills: dict[int, list[str]],
    at: datetime,
    client_tz: str = "UTC",
) -> list[Ranked]:
    """Retrieved candidates scored on the facts, best first; hard time-zone preferences filter."""
    profiles = FreelancerProfile.objects.in_bulk([r["profile_id"] for r in retrieved])
    similar = _similar_work(need, [p.user_id for p in profiles.values()])
    weights = dict(WEIGHTS)
    for preference in preferences:
        if preference in PREFERENCE_FEATURE:
            weights[PREFERENCE_FEATURE[preference]] *= 2
    zones = [ZONE_OF_PREFERENCE[p] for p in preferences if p in ZONE_OF_PREFERENCE]
    if zones:
        client_tz = zones[0]
    top = max((r["fused"] for r in retrieved), default=0.0)
    ranked = []
    for r in retrieved:
        profile = profiles.get(r["profile_id"])
        if profile is None:
            continue
        if any(overlap_hours(profile.timezone, zone, at) < MIN_OVERLAP_HOURS for zone in zones):
            continue
        features = features_of(
            need, profile, skills.get(profile.pk, []), similar.get(profile.user_id, 0), r, top, at, client_tz
        )
        score = sum(weights[name] * value for name, value in features.items()) / sum(weights.values())
        ranked.append(Ranked(profile, round(score, 4), features, r))
    return sorted(ranked, key=lambda x: (-x.score, x.profile.pk))
