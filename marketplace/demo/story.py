"""The cast's own story, so each demo login has something to look at:
alice hires bob (a fixed-price contract whose 'Checkout page' milestone is overdue) and dave (hourly,
who has not answered her for four days); carol has an open job that dave proposed on and bob is invited to."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.models import Contract, JobPost, Message, Proposal, SkillCategory, User
from marketplace.services import contracts as contract_svc
from marketplace.services import jobs as job_svc
from marketplace.services.contracts import MilestoneTerms
from marketplace.services.messaging import thread_for_contract
from marketplace.services.profiles import profile_skills_set, profile_update
from marketplace.services.skills import skill_resolve


@transaction.atomic
def cast_story() -> None:
    if Contract.objects.filter(source_ref="demo:cast:alice-bob").exists():
        return
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@tandem.test")}
    alice, bob, carol, dave = people["alice"], people["bob"], people["carol"], people["dave"]
    today, now = timezone.localdate(), timezone.now()

    profile_update(
        profile=bob.freelancer_profile,
        by=bob,
        hourly_rate=Decimal("55"),
        country="Portugal",
        timezone="Europe/Lisbon",
        languages=["English", "Portuguese"],
        overview="Full-stack developer: Django and React for online shops and SaaS. I built checkout flows "
        "for three e-commerce brands and care about tests and clear handovers.",
    )
    profile_skills_set(
        profile=bob.freelancer_profile, by=bob, skills={"Django": 7, "React": 5, "PostgreSQL": 6, "Stripe": 3}
    )
    profile_update(
        profile=dave.freelancer_profile,
        by=dave,
        hourly_rate=Decimal("48"),
        country="Mexico",
        timezone="America/Mexico_City",
        languages=["Spanish", "English"],
        overview="Data engineer: Airflow, dbt and PostgreSQL pipelines; Power BI dashboards for sales teams.",
    )
    profile_skills_set(
        profile=dave.freelancer_profile,
        by=dave,
        skills={"Python": 8, "Apache Airflow": 4, "dbt": 3, "Microsoft Power BI": 4},
    )

    acme = alice.organizations.get()
    shop = job_svc.job_create(
        organization=acme,
        by=alice,
        publish=True,
        skills=["Django", "React", "Stripe"],
        title="Rebuild the checkout of our spare-parts shop",
        description="Acme Robotics sells spare parts online. Our checkout is slow and drops 30% of carts on phones. "
        "We need a new checkout in Django and React with Stripe, tested, in three milestones.",
        category=_category_of("Django"),
        contract_type="fixed",
        budget_min=Decimal("2500"),
        budget_max=Decimal("4000"),
    )
    checkout = contract_svc.contract_create(
        source_ref="demo:cast:alice-bob",
        organization=acme,
        client=alice,
        freelancer=bob,
        job=shop,
        title="Checkout rebuild",
        contract_type="fixed",
        fixed_amount=Decimal("3000"),
        start_date=today - timedelta(days=24),
        scope=shop.description,
        milestones=[
            MilestoneTerms("Design mockups", Decimal("600"), today - timedelta(days=14)),
            MilestoneTerms("Checkout page", Decimal("1400"), today - timedelta(days=3)),
            MilestoneTerms("Payments and launch", Decimal("1000"), today + timedelta(days=12)),
        ],
    )
    first = checkout.milestones.get(position=1)
    contract_svc.milestone_submit(milestone=first, by=bob, note="Mockups for desktop and phone are in Figma.")
    contract_svc.milestone_approve(milestone=first, by=alice)
    contract_svc.milestone_pay(milestone=first, by=alice)
    _conversation(
        checkout,
        now,
        [
            (alice, 20 * 24, "Welcome Bob! The repo invite is on its way."),
            (bob, 20 * 24 - 2, "Thanks Alice, I'm in. Mockups by next week."),
            (alice, 5 * 24, "How is the checkout page coming along?"),
            (bob, 4 * 24, "Nearly there, a couple of days more."),
        ],
    )

    pipeline = contract_svc.contract_create(
        source_ref="demo:cast:alice-dave",
        organization=acme,
        client=alice,
        freelancer=dave,
        title="Data pipeline upkeep",
        contract_type="hourly",
        hourly_rate=Decimal("48"),
        weekly_limit=15,
        start_date=today - timedelta(days=40),
    )
    for days_ago in (30, 23, 16, 9):
        contract_svc.time_log_add(
            contract=pipeline,
            by=dave,
            day=today - timedelta(days=days_ago),
            hours=Decimal("6"),
            memo="Nightly loads and dbt models",
        )
    _conversation(
        pipeline,
        now,
        [
            (alice, 100, "Dave, last night's load failed. Can you look?"),
            (alice, 50, "Any news? The sales dashboard is empty today."),
        ],
    )

    studio = carol.organizations.get()
    dashboard = job_svc.job_create(
        organization=studio,
        by=carol,
        publish=True,
        skills=["Power BI", "SQL"],
        title="Sales dashboard in Power BI",
        description="Bright Studio needs a Power BI dashboard over our Shopify and Stripe data, refreshed daily.",
        category=_category_of("Power BI"),
        contract_type="hourly",
        budget_min=Decimal("30"),
        budget_max=Decimal("55"),
    )
    if not Proposal.objects.filter(job=dashboard, freelancer=dave).exists():
        job_svc.proposal_submit(
            job=dashboard,
            freelancer=dave,
            bid_amount=Decimal("45"),
            estimated_duration="lt1m",
            cover_letter="I've built Power BI dashboards over Stripe data for two retailers.",
        )
    job_svc.invitation_send(job=dashboard, by=carol, freelancer=bob, message="Your Stripe experience could help here.")
    JobPost.objects.filter(pk__in=[shop.pk, dashboard.pk]).update(published_at=now - timedelta(days=2))


def _category_of(skill_name: str) -> SkillCategory:
    skill = skill_resolve(skill_name)
    if skill is None:
        raise LookupError(f"the skills taxonomy has no {skill_name!r}")
    return skill.category


def _conversation(contract: Contract, now, lines) -> None:  # noqa: ANN001
    thread = thread_for_contract(contract=contract)
    Message.objects.bulk_create(
        [
            Message(thread=thread, sender=who, body=body, created_at=now - timedelta(hours=hours_ago))
            for who, hours_ago, body in lines
        ]
    )
    thread.last_message_at = max(now - timedelta(hours=h) for _, h, _ in lines)
    thread.save(update_fields=["last_message_at"])
