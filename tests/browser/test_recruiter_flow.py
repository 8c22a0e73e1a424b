"""The AI recruiter end to end on a phone, with the real scan command, the real Celery worker and the
shipped fine-tuned model: alice's freelancer goes quiet → her alert → Uma's shortlist with reasons →
she edits and sends invitations → cara accepts and receives an offer on the old terms; an Enterprise
client's late contract goes to the human queue → rita claims it in the admin, overrides the shortlist
and resolves it. The audit log holds every step."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import Message, Milestone, Organization
from marketplace.services.contracts import MilestoneTerms, contract_create
from marketplace.services.messaging import thread_for_contract
from offers.models import Offer
from recruiter.models import CaseEvent, RiskCase, ShortlistEntry
from recruiter.services.embeddings import embeddings_refresh_batch
from tests.browser.test_marketplace_flow import log_in, log_out
from tests.factories import ClientFactory, JobFactory
from tests.helpers import shipped_adapter
from uma.models import AuditRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATIONALE = shipped_adapter("candidate_rationale").name  # the adapter that writes the reasons
MODEL_TIME_MS = 240_000  # the real model on two CPU cores: a shortlist of two, or two drafts


def _bob_goes_quiet(contract) -> None:  # noqa: ANN001
    """Alice wrote to bob four days ago and twice since; no reply, and no time logged for a month."""
    thread = thread_for_contract(contract=contract)
    for hours in (100, 60, 30):
        when = timezone.now() - timedelta(hours=hours)
        Message.objects.create(thread=thread, sender=contract.client, body="Any news on the checkout?", created_at=when)


def _enterprise_contract_late(dave):  # noqa: ANN001, ANN201
    """Erin (Globex, Enterprise) hired dave; his milestone was due five days ago with nothing submitted."""
    erin = ClientFactory(
        email="erin@globex.test",
        first_name="Erin",
        last_name="Evans",
        membership__organization__name="Globex",
        membership__organization__plan=Organization.Plan.ENTERPRISE,
    )
    org = erin.organizations.get()
    job = JobFactory(
        organization=org,
        created_by=erin,
        title="Stripe billing for our Django shop",
        description="Stripe subscriptions and invoices in our Django and React shop.",
        skills=["Django", "React", "Stripe"],
        contract_type="fixed",
        budget_min=Decimal("800"),
        budget_max=Decimal("1200"),
        status="filled",
    )
    today = timezone.localdate()
    contract = contract_create(
        source_ref="test:globex",
        organization=org,
        client=erin,
        freelancer=dave,
        job=job,
        title="Stripe billing",
        contract_type="fixed",
        fixed_amount=Decimal("1000"),
        start_date=today - timedelta(days=20),
        milestones=[MilestoneTerms("Subscriptions", Decimal("1000"), today - timedelta(days=5))],
    )
    assert Milestone.objects.filter(contract=contract, status=Milestone.Status.ACTIVE).exists()
    embeddings_refresh_batch(kind="job")
    return contract


def _wait_for(query, seconds: float = 60):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (found := query()) is not None:
            return found
        time.sleep(0.5)
    pytest.fail("the worker never got there")


def test_uma_finds_replacements_and_rita_works_the_hard_case(
    page, market, alice, dave, rita, shipped_models, celery_worker
):
    _bob_goes_quiet(market["contract"])
    globex = _enterprise_contract_late(dave)

    out = io.StringIO()
    call_command("scan_at_risk", stdout=out)  # in this process: its tasks go to the test worker's broker
    assert "opened 2 new cases" in out.getvalue(), out.getvalue()

    # --- alice: the alert, Uma's shortlist with reasons, edit and send ----------------------------------
    log_in(page, "alice@tandem.test")
    alert = page.locator("#risk-alerts")
    expect(alert).to_contain_text("Checkout rebuild")
    expect(alert).to_contain_text("No reply to the client")
    alert.get_by_role("link", name="See replacements").click()
    expect(page.get_by_role("heading", name="“Checkout rebuild” needs attention")).to_be_visible()
    expect(page.locator("#progress")).to_have_count(0, timeout=MODEL_TIME_MS)  # filled in by htmx polling
    cara = page.locator(".candidate", has_text="Cara Test")
    dan = page.locator(".candidate", has_text="Dan Test")
    for person in (cara, dan):
        expect(person.locator("[class*=verdict-]")).to_be_visible()
        expect(person).to_contain_text("Why this person:")
        expect(person.locator(".uma li").first).to_be_visible()  # the deciding reasons
    expect(page.locator(".candidate")).to_have_count(2)  # eve (over budget), fay (busy), gus (designer): not shown
    credit = re.compile(rf"Uma \(.*{RATIONALE}/llama\.cpp\)|Tandem's recruiting rules")  # who wrote the reasons, named
    assert all(credit.search(person.inner_text()) for person in (cara, dan))

    page.get_by_label("Cara Test").check()
    page.get_by_label("Dan Test").check()
    page.get_by_role("button", name="Invite the ones I ticked").click()
    expect(page.get_by_role("heading", name="Invite candidates")).to_be_visible()
    expect(page.locator("#send-all")).to_be_enabled(timeout=MODEL_TIME_MS)
    cara_message = page.locator(".card", has_text="Cara Test").locator("textarea")
    expect(cara_message).to_contain_text("Cara")  # Uma's draft, personalised
    edited = "Hi Cara, our checkout needs a steady hand: same terms as before. Could you start this week? Alice"
    cara_message.fill(edited)
    page.get_by_role("button", name="Send all invitations").click()
    expect(page.get_by_text("Sent 2 invitations.")).to_be_visible()
    expect(page.locator("#end-replaced")).to_be_visible()
    log_out(page)

    # --- cara: accept, and the offer on the old terms is waiting ----------------------------------------
    log_in(page, "cara@example.com")
    page.goto("/invitations/")
    invitation = page.locator("article", has_text="Replacement: Checkout rebuild")
    expect(invitation).to_contain_text("our checkout needs a steady hand")  # alice's words, not the draft
    invitation.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Invitation accepted")).to_be_visible()
    offer = _wait_for(lambda: Offer.objects.filter(freelancer=market["people"]["cara"]).first())
    page.goto(f"/offers/{offer.pk}/")
    expect(page.locator("body")).to_contain_text("USD 55.00/hr")
    expect(page.locator("body")).to_contain_text("20 h/week")
    log_out(page)

    # --- rita: the Enterprise case is in the human queue ------------------------------------------------
    hard = _wait_for(lambda: RiskCase.objects.filter(contract=globex, status="escalated").first(), MODEL_TIME_MS / 1000)
    log_in(page, "rita@tandem.test")
    page.goto("/admin/recruiter/riskcase/?queue=unclaimed")
    page.get_by_role("link", name=str(hard.pk), exact=True).click()
    expect(page.locator("body")).to_contain_text("The client's plan includes a human recruiter on every case")
    page.get_by_role("button", name="Claim this case").click()
    expect(page.get_by_text("Done: recorded on the case and in the audit log.")).to_be_visible()
    page.locator("#id_remove_entry").select_option(label=_option_of(page, "Dan Test"))
    page.locator("#id_reason").fill("Globex wants someone who has shipped Stripe billing")
    page.get_by_role("button", name="Remove the candidate (override)").click()
    expect(page.get_by_text("Done: recorded on the case and in the audit log.")).to_be_visible()
    page.locator("#id_add_freelancer").fill("fay@example.com")  # busy now, so Uma left her out
    page.locator("#id_reason").fill("Fay is free from Monday and Globex can wait a week for her")
    page.get_by_role("button", name="Add the freelancer (override)").click()
    expect(page.get_by_text("Done: recorded on the case and in the audit log.")).to_be_visible()
    fay = ShortlistEntry.objects.filter(case=hard, freelancer__email="fay@example.com")
    _wait_for(lambda: fay.filter(status="ready").first(), MODEL_TIME_MS / 1000)  # Uma reasons about her too
    page.reload()
    expect(page.locator("tr", has_text="Fay Test").first).to_contain_text("Ready")
    page.locator("#id_reason").fill("Dave delivered the milestone after our call")
    page.get_by_role("button", name="Resolve (contract recovered)").click()
    expect(page.get_by_text("Done: recorded on the case and in the audit log.")).to_be_visible()
    hard.refresh_from_db()
    assert (hard.status, hard.assigned_to) == ("resolved", rita)

    # --- the audit log: every recommendation, and every person's decision on it -------------------------
    rationales = AuditRecord.objects.filter(task="candidate_rationale", source__in=["model", "fallback"])
    assert rationales.count() >= 4  # two candidates on each case (and fay, once rita added her)
    # each candidate shown on either case (fay included) points at its own audit record
    assert set(rationales.values_list("pk", flat=True)) == set(
        ShortlistEntry.objects.values_list("audit_id", flat=True)
    )
    by_model = rationales.filter(source="model").values_list("model_version", flat=True)
    assert by_model and all(v.endswith(f"{RATIONALE}/llama.cpp") for v in by_model)  # the shipped adapter, on llama.cpp
    assert AuditRecord.objects.filter(task="invitation_message").count() == 2
    decisions = {
        (a.split(" ")[0], action)
        for a, action in AuditRecord.objects.filter(source="human").values_list("actor", "output__action")
    }
    assert {
        ("alice@tandem.test", "drafts_requested"),
        ("alice@tandem.test", "invited"),
        ("rita@tandem.test", "claimed"),
        ("rita@tandem.test", "override_remove"),
        ("rita@tandem.test", "override_add"),
        ("rita@tandem.test", "resolved"),
    } <= decisions, decisions
    assert CaseEvent.objects.filter(kind="offer_sent", detail__offer=offer.pk).exists()


def _option_of(page, name: str) -> str:  # noqa: ANN001
    """The label of the remove-candidate option that names this person."""
    for label in page.locator("#id_remove_entry option").all_inner_texts():
        if name in label:
            return label
    pytest.fail(f"{name} is not on the shortlist")
