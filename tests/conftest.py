"""The cast used everywhere (see ../shared/CONVENTIONS.md), a real Celery worker, and a browser."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from hiring.models import JobDraft, JobInterview
from marketplace.models import Organization
from marketplace.services import jobs as job_svc
from marketplace.services.messaging import message_send, thread_for_contract
from tests import factories
from tests.factories import JobFactory, fixed_contract, hourly_contract

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages start empty in every test (the tests' own Redis database)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _every_queue_consumed():
    """A test worker started for some queues (`queues=`, as `-Q`) narrows the app's own list for every
    worker started after it: celery keeps the selection on the app. Put every queue back after each
    test, so no test's worker depends on which ran before (test_queues then test_celery lost emails)."""
    yield
    from config.celery import app

    app.amqp.queues.select([queue.name for queue in app.conf.task_queues])


@pytest.fixture
def alice(db):
    """Client on Business Plus; bob works on her contract (once contracts exist)."""
    return factories.ClientFactory(
        email="alice@tandem.test",
        first_name="Alice",
        last_name="Adams",
        membership__organization__name="Acme Robotics",
        membership__organization__plan=Organization.Plan.BUSINESS_PLUS,
    )


@pytest.fixture
def carol(db):
    """Another client, on Basic."""
    return factories.ClientFactory(
        email="carol@tandem.test",
        first_name="Carol",
        last_name="Chen",
        membership__organization__name="Bright Studio",
        membership__organization__plan=Organization.Plan.BASIC,
    )


@pytest.fixture
def bob(db):
    return factories.FreelancerFactory(email="bob@tandem.test", first_name="Bob", last_name="Brown")


@pytest.fixture
def dave(db):
    return factories.FreelancerFactory(email="dave@tandem.test", first_name="Dave", last_name="Diaz")


@pytest.fixture
def rita(db):
    """Internal recruiter staff."""
    return factories.RecruiterFactory(email="rita@tandem.test", first_name="Rita", last_name="Ramos")


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def client_for():
    """client_for(user) -> a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in this process, on the real Redis broker) consuming every queue."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        for _ in range(50):
            if app.control.ping(timeout=0.2):
                break
        else:
            pytest.fail("the test Celery worker never answered a ping")
        yield worker


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            yield instance
            instance.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    # Assertions wait as long as actions do: many wait on the real Celery worker, and Playwright's own
    # 5 s was outrun under CI's load. A passing assertion returns as soon as it holds.
    expect.set_options(timeout=15_000)
    yield tab
    context.close()


@pytest.fixture
def shipped_models(db):
    """The adapters the repo ships, registered (and active) as `make run` does."""
    from uma.training.registry import shipped_install

    return shipped_install(say=lambda _: None)


@pytest.fixture
def world(alice, bob, carol, dave, rita):
    """Everything the cast can reach: alice's jobs (one a draft), bob's proposal and invitation, their
    two contracts and messages, a job draft with Uma and an interview."""
    org = alice.organizations.get()
    job = JobFactory(organization=org, created_by=alice)
    draft = JobFactory(organization=org, created_by=alice, status="draft", published_at=None, title="Secret draft")
    proposal = job_svc.proposal_submit(
        job=job, freelancer=bob, cover_letter="Pick me", bid_amount=Decimal(40), estimated_duration="lt1m"
    )
    invitation = job_svc.invitation_send(job=job, by=alice, freelancer=bob)
    contract = fixed_contract(client=alice, freelancer=bob)
    hourly = hourly_contract(client=alice, freelancer=bob)
    thread = thread_for_contract(contract=contract)
    message_send(thread=thread, sender=alice, body="Private note about the budget")
    uma_draft = JobDraft.objects.create(
        organization=org, created_by=alice, need="Secret plan", status="answering",
        questions=[{"topic": "scope", "text": "What is in scope?"}],
    )  # fmt: skip
    JobInterview.objects.create(job=job, created_by=alice, questions=[{"text": "Why you?", "by": "client"}])
    return {
        "uma_draft": uma_draft,
        "job": job,
        "draft": draft,
        "proposal": proposal,
        "invitation": invitation,
        "contract": contract,
        "hourly": hourly,
        "thread": thread,
        "milestone": contract.milestones.get(position=1),
        "profile": bob.freelancer_profile,
        "users": {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "rita": rita},
    }
