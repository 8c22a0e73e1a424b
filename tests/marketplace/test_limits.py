"""Free text has a documented maximum (and no NUL character) and money a cap, for totals too: over
either is a 400 that names the field and changes nothing (a 1 MB overview used to be a 500, and two milestones of
1,000,000 took a contract past the cap)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.models import Contract, JobPost, Message, Milestone, MilestoneSubmission, Notification
from marketplace.services.contracts import contract_end
from marketplace.services.messaging import thread_for_contract
from tests.factories import fixed_contract

HUGE = "word " * 200_000  # 1 MB


@pytest.fixture
def api():
    return APIClient()


def snapshot(contract, bob) -> tuple:
    contract.refresh_from_db()
    bob.freelancer_profile.refresh_from_db()
    return (
        JobPost.objects.count(),
        Milestone.objects.count(),
        MilestoneSubmission.objects.count(),
        Message.objects.count(),
        contract.status,
        contract.fixed_amount,
        bob.freelancer_profile.overview,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("text", [HUGE, "half\x00way"], ids=["1 MB", "NUL"])
def test_huge_or_nul_text_is_a_400_naming_the_field_everywhere(api, alice, bob, text):
    contract = fixed_contract(client=alice, freelancer=bob)
    thread = thread_for_contract(contract=contract)
    first = contract.milestones.get(position=1)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    job = {
        "title": "T",
        "category": "data-ai-analytics",
        "contract_type": "fixed",
        "budget_min": "100",
        "budget_max": "200",
    }
    cases = [
        (bob, "patch", "/api/v1/me/profile/", {"overview": text}, "overview"),
        (alice, "post", "/api/v1/jobs/", {**job, "description": text}, "description"),
        (
            alice,
            "post",
            f"/api/v1/contracts/{contract.pk}/milestones/",
            {"title": "More", "amount": "10", "due_date": due, "description": text},
            "description",
        ),
        (bob, "post", f"/api/v1/milestones/{first.pk}/submit/", {"note": text}, "note"),
        (alice, "post", f"/api/v1/threads/{thread.pk}/messages/", {"body": text}, "body"),
        (alice, "post", f"/api/v1/contracts/{contract.pk}/end/", {"reason": "completed", "note": text}, "note"),
    ]
    before = snapshot(contract, bob)
    for who, method, url, body, field in cases:
        api.force_authenticate(who)
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 400, f"{method} {url}: {response.status_code} {response.content[:300]}"
        assert field in response.json().get("errors", response.json()), f"{url}: {response.json()}"
        assert snapshot(contract, bob) == before


@pytest.mark.django_db
def test_a_contract_total_stays_within_the_money_cap(api, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)  # 1,000.00 in two milestones
    api.force_authenticate(alice)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    url = f"/api/v1/contracts/{contract.pk}/milestones/"
    assert api.post(url, {"title": "Big", "amount": "999000", "due_date": due}, format="json").status_code == 201
    response = api.post(url, {"title": "More", "amount": "1000000", "due_date": due}, format="json")
    assert response.status_code == 400
    assert "amount" in str(response.json()) and "1,000,000.00" in str(response.json())
    contract.refresh_from_db()
    assert contract.fixed_amount == 1_000_000 and contract.milestones.count() == 3
    assert Contract.objects.get(pk=contract.pk).fixed_amount <= 1_000_000


@pytest.mark.django_db
@pytest.mark.parametrize("due", ["9999-12-31", "six years on"])
def test_a_milestone_due_years_ahead_is_a_400(api, alice, bob, due):
    """A due date of 9999-12-31 was taken: a slip of the keyboard, kept as the plan."""
    if due == "six years on":
        due = (timezone.localdate() + timedelta(days=365 * 6)).isoformat()
    contract = fixed_contract(client=alice, freelancer=bob)
    api.force_authenticate(alice)
    before = snapshot(contract, bob)
    body = {"title": "Far", "amount": "10", "due_date": due}
    response = api.post(f"/api/v1/contracts/{contract.pk}/milestones/", body, format="json")
    assert response.status_code == 400 and "due_date" in str(response.json()) and "5 years" in str(response.json())
    assert snapshot(contract, bob) == before


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_too_deeply_is_a_400_and_changes_nothing(api, alice, bob, depth):
    nested = "[" * depth + "]" * depth
    api.force_authenticate(alice)
    job = api.post("/api/v1/jobs/", nested, content_type="application/json")
    api.force_authenticate(bob)
    profile = api.patch("/api/v1/me/profile/", f'{{"overview": {nested}}}', content_type="application/json")

    assert job.status_code == 400
    assert job.json() == {"detail": "JSON parse error - nested too deeply."}
    assert profile.status_code == 400
    assert not JobPost.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("shape", ["list", "dict", "null"])
def test_a_body_not_an_object_or_a_field_not_text_is_a_400(api, alice, bob, shape):
    """The endpoints that read a field straight from the body: a JSON list as the body was a 500, and a
    field sent as an object was saved as its Python spelling."""
    contract = fixed_contract(client=alice, freelancer=bob)
    thread = thread_for_contract(contract=contract)
    first = contract.milestones.get(position=1)
    cases = [
        (bob, f"/api/v1/milestones/{first.pk}/submit/", "note"),
        (alice, f"/api/v1/threads/{thread.pk}/messages/", "body"),
        (alice, f"/api/v1/milestones/{first.pk}/revise/", "reason"),
    ]
    before = snapshot(contract, bob)
    for who, url, field in cases:
        api.force_authenticate(who)
        body = {"list": ["text"], "dict": {field: {"text": "x"}}, "null": {field: None}}[shape]
        response = api.post(url, body, format="json")
        assert response.status_code == 400, f"{url}: {response.status_code} {response.content[:300]}"
        named = response.json().get("errors", response.json())
        assert (field if shape != "list" else "non_field_errors") in named, f"{url}: {named}"
        assert snapshot(contract, bob) == before


@pytest.mark.django_db
@pytest.mark.parametrize("ids", ["1", ["abc"], [{"id": 1}], [10**30], [0], ["²"]], ids=repr)
def test_odd_ids_to_mark_read_are_a_400_and_read_nothing(api, alice, bob, ids):
    """Anything but a list of ids was taken as "all of them", and a non-number in the list was a 500."""
    contract_end(contract=fixed_contract(client=alice, freelancer=bob), by=alice, reason="completed")
    api.force_authenticate(bob)
    unread = Notification.objects.filter(user=bob, read_at__isnull=True).count()
    response = api.post("/api/v1/notifications/read/", {"ids": ids}, format="json")
    assert response.status_code == 400 and "ids" in response.json().get("errors", response.json())
    assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == unread > 0
    mine = list(Notification.objects.filter(user=bob).values_list("pk", flat=True)[:1])
    assert api.post("/api/v1/notifications/read/", {"ids": mine}, format="json").json() == {"marked_read": 1}
