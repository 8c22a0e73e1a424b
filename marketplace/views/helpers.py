"""What every page view shares: refusing outsiders, and turning a refused action into a clear page."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from typing import TypeVar
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from marketplace.errors import DomainError
from marketplace.models import User

T = TypeVar("T")


def error_text(error: ValidationError | DomainError) -> str:
    if isinstance(error, DomainError):
        return error.message
    if hasattr(error, "message_dict"):
        return " ".join(f"{msg}" for msgs in error.message_dict.values() for msg in msgs)
    return " ".join(error.messages)


def attach_error(form, error: ValidationError | DomainError) -> None:  # noqa: ANN001
    """Show a service's refusal on the form: on its field when the form has one, else above it."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(
            getattr(error, "field", None) if getattr(error, "field", None) in form.fields else None, error_text(error)
        )


def act(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    done: str,
    then: str,
    on_error: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """Run a service call for a POST. Success: a message and a redirect (303) to `then`.
    Refusal: nothing changed; the page again with why, under the refusal's status (400/403/409/429):
    `on_error`'s, or else the page at `then`."""
    try:
        action()
    except (DomainError, ValidationError) as error:
        messages.error(request, error_text(error))
        response = (on_error or (lambda: page_at(request, then)))()
        if response.status_code != 200:  # that page is not there to show it on: the message waits for the next
            return see_other(then)
        response.status_code = error.status_code if isinstance(error, DomainError) else 400
        return response
    messages.success(request, done)
    return see_other(then)


def page_at(request: HttpRequest, url: str) -> HttpResponse:
    """The page at `url` (a path on this site) as this person would read it: where a refused POST is
    shown again, with the reason among the messages."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return HttpResponse(status=404)
    reading = copy.copy(request)
    reading.method, reading.GET, reading.POST = "GET", QueryDict(parts.query), QueryDict()
    return match.func(reading, *match.args, **match.kwargs)


def see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def form_call(
    form,  # noqa: ANN001
    call: Callable[[], T],
    *,
    passing: tuple[type[Exception], ...] = (),
) -> tuple[T | None, int]:
    """Run a service call for a submitted form: (its result, 200), or (None, 400/403/409/429) with the
    refusal shown on the form and nothing changed. Refusals of the `passing` kinds are raised for
    the caller to answer differently."""
    try:
        return call(), 200
    except passing:
        raise
    except (DomainError, ValidationError) as error:
        attach_error(form, error)
        return None, error.status_code if isinstance(error, DomainError) else 400


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²".isdigit() is true), and within a bigint


def ids_in(values: Iterable[str]) -> list[int]:
    """The ids among values sent in a form or a query; anything else is left out."""
    return [int(value) for value in values if ID.fullmatch(value)]


def safe_next(request: HttpRequest, target: str) -> bool:
    """Whether a `next` address stays on this site (not "//evil", "/\\evil" or "https://evil")."""
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def user_of(request: HttpRequest) -> User:
    """The signed-in user (views using this are behind login_required)."""
    assert isinstance(request.user, User)  # noqa: S101
    return request.user
