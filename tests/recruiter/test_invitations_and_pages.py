"""One-click invitations (exactly once, unavailable people skipped, accepted → prefilled offer), the
client's pages and who may see them, and the recruiters' queue in the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.models import FreelancerProfile, Invitation, JobPost
from marketplace.services.jobs import invitation_accept
from offers.models import Offer
from recruiter.models import RiskCase, ShortlistEntry
from recruiter.services import invitations as invite_svc
from recruiter.services import shortlists as shortlist_svc
from tests.recruiter.conftest import broken, by_findings
from uma.models import AuditRecord

pytestmark = pytest.mark.django_db


def _entries(case) -> dict[str, ShortlistEntry]:
    return {e.freelancer.first_name.lower(): e for e in shortlist_svc.shown_entries(case)}


def test_drafts_are_written_once_and_mention_only_true_things(ready):
    cara = _entries(ready)["cara"]
    entry = invite_svc.draft_write(entry_id=cara.pk, generate=broken)  # the model fails: the template writes
    assert entry.draft_source == "fallback" and "Cara" in entry.draft and "Rebuild the checkout" in entry.draft
    again = invite_svc.draft_write(entry_id=cara.pk, generate=by_findings)
    assert again.draft == entry.draft  # kept once written


def test_sending_twice_invites_each_person_once(ready, alice):
    entries = _entries(ready)
    texts = {entries["cara"].pk: "Hi Cara, would you pick up our checkout?", entries["dan"].pk: "Hi Dan, join us?"}
    sent = invite_svc.invitations_send(case=ready, by=alice, messages=texts)
    assert len(sent) == 2 and invite_svc.invitations_send(case=ready, by=alice, messages=texts) == []
    job = JobPost.objects.get(title="Replacement: Checkout rebuild")
    assert job.status == "open" and set(job.skills.values_list("name", flat=True)) == {"Django", "React", "Stripe"}
    assert Invitation.objects.filter(job=job).count() == 2
    assert Invitation.objects.get(freelancer__first_name="Cara").message == texts[entries["cara"].pk]
    ready.refresh_from_db()
    assert ready.first_invite_at is not None and ready.status == RiskCase.Status.CLIENT_REVIEWING
    assert AuditRecord.objects.filter(source="human", output__action="invited").count() == 2


def test_someone_no_longer_available_is_skipped_with_a_note(ready, alice, market):
    entries = _entries(ready)
    FreelancerProfile.objects.filter(user=market["people"]["dan"]).update(available_now=False)
    texts = {entries["cara"].pk: "Hi Cara", entries["dan"].pk: "Hi Dan"}
    sent = invite_svc.invitations_send(case=ready, by=alice, messages=texts)
    assert [e.freelancer.first_name for e in sent] == ["Cara"]
    dan = ShortlistEntry.objects.get(pk=entries["dan"].pk)
    assert (dan.status, dan.note) == ("skipped", "The freelancer is no longer available.")


def test_an_empty_message_changes_nothing(ready, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        invite_svc.invitations_send(case=ready, by=alice, messages={_entries(ready)["cara"].pk: "  "})
    assert not Invitation.objects.exists() and not JobPost.objects.filter(title__startswith="Replacement").exists()


def test_an_accepted_invitation_brings_an_offer_on_the_old_terms(ready, alice, market):
    cara = _entries(ready)["cara"]
    invite_svc.invitations_send(case=ready, by=alice, messages={cara.pk: "Hi Cara"})
    invitation = Invitation.objects.get()
    invitation_accept(invitation=invitation, by=market["people"]["cara"])
    assert invite_svc.invitation_answered(invitation_id=invitation.pk)
    assert not invite_svc.invitation_answered(invitation_id=invitation.pk)  # once
    offer = Offer.objects.get(invitation=invitation)
    version = offer.versions.get()
    assert (offer.freelancer, offer.client, offer.title) == (market["people"]["cara"], alice, "Checkout rebuild")
    assert (version.contract_type, version.hourly_rate, version.weekly_limit) == ("hourly", Decimal("55.00"), 20)


def test_replacing_ends_the_old_contract_with_the_right_reason(ready, alice):
    from recruiter.services.cases import case_replace

    case_replace(case=ready, by=alice)
    ready.contract.refresh_from_db()
    assert (ready.contract.status, ready.contract.end_reason) == ("ended", "replaced")
    assert RiskCase.objects.get(pk=ready.pk).status == "replaced"


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("carol", 404), ("bob", 404), ("rita", 200), ("anonymous", 302)]
)
def test_who_sees_the_case_page(ready, who, status, alice, bob, carol, rita, client_for, anonymous):
    people = {"alice": alice, "bob": bob, "carol": carol, "rita": rita}
    browser = anonymous if who == "anonymous" else client_for(people[who])
    response = browser.get(ready.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "No reply to the client for 52 hours" in response.content.decode()


@pytest.mark.parametrize("who", ["carol", "bob", "rita"])
def test_only_the_client_acts_on_the_case(ready, who, bob, carol, rita, client_for):
    people = {"bob": bob, "carol": carol, "rita": rita}
    entry = _entries(ready)["cara"]
    response = client_for(people[who]).post(reverse("recruiter:remove", args=[ready.pk, entry.pk]))
    assert response.status_code == 404
    assert ShortlistEntry.objects.get(pk=entry.pk).status == "ready"


def test_the_client_removes_drafts_and_sends_from_the_pages(ready, alice, client_for):
    browser = client_for(alice)
    page = browser.get(ready.get_absolute_url()).content.decode()
    assert "Cara Test" in page and "strong" in page and "Why this person" in page
    entries = _entries(ready)
    response = browser.post(reverse("recruiter:drafts", args=[ready.pk]), {"entries": [entries["cara"].pk]})
    assert response.status_code == 303 and "/invite/?entries=" in response["Location"]
    invite_url = response["Location"]
    invite_svc.draft_write(entry_id=entries["cara"].pk, generate=broken)  # what the llm worker does
    form = browser.get(invite_url).content.decode()
    assert "Send all invitations" in form and "Hi Cara" in form
    data = {
        "entries": [entries["cara"].pk],
        f"message_{entries['cara'].pk}": "Hi Cara, edited by me",
        "offer_on_accept": "1",
    }
    assert browser.post(invite_url, data).status_code == 303
    assert browser.post(invite_url, data).status_code == 303  # pressed twice
    assert Invitation.objects.get().message == "Hi Cara, edited by me"


@pytest.mark.parametrize("odd", ["\u00b2", "9" * 5000])
def test_odd_candidate_ids_are_left_out(ready, alice, client_for, odd):
    """ "²" passes str.isdigit() and int() refuses it; 5,000 digits pass Python's int limit: both were 500s."""
    browser = client_for(alice)
    cara = _entries(ready)["cara"].pk
    compared = browser.get(reverse("recruiter:compare", args=[ready.pk]), {"entries": [odd, cara]})
    assert compared.status_code == 200 and "Cara Test" in compared.content.decode()
    drafted = browser.post(reverse("recruiter:drafts", args=[ready.pk]), {"entries": [odd, cara]})
    assert drafted.status_code == 303 and drafted["Location"].endswith(f"/invite/?entries={cara}")
    invite_url = reverse("recruiter:invite", args=[ready.pk])
    form = browser.get(invite_url, {"entries": [odd, cara]})
    assert form.status_code == 200 and "Cara Test" in form.content.decode()
    sent = browser.post(f"{invite_url}?entries={cara}", {"entries": [odd], f"message_{cara}": "Hi Cara"})
    assert sent.status_code < 500 and not Invitation.objects.exists()


