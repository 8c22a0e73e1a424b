"""Money moves only after the client confirms it, and the freelancer hears they were paid (bell and email)."""

import pytest
from playwright.sync_api import expect

from marketplace.models import Milestone, Notification
from marketplace.services.contracts import milestone_approve, milestone_submit
from tests.browser.test_marketplace_flow import log_in, log_out
from tests.factories import fixed_contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_releasing_a_payment_asks_first_and_tells_the_freelancer_on_a_phone(page, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    milestone = contract.milestones.get(position=2)  # "Checkout page", 700.00
    milestone_submit(milestone=milestone, by=bob, note="Done")
    milestone_approve(milestone=milestone, by=alice)

    log_in(page, "alice@tandem.test")
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_text("Release payment…").click()
    question = page.get_by_text("to Bob Brown for “Checkout page”? This can't be undone.")
    expect(question).to_be_visible()
    expect(page.locator("details.confirm strong")).to_have_text("USD 700.00")
    assert Milestone.objects.get(pk=milestone.pk).status == "approved"  # nothing moved yet
    page.get_by_role("button", name="Yes, release the payment").click()
    expect(page.get_by_text("Payment released.")).to_be_visible()
    assert Milestone.objects.get(pk=milestone.pk).status == "paid"
    log_out(page)

    log_in(page, "bob@tandem.test")
    page.goto("/notifications/")
    expect(page.get_by_text("Payment released: USD 700.00 for “Checkout page”")).to_be_visible()
    assert Notification.objects.filter(user=bob, kind="payment_released").count() == 1
