"""A contract in trouble and a small market of possible replacements, with real embeddings.

alice (Business Plus) hired bob, hourly at $55 on a Django/React/Stripe job ($40–$60/hr), and he went
quiet. Who could replace him:
- cara: all three skills, $50/hr, 96% job success, replies in 3 hours → strong
- dan: Django and React, $45/hr, 84% job success → possible
- eve: all three skills but $90/hr (over the budget and its tolerance) → filtered out
- fay: all three skills, not available → filtered out
- gus: a brand designer → no needed skill, filtered out
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import FreelancerProfile
from marketplace.services.contracts import contract_create
from marketplace.services.profiles import profile_skills_set
from recruiter.models import RiskCase
from recruiter.retrieval import Need
from recruiter.services.embeddings import embeddings_refresh_batch
from tests.factories import FreelancerFactory, JobFactory
from uma.llm.backends import Generation

PEOPLE = {
    "cara": ({"Django": 6, "React": 4, "Stripe": 3}, "50", True, 96, 20, 3.0, "Full-stack Django and React developer"),
    "dan": ({"Django": 3, "React": 2}, "45", True, 84, 9, 10.0, "Django developer for online shops"),
    "eve": ({"Django": 8, "React": 6, "Stripe": 5}, "90", True, 99, 40, 2.0, "Senior Django architect"),
    "fay": ({"Django": 5, "React": 5, "Stripe": 2}, "50", False, 95, 12, 4.0, "Django and Stripe checkout expert"),
    "gus": ({"Figma": 6}, "40", True, 97, 30, 2.0, "Brand designer: logos and packaging"),
}


def need_for(**fields: object) -> Need:
    """A replacement need for an hourly Django/React/Stripe job ($40–$60/hr, 20 h/week); `fields` override."""
    defaults: dict = {
        "title": "Checkout rebuild",
        "text": "",
        "skills": ["Django", "React", "Stripe"],
        "skill_ids": [],
        "contract_type": "hourly",
        "budget_min": Decimal("40"),
        "budget_max": Decimal("60"),
        "weekly_hours": 20,
        "start": timezone.localdate(),
    }
    return Need(**(defaults | fields))


def replacement(name: str, skills: dict, rate: str, available: bool, jss: int, jobs: int, reply: float, headline: str):
    user = FreelancerFactory(email=f"{name}@example.com", first_name=name.title(), last_name="Test")
    FreelancerProfile.objects.filter(user=user).update(
        headline=headline,
        overview=f"{headline}. I build and fix web apps.",
        hourly_rate=Decimal(rate),
        available_now=available,
        available_from=None,
        weekly_hours_free=30,
        job_success_score=jss,
        job_success_basis={"contracts": jobs},
        response_hours=reply,
        timezone="Europe/Lisbon",
    )
    profile_skills_set(profile=FreelancerProfile.objects.get(user=user), by=user, skills=skills)
    return user


@pytest.fixture
def market(alice, bob):
    FreelancerProfile.objects.filter(user=bob).update(hourly_rate=Decimal("55"), timezone="Europe/Lisbon")
    profile_skills_set(profile=bob.freelancer_profile, by=bob, skills={"Django": 7, "React": 5, "Stripe": 3})
    people = {name: replacement(name, *row) for name, row in PEOPLE.items()}
    job = JobFactory(
        organization=alice.organizations.get(),
        created_by=alice,
        title="Rebuild the checkout of our spare-parts shop",
        description="A new checkout in Django and React with Stripe, tested.",
        skills=["Django", "React", "Stripe"],
        budget_min=Decimal("40"),
        budget_max=Decimal("60"),
        status="filled",
    )
    contract = contract_create(
        source_ref="test:market",
        organization=alice.organizations.get(),
        client=alice,
        freelancer=bob,
        job=job,
        title="Checkout rebuild",
        contract_type="hourly",
        hourly_rate=Decimal("55"),
        weekly_limit=20,
        start_date=timezone.localdate() - timedelta(days=30),
        scope="Rebuild the checkout in Django and React with Stripe.",
    )
    for kind in ("profile", "job"):
        embeddings_refresh_batch(kind=kind)
    return {"contract": contract, "job": job, "people": people}


@pytest.fixture
def case(market):
    return RiskCase.objects.create(
        contract=market["contract"],
        service=RiskCase.Service.SHORTLIST,
        score=55,
        signals=[{"code": "client_unanswered", "reason": "No reply to the client for 52 hours", "weight": 55}],
        detected_at=timezone.now(),
    )


@pytest.fixture
def ready(case):
    """The case with its first shortlist built (cara strong, dan possible)."""
    from recruiter.services import shortlists

    shortlists.shortlist_start(case=case, by=None, preferences=[])
    shortlists.shortlist_build(case_id=case.pk, round_=1, generate=by_findings)
    case.refresh_from_db()
    return case


def by_findings(messages, *, max_new_tokens):  # noqa: ANN001, ANN201
    """A stand-in model that follows the policy the prompt states, from the findings it is shown."""
    text = messages[-1]["content"]
    lines = text.split("<<<findings")[1].split(">>>")[0].strip().splitlines()
    kinds = [line.split(". ", 1)[1].split(": ", 1)[0] for line in lines]
    concerns = kinds.count("concern")
    verdict = "weak" if "against" in kinds or concerns >= 3 else "possible" if concerns else "strong"
    label = re.search(r"Label: (Candidate [A-Z]+)", text).group(1)  # type: ignore[union-attr]
    reasons = list(range(1, len(lines) + 1))[:3]  # by number, deciding ones first as the prompt lists them
    answer = {"reasons": reasons, "verdict": verdict, "explanation": f"{label} is a {verdict} fit for this job."}
    return Generation(text=json.dumps(answer), prompt_tokens=300, completion_tokens=60, model_version="scripted@1")


def broken(messages, *, max_new_tokens):  # noqa: ANN001, ANN201
    """A stand-in model whose answers never validate (every result falls back)."""
    return Generation(
        text="I think they are great!", prompt_tokens=300, completion_tokens=8, model_version="scripted@1"
    )
