"""Platform rows for Uma's synthetic training data (UMA_TRAINING_SOURCES): real jobs paired with real
freelancers, as the plain inputs of candidate_rationale and invitation_message. Each example names the
freelancer it is about, so the train / validation / test split keeps every freelancer on one side."""

from __future__ import annotations

import random
import string
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from marketplace.models import FreelancerProfile, JobPost
from recruiter.facts import candidate_facts, job_facts, past_work_of, skills_of_profiles

Example = tuple[str, dict]


def _pairs(*, limit: int, seed: int) -> Iterator[tuple[JobPost, list[str], FreelancerProfile, list[str], list[str]]]:
    """(job, its skills, profile, their skills, their past work): mostly freelancers who share a skill
    with the job, some chosen at random, in a fixed order for a seed."""
    rng = random.Random(seed)
    profiles = {p.pk: p for p in FreelancerProfile.objects.select_related("user").order_by("pk")}
    skills = skills_of_profiles(list(profiles))
    past = past_work_of(list(profiles.values()))
    by_skill: dict[str, list[int]] = defaultdict(list)
    for profile_id, names in skills.items():
        for name in names:
            by_skill[name].append(profile_id)
    jobs = list(JobPost.objects.select_related("organization").prefetch_related("skills").order_by("pk"))
    rng.shuffle(jobs)
    everyone = list(profiles)
    made = 0
    while made < limit and jobs and everyone:
        for job in jobs:
            job_skills = sorted(s.name for s in job.skills.all())
            near = sorted({pid for name in job_skills for pid in by_skill.get(name, [])})
            pool = rng.sample(near, min(2, len(near))) + [rng.choice(everyone)]
            for profile_id in pool:
                if made >= limit:
                    return
                made += 1
                yield job, job_skills, profiles[profile_id], skills.get(profile_id, []), past.get(profile_id, [])


def candidate_examples(*, limit: int, seed: int = 0) -> Iterator[Example]:
    rng = random.Random(seed + 1)
    today = timezone.localdate()
    for job, job_skills, profile, skills, past in _pairs(limit=limit, seed=seed):
        label = f"Candidate {rng.choice(string.ascii_uppercase)}"
        yield (
            f"freelancer:{profile.pk}",
            {
                "job": job_facts(job, skills=job_skills),
                "candidate": candidate_facts(profile, label=label, skills=skills, past_work=past, today=today),
            },
        )


def invitation_examples(*, limit: int, seed: int = 0) -> Iterator[Example]:
    rng = random.Random(seed + 2)
    today = timezone.localdate()
    made = 0
    for job, job_skills, profile, skills, past in _pairs(limit=limit * 3, seed=seed):
        have = {s.lower() for s in skills}
        matching = [s for s in job_skills if s.lower() in have]
        if not matching:
            continue
        yield (
            f"freelancer:{profile.pk}",
            {
                "first_name": profile.user.first_name or profile.user.username,
                "job_title": job.title,
                "client": job.organization.name,
                "job_skills": job_skills,
                "matching_skills": matching[:5],
                "past_work": past[:2],
                "contract_type": job.contract_type,
                "start": (today + timedelta(days=rng.randint(3, 40))).isoformat(),
                "weekly_hours": job.weekly_hours if job.contract_type == "hourly" else None,
            },
        )
        made += 1
        if made >= limit:
            return
