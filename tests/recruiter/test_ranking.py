"""The re-ranker weighs the facts the way the recruiting policy judges them: every required skill, and a
job success score that rests on a proven record rather than on one lucky job."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import FreelancerProfile
from recruiter.ranking import record, rerank
from tests.factories import FreelancerFactory
from tests.recruiter.conftest import need_for

pytestmark = pytest.mark.django_db
NEED = need_for()


def _profile(name: str, *, jss: int | None, jobs: int) -> FreelancerProfile:
    user = FreelancerFactory(email=f"{name}@example.com", first_name=name.title())
    FreelancerProfile.objects.filter(user=user).update(
        hourly_rate=Decimal("50"),
        job_success_score=jss,
        job_success_basis={"contracts": jobs},
        response_hours=4.0,
        weekly_hours_free=30,
        timezone="Europe/Lisbon",
    )
    return FreelancerProfile.objects.get(user=user)


def _order(people: dict[str, tuple[FreelancerProfile, list[str]]], preferences: list[str] = ()) -> list[str]:
    retrieved = [{"profile_id": p.pk, "fused": 0.03} for p, _ in people.values()]
    ranked = rerank(
        NEED,
        retrieved,
        preferences=list(preferences),
        skills={p.pk: skills for p, skills in people.values()},
        at=timezone.now(),
        client_tz="Europe/Lisbon",
    )
    return [r.profile.user.first_name for r in ranked]


def test_a_score_counts_in_full_only_over_a_proven_record():
    assert record(_profile("newcomer", jss=None, jobs=0)) == 0
    assert record(_profile("lucky", jss=100, jobs=1)) == pytest.approx(1 / 3)
    assert record(_profile("proven", jss=95, jobs=7)) == pytest.approx(0.95)


def test_a_proven_record_beats_one_lucky_job_and_all_skills_beat_one():
    every = ["Django", "React", "Stripe"]
    people = {
        "lucky": (_profile("lucky", jss=100, jobs=1), every),
        "proven": (_profile("proven", jss=94, jobs=6), every),
        "narrow": (_profile("narrow", jss=98, jobs=9), ["Django"]),
    }
    assert _order(people) == ["Proven", "Lucky", "Narrow"]


def test_a_stated_preference_doubles_what_the_client_cares_about():
    people = {
        "newcomer": (_profile("newcomer", jss=None, jobs=0), ["Django", "React", "Stripe"]),
        "veteran": (_profile("veteran", jss=97, jobs=12), ["Django"]),
    }
    FreelancerProfile.objects.filter(pk=people["veteran"][0].pk).update(response_hours=40.0)
    assert _order(people)[0] == "Newcomer"
    assert _order(people, ["proven_record"])[0] == "Veteran"


def test_free_now_for_all_the_hours_beats_free_later_or_for_fewer():
    every = ["Django", "React", "Stripe"]
    people = {
        "later": (_profile("later", jss=99, jobs=8), every),
        "part": (_profile("part", jss=97, jobs=8), every),
        "now": (_profile("now", jss=95, jobs=8), every),
    }
    FreelancerProfile.objects.filter(pk=people["later"][0].pk).update(
        available_now=False, available_from=timezone.localdate() + timedelta(days=9)
    )
    FreelancerProfile.objects.filter(pk=people["part"][0].pk).update(weekly_hours_free=10)
    assert _order(people) == ["Now", "Part", "Later"]
    assert _order(people, ["full_availability"]) == ["Now", "Part", "Later"]


def test_asking_for_all_the_hours_outweighs_a_better_record():
    every = ["Django", "React", "Stripe"]
    people = {
        "part": (_profile("part", jss=99, jobs=8), every),  # 15 of the 20 hours
        "full": (_profile("full", jss=80, jobs=8), every),
    }
    FreelancerProfile.objects.filter(pk=people["part"][0].pk).update(weekly_hours_free=15)
    assert _order(people) == ["Part", "Full"]
    assert _order(people, ["full_availability"]) == ["Full", "Part"]
