"""Django's admin answers 500 to an empty `_to_field` on a change page: its check skips an empty value,
then it looks up a field named "". Refused here as bad input, a 400 like any other."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.admin.options import TO_FIELD_VAR
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from config.nul import refused


@functools.cache
def admin_prefix() -> str:
    return reverse("admin:index")


class EmptyToFieldMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(admin_prefix()):  # looked up once, not on every request
            sent = request.GET.getlist(TO_FIELD_VAR) + (request.POST.getlist(TO_FIELD_VAR) if request.POST else [])
            if "" in sent:
                return refused(request, {TO_FIELD_VAR: ["Name a field."]}, f"“{TO_FIELD_VAR}” is empty.")
        return self.get_response(request)
