"""Find work on a phone: the filters fold behind "Filters" so the first result and the count show on the
first screen (they used to fill it); on a desktop they are open; a filter in use keeps them open. A
search with a NUL in it is a page that says which field, not a server error."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_marketplace_flow import log_in
from tests.factories import JobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_results_show_first_and_filters_fold(page, alice, bob):
    for n in range(3):
        JobFactory(organization=alice.organizations.get(), created_by=alice, title=f"Shopify fix {n}")
    log_in(page, "bob@tandem.test")
    page.goto("/jobs/")
    expect(page.get_by_text("3 open jobs")).to_be_visible()
    first = page.locator("article.job").first
    box = first.bounding_box()
    assert box is not None and box["y"] < 844, box  # on the first screen of a 390×844 phone
    expect(page.get_by_label("Category")).to_be_hidden()
    page.get_by_text("Filters").click()
    expect(page.get_by_label("Category")).to_be_visible()
    page.get_by_label("Type").select_option("fixed")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile("contract_type=fixed"))  # the search has landed (it raced the reload)
    page.goto(page.url)  # the filtered page, loaded afresh: the filters in use stay open and say so
    expect(page.get_by_text("Filters (1 on)")).to_be_visible()
    expect(page.get_by_label("Category")).to_be_visible()


def test_on_a_desktop_the_filters_are_open(page, bob):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "bob@tandem.test")
    page.goto("/jobs/")
    expect(page.get_by_label("Category")).to_be_visible()


def test_a_nul_in_a_search_is_a_page_that_names_the_field(page, bob):
    """PostgreSQL cannot compare text with a NUL: the search used to be a 500 (config/nul.py)."""
    log_in(page, "bob@tandem.test")
    response = page.goto("/jobs/?skills=x%00y")

    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", name="Check what you sent")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("“skills”")
    expect(page.get_by_role("link", name="Tandem")).to_be_visible()  # the site's header, to go on from
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
