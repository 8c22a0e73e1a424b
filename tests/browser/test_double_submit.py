"""A double-click sends a form once: it posted the same job twice (and would add a milestone, with its
money, twice). The form opens again if the page comes back, or after a few seconds (a download)."""

import pytest
from playwright.sync_api import expect

from marketplace.models import JobPost
from tests.browser.test_marketplace_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_job(page, title: str) -> None:
    page.goto("/jobs/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Move our nightly CSV imports into Airflow with tests and alerts.")
    page.get_by_label("Category").select_option(label="Data, AI & analytics")
    page.get_by_label("Contract type").select_option("hourly")
    page.get_by_label("Budget from").fill("35")
    page.get_by_label("Budget up to").fill("55")


def test_a_double_click_posts_one_job(page, alice):
    log_in(page, "alice@tandem.test")
    fill_job(page, "Airflow pipeline for nightly imports")
    # Two clicks 30 ms apart, the second while the first request is on its way (Playwright's own
    # double-click sends both at once, which Chromium itself folds into one).
    page.get_by_role("button", name="Post job").evaluate("b => { b.click(); setTimeout(() => b.click(), 30); }")
    expect(page.get_by_role("heading", name="Airflow pipeline for nightly imports")).to_be_visible()
    page.wait_for_timeout(800)  # a second request, had one been sent, lands by now

    assert JobPost.objects.filter(title="Airflow pipeline for nightly imports").count() == 1


def test_a_form_refused_can_be_sent_again(page, alice):
    log_in(page, "alice@tandem.test")
    fill_job(page, "Airflow pipeline for nightly imports")
    page.get_by_label("Budget up to").fill("20")  # below "from": refused
    page.get_by_role("button", name="Post job").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_label("Budget up to").fill("55")
    page.get_by_role("button", name="Post job").click()
    expect(page.get_by_role("heading", name="Airflow pipeline for nightly imports")).to_be_visible()
    assert JobPost.objects.count() == 1
