"""The trust & safety queue in the admin: rita decides a held offer; the decision calls the service."""

import pytest

from marketplace.models import Notification
from offers.services import negotiation as svc
from tests.offers.test_negotiation import hourly_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(alice, bob):
    return svc.offer_send(
        by=alice, freelancer=bob, terms={**hourly_terms(), "scope": "Pay the onboarding fee by bitcoin"}, title="Job"
    )


def test_rita_sees_the_queue_and_rejects_with_a_note(client_for, rita, held, alice):
    admin = client_for(rita)
    queue = admin.get("/admin/offers/safetyflag/?decision__exact=pending")
    assert queue.status_code == 200 and "Job" in queue.content.decode()
    flag = held.flags.get()
    page = admin.get(f"/admin/offers/safetyflag/{flag.pk}/change/")
    assert "Reject (remove the offer)" in page.content.decode() and "onboarding fee" in page.content.decode()
    response = admin.post(
        f"/admin/offers/safetyflag/{flag.pk}/change/", {"decision_note": "Upfront fee in crypto", "_reject": "1"}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    flag.refresh_from_db()
    assert held.status == "removed" and (flag.decision, flag.decided_by) == ("rejected", rita)
    assert Notification.objects.filter(user=alice, event_key__endswith=":removed").exists()


def test_bulk_approve_action_delivers(client_for, rita, held, bob):
    flag = held.flags.get()
    response = client_for(rita).post("/admin/offers/safetyflag/", {"action": "approve", "_selected_action": [flag.pk]})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "open" and Notification.objects.filter(user=bob).exists()


def test_offers_are_read_only_in_the_admin(client_for, rita, held):
    admin = client_for(rita)
    assert admin.get(f"/admin/offers/offer/{held.pk}/change/").status_code == 200
    assert admin.post(f"/admin/offers/offer/{held.pk}/delete/", {"post": "yes"}).status_code == 403


def test_rejecting_without_a_note_is_a_form_error_on_the_note(client_for, rita, held):
    """It used to show a raw Python dict ("{'note': [...]}") in a message."""
    flag = held.flags.get()
    response = client_for(rita).post(
        f"/admin/offers/safetyflag/{flag.pk}/change/", {"decision_note": "", "_reject": "1"}
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Record why the offer is being removed" in " ".join(form.errors["decision_note"])
    assert "{'" not in response.content.decode()
    held.refresh_from_db()
    flag.refresh_from_db()
    assert held.status == "held" and flag.decision == "pending"


def test_the_admin_writes_money_and_dates_as_the_pages_do(client_for, rita, alice, bob):
    from datetime import date

    from marketplace.formats import day
    from tests.offers.test_negotiation import fixed_terms

    offer = svc.offer_send(by=alice, freelancer=bob, terms=fixed_terms(), title="Checkout")
    page = client_for(rita).get(f"/admin/offers/offer/{offer.pk}/change/").content.decode()
    version = offer.versions.get()
    assert "Fixed price, USD 1,500.00 in 2 milestones" in page
    build_due = date.fromisoformat(version.milestones[1]["due_date"])
    assert f"Build: USD 1,000.00, due {day(build_due)}" in page
