"""Skills read from what a person writes: on a phone, a freelancer pastes a CV into the overview and a
client describes a job; Uma offers the taxonomy skills the text names, and a tap adds one to the form."""

import pytest
from playwright.sync_api import expect

from marketplace.models import FreelancerProfile
from tests.browser.test_marketplace_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CV = (
    "Senior accountant. Month-end close and account reconciliations for a distributor; "
    "payroll in ADP; QuickBooks and Excel every day. Richmond, VA."
)


def test_a_pasted_cv_suggests_skills_and_a_tap_adds_one(page, bob):
    log_in(page, "bob@tandem.test")
    page.goto("/profile/")
    page.get_by_label("Skills").fill("Django:6")
    page.get_by_label("Overview").fill(CV)
    chips = page.locator("#skill-suggestions [data-add-skill]")
    expect(page.get_by_role("button", name="+ QuickBooks")).to_be_visible()  # the answer to the pasted CV
    offered = chips.all_inner_texts()
    assert "+ QuickBooks" in offered and "+ Payroll" in offered, offered
    assert not any("Virtual" in chip for chip in offered), offered  # "VA" is Virginia here
    box = chips.first.bounding_box()
    assert box is not None and box["height"] >= 30 and box["x"] + box["width"] <= 390  # tappable, on screen
    page.get_by_role("button", name="+ QuickBooks").click()
    expect(page.get_by_label("Skills")).to_have_value("Django:6, QuickBooks:1")
    expect(page.get_by_role("button", name="+ QuickBooks")).to_have_count(0)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    skills = set(FreelancerProfile.objects.get(user=bob).skills.values_list("name", flat=True))
    assert skills == {"Django", "QuickBooks"}


def test_a_job_description_suggests_skills_on_the_job_form(page, alice):
    log_in(page, "alice@tandem.test")
    page.goto("/jobs/new/")
    page.get_by_label("Description").fill("Fix our Shopify checkout: it drops orders since we added Stripe.")
    expect(page.get_by_role("button", name="+ Shopify")).to_be_visible()
    page.get_by_role("button", name="+ Stripe").click()
    page.get_by_role("button", name="+ Shopify").click()
    expect(page.get_by_label("Skills")).to_have_value("Stripe, Shopify")
