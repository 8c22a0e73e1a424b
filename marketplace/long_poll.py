"""Pages that watch Uma's work fill in as it lands: the page asks with what it has seen (`seen`, a mark
of its progress), and the answer waits until the mark changes, at most PAGE_WAIT_S. A result is on
the page as soon as the worker saves it, rather than at the next poll.

A waiting request holds one of the web server's threads, so at most PAGE_WAITERS requests per process
wait at once; beyond that the answer comes straight away and the page asks again at the usual pace
(POLL_LATER). The template's trigger: `hx-trigger="load{% if poll_later %} delay:{{ poll_later }}{% endif %}"`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

POLL_LATER = "500ms"  # the page's pace when its request could not wait

_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _waiters() -> threading.BoundedSemaphore:
    """The process's waiting slots (one semaphore per configured size, so tests may change it)."""
    size = settings.PAGE_WAITERS
    with _lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


def wait_for_change(mark: Callable[[], str], seen: str, *, step_s: float = 0.1) -> bool:
    """Wait while `mark()` still equals `seen` (checked every `step_s`, up to PAGE_WAIT_S). False when
    no slot was free: nothing was waited for, and the page should poll later."""
    slots = _waiters()
    if not slots.acquire(blocking=False):
        return False
    try:
        deadline = time.monotonic() + settings.PAGE_WAIT_S
        while mark() == seen and time.monotonic() < deadline:
            time.sleep(step_s)
    finally:
        slots.release()
    return True


def wait_for_news(request: HttpRequest, mark: Callable[[], str]) -> str:
    """For a request that says what its page has `seen`: wait for the mark to move on. Then the delay
    before the page's next request: "" (at once), or POLL_LATER when no slot was free."""
    seen = request.GET.get("seen", "")
    if not seen or wait_for_change(mark, seen):
        return ""
    return POLL_LATER
