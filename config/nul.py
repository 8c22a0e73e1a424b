"""NUL characters are refused at the door. PostgreSQL can neither store one in text nor compare text
with one, so a NUL in any field would otherwise reach the database and fail there (a 500): in a view
that reads a field without a form, or in a lookup such as the API's category by slug. A request
carrying one, in its query, its form fields or its JSON body, gets a 400 naming the field, before any
view runs: nothing changes. The API answers in its own error shape. This is the one place: services
and forms behind it never see a NUL from a request."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

NUL = "\x00"
MESSAGE = str(ProhibitNullCharactersValidator.message)  # the words Django's own forms and DRF use
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_in(value: object) -> str | None:
    """The dotted path of the first string (key or value) in parsed JSON that holds a NUL. Iterative:
    however deep the JSON, no recursion limit is reached."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path
            continue
        children = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for key, child in reversed(list(children)):
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and NUL in key:
                return where.replace(NUL, "")
            stack.append((where, child))
    return None


def field_with_nul(request: HttpRequest) -> str | None:
    """The name of the first query, form or JSON field whose name or value holds a NUL."""
    fields = [request.GET]
    if request.content_type in FORM_TYPES:
        fields.append(request.POST)
    for data in fields:
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "")
    if request.content_type == "application/json" and request.body:
        try:
            return nul_in(json.loads(request.body))
        except (ValueError, RecursionError):
            return None  # not JSON, or too deep to read: the view's parser says so
    return None


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            name = field_with_nul(request)
        except MultiPartParserError as error:  # a broken multipart body: said as the parsers say it
            return refused(request, {"detail": f"Multipart form parse error - {error}"}, "The form could not be read.")
        if name is None:
            return self.get_response(request)
        message = f"“{name}”: {MESSAGE} Go back and remove the character."
        return refused(request, {name or "non_field_errors": [MESSAGE]}, message)


def refused(request: HttpRequest, errors: dict, message: str) -> HttpResponse:
    """A 400: the API's error shape for the API, the "Check what you sent" page for pages."""
    if request.path.startswith("/api/"):
        return JsonResponse(errors, status=400)
    return render(request, "bad_input.html", {"message": message}, status=400)
