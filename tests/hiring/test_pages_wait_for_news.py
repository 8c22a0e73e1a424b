"""Hiring pages while Uma works (a job post draft, "Best matches", an interview's questions): each
asks with what it shows, and the answer waits for news, so Uma's work is on the page as soon as the
worker saves it (marketplace/long_poll.py)."""

import pytest

from hiring.services import interviews
from hiring.services import job_drafts as svc
from hiring.services.proposals import proposal_assess, reading_mark
from tests.factories import JobFactory
from tests.helpers import asked_while_saving
from tests.hiring.test_best_matches import freelancer

pytestmark = pytest.mark.django_db(transaction=True)  # the worker saves from its own thread


@pytest.fixture(autouse=True)
def long_wait(settings):  # noqa: ANN001, ANN201
    settings.PAGE_WAIT_S = 30  # a page answered only at the end of its wait fails the timing below


def test_questions_saved_while_the_draft_page_waits_are_on_it_at_once(client_for, alice):
    draft = svc.job_draft_start(organization=alice.organizations.get(), by=alice, need="Fix our Shopify checkout")
    page = client_for(alice).get(f"/jobs/new/uma/{draft.pk}/").content.decode()
    assert f"/jobs/new/uma/{draft.pk}/?part=1&seen=asking" in page and 'hx-trigger="load"' in page
    html, waited = asked_while_saving(
        client_for(alice),
        f"/jobs/new/uma/{draft.pk}/",
        {"part": "1", "seen": "asking"},
        lambda: svc.job_draft_ask(draft_id=draft.pk),
    )
    assert "A few questions from Uma" in html and "Uma is reading your request" not in html
    assert 0.4 < waited < 10


def test_a_verdict_saved_while_best_matches_waits_is_on_it_at_once(client_for, alice):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    proposal = freelancer("cara", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="50", job=job)
    page = client_for(alice).get(f"/jobs/{job.pk}/proposals/?order=best").content.decode()
    assert "Uma is reading 1 proposal" in page and f"seen={reading_mark(job)}" in page
    html, waited = asked_while_saving(
        client_for(alice),
        f"/jobs/{job.pk}/proposals/",
        {"order": "best", "seen": reading_mark(job)},
        lambda: proposal_assess(proposal_id=proposal.pk),
    )
    assert "Strong match" in html and "Uma is reading" not in html
    assert 0.4 < waited < 10


def test_questions_uma_writes_while_the_interview_page_waits_are_on_it_at_once(client_for, alice):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    interview = interviews.interview_set(job=job, by=alice, questions=["Why this job?"], uma_count=2)
    html, waited = asked_while_saving(
        client_for(alice),
        f"/jobs/{job.pk}/interview/",
        {"seen": "writing"},
        lambda: interviews.interview_questions_write(job_id=job.pk, version=interview.updated_at.isoformat()),
    )
    assert "Uma is writing questions" not in html and html.count('<span class="tag">Uma</span>') == 2
    assert 0.4 < waited < 10
