import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, fixed_contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_client_posts_freelancer_proposes_client_shortlists_on_a_phone(page, alice, bob):
    log_in(page, "alice@tandem.test")
    page.get_by_role("navigation").get_by_role("link", name="Post a job").click()
    page.get_by_label("Title").fill("Airflow pipeline for nightly imports")
    page.get_by_label("Description").fill("Move our nightly CSV imports into Airflow with tests and alerts.")
    page.get_by_label("Category").select_option(label="Data, AI & analytics")
    page.get_by_label("Contract type").select_option("hourly")
    page.get_by_label("Budget from").fill("35")
    page.get_by_label("Budget up to").fill("55")
    page.get_by_label("Skills").fill("airflow, postgres")
    page.get_by_role("button", name="Post job").click()
    expect(page.get_by_role("heading", name="Airflow pipeline for nightly imports")).to_be_visible()
    expect(page.get_by_text("Apache Airflow")).to_be_visible()
    log_out(page)

    log_in(page, "bob@tandem.test")
    page.get_by_role("navigation").get_by_role("link", name="Find work").click()
    page.get_by_label("Search").fill("nightly imports")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Airflow pipeline for nightly imports").click()
    page.get_by_label("Cover letter").fill("I have run Airflow in production for four years.")
    page.get_by_label("Your bid").fill("50")
    page.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_text("Proposal sent")).to_be_visible()
    log_out(page)

    log_in(page, "alice@tandem.test")
    page.get_by_role("link", name="1 proposal").click()
    expect(page.get_by_text("I have run Airflow in production")).to_be_visible()
    page.get_by_role("button", name="Shortlist").click()
    expect(page.get_by_text("Shortlisted.")).to_be_visible()


def test_contract_room_message_over_htmx(page, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    log_in(page, "bob@tandem.test")
    page.goto(f"/contracts/{contract.pk}/")
    expect(page.get_by_role("heading", name="Shop rebuild")).to_be_visible()
    page.locator(f"#body-{contract.thread.pk}").fill("The design milestone is ready for review.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages-list")).to_contain_text("The design milestone is ready for review.")
