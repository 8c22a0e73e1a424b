"""NUL characters are refused at the door. PostgreSQL can neither store one in text nor compare text
with one, so a NUL in any field would otherwise reach the database and fail there (a 500): in a view
that reads a field without a form, or in a lookup such as the API's category by slug. A request
carrying one, in its query, its form fields or its JSON body, gets a 400 naming the field, before any
view runs: nothing changes. The API answers in its own error shape."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
MESSAGE = "Null characters are not allowed."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_in(value: object, path: str = "") -> str | None:
    """The dotted path of the first string (key or value) in parsed JSON that holds a NUL."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and NUL in key:
            return where.replace(NUL, "")
        found = nul_in(item, where)
        if found is not None:
            return found
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
        except ValueError:
            return None  # not JSON: the view's parser says so
    return None


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = field_with_nul(request)
        if name is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({name or "non_field_errors": [MESSAGE]}, status=400)
        message = f"“{name}”: {MESSAGE} Go back and remove the character."
        return render(request, "bad_input.html", {"message": message}, status=400)
