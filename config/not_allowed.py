"""A page's address visited the wrong way. A form's target that only takes the form (say
/jobs/new/uma/) answers a GET with Django's bare, empty 405: a blank screen for a person who typed
the address, followed an old link, or came back to it through the login page's `next` after their
session ran out. Pages answer with a short page that says what happened and where to go instead;
the API keeps its own 405 (JSON, from DRF); the Allow header stays either way."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ExplainNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith("/api/") or response.content:
            return response
        page = render(request, "not_allowed.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
