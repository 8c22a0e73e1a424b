"""The demo cast (the same people the tests use), shared by `seed_demo` and the README."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from marketplace.models import Organization, User
from marketplace.services.accounts import client_sign_up, freelancer_sign_up, recruiter_create

DEMO_PASSWORD = "tandem-demo-2026"  # noqa: S105 - printed for people to log in to demo data


@dataclass(frozen=True)
class Person:
    key: str
    first_name: str
    last_name: str
    kind: str
    organization: str = ""
    plan: str = ""
    headline: str = ""

    @property
    def email(self) -> str:
        return f"{self.key}@tandem.test"


CAST = [
    Person("alice", "Alice", "Adams", User.Kind.CLIENT, "Acme Robotics", Organization.Plan.BUSINESS_PLUS),
    Person("carol", "Carol", "Chen", User.Kind.CLIENT, "Bright Studio", Organization.Plan.BASIC),
    Person("bob", "Bob", "Brown", User.Kind.FREELANCER, headline="Full-stack Django and React developer"),
    Person("dave", "Dave", "Diaz", User.Kind.FREELANCER, headline="Data engineer: Python, Airflow, dbt"),
    Person("rita", "Rita", "Ramos", User.Kind.STAFF),
]


@transaction.atomic
def seed_cast() -> list[tuple[Person, bool]]:
    """Create whoever of the cast is missing; (person, created) for each. Safe to run again."""
    results = []
    for person in CAST:
        if User.objects.filter(email__iexact=person.email).exists():
            results.append((person, False))
            continue
        common = {
            "email": person.email,
            "password": DEMO_PASSWORD,
            "first_name": person.first_name,
            "last_name": person.last_name,
        }
        if person.kind == User.Kind.CLIENT:
            user = client_sign_up(**common, organization_name=person.organization, plan=person.plan)
            Organization.objects.filter(memberships__user=user).update(payment_verified=True)
        elif person.kind == User.Kind.FREELANCER:
            freelancer_sign_up(**common, headline=person.headline)
        else:
            recruiter_create(**common)
        results.append((person, True))
    return results
