"""Invitations on a phone while Uma is still writing some: the page fills in each draft as it lands,
and what the client typed or unticked meanwhile stays as they left it."""

import pytest
from playwright.sync_api import expect

from marketplace.models import Invitation
from recruiter.models import ShortlistEntry
from recruiter.services import shortlists as shortlist_svc
from tests.browser.test_marketplace_flow import log_in
from tests.recruiter.conftest import case, ready  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_what_the_client_types_stays_while_uma_writes_the_rest(page, alice, ready):  # noqa: F811
    cara, dan = shortlist_svc.shown_entries(ready)[:2]
    ShortlistEntry.objects.filter(pk=cara.pk).update(draft="Hello from Uma.", draft_source="model")
    ShortlistEntry.objects.filter(pk=dan.pk).update(draft="", draft_source="pending")  # Uma is on it
    log_in(page, "alice@tandem.test")
    page.goto(f"/recruiter/cases/{ready.pk}/invite/?entries={cara.pk}&entries={dan.pk}")
    expect(page.locator("#progress")).to_contain_text("1 of 2 done")
    page.locator(f"#message-{cara.pk}").fill("Cara, your checkout work is what we need. Free on Monday?")
    page.locator("#offer-on-accept").uncheck()

    ShortlistEntry.objects.filter(pk=dan.pk).update(draft="Dan, would you take this on?", draft_source="model")
    expect(page.locator(f"#message-{dan.pk}")).to_have_value("Dan, would you take this on?")  # on the page at once
    expect(page.locator("#progress")).to_have_count(0)
    expect(page.locator(f"#message-{cara.pk}")).to_have_value(
        "Cara, your checkout work is what we need. Free on Monday?"
    )
    expect(page.locator("#offer-on-accept")).not_to_be_checked()

    page.get_by_role("button", name="Send all invitations").click()
    expect(page.get_by_text("Sent 2 invitations.")).to_be_visible()
    sent = dict(Invitation.objects.values_list("freelancer__first_name", "message"))
    assert sent["Cara"] == "Cara, your checkout work is what we need. Free on Monday?"
    assert sent["Dan"] == "Dan, would you take this on?"
