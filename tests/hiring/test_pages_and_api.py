"""/jobs/new/ "Start with Uma" and /api/v1/job-drafts/: every step as a client sees it, bad input named."""

import pytest
from rest_framework.test import APIClient

from hiring.models import JobDraft
from hiring.services import job_drafts as svc
from marketplace.errors import TooMany
from marketplace.models import JobPost
from tests.helpers import race, winners

NEED = "Build a Django REST API for our booking app"


def test_the_new_job_page_starts_with_uma_and_keeps_the_plain_form(client_for, alice):
    html = client_for(alice).get("/jobs/new/").content.decode()
    assert "Start with Uma" in html and 'id="ask-uma"' in html
    assert 'name="title"' in html and "Or write it yourself" in html


def test_from_a_sentence_to_a_posted_job_in_the_browser_pages(client_for, alice):
    client = client_for(alice)
    response = client.post("/jobs/new/uma/", {"need": NEED})
    assert response.status_code == 303
    draft = JobDraft.objects.get()
    assert response.url == f"/jobs/new/uma/{draft.pk}/"
    assert "Uma is reading your request" in client.get(response.url).content.decode()  # no worker here
    svc.job_draft_ask(draft_id=draft.pk)
    page = client.get(response.url).content.decode()
    assert "A few questions from Uma" in page and "repository" in page  # a software question
    # Typing is kept (htmx posts without "draft"), then "Draft my post".
    assert client.post(f"/jobs/new/uma/{draft.pk}/answers/", {"scope": "Rooms and bookings"}).status_code == 204
    draft.refresh_from_db()
    assert draft.answers["scope"] == "Rooms and bookings"
    response = client.post(f"/jobs/new/uma/{draft.pk}/answers/", {"scope": "Rooms and bookings", "draft": "1"})
    assert response.status_code == 303
    assert "Uma is drafting your post" in client.get(response.url).content.decode()
    svc.job_draft_write(draft_id=draft.pk, revision=1)
    page = client.get(response.url).content.decode()
    assert 'id="uma-draft"' in page and "Edit and post" in page and "Django" in page
    form = client.get(f"/jobs/new/uma/{draft.pk}/post/").content.decode()
    assert "Build a Django REST API for our booking app" in form and "Check Uma's draft" in form
    fields = svc.job_fields(JobDraft.objects.get(pk=draft.pk))
    data = {k: v for k, v in fields.items() if v is not None} | {
        "budget_min": "40",
        "budget_max": "60",
        "weekly_hours": 20,
        "skills": ", ".join(fields["skills"]),  # as the form's skills field is typed
    }
    response = client.post(f"/jobs/new/uma/{draft.pk}/post/", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    job = JobPost.objects.get()
    assert response.url == job.get_absolute_url() and job.status == "open"
    assert JobDraft.objects.get().job == job
    assert client.get(f"/jobs/new/uma/{draft.pk}/post/").url == job.get_absolute_url()  # posted once


def test_bad_input_on_the_pages_is_named_and_changes_nothing(client_for, alice):
    client = client_for(alice)
    response = client.post("/jobs/new/uma/", {"need": "x" * 1001})
    assert response.status_code == 400 and "at most 1000 characters" in response.content.decode()
    assert not JobDraft.objects.exists()
    draft = svc.job_draft_ask(
        draft_id=svc.job_draft_start(organization=alice.organizations.get(), by=alice, need="").pk
    )
    response = client.post(f"/jobs/new/uma/{draft.pk}/answers/", {"timeline": "soon", "draft": "1"})
    assert response.status_code == 400 and "Tell Uma what the work is first" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "answering" and draft.answers == {}


def test_a_freelancer_cannot_start_a_job_draft(client_for, bob):
    assert client_for(bob).post("/jobs/new/uma/", {"need": NEED}).status_code == 404
    assert (
        client_for(bob).post("/api/v1/job-drafts/", {"need": NEED}, content_type="application/json").status_code == 403
    )
    assert not JobDraft.objects.exists()


def test_the_api_from_a_sentence_to_a_job(client_for, alice):
    api = client_for(alice)
    response = api.post("/api/v1/job-drafts/", {"need": NEED}, content_type="application/json")
    assert response.status_code == 202 and response.json()["status"] == "asking"
    pk = response.json()["id"]
    svc.job_draft_ask(draft_id=pk)
    body = api.get(f"/api/v1/job-drafts/{pk}/").json()
    topics = [q["topic"] for q in body["questions"]]
    assert topics[0] == "scope" and body["job_fields"] is None
    response = api.post(
        f"/api/v1/job-drafts/{pk}/answers/",
        {"answers": {"scope": "Rooms and bookings"}},
        content_type="application/json",
    )
    assert response.status_code == 202 and response.json()["status"] == "drafting"
    svc.job_draft_write(draft_id=pk, revision=response.json()["revision"])
    fields = api.get(f"/api/v1/job-drafts/{pk}/").json()["job_fields"]
    assert sorted(fields["skills"]) == ["Django", "REST API"] and fields["category"]
    fields |= {"budget_min": "40", "budget_max": "60", "publish": True}
    fields = {k: v for k, v in fields.items() if v is not None}
    response = api.post(f"/api/v1/job-drafts/{pk}/post/", fields, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert JobPost.objects.get().status == "open"


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/job-drafts/", {"need": "x" * 1001}, "need"),
        ("{draft}answers/", {"answers": {"salary": "x"}}, "answers.salary"),
        ("{draft}answers/", {"answers": {"scope": "x" * 1001}}, "answers"),
        ("{draft}answers/", {"answers": "scope"}, "answers"),
    ],
)
def test_bad_input_over_the_api_is_a_400_naming_the_field(client_for, alice, url, payload, field):
    api = client_for(alice)
    draft = svc.job_draft_ask(
        draft_id=svc.job_draft_start(organization=alice.organizations.get(), by=alice, need=NEED).pk
    )
    before = (JobDraft.objects.count(), draft.answers, draft.status)
    response = api.post(url.format(draft=f"/api/v1/job-drafts/{draft.pk}/"), payload, content_type="application/json")
    assert response.status_code == 400 and field in response.content.decode()
    draft.refresh_from_db()
    assert (JobDraft.objects.count(), draft.answers, draft.status) == before


def test_job_posts_started_with_uma_are_limited_per_person(client_for, alice, settings):
    """Each start is urgent work on the llm queue: a script starting hundreds made every client's
    shortlist wait behind them. Past the limit, a 429 that says why, on the page and in the API."""
    settings.HIRING_DRAFTS_PER_HOUR = 2
    client = client_for(alice)
    assert [client.post("/jobs/new/uma/", {"need": NEED}).status_code for _ in range(2)] == [303, 303]
    page = client.post("/jobs/new/uma/", {"need": NEED})
    assert page.status_code == 429 and "in the last hour" in page.content.decode()
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post("/api/v1/job-drafts/", {"need": NEED}, format="json")
    assert response.status_code == 429 and "in the last hour" in str(response.json())
    assert JobDraft.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_for_starts_at_the_same_instant(alice, settings):
    settings.HIRING_DRAFTS_PER_HOUR = 3
    org = alice.organizations.get()
    outcomes = race(*[(lambda: svc.job_draft_start(organization=org, by=alice, need=NEED)) for _ in range(8)])
    assert len(winners(outcomes)) == 3
    assert all(isinstance(o, TooMany) for o in outcomes if isinstance(o, Exception))
    assert JobDraft.objects.count() == 3
