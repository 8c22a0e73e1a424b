"""The permission matrix: every page and endpoint tried by every member of the cast.

alice (client, Acme) owns the jobs and the contracts with bob; carol (another client) and dave
(another freelancer) are outsiders; rita is recruiter staff (sees, read-only); anonymous is signed out.
"""

import pytest

from marketplace.models import Milestone
from tests.helpers import as_

CAST = ["alice", "bob", "carol", "dave", "rita", "anonymous"]


# (url template, {who: expected status}); pages send the signed-out to log in (302).
PAGES = [
    ("/contracts/{contract}/", {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302}),
    ("/contracts/{hourly}/", {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302}),
    (
        "/messages/{thread}/fragment/",
        {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302},
    ),
    ("/jobs/{job}/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/jobs/{draft}/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302}),
    ("/jobs/{job}/edit/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 404, "anonymous": 302}),
    ("/jobs/{job}/proposals/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 404, "anonymous": 302}),
    ("/jobs/{job}/invite/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 404, "anonymous": 302}),
    ("/freelancers/{profile}/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 200}),
    ("/profile/", {"alice": 404, "bob": 200, "carol": 404, "dave": 200, "rita": 404, "anonymous": 302}),
    ("/jobs/new/", {"alice": 200, "bob": 404, "carol": 200, "dave": 404, "rita": 404, "anonymous": 302}),
    (
        "/jobs/new/uma/{uma_draft}/",
        {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 404, "anonymous": 302},
    ),
    ("/jobs/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/contracts/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/proposals/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/invitations/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/notifications/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/notifications/bell/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
    ("/settings/notifications/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 302}),
]

API = [
    (
        "/api/v1/contracts/{contract}/",
        {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403},
    ),
    (
        "/api/v1/contracts/{contract}/milestones/",
        {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403},
    ),
    (
        "/api/v1/contracts/{hourly}/time-logs/",
        {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403},
    ),
    (
        "/api/v1/contracts/{contract}/feedback/",
        {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403},
    ),
    (
        "/api/v1/threads/{thread}/messages/",
        {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403},
    ),
    ("/api/v1/jobs/{job}/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    ("/api/v1/jobs/{draft}/", {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 200, "anonymous": 403}),
    (
        "/api/v1/jobs/{job}/proposals/",
        {"alice": 200, "bob": 403, "carol": 403, "dave": 403, "rita": 200, "anonymous": 403},
    ),
    (
        "/api/v1/jobs/{job}/invitations/",
        {"alice": 200, "bob": 403, "carol": 403, "dave": 403, "rita": 403, "anonymous": 403},
    ),
    (
        "/api/v1/freelancers/{profile}/",
        {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403},
    ),
    ("/api/v1/me/profile/", {"alice": 403, "bob": 200, "carol": 403, "dave": 200, "rita": 403, "anonymous": 403}),
    ("/api/v1/jobs/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    ("/api/v1/proposals/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    ("/api/v1/invitations/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    ("/api/v1/contracts/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    ("/api/v1/notifications/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    (
        "/api/v1/job-drafts/{uma_draft}/",
        {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 404, "anonymous": 403},
    ),
    (
        "/api/v1/jobs/{job}/interview/",
        {"alice": 200, "bob": 404, "carol": 404, "dave": 404, "rita": 404, "anonymous": 403},
    ),
    ("/api/v1/job-drafts/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
    ("/api/v1/skills/", {"alice": 200, "bob": 200, "carol": 200, "dave": 200, "rita": 200, "anonymous": 403}),
]


def _url(template: str, world) -> str:
    ids = {k: getattr(v, "pk", None) for k, v in world.items() if k != "users"}
    return template.format(**ids)


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "expected"), PAGES + API, ids=[t for t, _ in PAGES + API])
def test_every_reader_gets_what_their_role_allows(world, template, expected):
    url = _url(template, world)
    for who in CAST:
        response = as_(world, who).get(url)
        assert response.status_code == expected[who], f"{who} GET {url}: {response.status_code}"
        if expected[who] == 302:
            assert "/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "list_url",
    [
        "/api/v1/contracts/",
        "/api/v1/proposals/",
        "/api/v1/invitations/",
        "/api/v1/notifications/",
        "/api/v1/job-drafts/",
    ],
)
def test_lists_never_leak_other_peoples_rows(world, list_url):
    for who in ["carol", "dave"]:
        body = as_(world, who).get(list_url).json()
        assert body["count"] == 0, f"{who} sees {body['results']} at {list_url}"
    assert as_(world, "alice").get(list_url).json()["count"] >= 1


@pytest.mark.django_db
def test_message_text_stays_between_the_parties(world):
    for who in ["carol", "dave"]:
        for url in ["/contracts/", "/jobs/", "/api/v1/contracts/", "/notifications/"]:
            assert "Private note" not in as_(world, who).get(url).content.decode()


# (method, url, data, {who: status}); the state must not change for anyone refused.
WRITES = [
    (
        "post",
        "/api/v1/milestones/{milestone}/approve/",
        {},
        {"carol": 404, "dave": 404, "rita": 403, "bob": 403, "anonymous": 403},
    ),
    (
        "post",
        "/api/v1/milestones/{milestone}/submit/",
        {"note": "x"},
        {"carol": 404, "dave": 404, "rita": 403, "alice": 403, "anonymous": 403},
    ),
    (
        "post",
        "/api/v1/contracts/{contract}/end/",
        {"reason": "completed"},
        {"carol": 404, "dave": 404, "rita": 403, "anonymous": 403},
    ),
    (
        "post",
        "/api/v1/contracts/{hourly}/time-logs/",
        {"date": "2026-11-20", "hours": "2", "memo": "x"},
        {"carol": 404, "dave": 404, "rita": 403, "alice": 403, "anonymous": 403},
    ),
    (
        "post",
        "/api/v1/threads/{thread}/messages/",
        {"body": "hi"},
        {"carol": 404, "dave": 404, "rita": 403, "anonymous": 403},
    ),
    (
        "post",
        "/api/v1/proposals/{proposal}/shortlist/",
        {},
        {"carol": 404, "dave": 404, "bob": 403, "rita": 403, "anonymous": 403},
    ),
    (
        "post",
        "/api/v1/invitations/{invitation}/accept/",
        {},
        {"carol": 404, "dave": 404, "alice": 403, "rita": 403, "anonymous": 403},
    ),
    (
        "patch",
        "/api/v1/jobs/{job}/",
        {"title": "Hijacked"},
        {"carol": 403, "dave": 403, "bob": 403, "rita": 403, "anonymous": 403},
    ),
    ("post", "/contracts/{contract}/end/", {"reason": "completed"}, {"carol": 404, "dave": 404, "anonymous": 302}),
    (
        "post",
        "/jobs/new/uma/{uma_draft}/answers/",
        {"scope": "x", "draft": "1"},
        {"carol": 404, "bob": 404, "rita": 404},
    ),
    ("post", "/api/v1/job-drafts/{uma_draft}/answers/", {"answers": {"scope": "x"}}, {"carol": 404, "anonymous": 403}),
    ("post", "/contracts/{contract}/milestones/{milestone}/approve/", {}, {"carol": 404, "dave": 404, "bob": 403}),
]


def _snapshot(world):
    for key in ("contract", "milestone", "proposal", "invitation", "job", "uma_draft"):
        world[key].refresh_from_db()
    return (
        world["uma_draft"].answers,
        world["uma_draft"].status,
        world["contract"].status,
        world["milestone"].status,
        world["proposal"].status,
        world["invitation"].status,
        world["job"].title,
        world["hourly"].time_logs.count(),
        world["thread"].messages.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "template", "data", "refused"), WRITES, ids=[w[1] + w[0] for w in WRITES])
def test_refused_writes_change_nothing(world, method, template, data, refused):
    url = _url(template, world)
    before = _snapshot(world)
    for who, status in refused.items():
        client = as_(world, who)
        response = (
            getattr(client, method)(url, data, content_type="application/json")
            if method == "patch"
            else (client.post(url, data))
        )
        assert response.status_code == status, f"{who} {method} {url}: {response.status_code} {response.content[:200]}"
    assert _snapshot(world) == before


@pytest.mark.django_db
def test_read_only_fields_in_a_patch_change_nothing(world):
    client = as_(world, "bob")
    before = world["profile"].job_success_score
    response = client.patch(
        "/api/v1/me/profile/",
        {"headline": "Django lead", "job_success_score": 100, "total_earnings": "9999999"},
        content_type="application/json",
    )
    assert response.status_code == 200
    world["profile"].refresh_from_db()
    assert world["profile"].headline == "Django lead"
    assert world["profile"].job_success_score == before
    assert world["profile"].total_earnings == 0


@pytest.mark.django_db
def test_a_paid_milestone_cannot_be_approved_again_over_the_api(world):
    alice, bob = as_(world, "alice"), as_(world, "bob")
    m = world["milestone"]
    assert bob.post(f"/api/v1/milestones/{m.pk}/submit/", {"note": "done"}).status_code == 200
    assert alice.post(f"/api/v1/milestones/{m.pk}/approve/").status_code == 200
    assert alice.post(f"/api/v1/milestones/{m.pk}/pay/").status_code == 200
    response = alice.post(f"/api/v1/milestones/{m.pk}/approve/")
    assert response.status_code == 409
    assert "paid" in response.json()["detail"]
    m.refresh_from_db()
    assert m.status == Milestone.Status.PAID
