"""The "Start with Uma" page while Uma reads the request: its request waits for news, so the questions
are on the page as soon as the worker saves them (marketplace/long_poll.py)."""

import threading
import time

import pytest
from django.db import connection

from hiring.services import job_drafts as svc

pytestmark = pytest.mark.django_db(transaction=True)  # the worker saves from its own thread


def test_questions_saved_while_the_page_waits_are_on_it_at_once(client_for, alice, settings):
    settings.PAGE_WAIT_S = 30
    draft = svc.job_draft_start(organization=alice.organizations.get(), by=alice, need="Fix our Shopify checkout")

    def worker() -> None:
        time.sleep(0.5)
        try:
            svc.job_draft_ask(draft_id=draft.pk)
        finally:
            connection.close()

    asking = threading.Thread(target=worker)
    asking.start()
    started = time.monotonic()
    html = client_for(alice).get(f"/jobs/new/uma/{draft.pk}/", {"part": "1", "seen": "asking"}).content.decode()
    waited = time.monotonic() - started
    asking.join()
    assert "A few questions from Uma" in html and 0.4 < waited < 10
    assert "Uma is reading your request" not in html


def test_the_page_asks_with_what_it_shows(client_for, alice):
    draft = svc.job_draft_start(organization=alice.organizations.get(), by=alice, need="Fix our Shopify checkout")
    html = client_for(alice).get(f"/jobs/new/uma/{draft.pk}/").content.decode()
    assert f"/jobs/new/uma/{draft.pk}/?part=1&seen=asking" in html and 'hx-trigger="load"' in html
