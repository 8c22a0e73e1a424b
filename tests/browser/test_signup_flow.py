import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_out_log_in_and_see_the_dashboard(page):
    page.goto("/")
    page.get_by_role("link", name="Hire freelancers").click()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.test")
    page.get_by_label("Company or team name").fill("Compilers Inc")
    page.get_by_label("Password", exact=True).fill("plum-harbour-violet-42")
    page.get_by_label("Password again").fill("plum-harbour-violet-42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Hello, Grace")).to_be_visible()
    expect(page.get_by_text("Compilers Inc")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Sign up")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill("grace@example.test")
    page.get_by_label("Password").fill("plum-harbour-violet-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Grace")).to_be_visible()
    expect(page.get_by_text("Basic")).to_be_visible()


def test_a_bad_sign_up_shows_what_to_fix(page):
    page.goto("/signup/?as=freelancer")
    page.get_by_label("Email").fill("broken")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#field-email .error")).to_be_visible()
    expect(page.locator("#field-password1 .error")).to_be_visible()
