"""A whole negotiation in the browser on a phone: offer, counter, counter again, revert, accept —
and the contract holds the agreed milestones."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import Contract
from marketplace.services import jobs as job_svc
from tests.browser.test_marketplace_flow import log_in, log_out
from tests.factories import JobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def fill_milestones(page, rows) -> None:  # noqa: ANN001
    for i, (title, amount, due) in enumerate(rows):
        page.locator(f"#id_ms-{i}-title").fill(title)
        page.locator(f"#id_ms-{i}-amount").fill(amount)
        page.locator(f"#id_ms-{i}-due_date").fill(due)
    for i in range(len(rows), page.locator(".milestone-row").count()):
        page.locator(f"#id_ms-{i}-title").fill("")
        page.locator(f"#id_ms-{i}-amount").fill("")
        page.locator(f"#id_ms-{i}-due_date").fill("")


def counter(page, total: str, rows, message: str) -> None:  # noqa: ANN001
    page.locator("#counter").click()
    page.get_by_label("Fixed price (total)").fill(total)
    fill_milestones(page, rows)
    page.get_by_label("Message").fill(message)
    page.get_by_role("button", name="Send changes").click()
    expect(page.get_by_text("Your changes were sent.")).to_be_visible()


def test_offer_counter_counter_revert_accept(page, alice, bob):
    job = JobFactory(
        organization=alice.organizations.get(), created_by=alice, title="Checkout page", contract_type="fixed"
    )
    job_svc.proposal_submit(job=job, freelancer=bob, cover_letter="Me", bid_amount=1500, estimated_duration="lt1m")

    log_in(page, "alice@tandem.test")
    page.goto(f"/jobs/{job.pk}/proposals/")
    page.get_by_role("link", name="Make an offer").click()
    page.get_by_text("Fixed price", exact=True).check()
    page.get_by_label("Fixed price (total)").fill("1500")
    page.get_by_label("Start date").fill(day(2))
    page.get_by_label("Scope").fill("Rebuild the checkout.\nStripe, tests, handover.")
    fill_milestones(page, [("Design", "500", day(8)), ("Build", "1000", day(20))])
    page.get_by_role("button", name="Send offer").click()
    expect(page.get_by_text("Your offer was sent to Bob Brown.")).to_be_visible()
    offer_url = page.url
    log_out(page)

    log_in(page, "bob@tandem.test")
    page.goto(offer_url)
    counter(page, "1800", [("Design", "600", day(8)), ("Build", "1200", day(20))], "More screens than listed")
    log_out(page)

    log_in(page, "alice@tandem.test")
    page.goto(offer_url)
    expect(page.locator("#offer-alert")).to_contain_text("Bob Brown requested changes")
    expect(page.locator("#uma-summary")).to_contain_text("Total up from USD 1,500.00 to USD 1,800.00")
    expect(page.locator("#all-versions")).to_be_visible()
    counter(page, "1650", [("Design", "550", day(8)), ("Build", "1100", day(20))], "Meet in the middle?")
    log_out(page)

    log_in(page, "bob@tandem.test")
    page.goto(offer_url)
    page.locator("#revert-number").select_option("2")
    page.get_by_role("button", name="Revert").click()
    expect(page.get_by_text("You proposed the earlier terms again.")).to_be_visible()
    log_out(page)

    log_in(page, "alice@tandem.test")
    page.goto(offer_url)
    page.locator("#cmp-a").select_option("1")
    page.locator("#cmp-b").select_option("4")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#diff")).to_contain_text("Total")
    page.locator("#accept").click()
    expect(page.get_by_text("Accepted.")).to_be_visible()
    page.get_by_role("link", name="the contract").click()
    expect(page.get_by_role("heading", name="Checkout page")).to_be_visible()
    contract = Contract.objects.get()
    assert [(m.title, str(m.amount)) for m in contract.milestones.order_by("position")] == [
        ("Design", "600.00"),
        ("Build", "1200.00"),
    ]
    # The comparison table scrolls sideways on a phone instead of squeezing the page.
    page.goto(offer_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
