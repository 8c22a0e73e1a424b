"""Every recruiter page and endpoint, tried by the whole cast: the contract's organisation (alice) sees
and acts, Tandem's recruiters (rita) read, and anyone else — the freelancer on the contract (bob), other
clients (carol) and other freelancers (dave) — gets 404; signed-out visitors are sent to log in."""

from __future__ import annotations

import pytest

from recruiter.models import RiskCase, ShortlistEntry

pytestmark = pytest.mark.django_db

CAST = ["alice", "bob", "carol", "dave", "rita", "anonymous"]
READ = {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302}
API_READ = {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403}
PAGES = [
    "/recruiter/cases/{case}/",
    "/recruiter/cases/{case}/shortlist/",
    "/recruiter/cases/{case}/compare/?entries={entry}",
    "/recruiter/cases/{case}/invite/?entries={entry}",
]
API = ["/api/v1/risk-cases/{case}/"]
# Writes by anyone but the organisation change nothing (rita reads only; outsiders don't know it exists).
WRITES = [
    ("/recruiter/cases/{case}/preferences/", {"preferences": ["fast_replies"]}),
    ("/recruiter/cases/{case}/more/", {}),
    ("/recruiter/cases/{case}/entries/{entry}/remove/", {"reason": "no"}),
    ("/recruiter/cases/{case}/drafts/", {"entries": ["{entry}"]}),
    ("/recruiter/cases/{case}/invite/", {"entries": ["{entry}"]}),
    ("/recruiter/cases/{case}/person/", {}),
    ("/recruiter/cases/{case}/resolve/", {}),
    ("/recruiter/cases/{case}/replace/", {}),
    ("/recruiter/contracts/{contract}/concern/", {"note": "worried"}),
    ("/api/v1/risk-cases/{case}/shortlist/", {"preferences": []}),
    ("/api/v1/risk-cases/{case}/more/", {}),
    ("/api/v1/risk-cases/{case}/entries/{entry}/remove/", {"reason": "no"}),
    ("/api/v1/risk-cases/{case}/drafts/", {"entries": ["{entry}"]}),
    ("/api/v1/risk-cases/{case}/invitations/", {"messages": {}}),
    ("/api/v1/risk-cases/{case}/ask-person/", {}),
    ("/api/v1/risk-cases/{case}/resolve/", {}),
    ("/api/v1/risk-cases/{case}/replace/", {}),
    ("/api/v1/contracts/{contract}/concern/", {"note": "worried"}),
]


@pytest.fixture
def people(request):
    return {who: request.getfixturevalue(who) for who in CAST if who != "anonymous"}


def client_as(who, people, client_for, anonymous):
    return anonymous if who == "anonymous" else client_for(people[who])


def fill(template: str, ids: dict) -> str:
    return template.format(**ids)


def snapshot(case: RiskCase) -> tuple:
    case.refresh_from_db()
    entries = ShortlistEntry.objects.filter(case=case).order_by("pk")
    return (
        case.status,
        case.shortlist_round,
        list(case.preferences),
        list(entries.values_list("status", "draft")),
        case.events.count(),
        case.contract.concerns.count(),
    )


def test_every_page_and_read_for_every_member_of_the_cast(ready, people, client_for, anonymous):
    ids = {"case": ready.pk, "entry": ShortlistEntry.objects.filter(case=ready).first().pk}
    for template, expected in [(p, READ) for p in PAGES] + [(a, API_READ) for a in API]:
        url = fill(template, ids)
        for who in CAST:
            response = client_as(who, people, client_for, anonymous).get(url)
            assert response.status_code == expected[who], f"{who} GET {url}: {response.status_code}"
            if expected[who] == 302:
                assert "/login/" in response["Location"]


@pytest.mark.parametrize(("template", "data"), WRITES, ids=[w[0] for w in WRITES])
def test_nobody_but_the_organisation_changes_a_case(ready, people, client_for, anonymous, template, data):
    entry = ShortlistEntry.objects.filter(case=ready).first()
    ids = {"case": ready.pk, "entry": entry.pk, "contract": ready.contract_id}
    url = fill(template, ids)
    body = {k: ([fill(str(x), ids) for x in v] if isinstance(v, list) else v) for k, v in data.items()}
    before = snapshot(ready)
    for who in ["bob", "carol", "dave", "rita", "anonymous"]:
        client = client_as(who, people, client_for, anonymous)
        if url.startswith("/api/"):
            response = client.post(url, body, content_type="application/json")
            allowed = {403, 404}
        else:
            response = client.post(url, body)
            allowed = {302, 403, 404} if who == "anonymous" else {403, 404}
        assert response.status_code in allowed, f"{who} POST {url}: {response.status_code}"
        if who == "dave" or who == "carol":
            assert response.status_code in {404, 403}
    assert snapshot(ready) == before


def test_dave_never_sees_a_case_in_lists_or_the_admin(ready, people, client_for):
    dave = client_for(people["dave"])
    assert dave.get("/api/v1/risk-cases/").json()["count"] == 0
    assert dave.get("/recruiter/figures/").status_code in {302, 403, 404}
    for url in [
        "/admin/recruiter/riskcase/",
        f"/admin/recruiter/riskcase/{ready.pk}/change/",
        "/admin/uma/auditrecord/",
    ]:
        response = dave.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    assert "Checkout rebuild" not in dave.get("/dashboard/").content.decode()
