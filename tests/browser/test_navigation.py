"""The top navigation on a phone: one line for every kind of user (it used to wrap onto two), "Log out"
in the same font as the links, and the page never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_marketplace_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("who", ["bob", "alice", "rita"])
def test_the_navigation_fits_one_line_on_a_phone(page, request, who):
    request.getfixturevalue(who)
    log_in(page, f"{who}@tandem.test")
    tops = page.eval_on_selector_all(
        ".topbar nav > a:visible, .topbar nav button", "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tops) >= 4 and max(tops) - min(tops) <= 4, tops
    fonts = page.eval_on_selector_all(
        ".topbar nav > a:visible, .topbar nav button",
        "els => els.map(e => getComputedStyle(e).fontFamily + getComputedStyle(e).fontSize)",
    )
    assert len(set(fonts)) == 1, fonts
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_form_only_address_visited_on_its_own_says_where_to_go(page, alice):
    """It used to be Django's blank 405: an empty white page (config/not_allowed.py)."""
    log_in(page, "alice@tandem.test")
    response = page.goto("/jobs/new/uma/")

    assert response is not None and response.status == 405
    expect(page.get_by_role("heading", name="Use the page's button")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Go to your dashboard").click()
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
