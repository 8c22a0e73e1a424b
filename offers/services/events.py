"""Telling the other party (in-app and by email) what happened to an offer, with its current state."""

from __future__ import annotations

from marketplace.models import Notification, User
from marketplace.services.notifications import notify
from offers.models import Offer, OfferVersion
from offers.terms import Terms

HEADLINES = {
    "sent": "{by} sent you an offer: “{title}”",
    "countered": "{by} requested changes to “{title}”",
    "reverted": "{by} proposed earlier terms again on “{title}”",
    "rejected": "{by} turned down the changes on “{title}”",
    "declined": "{by} declined the offer “{title}”",
    "withdrawn": "{by} withdrew the offer “{title}”",
    "accepted": "{by} accepted “{title}”",
    "proposed": "{by} proposed a change to the contract “{title}”",
    "approved": "An offer for you cleared review: “{title}”",
    "held": "Your offer “{title}” is being reviewed by trust & safety",
    "removed": "The offer “{title}” was removed by trust & safety",
    "expired": "The offer “{title}” expired without an answer",
    "reminder": "The offer “{title}” expires in a day: it is waiting for your answer",
}

EVENT_OF_KIND: dict[str, str] = {
    OfferVersion.Kind.SENT: "sent",
    OfferVersion.Kind.COUNTER: "countered",
    OfferVersion.Kind.REVERT: "reverted",
    OfferVersion.Kind.RESTORED: "rejected",
    OfferVersion.Kind.PROPOSED: "proposed",
}


def state_line(offer: Offer, version: OfferVersion) -> str:
    return (
        f"Status: {offer.get_status_display()}. Terms on the table (version {version.number}): "
        f"{Terms.of(version).describe()}."
    )


def offer_event(
    offer: Offer, *, version: OfferVersion, by: User | None, event: str, to: list[User] | None = None
) -> None:
    """Notify the party who did not act (or `to`), once per offer, version and event. Nothing
    reaches the freelancer while the offer is held for review."""
    if to is None:
        if by is None:
            to = [offer.client, offer.freelancer]
        else:
            to = [offer.client if by.pk == offer.freelancer_id else offer.freelancer]
    if offer.status == Offer.Status.HELD or offer.delivered_at is None:
        to = [user for user in to if user.pk != offer.freelancer_id]
    if not to:
        return
    by_name = by.get_full_name() if by is not None else "Tandem"
    if by is not None and by.pk != offer.freelancer_id and event != "proposed":
        by_name = f"{by.get_full_name()} ({offer.organization.name})"
    notify(
        users=to,
        kind=Notification.Kind.OFFER,
        event_key=f"offer:{offer.pk}:v{version.number}:{event}",
        title=HEADLINES[event].format(by=by_name, title=offer.title),
        body=state_line(offer, version) + (f"\n\n“{version.message}”" if version.message else ""),
        url=offer.get_absolute_url(),
    )
