"""Platform rows for Uma's synthetic job post data (UMA_TRAINING_SOURCES): real job posts told back the
way a client first says them (a title, a clause, sometimes a budget or a deadline), with answers taken
from the rest of the post; freelancers answering an interview from their own profile. Inputs are made by
the same code the workers use. Split by job (by freelancer for interview assessments)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from hiring import reading
from hiring.models import JobDraft
from hiring.services.interviews import assessment_data, questions_input
from hiring.services.job_drafts import draft_input, skills_named
from marketplace.models import FreelancerProfile, JobPost
from uma.task_specs.job_post_questions import MOST, family, wording

Example = tuple[str, dict]
DELIVERABLES = {
    "software": [
        "Working code in our repository, tests and a short handover note",
        "A deployed fix and a note on the cause",
    ],
    "design": ["Final files and source files", "Exported files for web and print, and a style guide"],
    "writing": ["The finished text in a shared document", "Each piece ready to publish"],
    "other": ["A short report of the work done", "The finished work and a handover call"],
}
OPENERS = ("", "need someone to help with ", "Looking for help: ", "We need ", "hi, we need help with ")


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s", " ".join(text.split()))


def _said(job: JobPost, rng: random.Random) -> str:
    """What a client might add to the first sentence: a budget, how they pay, a level, a duration."""
    extras = []
    if rng.random() < 0.25 and job.budget_max:
        per = "/hr" if job.contract_type == "hourly" else ""
        extras.append(f"budget ${job.budget_min or job.budget_max:.0f}-{job.budget_max:.0f}{per}")
    if rng.random() < 0.25:
        extras.append("hourly" if job.contract_type == "hourly" else "fixed price")
    if rng.random() < 0.2:
        extras.append(
            {"entry": "junior is fine", "intermediate": "mid-level", "expert": "senior only"}[job.experience_level]
        )
    if rng.random() < 0.2:
        extras.append(job.get_duration_display().lower())
    return ", ".join(extras)


def _lowered(title: str) -> str:
    """The title inside a sentence: "fix our checkout", but "SEO writing" and "PHP expert" as written."""
    first = title.split(" ", 1)[0]
    return title[0].lower() + title[1:] if first[1:].islower() and first.isalpha() else title


def _need(job: JobPost, rng: random.Random) -> str:
    opener = rng.choice(OPENERS)
    title = _lowered(job.title) if opener else job.title
    need = opener + title
    if rng.random() < 0.3:
        need += ". " + _sentences(job.description)[0][:300]
    extras = _said(job, rng)
    return (need + (", " + extras if extras else ""))[:1000]


def _jobs(*, limit: int, seed: int) -> Iterator[tuple[JobPost, str]]:
    rng = random.Random(seed)
    jobs = list(JobPost.objects.prefetch_related("skills").order_by("pk"))
    rng.shuffle(jobs)
    made = 0
    while jobs and made < limit:
        for job in jobs:
            if made >= limit:
                return
            made += 1
            yield job, _need(job, rng)


def question_examples(*, limit: int, seed: int = 0) -> Iterator[Example]:
    for job, need in _jobs(limit=limit, seed=seed):
        read = reading.read(need)
        if not read.open_topics:
            continue
        skills, kind = skills_named(need)
        yield (
            f"job:{job.pk}",
            {"need": need, "kind_of_work": kind, "skills": skills, "open_topics": read.open_topics, "thin": read.thin},
        )


def _answer(job: JobPost, topic: str, kind: str, rng: random.Random) -> str:
    sentences = _sentences(job.description)
    return {
        "scope": " ".join(sentences[:2])[:600],
        "deliverables": rng.choice(DELIVERABLES[family(kind)]),
        "timeline": job.get_duration_display(),
        "experience": job.get_experience_level_display(),
        "contract_type": "Hourly" if job.contract_type == "hourly" else "Fixed price",
        "budget": rng.choice(
            ["Not sure, suggest one", f"Up to ${job.budget_max:.0f}" if job.budget_max else "No idea"]
        ),
    }[topic]


def draft_examples(*, limit: int, seed: int = 0) -> Iterator[Example]:
    rng = random.Random(seed + 3)
    for job, need in _jobs(limit=limit, seed=seed):
        read = reading.read(need)
        skills, kind = skills_named(need)
        topics = read.open_topics[:MOST]
        questions = [{"topic": t, "text": wording(t, kind, thin=read.thin)} for t in topics]
        answers = {t: _answer(job, t, kind, rng) for t in topics if rng.random() < 0.85}
        draft = JobDraft(need=need, questions=questions, answers=answers)
        yield f"job:{job.pk}", draft_input(draft)


def interview_question_examples(*, limit: int, seed: int = 0) -> Iterator[Example]:
    """Real job posts, as the client's interview would be written from them."""
    rng = random.Random(seed + 5)
    for job, _ in _jobs(limit=limit, seed=seed):
        asked = rng.sample(
            ["What is your availability?", "Have you done similar work before?", "Why this job?"], k=rng.randint(0, 2)
        )
        yield f"job:{job.pk}", questions_input(job, asked=asked, count=3)


