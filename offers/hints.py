"""Negotiation hints at the decision points: the market range for the job's skills, terms that are
missing, and a nudge when the other side has been quiet for a day."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.timesince import timesince

from marketplace.models import ContractType
from marketplace.selectors import market_range
from offers.models import Offer, OfferVersion
from offers.terms import Terms


def missing_terms(terms: Terms) -> list[str]:
    gaps = []
    if terms.contract_type == ContractType.FIXED and not terms.milestones:
        gaps.append("A fixed price with no milestones: splitting it into milestones protects both sides.")
    if terms.start_date is None:
        gaps.append("No start date: say when the work should begin.")
    if "\n" not in terms.scope.strip() and len(terms.scope.split()) < 20:
        gaps.append("The scope is a line or less: describe what will be delivered and how it will be checked.")
    return gaps


def nudge(offer: Offer, latest: OfferVersion, *, viewer_side: str, now=None) -> str | None:  # noqa: ANN001
    """When the viewer is waiting on the other side for more than a day."""
    now = now or timezone.now()
    if not offer.is_live or offer.awaiting == viewer_side or now - latest.created_at < timedelta(days=1):
        return None
    who = offer.freelancer.get_full_name() if viewer_side == "client" else offer.client.get_full_name()
    return f"{who} hasn't answered in {timesince(latest.created_at, now)}: a short message may help."


def hints_for(offer: Offer, latest: OfferVersion, *, viewer_side: str) -> dict:
    skill_ids = list(offer.job.skills.values_list("pk", flat=True)) if offer.job is not None else []
    terms = Terms.of(latest)
    return {
        "market": market_range(skill_ids=skill_ids, contract_type=terms.contract_type, currency=offer.currency),
        # What the offer leaves out is for the client, who wrote it (the freelancer answers, and can't be
        # asked to fix the client's scope): hints go to whoever can act on them.
        "missing": missing_terms(terms) if offer.kind == Offer.Kind.HIRE and viewer_side == "client" else [],
        "nudge": nudge(offer, latest, viewer_side=viewer_side),
    }
