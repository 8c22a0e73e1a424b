"""A page watching work in progress asks with what it has already seen; the answer waits until that
changes (at most RECRUITER_PAGE_WAIT_S), so each candidate reaches the page as soon as the worker saves it
rather than at the next poll.

A waiting request holds one of the web server's threads, so at most RECRUITER_PAGE_WAITERS requests
per process wait at once; beyond that the answer comes straight away and the page asks again at its
usual pace (POLL_LATER)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings

POLL_LATER = "500ms"  # the page's pace when its request could not wait

_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _waiters() -> threading.BoundedSemaphore:
    """The process's waiting slots (one semaphore per configured size, so tests may change it)."""
    size = settings.RECRUITER_PAGE_WAITERS
    with _lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


def wait_for_change(mark: Callable[[], str], seen: str, *, step_s: float = 0.1) -> bool:
    """Wait while `mark()` still equals `seen` (checked every `step_s`, up to RECRUITER_PAGE_WAIT_S).
    False when no slot was free: nothing was waited for, and the page should poll later."""
    slots = _waiters()
    if not slots.acquire(blocking=False):
        return False
    try:
        deadline = time.monotonic() + settings.RECRUITER_PAGE_WAIT_S
        while mark() == seen and time.monotonic() < deadline:
            time.sleep(step_s)
    finally:
        slots.release()
    return True
