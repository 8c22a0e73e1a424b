"""Reads of more than one line, with their joins chosen here, once."""

from __future__ import annotations

from marketplace.models import FreelancerProfile, Membership, User


def dashboard_context(*, user: User) -> dict[str, object]:
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    profile = FreelancerProfile.objects.filter(user=user).first() if user.is_freelancer else None
    return {"memberships": memberships, "profile": profile}
