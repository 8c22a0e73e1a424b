"""Writes for people and organisations: sign-up, recruiter staff, the Recruiters group."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from marketplace.models import FreelancerProfile, Membership, Organization, User

RECRUITERS_GROUP = "Recruiters"


@transaction.atomic
def client_sign_up(
    *,
    email: str,
    password: str | None,
    first_name: str,
    last_name: str,
    organization_name: str,
    plan: str = Organization.Plan.BASIC,
) -> User:
    """A client account and the organisation it owns, or nothing at all."""
    user = User.objects.create_user(email, password, first_name=first_name, last_name=last_name, kind=User.Kind.CLIENT)
    organization = Organization.objects.create(name=organization_name, plan=plan)
    Membership.objects.create(organization=organization, user=user, role=Membership.Role.OWNER)
    return user


@transaction.atomic
def freelancer_sign_up(
    *, email: str, password: str | None, first_name: str, last_name: str, headline: str = ""
) -> User:
    """A freelancer account with an empty profile, or nothing at all."""
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, kind=User.Kind.FREELANCER
    )
    FreelancerProfile.objects.create(user=user, headline=headline)
    return user


@transaction.atomic
def recruiter_create(*, email: str, password: str | None, first_name: str, last_name: str) -> User:
    """Internal recruiter staff: may use the admin, with only the Recruiters group's permissions."""
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, kind=User.Kind.STAFF, is_staff=True
    )
    user.groups.add(recruiters_group_sync())
    return user


def recruiter_permission_codenames() -> list[str]:
    """Each app lists, on its AppConfig, the admin permissions its recruiters need."""
    codenames: list[str] = []
    for config in apps.get_app_configs():
        codenames.extend(getattr(config, "recruiter_permissions", ()))
    return codenames


@transaction.atomic
def recruiters_group_sync() -> Group:
    """Create the Recruiters group or bring its permissions to exactly the declared list."""
    group, _ = Group.objects.get_or_create(name=RECRUITERS_GROUP)
    wanted = recruiter_permission_codenames()
    permissions = []
    for dotted in wanted:
        app_label, codename = dotted.split(".")
        permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(permissions)
    return group