def test_the_dashboard_alerts_the_client_and_never_the_freelancer(ready, alice, bob, client_for):
    assert "Contracts that need your attention" in client_for(alice).get("/dashboard/").content.decode()
    assert "need your attention" not in client_for(bob).get("/dashboard/").content.decode()
    room = client_for(bob).get(ready.contract.get_absolute_url()).content.decode()
    assert "Uma is watching" not in room and "concerned" not in room


def test_a_client_marks_concern_from_the_contract_page(market, alice, client_for):
    contract = market["contract"]
    response = client_for(alice).post(reverse("recruiter:concern", args=[contract.pk]), {"note": "Missed two calls"})
    assert response.status_code == 303
    assert contract.concerns.get().note == "Missed two calls"


def test_concerns_are_limited_per_contract_and_a_long_note_is_refused_not_cut(market, alice, client_for, settings):
    """Each concern queues a risk check: a script marking thousands made the default queue (emails too) wait.
    A note over 500 characters was cut without a word."""
    settings.RECRUITER_CONCERNS_PER_HOUR = 2
    contract, browser = market["contract"], client_for(alice)
    url = reverse("recruiter:concern", args=[contract.pk])
    long = browser.post(url, {"note": "x" * 501}, follow=True)
    assert "at most 500 characters" in long.content.decode() and not contract.concerns.exists()
    assert [browser.post(url, {"note": "Missed a call"}).status_code for _ in range(2)] == [303, 303]
    third = browser.post(url, {"note": "And another"}, follow=True)
    assert "several times in the last hour" in third.content.decode()
    api = client_for(alice).post(
        f"/api/v1/contracts/{contract.pk}/concern/", {"note": "Again"}, content_type="application/json"
    )
    assert api.status_code == 429
    assert contract.concerns.count() == 2


