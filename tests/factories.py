"""factory_boy factories for Tandem's models; the cast in conftest.py is built from these."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from marketplace.models import FreelancerProfile, Membership, Organization, User
from marketplace.services.accounts import recruiters_group_sync

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    kind = User.Kind.CLIENT
    password = Password(PASSWORD)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Faker("company")
    plan = Organization.Plan.BASIC
    payment_verified = True


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class ClientFactory(UserFactory):
    """A client who owns an organisation: ClientFactory(membership__organization__plan=...)."""

    kind = User.Kind.CLIENT
    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="user")


class FreelancerProfileFactory(DjangoModelFactory):
    class Meta:
        model = FreelancerProfile

    user = factory.SubFactory(UserFactory, kind=User.Kind.FREELANCER)
    headline = factory.Faker("job")
    hourly_rate = factory.Faker("pydecimal", left_digits=2, right_digits=2, min_value=15, max_value=95)
    country = "US"
    timezone = "America/New_York"


class FreelancerFactory(UserFactory):
    kind = User.Kind.FREELANCER
    profile = factory.RelatedFactory(FreelancerProfileFactory, factory_related_name="user")


class RecruiterFactory(UserFactory):
    kind = User.Kind.STAFF
    is_staff = True

    @factory.post_generation
    def recruiters_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.groups.add(recruiters_group_sync())


_refs = itertools.count(1)


def skill(name: str):
    from marketplace.services.skills import skill_resolve

    return skill_resolve(name)


class JobFactory(DjangoModelFactory):
    """An open job of an organisation; JobFactory(organization=..., created_by=...)."""

    class Meta:
        model = "marketplace.JobPost"
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.LazyAttribute(lambda job: job.organization.members.first() or ClientFactory())
    title = "Build a Django REST API for our booking app"
    description = "We need a REST API in Django with PostgreSQL, tests and docs for our mobile booking app."
    category = factory.LazyFunction(lambda: skill("Django").category)
    contract_type = "hourly"
    budget_min = Decimal("30.00")
    budget_max = Decimal("60.00")
    status = "open"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            from marketplace.services.search_index import jobs_reindex

            self.skills.set([skill(name) for name in (extracted or ["Django", "PostgreSQL"])])
            jobs_reindex(ids=[self.pk])


def hourly_contract(*, client, freelancer, rate="40.00", weekly_limit=20, start=None, ref=None):
    from marketplace.services.contracts import contract_create

    return contract_create(
        source_ref=ref or f"test:{next(_refs)}",
        organization=client.organizations.first(),
        client=client,
        freelancer=freelancer,
        title="API work",
        contract_type="hourly",
        hourly_rate=Decimal(rate),
        weekly_limit=weekly_limit,
        start_date=start or timezone.localdate() - timedelta(days=30),
    )


def fixed_contract(*, client, freelancer, milestones=None, ref=None, start=None):
    from marketplace.services.contracts import MilestoneTerms, contract_create

    today = timezone.localdate()
    milestones = milestones or [
        MilestoneTerms("Design", Decimal("300.00"), today + timedelta(days=7)),
        MilestoneTerms("Checkout page", Decimal("700.00"), today + timedelta(days=21)),
    ]
    return contract_create(
        source_ref=ref or f"test:{next(_refs)}",
        organization=client.organizations.first(),
        client=client,
        freelancer=freelancer,
        title="Shop rebuild",
        contract_type="fixed",
        fixed_amount=sum(m.amount for m in milestones),
        start_date=start or today - timedelta(days=3),
        milestones=milestones,
    )
