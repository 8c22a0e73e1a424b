"""Names and titles are stored as a person reads them: right-to-left overrides, zero-width and other
invisible characters are taken out (they used to be stored and shown as typed), on every path."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.models import JobPost, Organization, User
from marketplace.models.text import one_line
from offers.models import Offer
from offers.services import negotiation as offer_svc
from tests.offers.test_negotiation import fixed_terms

PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # with a zero-width non-joiner
SPOOFS = {
    "Invoice\u202egpj.exe": "Invoicegpj.exe",  # right-to-left override
    "Bo\u200bb": "Bob",  # zero-width space
    "\u2066Acme\u2069  Robotics\u00ad": "Acme Robotics",  # isolates, two spaces, soft hyphen
    "Cafe\u0301": "Café",  # one form (NFC) for the same letters
    PERSIAN: PERSIAN,  # a joiner between two letters stays
}


@pytest.mark.parametrize(("typed", "stored"), SPOOFS.items())
def test_one_line(typed, stored):
    assert one_line(typed) == stored


@pytest.mark.django_db
def test_sign_up_names_and_organisation_are_normalised(anonymous):
    from tests.marketplace.test_accounts import signup_data

    data = signup_data(first_name="E\u200brin", last_name="Ev\u202eans", organization_name="\u2066Evans\u2069 & Co")
    assert anonymous.post(reverse("signup"), data).status_code == 302
    user = User.objects.get(email="erin@example.test")
    assert (user.first_name, user.last_name) == ("Erin", "Evans")
    assert Organization.objects.get().name == "Evans & Co"


@pytest.mark.django_db
def test_job_offer_and_milestone_titles_are_normalised(alice, bob):
    api = APIClient()
    api.force_authenticate(alice)
    body = {
        "title": "Fix\u200b the \u202echeckout",
        "description": "D",
        "category": "data-ai-analytics",
        "contract_type": "fixed",
        "budget_min": "100",
        "budget_max": "200",
    }
    assert api.post("/api/v1/jobs/", body, format="json").status_code == 201
    assert JobPost.objects.get().title == "Fix the checkout"
    terms = fixed_terms(split=(("Phase\u200b 1", "500.00", 10), ("Build\u202e", "1000.00", 20)))
    offer = offer_svc.offer_send(by=alice, freelancer=bob, terms=terms, title="Shop\u2060 rebuild")
    assert Offer.objects.get(pk=offer.pk).title == "Shop rebuild"
    assert [m["title"] for m in offer.versions.get().milestones] == ["Phase 1", "Build"]


@pytest.mark.django_db
def test_bulk_writes_are_normalised_too(alice):
    JobPost.objects.filter(organization__memberships__user=alice).update(title="x")
    Organization.objects.filter(pk=alice.organizations.get().pk).update(name="Acme\u200b")
    assert alice.organizations.get().name == "Acme"
