"""Platform rows → the plain facts Uma's recruiter tasks take (uma imports nothing from here).

A candidate is shown to the ranking model by a neutral label; their names go along only to be masked
out of their past work titles. Invitations are written to a person, so they carry the first name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from marketplace.models import Contract, FreelancerProfile, JobPost, PortfolioItem, ProfileSkill


def job_facts(job: JobPost, *, skills: list[str], preferences: Iterable[str] = ()) -> dict:
    return {
        "title": job.title,
        "skills": skills,
        "contract_type": job.contract_type,
        "budget_min": job.budget_min,
        "budget_max": job.budget_max,
        "weekly_hours": job.weekly_hours if job.contract_type == "hourly" else None,
        "preferences": list(preferences),
    }


def candidate_facts(
    profile: FreelancerProfile, *, label: str, skills: list[str], past_work: list[str], today: date
) -> dict:
    available = profile.is_available_by(today)
    return {
        "label": label,
        "skills": skills,
        "job_success": profile.job_success_score,
        "completed_jobs": profile.completed_jobs,
        "reply_hours": profile.response_hours,
        "rate": profile.hourly_rate,
        "available_hours": profile.weekly_hours_free if available else 0,
        "available_from": None if available else profile.available_from,
        "past_work": past_work[:3],
        "names": [n for n in (profile.user.first_name, profile.user.last_name, profile.user.username) if n],
    }


def skills_of_profiles(profile_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = ProfileSkill.objects.filter(profile_id__in=profile_ids).order_by("profile_id", "-years", "skill__name")
    for profile_id, name in rows.values_list("profile_id", "skill__name"):
        found[profile_id].append(name)
    return found


def past_work_of(profiles: QuerySet[FreelancerProfile] | list[FreelancerProfile]) -> dict[int, list[str]]:
    """Titles of each freelancer's finished contracts (latest first), then of their portfolio."""
    by_user = {p.user_id: p.pk for p in profiles}
    found: dict[int, list[str]] = defaultdict(list)
    contracts = Contract.objects.filter(freelancer_id__in=by_user, status=Contract.Status.ENDED).order_by("-start_date")
    for user_id, title in contracts.values_list("freelancer_id", "title"):
        if len(found[by_user[user_id]]) < 3:
            found[by_user[user_id]].append(title)
    items = PortfolioItem.objects.filter(profile_id__in=by_user.values()).order_by("-created_at")
    for profile_id, title in items.values_list("profile_id", "title"):
        if len(found[profile_id]) < 3:
            found[profile_id].append(title)
    return found