def test_a_long_reason_to_remove_someone_is_refused_not_cut(ready, alice, client_for):
    cara = _entries(ready)["cara"]
    url = reverse("recruiter:remove", args=[ready.pk, cara.pk])
    page = client_for(alice).post(url, {"reason": "z" * 301}, follow=True)
    assert "at most 300 characters" in page.content.decode()
    assert ShortlistEntry.objects.get(pk=cara.pk).status == "ready"


def test_rita_works_a_case_in_the_admin(ready, rita, market, client_for):
    RiskCase.objects.filter(pk=ready.pk).update(status="escalated")
    browser = client_for(rita)
    inlines = {f"{p}-{n}_FORMS": "0" for p in ("entries", "events") for n in ("TOTAL", "INITIAL")}

    class admin:  # the change form posts its (read-only) inlines' management forms along
        get = browser.get

        @staticmethod
        def post(url, data):
            return browser.post(url, {**inlines, **data})

    url = reverse("admin:recruiter_riskcase_change", args=[ready.pk])
    listing = admin.get(reverse("admin:recruiter_riskcase_changelist") + "?queue=unclaimed").content.decode()
    assert "Checkout rebuild" in listing
    assert admin.post(url, {"_claim": "1"}).status_code == 302
    assert RiskCase.objects.get(pk=ready.pk).assigned_to == rita
    page = admin.get(url).content.decode()
    assert "Uma&#x27;s reasoning" in page or "reasoning" in page
    assert "is a strong fit for this job." in page  # Uma's explanation, shown to the recruiter
    assert "Shortlist entries" in page and "entrys" not in page.lower()  # the inline's own name
    dan = _entries(ready)["dan"]
    admin.post(url, {"_remove": "1", "remove_entry": dan.pk, "reason": "Client wants Stripe experience"})
    assert ShortlistEntry.objects.get(pk=dan.pk).status == "removed"
    admin.post(url, {"_message": "1", "message": "I'm on it: two strong people by tomorrow."})
    admin.post(url, {"_resolve": "1", "reason": "Bob is back"})
    assert RiskCase.objects.get(pk=ready.pk).status == "resolved"
    actions = set(AuditRecord.objects.filter(source="human").values_list("output__action", flat=True))
    assert {"claimed", "override_remove", "recruiter_message", "resolved"} <= actions


def test_the_client_compares_candidates_side_by_side(ready, alice, client_for):
    entries = _entries(ready)
    url = reverse("recruiter:compare", args=[ready.pk]) + f"?entries={entries['cara'].pk}&entries={entries['dan'].pk}"
    page = client_for(alice).get(url).content.decode()
    assert "Cara Test" in page and "Dan Test" in page
    assert "96% over 20 completed jobs" in page and "84% over 9 completed jobs" in page
    assert "3 of 3 (Django, React, Stripe)" in page and "2 of 3 (Django, React); missing: Stripe" in page


def test_the_queue_lists_cases_in_a_fixed_number_of_queries(market, rita, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import FreelancerFactory, hourly_contract

    browser, url = client_for(rita), reverse("admin:recruiter_riskcase_changelist")
    browser.get(url)  # the session is warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200
        return len(captured.captured_queries)

    def add_case() -> None:
        contract = hourly_contract(client=market["contract"].client, freelancer=FreelancerFactory())
        RiskCase.objects.create(contract=contract, service="shortlist", detected_at=contract.created_at)

    add_case()
    one = queries()
    for _ in range(5):
        add_case()
    assert queries() == one


def test_the_admin_case_page_reads_like_a_product(ready, rita, alice, client_for):
    """The live round in the inline, earlier rounds folded, reasons and details as lists, no raw JSON."""
    from recruiter.services import shortlists as shortlist_svc
    from tests.recruiter.conftest import by_findings

    shortlist_svc.shortlist_start(case=ready, by=alice, preferences=["fast_replies"])
    shortlist_svc.shortlist_build(case_id=ready.pk, round_=2, generate=by_findings)
    RiskCase.objects.filter(pk=ready.pk).update(escalation_reasons=["No candidate reached a strong verdict"])
    page = client_for(rita).get(reverse("admin:recruiter_riskcase_change", args=[ready.pk])).content.decode()
    assert "Shortlist entries (the live round)" in page
    assert "<details><summary>Round 1 · 2 candidates</summary>" in page
    assert "<li>No candidate reached a strong verdict</li>" in page
    assert "fast replies" in page and '["' not in page and "{&#x27;" not in page
    assert AuditRecord.objects.exists()
    audit = client_for(rita).get(reverse("admin:uma_auditrecord_changelist")).content.decode()
    assert " s</td>" in audit  # latencies in seconds
