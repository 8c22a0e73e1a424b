"""A message being written in a contract room is never lost: not when the thread refreshes to show
the other side's news (every 20 s), and not when sending it fails."""

import pytest
from playwright.sync_api import expect

from marketplace.models import Message
from marketplace.services.messaging import message_send
from tests.browser.test_marketplace_flow import log_in
from tests.factories import fixed_contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "The design milestone is nearly ready: I will send it tomorrow with the notes"


def test_a_message_being_typed_stays_while_the_thread_refreshes(page, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    box = f"#body-{contract.thread.pk}"
    page.clock.install()  # the page's timers, run forward below instead of waited for
    log_in(page, "bob@tandem.test")
    page.goto(f"/contracts/{contract.pk}/")
    page.locator(box).fill(TYPED)
    message_send(thread=contract.thread, sender=alice, body="Any news on the design?")
    page.clock.run_for(21_000)  # the thread's refresh
    expect(page.locator(".messages-list")).to_contain_text("Any news on the design?")
    expect(page.locator(box)).to_have_value(TYPED)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages-list")).to_contain_text(TYPED)
    expect(page.locator(box)).to_have_value("")  # sent: a fresh box
    assert Message.objects.filter(thread=contract.thread, sender=bob, body=TYPED).count() == 1


def test_a_message_that_cannot_be_sent_is_kept_with_the_reason(page, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    box = f"#body-{contract.thread.pk}"
    log_in(page, "bob@tandem.test")
    page.goto(f"/contracts/{contract.pk}/")
    too_long = "All the details." * 320  # over a message's 5,000 characters
    page.locator(box).fill(too_long)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("5,000")
    expect(page.locator(box)).to_have_value(too_long)
    assert not Message.objects.filter(thread=contract.thread, sender=bob).exists()
