"""The recruiter over the API: who sees and who acts on a case, the shortlist with Uma's reasons, drafts
and one-click sending (once), and bad input refused with nothing changed."""

from __future__ import annotations

import pytest

from marketplace.models import Invitation
from recruiter.models import ContractConcern, RiskCase, ShortlistEntry
from recruiter.services import invitations as invite_svc
from tests.recruiter.conftest import broken

pytestmark = pytest.mark.django_db


def _api(who, client_for, anonymous):  # noqa: ANN001, ANN202
    return anonymous if who is None else client_for(who)


@pytest.mark.parametrize(
    ("who", "seen", "listed"),
    [("alice", 200, 1), ("bob", 404, 0), ("carol", 404, 0), ("rita", 200, 1), (None, 403, None)],
)
def test_who_sees_a_case(ready, who, seen, listed, request, client_for, anonymous):
    api = _api(request.getfixturevalue(who) if who else None, client_for, anonymous)
    assert api.get(f"/api/v1/risk-cases/{ready.pk}/").status_code == seen
    answer = api.get("/api/v1/risk-cases/")
    if listed is None:
        assert answer.status_code == 403
    else:
        assert answer.json()["count"] == listed  # bob, the freelancer, is never told his contract is at risk


def test_the_case_shows_the_shortlist_with_reasons(ready, alice, client_for):
    body = client_for(alice).get(f"/api/v1/risk-cases/{ready.pk}/").json()
    assert body["reasons"] == ["No reply to the client for 52 hours"]
    assert body["progress"] == {"building": False, "done": 2, "total": 2}
    assert [(e["freelancer_name"], e["verdict"]) for e in body["shortlist"]] == [
        ("Cara Test", "strong"),
        ("Dan Test", "possible"),
    ]
    assert all(e["reasons"] and e["explanation"] and e["model_version"] == "scripted@1" for e in body["shortlist"])


@pytest.mark.parametrize("who", ["bob", "carol", "rita"])
def test_only_the_client_acts(ready, who, request, client_for):
    api = client_for(request.getfixturevalue(who))
    entry = ready.entries.first()
    for url, data in [
        (f"/api/v1/risk-cases/{ready.pk}/resolve/", {}),
        (f"/api/v1/risk-cases/{ready.pk}/more/", {}),
        (f"/api/v1/risk-cases/{ready.pk}/entries/{entry.pk}/remove/", {"reason": "no"}),
        (f"/api/v1/risk-cases/{ready.pk}/drafts/", {"entries": [entry.pk]}),
        (f"/api/v1/contracts/{ready.contract_id}/concern/", {"note": "?"}),
    ]:
        assert api.post(url, data, content_type="application/json").status_code == 404, url
    ready.refresh_from_db()
    assert ready.status == RiskCase.Status.SHORTLIST_READY and not ContractConcern.objects.exists()


def test_drafts_then_sending_twice_invites_each_person_once(ready, alice, client_for):
    api = client_for(alice)
    ids = list(ready.entries.order_by("position").values_list("pk", flat=True))
    drafts = api.post(f"/api/v1/risk-cases/{ready.pk}/drafts/", {"entries": ids}, content_type="application/json")
    assert drafts.status_code == 202 and {e["draft_source"] for e in drafts.json()} == {"pending"}
    for pk in ids:
        invite_svc.draft_write(entry_id=pk, generate=broken)  # what the llm worker does
    detail = api.get(f"/api/v1/risk-cases/{ready.pk}/").json()
    messages = {str(e["id"]): e["draft"] + "\n— Alice" for e in detail["shortlist"]}
    assert all("Rebuild the checkout" in text for text in messages.values())
    url = f"/api/v1/risk-cases/{ready.pk}/invitations/"
    first = api.post(url, {"messages": messages}, content_type="application/json")
    assert first.status_code == 201 and len(first.json()) == 2
    again = api.post(url, {"messages": messages}, content_type="application/json")
    assert again.status_code == 200 and again.json() == []
    assert Invitation.objects.count() == 2 and all(i.message.endswith("— Alice") for i in Invitation.objects.all())


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("shortlist/", {"preferences": ["must_be_cheap"]}),
        ("drafts/", {"entries": []}),
        ("invitations/", {"messages": {"cara": "Hi"}}),
        ("invitations/", {"messages": {"{cara}": "   "}}),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(ready, alice, client_for, path, data):
    cara = ready.entries.get(freelancer__first_name="Cara")
    data = {"messages": {str(cara.pk): "   "}} if "{cara}" in str(data) else data
    answer = client_for(alice).post(f"/api/v1/risk-cases/{ready.pk}/{path}", data, content_type="application/json")
    assert answer.status_code == 400, answer.content
    ready.refresh_from_db()
    assert ready.shortlist_round == 1 and not Invitation.objects.exists()
    assert set(ShortlistEntry.objects.values_list("draft_source", flat=True)) == {""}


def test_the_client_resolves_or_marks_concern(ready, alice, market, client_for):
    api = client_for(alice)
    assert api.post(f"/api/v1/risk-cases/{ready.pk}/sideways/").status_code == 404
    done = api.post(f"/api/v1/risk-cases/{ready.pk}/resolve/")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    concern = api.post(
        f"/api/v1/contracts/{ready.contract_id}/concern/",
        {"note": "Missed two calls", "wants_person": True},
        content_type="application/json",
    )
    assert concern.status_code == 201 and ContractConcern.objects.get().note == "Missed two calls"
