"""Terms on the table, on a phone: each milestone is a stacked row with its whole amount and due date in
sight (the table used to cut the amount mid-number and hide the due date off to the side)."""

import pytest
from playwright.sync_api import expect

from offers.services import negotiation as svc
from tests.browser.test_marketplace_flow import log_in
from tests.offers.test_negotiation import fixed_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_milestones_stack_on_a_phone(page, alice, bob):
    terms = fixed_terms(
        total="1500.00", split=(("Design of the whole checkout", "500.00", 10), ("Build", "1000.00", 20))
    )
    offer = svc.offer_send(by=alice, freelancer=bob, terms=terms, title="Checkout")
    log_in(page, "bob@tandem.test")
    page.goto(f"/offers/{offer.pk}/")
    table = page.locator("#current-milestones")
    amount = table.get_by_text("USD 1,000.00")
    expect(amount).to_be_visible()
    width = page.evaluate("window.innerWidth")
    for cell in (amount, table.locator("td[data-label=Due]").last):
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(table.get_by_role("columnheader", name="Due")).to_be_visible()  # a real table on a desktop
