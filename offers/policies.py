"""Who sees an offer and which side of it a person is on."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from marketplace import policies as market
from marketplace.errors import NotAllowed
from marketplace.models import User
from offers.models import Offer, OfferAttachment, Side
from offers.plans import rules_for


def offers_visible(user: User) -> QuerySet[Offer]:
    """The client organisation's offers; a freelancer's offers once delivered (an offer held for
    trust & safety review before anyone saw it is invisible to them); everything to staff."""
    if not user.is_authenticated:
        return Offer.objects.none()
    if market.is_recruiter(user):
        return Offer.objects.all()
    return Offer.objects.filter(
        Q(organization_id__in=market.org_ids(user)) | Q(freelancer=user, delivered_at__isnull=False)
    )


def attachments_scope(user: User) -> Q:
    """The offer attachments `user` may download (marketplace's ATTACHMENT_SCOPES)."""
    return Q(pk__in=OfferAttachment.objects.filter(version__offer__in=offers_visible(user)).values("attachment_id"))


def offer_side(user: User, offer: Offer) -> str | None:
    """'client', 'freelancer', 'staff' (read-only) or None."""
    if offer.freelancer_id == user.pk:
        return Side.FREELANCER
    if market.is_member(user, offer.organization_id):
        return Side.CLIENT
    if market.is_recruiter(user):
        return "staff"
    return None


def require_party(user: User, offer: Offer) -> str:
    side = offer_side(user, offer)
    if side not in (Side.CLIENT, Side.FREELANCER):
        raise NotAllowed("Only the client and the freelancer on this offer can act on it.")
    return side  # type: ignore[return-value]


def may_counter(offer: Offer, side: str | None) -> bool:
    """Whether `side` may answer with other terms: always on a change to a live contract and for the
    client; for the freelancer of an offer to hire, only on the plans that allow it."""
    if offer.kind == Offer.Kind.CHANGE or side == Side.CLIENT:
        return True
    return rules_for(offer.organization.plan).may_counter


def proposer_side(offer: Offer) -> str:
    """Who made the offer: the client for an offer to hire; for a change, whoever proposed it (the
    author of version 1, the terms in force)."""
    if offer.kind == Offer.Kind.HIRE:
        return Side.CLIENT
    return offer.versions.values_list("author_side", flat=True).get(number=1)


def other(side: str) -> str:
    return Side.FREELANCER if side == Side.CLIENT else Side.CLIENT
