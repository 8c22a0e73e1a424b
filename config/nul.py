"""NUL characters are refused at the door. PostgreSQL cannot store one in text, so a NUL in any query
or form field would otherwise reach the database and fail there (a 500), wherever a view reads a field
without a form. A request carrying one gets a 400 naming the field, before any view runs: nothing
changes. The API answers in its own error shape; JSON bodies are left to its serializers, which refuse
NUL themselves."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
MESSAGE = "Null characters are not allowed."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def field_with_nul(request: HttpRequest) -> str | None:
    """The name of the first query or form field whose name or value holds a NUL."""
    fields = [request.GET]
    if request.content_type in FORM_TYPES:
        fields.append(request.POST)
    for data in fields:
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "")
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
