"""The one place that says what each client plan gets in a negotiation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from marketplace.models import Organization

# Freelancers may answer an offer with a counter-offer only on these plans' offers; on the others
# they are told to message the client instead.
PLANS_WITH_COUNTERS = {Organization.Plan.BASIC, Organization.Plan.BUSINESS_PLUS}


@dataclass(frozen=True)
class OfferRules:
    may_counter: bool
    expiry: timedelta


def rules_for(plan: str) -> OfferRules:
    days = settings.OFFERS_EXPIRY_DAYS.get(plan, settings.OFFERS_EXPIRY_DAYS_DEFAULT)
    return OfferRules(may_counter=plan in PLANS_WITH_COUNTERS, expiry=timedelta(days=days))
