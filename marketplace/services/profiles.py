"""Freelancer profiles: what the freelancer edits. Derived figures are in services/stats.py."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.models import FreelancerProfile, PortfolioItem, ProfileSkill, User
from marketplace.services.common import validated
from marketplace.services.search_index import profiles_reindex
from marketplace.services.skills import skills_by_name
from marketplace.services.transitions import lock

EDITABLE = (
    "headline",
    "overview",
    "hourly_rate",
    "country",
    "timezone",
    "languages",
    "available_now",
    "available_from",
    "weekly_hours_free",
)
MAX_SKILLS = 15
MAX_PORTFOLIO = 30  # pieces of work on one profile: each is read into the profile's search text and page


def _require_owner(profile: FreelancerProfile, by: User) -> None:
    if profile.user_id != by.pk:
        raise ValidationError("Only the freelancer can edit this profile.")


def profile_index(*, profile: FreelancerProfile) -> None:
    profiles_reindex(ids=[profile.pk])


@transaction.atomic
def profile_update(*, profile: FreelancerProfile, by: User, **fields: object) -> FreelancerProfile:
    _require_owner(profile, by)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.available_from and profile.available_from < timezone.localdate() and not profile.available_now:
        raise ValidationError({"available_from": "Choose a date from today on, or mark yourself available now."})
    if timezone_invalid(profile.timezone):
        raise ValidationError({"timezone": f"“{profile.timezone}” is not a time zone (e.g. Europe/Lisbon)."})
    validated(profile)
    profile.save()
    profile_index(profile=profile)
    return profile


def timezone_invalid(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return True
    return False


@transaction.atomic
def profile_skills_set(*, profile: FreelancerProfile, by: User, skills: dict[str, int]) -> list[ProfileSkill]:
    """Replace the profile's skills: {name or synonym: years of experience}."""
    _require_owner(profile, by)
    if len(skills) > MAX_SKILLS:
        raise ValidationError({"skills": f"List at most {MAX_SKILLS} skills."})
    for name, years in skills.items():
        if not isinstance(years, int) or not 0 <= years <= 50:
            raise ValidationError({"skills": f"Years of experience with {name} must be a whole number from 0 to 50."})
    # One lookup for all names; two synonyms of one skill keep the first one's years.
    chosen: dict[int, ProfileSkill] = {}
    for name, skill in skills_by_name(skills).items():
        chosen.setdefault(skill.pk, ProfileSkill(profile=profile, skill=skill, years=skills[name]))
    profile.profile_skills.all().delete()
    rows = ProfileSkill.objects.bulk_create(list(chosen.values()))
    profile_index(profile=profile)
    return rows


@transaction.atomic
def portfolio_item_add(
    *, profile: FreelancerProfile, by: User, title: str, description: str = "", url: str = ""
) -> PortfolioItem:
    _require_owner(profile, by)
    profile = lock(profile)  # items added at once are counted one after the other
    if profile.portfolio.count() >= MAX_PORTFOLIO:
        raise ValidationError({"title": f"A portfolio holds at most {MAX_PORTFOLIO} pieces: remove one first."})
    item = validated(PortfolioItem(profile=profile, title=title.strip(), description=description, url=url))
    item.save()
    profile_index(profile=profile)
    return item  # type: ignore[return-value]


@transaction.atomic
def portfolio_item_remove(*, item: PortfolioItem, by: User) -> None:
    _require_owner(item.profile, by)
    profile = item.profile
    item.delete()
    profile_index(profile=profile)
