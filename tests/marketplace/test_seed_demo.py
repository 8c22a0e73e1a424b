import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.demo.world import DEMO_DOMAIN, Sizes, build_world, stacks_of
from marketplace.models import (
    Contract,
    FreelancerProfile,
    JobPost,
    Message,
    Milestone,
    Organization,
    ProfileSkill,
    User,
)

SMALL = ["--orgs", "6", "--freelancers", "80", "--jobs", "40", "--contracts", "60", "--history", "100"]


def fingerprint():
    return (
        list(
            User.objects.filter(email__endswith=DEMO_DOMAIN).order_by("email").values_list("email", "first_name")[:50]
        ),
        list(JobPost.objects.order_by("title", "budget_min", "description").values_list("title", "budget_min")[:50]),
        list(FreelancerProfile.objects.order_by("user__email").values_list("headline", "hourly_rate")[:50]),
    )


def test_stacks_cover_the_pool_and_none_is_a_fragment():
    pool = list("abcdefghijklm")  # 13 skills: 6 + 6 + 1 left over
    stacks = stacks_of(pool, size=6)
    assert [len(s) for s in stacks] == [6, 6, 6] and all(len(set(s)) == 6 for s in stacks)
    assert {x for s in stacks for x in s} == set(pool)
    assert stacks[-1] == ["m", "a", "b", "c", "d", "e"]  # filled up from the start, not a lone "m"
    assert stacks_of(list("abc"), size=6) == [["a", "b", "c"]]


@pytest.mark.django_db
def test_small_world_is_believable_deterministic_and_not_added_twice():
    call_command("seed_demo", *SMALL, "--seed", "3")
    counts = (User.objects.count(), JobPost.objects.count(), Contract.objects.count(), Message.objects.count())
    first = fingerprint()

    call_command("seed_demo", *SMALL, "--seed", "3")  # again: nothing added
    assert (User.objects.count(), JobPost.objects.count(), Contract.objects.count(), Message.objects.count()) == counts

    call_command("seed_demo", *SMALL, "--seed", "3", "--reset")  # rebuilt: the same data
    assert fingerprint() == first
    assert Contract.objects.filter(source_ref="demo:cast:alice-bob").exists()  # the cast's story is kept

    assert Organization.objects.filter(plan="enterprise").exists()
    assert Organization.objects.filter(plan="basic").exists()
    assert set(Contract.objects.values_list("status", flat=True)) == {"active", "paused", "ended", "cancelled"}
    profile = FreelancerProfile.objects.filter(user__email__endswith=DEMO_DOMAIN).first()
    assert len(profile.overview) > 150 and "lorem" not in profile.overview.lower()
    assert profile.profile_skills.count() >= 4
    assert JobPost.objects.filter(search_vector__isnull=False).count() == JobPost.objects.count()


@pytest.mark.django_db
def test_the_cast_has_a_story_with_a_contract_in_trouble(alice, bob, carol, dave, rita):
    call_command("seed_demo", "--cast-only")
    call_command("seed_demo", "--cast-only")
    checkout = Contract.objects.get(source_ref="demo:cast:alice-bob")
    overdue = checkout.milestones.get(title="Checkout page")
    assert overdue.status == Milestone.Status.ACTIVE and overdue.due_date < timezone.localdate()
    silent = Contract.objects.get(source_ref="demo:cast:alice-dave")
    assert silent.thread.messages.order_by("-created_at").first().sender == alice
    assert carol.organizations.get().jobs.get().proposals.filter(freelancer=dave).exists()


@pytest.mark.django_db
def test_default_size_builds_from_an_empty_database_with_contracts_in_trouble():
    result = build_world(seed=7, sizes=Sizes())
    assert Organization.objects.count() == 40
    assert FreelancerProfile.objects.count() == 2000
    assert JobPost.objects.count() == 600
    assert Contract.objects.filter(source_ref__regex=r"^demo:\d").count() == 800
    assert Contract.objects.filter(source_ref__startswith="demo:past:", status="ended").count() == 2400
    assert result["trouble"]["overdue"] > 0 and result["trouble"]["silent"] > 0
    overdue = Milestone.objects.filter(
        contract__status="active", status="active", due_date__lt=timezone.localdate(), submissions__isnull=True
    )
    assert overdue.exists()
    scored = FreelancerProfile.objects.filter(job_success_score__isnull=False)
    assert scored.count() > 300
    # Like a real marketplace: a minority with a proven record (3+ jobs), about half with none yet.
    jobs = [p.completed_jobs for p in FreelancerProfile.objects.only("job_success_basis")]
    proven = sum(n >= 3 for n in jobs) / len(jobs)
    assert 0.1 < proven < 0.3 and 0.35 < jobs.count(0) / len(jobs) < 0.65
    assert (
        FreelancerProfile.objects.filter(job_success_basis__contracts__gte=3, job_success_score__gte=90).count() > 100
    )
    assert FreelancerProfile.objects.filter(response_hours__isnull=False).count() > 150
    # Jobs ask for skills that go together: someone in the market holds every skill a job lists.
    held: dict[int, set[int]] = {}
    for user_id, skill_id in ProfileSkill.objects.values_list("profile__user_id", "skill_id"):
        held.setdefault(user_id, set()).add(skill_id)
    asks: dict[int, set[int]] = {}
    for job_id, skill_id in JobPost.skills.through.objects.values_list("jobpost_id", "skill_id"):
        asks.setdefault(job_id, set()).add(skill_id)
    assert len(asks) == 600 and all(any(need <= have for have in held.values()) for need in asks.values())
