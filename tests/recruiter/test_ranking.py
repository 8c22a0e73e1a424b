"""The re-ranker lets relevance lead, and weighs the facts the way the recruiting policy judges them:
every required skill (a rare one above a common one), and a job success score that rests on a proven
record rather than on one lucky job, with a fair prior for newcomers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import FreelancerProfile
from recruiter.ranking import Ranked, record, rerank, with_a_proven_fit
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


def _order(
    people: dict[str, tuple[FreelancerProfile, list[str]]], preferences: list[str] = (), fused: dict | None = None
) -> list[str]:
    retrieved = [{"profile_id": p.pk, "fused": (fused or {}).get(name, 0.03)} for name, (p, _) in people.items()]
    ranked = rerank(
        NEED,
        retrieved,
        preferences=list(preferences),
        skills={p.pk: skills for p, skills in people.values()},
        at=timezone.now(),
        client_tz="Europe/Lisbon",
    )
    return [r.profile.user.first_name for r in ranked]


def test_a_newcomer_starts_from_a_fair_prior_not_from_nothing():
    newcomer, lucky = _profile("newcomer", jss=None, jobs=0), _profile("lucky", jss=100, jobs=1)
    proven, poor = _profile("proven", jss=95, jobs=12), _profile("poor", jss=40, jobs=12)
    assert record(newcomer) == pytest.approx(0.5)  # was 0: buried under anyone with a record
    assert record(poor) < record(newcomer) < record(lucky) < record(proven)
    assert record(proven) == pytest.approx((0.95 * 12 + 0.5 * 3) / 15)


def test_asking_for_a_proven_record_counts_only_proven_work():
    assert record(_profile("newcomer", jss=None, jobs=0), proven_only=True) == 0
    assert record(_profile("lucky", jss=100, jobs=1), proven_only=True) == pytest.approx(1 / 3)
    assert record(_profile("proven", jss=95, jobs=7), proven_only=True) == pytest.approx(0.95)


def test_relevance_leads_and_a_newcomer_who_fits_beats_a_veteran_who_fits_less():
    every = ["Django", "React", "Stripe"]
    people = {
        "veteran": (_profile("veteran", jss=98, jobs=20), every),
        "newcomer": (_profile("newcomer", jss=None, jobs=0), every),
    }
    assert _order(people, fused={"veteran": 0.020, "newcomer": 0.032}) == ["Newcomer", "Veteran"]
    assert _order(people, fused={"veteran": 0.032, "newcomer": 0.031}) == ["Veteran", "Newcomer"]


def test_a_rare_required_skill_counts_more_than_a_common_one():
    from marketplace.models import ProfileSkill, Skill

    common, rare = Skill.objects.get(name="REST API"), Skill.objects.get(name="Java")
    crowd = [_profile(f"crowd{i}", jss=90, jobs=5) for i in range(6)]
    for profile in crowd:
        ProfileSkill.objects.create(profile=profile, skill=common, years=3)
    need = need_for(skills=[common.name, rare.name], skill_ids=[common.pk, rare.pk])
    people = {"generic": _profile("generic", jss=90, jobs=5), "core": _profile("core", jss=90, jobs=5)}
    retrieved = [{"profile_id": p.pk, "fused": 0.03} for p in people.values()]
    skills = {people["generic"].pk: ["REST API"], people["core"].pk: ["Java"]}
    ranked = rerank(need, retrieved, preferences=[], skills=skills, at=timezone.now(), client_tz="Europe/Lisbon")
    assert [r.profile.user.first_name for r in ranked] == ["Core", "Generic"]
    assert ranked[0].features["skills"] > 0.5 > ranked[1].features["skills"]


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


def _ranked(pk: int, *, jobs: int, skills: float = 1.0) -> Ranked:
    profile = FreelancerProfile(pk=pk, job_success_score=96, job_success_basis={"contracts": jobs}, response_hours=3)
    features = {"skills": skills, "availability": 1.0, "rate_fit": 1.0}
    return Ranked(profile, score=1 - pk / 100, features=features, retrieval={})


def test_a_shortlist_keeps_a_place_for_the_best_proven_fit():
    """Relevance leads, so six newcomers can fill the first places; the best-placed proven fit (every
    listed skill, 3+ jobs at 90%+, free, replies fast, in budget) takes the sixth, the rest keep order.
    Without it half the demo worlds' shortlists had no "strong" candidate and went to a recruiter."""
    newcomers = [_ranked(pk, jobs=0) for pk in range(1, 8)]
    missing_a_skill, proven = _ranked(8, jobs=9, skills=0.5), _ranked(9, jobs=9)
    order = with_a_proven_fit(NEED, [*newcomers, missing_a_skill, proven], size=6)
    assert [r.profile.pk for r in order] == [1, 2, 3, 4, 5, 9, 6, 7, 8]
    already = [_ranked(1, jobs=9), *newcomers[1:]]
    assert with_a_proven_fit(NEED, already, size=6) == already  # one is there: nothing moves
    assert with_a_proven_fit(NEED, newcomers, size=6) == newcomers  # none to bring
