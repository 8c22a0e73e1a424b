"""factory_boy factories for Tandem's models; the cast in conftest.py is built from these."""

from __future__ import annotations

import factory
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
