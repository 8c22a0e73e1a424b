"""Offer pages and the API: sending, countering with milestones, 409 with what changed, hints,
changes to a live contract, and lists without N+1 queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import Contract, Organization
from offers.models import Offer
from offers.services import negotiation as svc
from tests.factories import JobFactory, fixed_contract, hourly_contract
from tests.offers.test_negotiation import day, fixed_terms, hourly_terms

pytestmark = pytest.mark.django_db


def formset(rows: list[tuple[str, str, str]], extra: int = 2) -> dict:
    data = {"ms-TOTAL_FORMS": str(len(rows) + extra), "ms-INITIAL_FORMS": "0"}
    for i, (title, amount, due) in enumerate(rows):
        data.update({f"ms-{i}-title": title, f"ms-{i}-amount": amount, f"ms-{i}-due_date": due})
    return data


def test_client_sends_a_fixed_offer_with_milestones_from_the_page(client_for, alice, bob):
    page = client_for(alice)
    assert "Send an offer to Bob Brown" in page.get(f"/offers/new/?freelancer={bob.pk}").content.decode()
    data = {
        "freelancer": bob.pk,
        "title": "Landing page",
        "contract_type": "fixed",
        "currency": "USD",
        "fixed_amount": "900",
        "start_date": day(1),
        "scope": "One page.",
        "message": "Hi Bob",
        **formset([("Design", "300", day(5)), ("Build", "600", day(9))]),
    }
    response = page.post("/offers/new/", data)
    assert response.status_code == 303
    offer = Offer.objects.get()
    version = offer.versions.get()
    assert [m["title"] for m in version.milestones] == ["Design", "Build"] and version.fixed_amount == Decimal("900")


def test_a_bad_offer_form_says_what_is_wrong_and_sends_nothing(client_for, alice, bob):
    data = {
        "freelancer": bob.pk,
        "title": "Landing page",
        "contract_type": "fixed",
        "fixed_amount": "900",
        **formset([("Design", "300", day(5))]),
    }
    response = client_for(alice).post("/offers/new/", data)
    assert response.status_code == 400
    assert "The milestones add up to 300.00, not the total of 900.00." in response.content.decode()
    assert not Offer.objects.exists()


def test_freelancer_counters_on_the_page_and_the_client_sees_the_diff_and_summary(client_for, alice, bob):
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")
    bob_page = client_for(bob)
    form = bob_page.get(f"/offers/{offer.pk}/counter/").content.decode()
    assert 'value="40.00"' in form  # prefilled with the current terms
    data = {
        "expected_version": 1,
        "contract_type": "hourly",
        "hourly_rate": "48",
        "weekly_limit": "20",
        "start_date": day(3),
        "scope": "x",
        "message": "Busy month",
        **formset([]),
    }
    assert bob_page.post(f"/offers/{offer.pk}/counter/", data).status_code == 302
    html = client_for(alice).get(f"/offers/{offer.pk}/").content.decode()
    assert "Bob Brown requested changes" in html
    assert "Rate up from USD 40.00 to USD 48.00/hr." in html  # the diff sentence until Uma's summary is made
    assert 'id="all-versions"' in html and "USD 48.00/hr" in html and 'class="changed"' in html
    assert "Reject changes" in html


def test_acting_on_a_stale_version_shows_what_changed_since(client_for, alice, bob):
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")
    svc.offer_withdraw(offer=offer, by=alice, expected_version=1, reason="edit_terms")
    response = client_for(bob).post(f"/offers/{offer.pk}/accept/", {"expected_version": 1})
    assert response.status_code == 409 and "withdrawn" in response.content.decode()

    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support 2")
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("45"), message="a bit more")
    response = client_for(alice).post(f"/offers/{offer.pk}/accept/", {"expected_version": 1})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Changed since you looked (version 1 → 2)" in html and "45.00" in html
    assert not Contract.objects.exists()


def test_enterprise_offer_page_tells_the_freelancer_to_message_instead(client_for, alice, bob):
    Organization.objects.filter(memberships__user=alice).update(plan=Organization.Plan.ENTERPRISE)
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    offer = svc.offer_send(
        by=type(alice).objects.get(pk=alice.pk), freelancer=bob, job=job, terms=hourly_terms(), title=""
    )
    html = client_for(bob).get(f"/offers/{offer.pk}/").content.decode()
    assert "Counter-offers aren't available" in html and 'id="counter"' not in html


def test_hints_show_the_market_range_missing_terms_and_a_nudge(client_for, alice, bob, dave):
    org = alice.organizations.get()
    job = JobFactory(organization=org, created_by=alice, skills=["Django"])
    for rate in ("30", "40", "50", "60", "70"):
        c = hourly_contract(client=alice, freelancer=dave, rate=rate)
        Contract.objects.filter(pk=c.pk).update(job=job)
    offer = svc.offer_send(
        by=alice, freelancer=bob, job=job, terms={**hourly_terms(), "start_date": None, "scope": "Fix it"}, title=""
    )
    html = client_for(alice).get(f"/offers/{offer.pk}/").content.decode()
    assert "USD 40.00–USD 60.00/hr (median USD 50.00; 5 contracts)" in html
    assert "No start date" in html and "The scope is a line or less" in html
    assert "Agreed hourly rates for this job's skills" in html
    # The freelancer sees the market, but not hints about the client's own offer that only the client can act on.
    theirs = client_for(bob).get(f"/offers/{offer.pk}/").content.decode()
    assert (
        "USD 40.00–USD 60.00/hr" in theirs
        and "The scope is a line or less" not in theirs
        and "No start date" not in theirs
    )
    from offers.hints import nudge

    latest = offer.versions.get()
    assert nudge(offer, latest, viewer_side="client", now=timezone.now() + timedelta(days=2)).startswith(
        "Bob Brown hasn't answered in 2"
    )
    assert nudge(offer, latest, viewer_side="freelancer", now=timezone.now() + timedelta(days=2)) is None


def test_offer_list_is_free_of_n_plus_one(client_for, alice, django_assert_max_num_queries):
    from tests.factories import FreelancerFactory

    page = client_for(alice)
    svc.offer_send(by=alice, freelancer=FreelancerFactory(), terms=hourly_terms(), title="One")
    page.get("/offers/")
    with django_assert_max_num_queries(12) as few:
        page.get("/offers/")
    for n in range(10):
        svc.offer_send(by=alice, freelancer=FreelancerFactory(), terms=hourly_terms(), title=f"Offer {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert page.get("/offers/").content.decode().count("<article") == 11


@pytest.mark.parametrize("status", ["bogus", "LIVE", "open "])
def test_an_offer_list_by_a_status_that_is_not_one_is_a_400(client_for, alice, bob, status):
    """It answered 200 and "No offers here", as if there were none."""
    svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms(), title="Checkout page")
    client = client_for(alice)
    page = client.get("/offers/", {"status": status})
    api = client.get("/api/v1/offers/", {"status": status})

    assert page.status_code == 400 and 'role="alert"' in page.content.decode()
    assert api.status_code == 400 and "status" in api.json()["errors"]
    counts = [client.get("/api/v1/offers/", {"status": s}).json()["count"] for s in ("open", "all", "expired")]
    assert counts == [1, 1, 0]


def test_api_negotiation_with_409_that_lists_what_changed(client_for, alice, bob):
    api_alice, api_bob = client_for(alice), client_for(bob)
    sent = api_alice.post(
        "/api/v1/offers/",
        {"freelancer": bob.pk, "title": "API work", "terms": fixed_terms()},
        content_type="application/json",
    )
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    counter = api_bob.post(
        f"/api/v1/offers/{pk}/counter/",
        {"expected_version": 1, "message": "more", "terms": fixed_terms("1600.00", (("All", "1600", 12),))},
        content_type="application/json",
    )
    assert counter.status_code == 200 and counter.json()["version_count"] == 2
    stale = api_alice.post(f"/api/v1/offers/{pk}/accept/", {"expected_version": 1}, content_type="application/json")
    body = stale.json()
    assert stale.status_code == 409 and body["current_version"] == 2
    assert {c["field"] for c in body["changed"]} >= {"fixed_amount", "milestone_1_title", "milestone_2"}
    diff = api_alice.get(f"/api/v1/offers/{pk}/diff/?from=1&to=2").json()
    assert {"field": "fixed_amount", "label": "Total", "old": "1500.00", "new": "1600.00", "unit": "$"} in diff
    bad = api_alice.post(
        f"/api/v1/offers/{pk}/counter/",
        {"expected_version": 2, "message": "x", "terms": {**fixed_terms(), "fixed_amount": "0.001"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "fixed_amount" in bad.json()["errors"]
    accepted = api_alice.post(f"/api/v1/offers/{pk}/accept/", {"expected_version": 2}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Contract.objects.get(pk=accepted.json()["contract"]).fixed_amount == Decimal("1600.00")


def test_changes_after_hire_hourly_rate_applies_from_now_on(client_for, alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob, rate="40.00", weekly_limit=20)
    response = client_for(bob).post(
        f"/contracts/{contract.pk}/changes/",
        {"hourly_rate": "45", "weekly_limit": "25", "message": "New rate from next month", **formset([], 0)},
    )
    assert response.status_code == 303, response.content.decode()[-500:]
    offer = Offer.objects.get(kind="change")
    assert offer.awaiting == "client" and offer.version_count == 2
    with pytest.raises(Exception, match="already waiting"):
        svc.change_propose(contract=contract, by=alice, terms=hourly_terms("41"), message="mine")
    svc.offer_accept(offer=offer, by=alice, expected_version=2)
    contract.refresh_from_db()
    assert (contract.hourly_rate, contract.weekly_limit) == (Decimal("45.00"), 25)
    assert "Accepted" in client_for(alice).get(f"/contracts/{contract.pk}/changes/").content.decode()


def test_changes_after_hire_replace_only_future_milestones(alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    first = contract.milestones.order_by("position").first()
    from marketplace.services.contracts import milestone_submit

    milestone_submit(milestone=first, by=bob, note="done")
    future = list(contract.milestones.filter(status="active").order_by("position"))
    kept_total = sum(m.amount for m in contract.milestones.exclude(pk__in=[m.pk for m in future]))
    offer = svc.change_propose(
        contract=contract,
        by=alice,
        message="Split the rest",
        terms={
            "milestones": [
                {"title": "Part A", "amount": "100", "due_date": day(10)},
                {"title": "Part B", "amount": "150", "due_date": day(20)},
            ]
        },
    )
    svc.offer_accept(offer=offer, by=bob, expected_version=2)
    contract.refresh_from_db()
    titles = list(contract.milestones.order_by("position").values_list("title", "status"))
    assert titles[0] == (first.title, "submitted") and titles[-2:] == [("Part A", "active"), ("Part B", "active")]
    assert contract.fixed_amount == kept_total + Decimal("250")


def test_a_change_refused_when_work_was_submitted_meanwhile(alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    offer = svc.change_propose(
        contract=contract,
        by=alice,
        message="Rework",
        terms={"milestones": [{"title": "Only", "amount": "100", "due_date": day(10)}]},
    )
    from marketplace.services.contracts import milestone_submit

    milestone_submit(milestone=contract.milestones.order_by("position").first(), by=bob, note="done")
    before = list(contract.milestones.values_list("pk", "title", "amount"))
    with pytest.raises(Exception, match="milestones changed since"):
        svc.offer_accept(offer=offer, by=bob, expected_version=2)
    offer.refresh_from_db()
    assert offer.status == "open" and list(contract.milestones.values_list("pk", "title", "amount")) == before


def test_an_offer_from_an_accepted_invitation_with_an_attachment(client_for, alice, bob):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marketplace.services import jobs as job_svc

    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    invitation = job_svc.invitation_send(job=job, by=alice, freelancer=bob)
    job_svc.invitation_accept(invitation=invitation, by=bob)
    page = client_for(alice)
    assert f"?invitation={invitation.pk}" in page.get(f"/jobs/{job.pk}/invite/?q=Brown").content.decode()
    brief = SimpleUploadedFile("brief.txt", b"What we need, in detail.", content_type="text/plain")
    data = {
        "invitation": invitation.pk,
        "title": "",
        "contract_type": "hourly",
        "currency": "USD",
        "hourly_rate": "45",
        "weekly_limit": "10",
        "files": brief,
        **formset([]),
    }
    assert page.post("/offers/new/", data).status_code == 303
    offer = Offer.objects.get()
    assert (offer.invitation, offer.job, offer.freelancer, offer.title) == (invitation, job, bob, job.title)
    attachment = offer.versions.get().attachments.get().attachment
    assert attachment.name == "brief.txt" and attachment.uploaded_by == alice
    assert "brief.txt" in client_for(bob).get(f"/offers/{offer.pk}/").content.decode()


def test_offer_page_and_api_cost_the_same_queries_with_more_versions(client_for, alice, bob, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.OFFERS_CHANGES_PER_HOUR = 10
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("41"), message="more")
    page = client_for(alice)

    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as html:
            assert page.get(f"/offers/{offer.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert page.get(f"/api/v1/offers/{offer.pk}/").status_code == 200
        return len(html.captured_queries), len(api.captured_queries)

    few = cost()
    for number, rate in zip(range(2, 6), ("42", "43", "44", "45"), strict=True):
        who = alice if number % 2 == 0 else bob
        svc.offer_counter(offer=offer, by=who, expected_version=number, terms=hourly_terms(rate), message="again")
    assert cost() == few


def test_the_alert_and_history_say_who_did_what_in_plain_words(client_for, alice, bob, settings):
    """It said "You offer sent 0 minutes ago", and the client's own counter "requested changes"."""
    settings.OFFERS_CHANGES_PER_HOUR = 10
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms("40"), title="Support")
    assert "You sent this offer just now." in client_for(alice).get(f"/offers/{offer.pk}/").content.decode()
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("48"), message="More")
    svc.offer_counter(offer=offer, by=alice, expected_version=2, terms=hourly_terms("44"), message="Meet halfway")
    html = client_for(bob).get(f"/offers/{offer.pk}/").content.decode()
    assert "Alice Adams countered just now." in html
    history = html[html.index('id="history"') :]
    assert "Bob Brown</strong> requested changes, just now" in history
    assert "Alice Adams</strong> countered, just now" in history
    assert "Alice Adams</strong> sent this offer, just now" in history
    assert "0 minutes" not in html
