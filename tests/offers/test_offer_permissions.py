"""Every offer page and endpoint tried by the whole cast; refused writes change nothing."""

import pytest

from offers.services import negotiation as svc
from tests.factories import hourly_contract
from tests.helpers import as_
from tests.offers.test_negotiation import hourly_terms

CAST = ["alice", "bob", "carol", "dave", "rita", "anonymous"]
PARTIES = {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200}


@pytest.fixture
def world(alice, bob, carol, dave, rita):
    offer = svc.offer_send(by=alice, freelancer=bob, terms=hourly_terms(), title="Support")
    svc.offer_counter(offer=offer, by=bob, expected_version=1, terms=hourly_terms("50"), message="More")
    held = svc.offer_send(
        by=alice, freelancer=dave, terms={**hourly_terms(), "scope": "Pay the registration fee"}, title="Held"
    )
    contract = hourly_contract(client=alice, freelancer=bob)
    return {
        "offer": offer,
        "held": held,
        "contract": contract,
        "users": {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "rita": rita},
    }


READS = [
    ("/offers/{offer}/", {**PARTIES, "anonymous": 302}),
    ("/offers/{offer}/?a=1&b=2", {**PARTIES, "anonymous": 302}),
    ("/offers/{offer}/counter/", {**PARTIES, "anonymous": 302}),
    # Held before dave ever saw it: invisible to him until trust & safety clears it.
    ("/offers/{held}/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302}),
    ("/offers/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/contracts/{contract}/changes/", {**PARTIES, "anonymous": 302}),
    (
        "/offers/new/?freelancer={bob}",
        {"alice": 200, "bob": 404, "carol": 200, "dave": 404, "rita": 404, "anonymous": 302},
    ),
    ("/api/v1/offers/{offer}/", {**PARTIES, "anonymous": 403}),
    ("/api/v1/offers/{offer}/diff/?from=1&to=2", {**PARTIES, "anonymous": 403}),
    ("/api/v1/offers/{held}/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403}),
    ("/api/v1/offers/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
]


def _url(template: str, world) -> str:
    return template.format(
        offer=world["offer"].pk, held=world["held"].pk, contract=world["contract"].pk, bob=world["users"]["bob"].pk
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "expected"), READS, ids=[t for t, _ in READS])
def test_every_reader_gets_what_their_role_allows(world, template, expected):
    url = _url(template, world)
    for who in CAST:
        response = as_(world, who).get(url)
        assert response.status_code == expected[who], f"{who} GET {url}: {response.status_code}"


@pytest.mark.django_db
def test_offer_lists_never_leak(world):
    for who in ("carol", "dave"):
        assert as_(world, who).get("/api/v1/offers/").json()["count"] == 0
        assert "Support" not in as_(world, who).get("/offers/?status=all").content.decode()
    assert as_(world, "alice").get("/api/v1/offers/").json()["count"] == 2


WRITES = [
    (
        "/offers/{offer}/accept/",
        {"expected_version": 2},
        {"carol": 404, "dave": 404, "rita": 403, "bob": 409, "anonymous": 302},
    ),
    (
        "/offers/{offer}/withdraw/",
        {"expected_version": 2, "reason": "other", "note": "x"},
        {"carol": 404, "dave": 404, "rita": 403, "bob": 403},
    ),
    (
        "/api/v1/offers/{offer}/accept/",
        {"expected_version": 2},
        {"carol": 404, "dave": 404, "rita": 403, "bob": 409, "anonymous": 403},
    ),
    (
        "/api/v1/offers/{offer}/counter/",
        {"expected_version": 2, "message": "x", "terms": hourly_terms("1")},
        {"carol": 404, "dave": 404, "rita": 403, "bob": 409},
    ),
    ("/api/v1/offers/{offer}/report/", {"note": "spam"}, {"carol": 404, "alice": 403, "rita": 403}),
    ("/api/v1/offers/{held}/accept/", {"expected_version": 1}, {"dave": 404, "bob": 404}),
    (
        "/api/v1/contracts/{contract}/changes/",
        {"message": "x", "terms": {"contract_type": "hourly", "hourly_rate": "9", "weekly_limit": 5}},
        {"carol": 404, "dave": 404, "rita": 403},
    ),
]


def _snapshot(world) -> tuple:
    rows = []
    for key in ("offer", "held"):
        world[key].refresh_from_db()
        rows.append((world[key].status, world[key].version_count))
    world["contract"].refresh_from_db()
    return (*rows, world["contract"].hourly_rate, world["offer"].flags.count(), world["contract"].offers.count())


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "data", "refused"), WRITES, ids=[w[0] for w in WRITES])
def test_refused_writes_change_nothing(world, template, data, refused):
    url = _url(template, world)
    before = _snapshot(world)
    for who, status in refused.items():
        client = as_(world, who)
        if url.startswith("/api/"):
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        assert response.status_code == status, f"{who} POST {url}: {response.status_code} {response.content[:300]}"
    assert _snapshot(world) == before