PLANS = [
    "I would start by reading what exists, then agree the first milestone with you and deliver it with {skill}.",
    "First a short call to agree the scope, then I would build it step by step in {skill} and show you each week.",
    "I would begin with the riskiest part, test it early, and keep you updated.",
]
USED = [
    "I have used {skills} in paid work for {years} years.",
    "My last projects were built with {skills}, from the first draft to the handover.",
    "Most of my recent work is {skills}, for clients much like you.",
]
LACK = ["I have not used {skill} yet, but I learn fast.", "I would learn {skill} on the job; it is new to me."]
HOURS = ["{hours} hours a week.", "I can give {hours} hours a week and start next week.", "About {hours} hours."]


def _closest(profiles: list[FreelancerProfile], needs: set[str], rng: random.Random) -> FreelancerProfile:
    """Of a few profiles drawn at random, the one holding most of the job's skills."""
    drawn = rng.sample(profiles, k=min(40, len(profiles)))
    return max(drawn, key=lambda p: len(needs & {s.name for s in p.skills.all()}))


def _experience(overview: str, named: list[str], lacking: list[str], rng: random.Random) -> str:
    """The first answer of a strong candidate: their overview, the job's skills they hold (`named`: only
    skills the profile lists) as their own, and sometimes one of the job's they say they lack."""
    said = overview + " " + rng.choice(USED).format(skills=" and ".join(named[:3]), years=rng.randint(2, 9))
    if lacking and rng.random() < 0.3:
        said += " " + rng.choice(LACK).format(skill=rng.choice(lacking))
    return said[:600]


def interview_assessment_examples(*, limit: int, seed: int = 0) -> Iterator[Example]:
    """Real freelancers answering a real job's interview from their own profile: their overview, a plan,
    their hours. Half are the closest of a few profiles to the job, and name the job's skills they hold:
    without them the data would hold almost no good interviews."""
    rng = random.Random(seed + 7)
    profiles = list(FreelancerProfile.objects.select_related("user").prefetch_related("skills").order_by("pk"))
    if not profiles:
        return
    for job, _ in _jobs(limit=limit, seed=seed):
        needs = {s.name for s in job.skills.all()}
        strong = rng.random() < 0.5
        profile = _closest(profiles, needs, rng) if strong else rng.choice(profiles)
        held = [s.name for s in profile.skills.all()]
        shared = [s for s in held if s in needs]
        overview = " ".join(_sentences(profile.overview)[:2])
        turns = [
            {
                "question": "Tell us about your work with these tools.",
                "answer": (
                    _experience(overview, shared or held[:2], sorted(needs - set(held)), rng)
                    if strong
                    else overview[:600]
                ),
            },
            {
                "question": "How would you approach this job?",
                "answer": rng.choice(PLANS).format(skill=(shared or held or ["care"])[0]),
            },
            {
                "question": "How many hours a week can you give?",
                "answer": rng.choice(HOURS).format(hours=profile.weekly_hours_free),
            },
        ]
        yield f"freelancer:{profile.pk}", assessment_data(job, profile.user, turns)
