"""Panels other apps add to marketplace pages, named in settings (DASHBOARD_PANELS, CONTRACT_PANELS):
each is a dotted path to `panel(request, **objects) -> str | None`, returning safe HTML (a rendered
template) or None. The marketplace renders them without knowing the apps that provide them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


def panels(setting: str, request: HttpRequest, **objects: object) -> list[SafeString]:
    rendered = [import_string(path)(request, **objects) for path in getattr(settings, setting, [])]
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 - rendered templates, escaped there
