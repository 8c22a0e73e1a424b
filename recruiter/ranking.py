"""Re-ranking retrieved candidates: relevance leads, the facts adjust.

Relevance is how well a profile's text matches the job: the fused semantic and keyword score, scaled
so the best retrieved is 1 and the least 0. The facts — required skills (each weighed by how rare it
is), track record, availability, similar past contracts, rate fit, responsiveness, rating, timezone
overlap — follow the recruiting policy the candidates are then judged by (uma/task_specs/
candidate_rationale.py), and a client's stated preferences double the weight of what they care about.
Each feature is 0..1 and kept with the entry, so a person can see why someone is where they are.

A track record counts in full only over a proven one (PROVEN_JOBS completed jobs): until then it is
pulled toward a neutral prior, so a newcomer is neither buried (a record of 0) nor lifted by one
lucky job. A client who asks for a proven record gets no prior: only proven work counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count

from marketplace.models import Contract, FreelancerProfile, ProfileSkill
from recruiter.retrieval import Need
from uma.task_specs.candidate_rationale import FAST_REPLY_HOURS, GOOD_RECORD, PROVEN_JOBS

# One place for the weights (they sum to 1), and why each is what it is.
WEIGHTS = {
    "relevance": 0.45,  # the text matches the job: it leads (on bench/matching_public.py, 937 public
    # resumes, nothing else tells a right person from a wrong one; the facts only order the relevant)
    "skills": 0.21,  # the skills the client listed, held; a rare one (ABAP) counts more than a common
    # one (0.16 cost the demo's skill-labelled nDCG@10 0.007 in bench/recruiter_retrieval.py)
    # (skills only read from a post's text are not checked: -0.04 nDCG@10 on the public benchmark)
    "job_success": 0.10,  # a record over proven work; 2.5x availability, so a better record beats
    # 5 of 20 hours short, and asking for all the hours (doubling availability) turns that round
    "similar_work": 0.06,  # ended contracts on jobs that needed these skills
    "rate_fit": 0.06,  # within the budget; over it loses a quarter per 6% over
    "availability": 0.04,  # free now for all the hours the work needs
    "responsiveness": 0.03,  # replies within a day or two
    "rating": 0.03,  # clients' stars: partly the same story as job success
    "timezone": 0.02,  # working hours shared with the client (a hard filter when asked for)
}
UNKNOWN_SCORE = 0.5  # no score yet, and the prior a short record is pulled toward: neither good nor bad
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


def record(profile: FreelancerProfile, *, proven_only: bool = False) -> float:
    """Job success, pulled toward UNKNOWN_SCORE by PROVEN_JOBS jobs' worth of prior: a newcomer scores
    the prior, one perfect job a little above it, a long record nearly its own score. proven_only:
    no prior, and a record counts in full only from PROVEN_JOBS completed jobs (0 for a newcomer)."""
    jobs = profile.completed_jobs
    score = profile.job_success_score / 100 if profile.job_success_score is not None else UNKNOWN_SCORE
    if proven_only:
        return score * min(1.0, jobs / PROVEN_JOBS) if profile.job_success_score is not None else 0.0
    return (score * jobs + UNKNOWN_SCORE * PROVEN_JOBS) / (jobs + PROVEN_JOBS)


def skill_rarity(names: list[str]) -> dict[str, float]:
    """Each skill's weight: log(1 + profiles / (1 + profiles holding it)), one query."""
    total = FreelancerProfile.objects.count()
    held = dict(
        ProfileSkill.objects.filter(skill__name__in=names)
        .values("skill__name")
        .annotate(n=Count("profile_id"))
        .values_list("skill__name", "n")
    )
    return {name.lower(): math.log(1 + total / (1 + held.get(name, 0))) for name in names}


def relevance(retrieved: list[dict]) -> dict[int, float]:
    """Fused retrieval scores scaled to 0..1 over those retrieved (all 1 when they are level)."""
    scores = [r["fused"] for r in retrieved]
    low, high = min(scores, default=0.0), max(scores, default=0.0)
    return {r["profile_id"]: (r["fused"] - low) / (high - low) if high > low else 1.0 for r in retrieved}


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
    relevant: float,
    rarity: dict[str, float],
    at: datetime,
    client_tz: str,
    *,
    proven_only: bool = False,
) -> dict[str, float]:
    have = {s.lower() for s in skills}
    needed = sum(rarity.get(s.lower(), 1.0) for s in need.required)
    held = sum(rarity.get(s.lower(), 1.0) for s in need.required if s.lower() in have)
    reply = profile.response_hours
    return {
        "relevance": round(relevant, 3),
        "skills": round(held / needed, 3) if needed else 0.5,
        "job_success": round(record(profile, proven_only=proven_only), 3),
        "availability": round(availability(need, profile, at.date()), 3),
        "responsiveness": round(max(0.0, 1 - reply / 48), 3) if reply is not None else 0.4,
        "rating": round(float(profile.rating_avg) / 5, 3) if profile.rating_avg is not None else 0.5,
        "similar_work": round(min(1.0, similar / 3), 3),
        "rate_fit": round(_rate_fit(need, profile.hourly_rate), 3),
        "timezone": round(overlap_hours(profile.timezone, client_tz, at) / 8, 3),
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
    relevant = relevance(retrieved)
    rarity = skill_rarity(need.required)
    proven_only = "proven_record" in preferences
    ranked = []
    for r in retrieved:
        profile = profiles.get(r["profile_id"])
        if profile is None:
            continue
        if any(overlap_hours(profile.timezone, zone, at) < MIN_OVERLAP_HOURS for zone in zones):
            continue
        features = features_of(
            need,
            profile,
            skills.get(profile.pk, []),
            similar.get(profile.user_id, 0),
            relevant[profile.pk],
            rarity,
            at,
            client_tz,
            proven_only=proven_only,
        )
        score = sum(weights[name] * value for name, value in features.items()) / sum(weights.values())
        ranked.append(Ranked(profile, round(score, 4), features, r))
    return sorted(ranked, key=lambda x: (-x.score, x.profile.pk))


def proven_fit(need: Need, candidate: Ranked) -> bool:
    """What the recruiting policy calls strong (uma/task_specs/candidate_rationale.py), read from the
    features: every listed skill, free for all the hours, a proven record of GOOD_RECORD% or better,
    replies within a day, a rate within the budget."""
    profile, features = candidate.profile, candidate.features
    reply = profile.response_hours
    return (
        (features["skills"] == 1.0 or not need.required)
        and features["availability"] == 1.0
        and profile.completed_jobs >= PROVEN_JOBS
        and (profile.job_success_score or 0) >= GOOD_RECORD
        and (reply is None or round(reply) <= FAST_REPLY_HOURS)
        and features["rate_fit"] >= 0.5  # within the budget (0.5: no hourly budget to be within)
    )


def with_a_proven_fit(need: Need, ranked: list[Ranked], *, size: int) -> list[Ranked]:
    """The ranked order, with the best-placed proven fit moved up to the last of the first `size` when
    none is there: relevance leads and newcomers keep their places, but a client's shortlist shows a
    proven person whenever one of the relevant people retrieved could do the job. (Without it, on the
    demo worlds, half the shortlists had no "strong" candidate and went to a recruiter.)"""
    if size <= 0 or any(proven_fit(need, r) for r in ranked[:size]):
        return ranked
    best = next((i for i in range(size, len(ranked)) if proven_fit(need, ranked[i])), None)
    if best is None:
        return ranked
    return [*ranked[: size - 1], ranked[best], *(r for i, r in enumerate(ranked) if i >= size - 1 and i != best)]
