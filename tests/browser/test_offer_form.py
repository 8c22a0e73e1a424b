"""The new-offer form: only the fields of the chosen contract type show, and milestones can be added
beyond the first two and removed (it had two fixed rows, and hourly and fixed fields always together)."""

import pytest
from playwright.sync_api import expect

from offers.models import Offer
from tests.browser.test_marketplace_flow import log_in
from tests.browser.test_negotiation_flow import day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_fixed_price_offer_with_three_milestones_one_removed(page, alice, bob):
    log_in(page, "alice@tandem.test")
    page.goto(f"/offers/new/?freelancer={bob.pk}")
    page.get_by_label("Title", exact=True).fill("Shop rebuild")
    page.get_by_text("Hourly", exact=True).check()
    expect(page.get_by_label("Hourly rate")).to_be_visible()
    expect(page.get_by_label("Fixed price (total)")).to_be_hidden()
    expect(page.locator("#milestones")).to_be_hidden()

    page.get_by_text("Fixed price", exact=True).check()
    expect(page.get_by_label("Hourly rate")).to_be_hidden()
    expect(page.get_by_label("Weekly hour limit")).to_be_hidden()
    page.get_by_label("Fixed price (total)").fill("1800")
    page.get_by_label("Start date").fill(day(2))
    for n in (3, 4):
        page.get_by_role("button", name="Add a milestone").click()
        expect(page.get_by_label(f"Milestone {n} title")).to_be_visible()
    rows = [("Design", "500", day(8)), ("Wrong one", "999", day(9)), ("Build", "1000", day(20)), ("QA", "300", day(25))]
    for n, (title, amount, due) in enumerate(rows):
        page.locator(f"#id_ms-{n}-title").fill(title)
        page.locator(f"#id_ms-{n}-amount").fill(amount)
        page.locator(f"#id_ms-{n}-due_date").fill(due)
    page.get_by_role("button", name="Remove milestone 2").click()
    expect(page.get_by_label("Milestone 2 title")).to_be_hidden()
    page.get_by_role("button", name="Send offer").click()
    expect(page.get_by_text("Terms on the table (version 1)")).to_be_visible()
    offer = Offer.objects.get()
    assert [m["title"] for m in offer.versions.get().milestones] == ["Design", "Build", "QA"]
