"""Read-only pages answered again from the cache while the database is unchanged.

A page that only reads the database is the same page for as long as the request is the same and the
database shows the same data. PostgreSQL says exactly when that is: two statements whose
`pg_current_snapshot()` is equal see the same committed rows (it changes whenever a transaction that
writes starts or ends). So the answer to a marked view is kept under its request — path, query, every
header (the cookies, so the viewer's session and CSRF token, and htmx's or Accept, which pages vary
on), the client's address — and the snapshot taken before it was built. A write anywhere gives every
request a new key: an answer served from here is never older than the data, and there is no list of
what invalidates what to keep up to date.

The viewer's credentials are part of the key, and rows of the database: logging out, a new password
or a revoked token is a write, so a kept answer can't outlive them. What is not in the database:
- the clock, in PAGE_CACHE_SECONDS steps ("3 minutes ago", an offer's expiry), and the entry lives no
  longer than that, nor than the session it was built for;
- the API's throttles: a kept API answer counts against its user's rate, and once the rate is used up
  the request takes the full path, where DRF refuses it as usual;
- flash messages (a cookie, or a write to the session), anonymous visitors, anything but a 200, an
  answer that sets a cookie (other than renewing the CSRF cookie the request has), an open
  transaction: never kept.
Redis being down only means answers are built each time (a warning per failure).

Only views marked with `page_cached` (HTML) or `CachedGet` (an API view) are kept.
PAGE_CACHE_SECONDS (10) is how long an entry lives at most; 0 turns it off.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

log = logging.getLogger(__name__)

MOST_BYTES = 128 * 1024  # bigger answers are built each time: bounds what a flood of requests can park in Redis
MARK = "snapshot_cached"


def page_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view that only reads the database: its answers may be kept (see the module)."""
    setattr(view, MARK, True)
    return view


class CachedGet:
    """Marks an API view whose GET only reads the database (see the module)."""

    snapshot_cached = True


@dataclass
class Kept:
    content: bytes
    headers: list[tuple[str, str]]
    api_user: int | None  # the user whose API throttles a served copy counts against


def snapshot() -> str:
    """What the database shows now, as PostgreSQL names it (xmin:xmax:in-progress transactions)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def _view(request: HttpRequest) -> Callable | None:
    try:
        return resolve(request.path_info).func
    except Resolver404:
        return None


def _marked(view: Callable | None) -> bool:
    return view is not None and bool(getattr(view, MARK, False) or getattr(getattr(view, "cls", None), MARK, False))


def key_of(request: HttpRequest) -> str:
    """The request as a whole, the clock's step and the database's snapshot."""
    headers = sorted((name, str(value)) for name, value in request.META.items() if name.startswith("HTTP_"))
    step = int(timezone.now().timestamp() // settings.PAGE_CACHE_SECONDS)
    parts = [
        request.method or "",
        request.get_full_path(),
        request.META.get("wsgi.url_scheme", ""),
        request.META.get("REMOTE_ADDR", ""),
        repr(headers),
        str(step),
        snapshot(),
    ]
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _cache(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Exception as error:  # noqa: BLE001 - the cache only saves work: without it, build the answer
        log.warning("page cache unavailable: %s", error)
        return None


def _throttled(request: HttpRequest, view: Any, user_id: int) -> bool:
    """Whether the view's throttles refuse this user now (or can't tell); a request they allow is counted.
    The throttles read a request's user (by id) and address, and are given just that."""
    seen = SimpleNamespace(user=SimpleNamespace(pk=user_id, is_authenticated=True), META=request.META)
    allowed = _cache(lambda: all(throttle().allow_request(seen, view) for throttle in view.throttle_classes))
    return not allowed


def _keep(request: HttpRequest, response: HttpResponse, api: bool) -> tuple[Kept, int] | None:
    user = getattr(request, "user", None)
    if (
        response.status_code != 200
        or response.streaming
        or _sets_cookie(request, response)
        or user is None
        or not user.is_authenticated
        or len(response.content) > MOST_BYTES
        or "no-store" in response.get("Cache-Control", "")
    ):
        return None
    seconds = settings.PAGE_CACHE_SECONDS
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        seconds = min(seconds, session.get_expiry_age())
    if seconds <= 0:
        return None
    headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
    return Kept(response.content, headers, user.pk if api else None), seconds


def _sets_cookie(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer sets a cookie, other than renewing the CSRF cookie the request already has
    (Django renews it on every page with a form; a kept copy leaves the renewal to the next fresh one)."""
    csrf = settings.CSRF_COOKIE_NAME
    renewed = csrf in response.cookies and response.cookies[csrf].value == request.COOKIES.get(csrf)
    return any(name != csrf or not renewed for name in response.cookies)


class SnapshotCacheMiddleware:
    """Serves a marked view's kept answer for the same request and snapshot, and keeps new ones. Sits
    before the session and authentication middleware, so a kept answer costs one query and skips every
    middleware after this one. That costs a second resolve of a GET's URL (Django resolves it again for
    the view), about 0.1 ms: looking in `process_view` instead, with the view Django resolved, made a
    kept answer pass through the rest of the stack, and measured worse (bench/web_load.py, 7 Dec: 0.59
    and 0.66 of SELECT 1 against 0.70 and 0.73; at 5 writes a second 0.09 and 0.13 against 0.17 twice)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0 or connection.in_atomic_block:
            return self.get_response(request)
        view = _view(request)
        if not _marked(view):
            return self.get_response(request)
        try:
            key = key_of(request)
        except DatabaseError:  # the page's own path meets it and answers as it always does
            return self.get_response(request)
        api = hasattr(view, "cls")
        kept: Kept | None = _cache(lambda: cache.get(key))
        if kept is not None and not (kept.api_user is not None and _throttled(request, view.cls, kept.api_user)):  # type: ignore[union-attr]
            response = HttpResponse(kept.content)
            for name, value in kept.headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        keeping = _keep(request, response, api)
        if keeping is not None:
            _cache(lambda: cache.set(key, keeping[0], timeout=keeping[1]))
        return response
