"""A new client posts a job with Uma on a phone, with the real Celery worker: one sentence → Uma's
questions → answers (kept while typing, across a reload) → Uma's draft with skills and a budget from the
market → the client edits → posts. Nothing is posted before the click."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from hiring.models import JobDraft
from marketplace.models import Contract, JobPost
from tests.browser.test_marketplace_flow import log_in
from tests.factories import JobFactory, hourly_contract
from uma.models import AuditRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def saved_as_typed(page, path: str):
    """What is typed inside the block is saved by htmx after a pause: wait for that save's answer, however
    slow the machine, instead of a fixed time (1.5 s was too short under CI's load). A form htmx has
    just swapped in listens only once it settles (20 ms later, its `htmx-added` class then removed):
    typed into before that, nothing is sent, so the block starts after it."""
    page.wait_for_function("() => !document.querySelector('.htmx-added')")
    with page.expect_response(lambda r: path in r.url and r.request.method == "POST", timeout=20_000) as saved:
        yield
    assert saved.value.ok, saved.value.status


def test_a_client_posts_a_job_from_one_sentence_on_a_phone(page, alice, dave, celery_worker):
    shop = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Shopify"])
    for rate in ("30", "40", "50", "60", "70"):
        Contract.objects.filter(pk=hourly_contract(client=alice, freelancer=dave, rate=rate).pk).update(job=shop)
    jobs_before = JobPost.objects.count()

    log_in(page, "alice@tandem.test")
    page.get_by_role("navigation").get_by_role("link", name="Post a job").click()
    expect(page.get_by_role("heading", name="Start with Uma")).to_be_visible()
    page.get_by_label("Describe the job").fill("need someone to fix our Shopify checkout, it drops orders, hourly")
    page.get_by_role("button", name="Ask Uma").click()

    expect(page.get_by_role("heading", name="A few questions from Uma")).to_be_visible()
    scope = page.get_by_label(re.compile("Which|What exactly"))
    with saved_as_typed(page, "/answers/"):
        scope.fill("Orders fail at the payment step since our theme change")
    page.reload()
    expect(page.get_by_label(re.compile("Which|What exactly"))).to_have_value(
        "Orders fail at the payment step since our theme change"
    )
    assert not page.get_by_label(re.compile("hour or a fixed price")).count()  # "hourly" was said: not asked

    page.get_by_role("button", name="Draft my post").click()
    draft = page.locator("#uma-draft")
    expect(draft).to_be_visible()
    expect(draft.get_by_text("Shopify", exact=True)).to_be_visible()
    expect(page.locator("#market")).to_contain_text("USD 40–60/hr")
    assert JobPost.objects.count() == jobs_before  # Uma drafted; nothing is posted

    page.get_by_role("link", name="Edit and post").click()
    expect(page.get_by_label("Title")).to_have_value(re.compile("Shopify checkout"))
    expect(page.get_by_label("Budget from")).to_have_value("40")
    page.get_by_label("Title").fill("Fix our Shopify checkout (payment step)")
    page.get_by_role("button", name="Post job").click()
    expect(page.get_by_role("heading", name="Fix our Shopify checkout (payment step)")).to_be_visible()

    job = JobPost.objects.get(title="Fix our Shopify checkout (payment step)")
    assert job.status == "open" and JobDraft.objects.get().job == job
    assert AuditRecord.objects.filter(task__in=["job_post_questions", "job_post_draft"]).count() == 2


def test_the_client_sorts_proposals_by_best_match_on_a_phone(page, alice, celery_worker):
    from tests.hiring.test_best_matches import freelancer

    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    freelancer("eve", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="95", job=job)
    freelancer("cara", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="50", job=job)
    log_in(page, "alice@tandem.test")
    page.goto(f"/jobs/{job.pk}/proposals/")
    page.get_by_role("link", name="Best matches").click()
    cards = page.locator("article.card")
    expect(cards.first.get_by_text("Strong match")).to_be_visible(timeout=60_000)
    expect(cards.first).to_contain_text("cara here")
    expect(cards.nth(1).get_by_text("Weak match")).to_be_visible()
    expect(cards.first.locator(".reading")).to_contain_text("inside the budget of")
    expect(cards.nth(1).locator(".reading")).to_contain_text("above the budget's top")
    page.get_by_role("link", name="Newest first").click()
    expect(page.locator("article.card").first).to_contain_text("cara here")
    # The card's actions, links and forms' buttons alike, are one size and line up on a phone.
    boxes = [b.bounding_box() for b in page.locator("article.card").first.locator(".actions .button").all()]
    assert len(boxes) == 4 and all(box is not None for box in boxes)
    for box in boxes[1:]:
        assert abs(box["height"] - boxes[0]["height"]) < 1, boxes  # type: ignore[index]
    assert abs(boxes[1]["y"] - boxes[0]["y"]) < 1, boxes  # type: ignore[index]


def test_an_instant_interview_from_the_freelancers_phone_to_the_client(page, alice, celery_worker):
    from tests.browser.test_marketplace_flow import log_out
    from tests.factories import FreelancerFactory

    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    FreelancerFactory(email="cara@example.com", first_name="Cara", last_name="Test")
    log_in(page, "alice@tandem.test")
    page.goto(f"/jobs/{job.pk}/proposals/")
    page.get_by_role("link", name="Ask applicants for an instant interview").click()
    page.get_by_label("Your questions").fill("Tell us about your Django work.")
    page.get_by_label("Uma adds questions").select_option("1")
    page.get_by_role("button", name="Ask for an instant interview").click()
    expect(page.locator("#interview-questions li")).to_have_count(2)  # Uma's question arrives from the worker
    log_out(page)

    log_in(page, "cara@example.com")
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_label("Cover letter").fill("I build Django apps on PostgreSQL.")
    page.get_by_label("Your bid").fill("50")
    page.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_text("Proposal sent")).to_be_visible()
    page.goto("/notifications/")
    page.get_by_text("asks for an instant interview").first.click()
    answers = page.locator("#interview-answers textarea")
    with saved_as_typed(page, "/interview/"):
        answers.nth(0).fill("I built a booking API in Django for 12 gyms. It ran on PostgreSQL with row locks.")
    page.reload()  # nothing typed is lost
    expect(page.locator("#interview-answers textarea").nth(0)).to_have_value(re.compile("booking API in Django"))
    page.locator("#interview-answers textarea").nth(1).fill(
        "I can give 25 hours a week and start next Monday, with tests first."
    )
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Answers sent")).to_be_visible()
    log_out(page)

    log_in(page, "alice@tandem.test")
    page.goto(f"/jobs/{job.pk}/proposals/?order=interview")
    expect(page.locator(".interview-assessment")).to_be_visible(timeout=60_000)
    expect(page.locator(".interview-assessment q").first).to_contain_text("Django")
    page.get_by_text("Interview transcript").click()
    expect(page.get_by_text("25 hours a week")).to_be_visible()
