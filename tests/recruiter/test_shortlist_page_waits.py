"""The case page's shortlist fills in as Uma works: the page asks with what it has seen, and the answer
waits for news, so a candidate is on the page as soon as the worker saves it (marketplace/long_poll.py)."""

from __future__ import annotations

import re
import time

import pytest

from marketplace import long_poll
from recruiter.models import ShortlistEntry
from recruiter.services import shortlists as svc
from tests.helpers import asked_while_saving
from tests.recruiter.conftest import by_findings

pytestmark = pytest.mark.django_db(transaction=True)  # the worker saves from its own thread


def _building(case):  # noqa: ANN001, ANN202
    """A round retrieved, nobody reasoned about yet: what the page sees right after "Find again"."""
    svc.shortlist_start(case=case, by=None, preferences=[])
    svc._add_entries(case, round_=1, count=6)
    case.refresh_from_db()
    return list(ShortlistEntry.objects.filter(case=case, round=1).order_by("position"))


def _ask(page, case, seen: str):  # noqa: ANN001, ANN202
    started = time.monotonic()
    response = page.get(f"/recruiter/cases/{case.pk}/shortlist/", {"seen": seen})
    assert response.status_code == 200
    html = response.content.decode()
    return html, time.monotonic() - started, re.search(r'hx-trigger="([^"]*)"', html)


def _page_mark(case) -> str:  # noqa: ANN001
    case.refresh_from_db()
    return svc.progress(case, svc.shown_entries(case))["mark"]


def test_what_the_page_shows_and_what_the_wait_reads_agree(case, alice):
    entries = _building(case)
    assert _page_mark(case) == svc.progress_mark(case.pk)
    svc.entries_reason(entries=entries[:1], retrieved=[e.freelancer_id for e in entries], generate=by_findings)
    assert _page_mark(case) == svc.progress_mark(case.pk)
    svc.shortlist_build(case_id=case.pk, round_=1, generate=by_findings)
    svc.entry_remove(entry=ShortlistEntry.objects.filter(case=case, round=1).first(), by=alice)
    assert _page_mark(case) == svc.progress_mark(case.pk)


def test_a_candidate_saved_while_the_page_waits_is_on_it_at_once(case, alice, client_for, settings):
    settings.PAGE_WAIT_S = 30
    entries = _building(case)
    seen = svc.progress_mark(case.pk)
    assert "verdict-" not in _ask(client_for(alice), case, "")[0]  # nothing reasoned yet

    retrieved = [e.freelancer_id for e in entries]
    html, waited = asked_while_saving(
        client_for(alice),
        f"/recruiter/cases/{case.pk}/shortlist/",
        {"seen": seen},
        lambda: svc.entries_reason(entries=entries[:1], retrieved=retrieved, generate=by_findings),
    )
    trigger = re.search(r'hx-trigger="([^"]*)"', html)
    assert "verdict-" in html and "1 of 2 candidates checked" in html
    assert 0.4 < waited < 10  # it waited for the save, and no longer
    assert trigger and trigger.group(1) == "load"  # and the page asks again straight away


def test_with_no_news_the_answer_comes_when_the_wait_is_over(case, alice, client_for, settings):
    settings.PAGE_WAIT_S = 0.3
    _building(case)
    html, waited, trigger = _ask(client_for(alice), case, svc.progress_mark(case.pk))
    assert waited >= 0.3 and "0 of 2 candidates checked" in html
    assert trigger and trigger.group(1) == "load"


def test_when_every_waiting_slot_is_taken_the_page_polls_instead(case, alice, client_for, settings):
    settings.PAGE_WAIT_S, settings.PAGE_WAITERS = 30, 1
    _building(case)
    slots = long_poll._waiters()
    assert slots.acquire(blocking=False)  # another page is waiting
    try:
        html, waited, trigger = _ask(client_for(alice), case, svc.progress_mark(case.pk))
    finally:
        slots.release()
    assert waited < 5 and "0 of 2 candidates checked" in html
    assert trigger and trigger.group(1) == f"load delay:{long_poll.POLL_LATER}"


def test_another_client_waits_for_nothing(case, carol, client_for):
    _building(case)
    response = client_for(carol).get(f"/recruiter/cases/{case.pk}/shortlist/", {"seen": svc.progress_mark(case.pk)})
    assert response.status_code == 404
