"""The cast's negotiation for the demo: carol offers dave a fixed price from his proposal on her Power BI
job, and dave has asked for changes (so carol's offer page shows the diff, Uma's summary and hints)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.models import Proposal, User
from offers.models import Offer
from offers.services import negotiation as svc


@transaction.atomic
def cast_offers() -> Offer | None:
    """Idempotent: nothing happens when carol's offer already exists or the cast's story is missing."""
    proposal = (
        Proposal.objects.filter(freelancer__email="dave@tandem.test", job__title="Sales dashboard in Power BI")
        .select_related("job", "freelancer")
        .first()
    )
    if proposal is None or Offer.objects.filter(proposal=proposal).exists():
        return None
    carol = User.objects.get(email="carol@tandem.test")
    day = timezone.localdate()
    terms = {
        "contract_type": "fixed",
        "fixed_amount": "2400.00",
        "start_date": (day + timedelta(days=3)).isoformat(),
        "scope": "A Power BI sales dashboard fed from our PostgreSQL orders table.\n"
        "Three pages: revenue, pipeline, regional breakdown; refreshed nightly; a handover call.",
        "milestones": [
            {"title": "Data model", "amount": "900.00", "due_date": (day + timedelta(days=10)).isoformat()},
            {"title": "Dashboard pages", "amount": "1500.00", "due_date": (day + timedelta(days=24)).isoformat()},
        ],
    }
    offer = svc.offer_send(by=carol, proposal=proposal, terms=terms, title="", message="Looking forward to it!")
    counter = {
        **terms,
        "fixed_amount": "2800.00",
        "start_date": (day + timedelta(days=7)).isoformat(),
        "milestones": [
            {"title": "Data model", "amount": "900.00", "due_date": (day + timedelta(days=14)).isoformat()},
            {"title": "Dashboard pages", "amount": "1500.00", "due_date": (day + timedelta(days=28)).isoformat()},
            {"title": "Row-level security", "amount": "400.00", "due_date": (day + timedelta(days=31)).isoformat()},
        ],
    }
    svc.offer_counter(
        offer=offer,
        by=proposal.freelancer,
        expected_version=1,
        terms=counter,
        message="Regional managers should only see their region: that needs row-level security. I can start on "
        "the 7th.",
    )
    return offer
