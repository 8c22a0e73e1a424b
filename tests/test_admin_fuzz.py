"""The admin, as recruiter staff use it, tried with hostile query values (tests/hostile.py skips the
admin): its own parameters (search, ordering, page, popups, to-field) and filters. No server error."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.hostile import HOSTILE, walk

MAX_PAGES = 60
PARAMETERS = ("q", "o", "p", "e", "all", "_popup", "_to_field", "status__exact", "created_at__gte", "id__in")


def admin_crawl(client: Client) -> list[str]:
    """What answered 5xx, from the admin's index outwards (one visit a page, every parameter twice)."""
    hostile, failures = itertools.cycle(HOSTILE), []
    admin = lambda path: path.startswith("/admin/") and "logout" not in path  # noqa: E731
    shown = 0
    for path, _ in walk(client, ["/admin/"], within=admin, kind=str, most=MAX_PAGES, failures=failures):
        shown += 1
        for name in PARAMETERS:
            for _ in range(2):
                url = f"{path}?{urlencode({name: next(hostile)})}"
                if client.get(url).status_code >= 500:
                    failures.append(f"GET {url[:120]}: 5xx")
    assert shown > 10, shown  # the crawl reached the admin's pages
    return failures


@pytest.mark.django_db
def test_no_admin_page_answers_a_server_error_to_hostile_input(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["users"]["rita"])

    assert admin_crawl(client) == []


@pytest.mark.django_db
def test_an_empty_to_field_is_a_400_not_a_500(world):
    """Django's admin looked up a field named "" on a change page."""
    client = Client(raise_request_exception=False)
    client.force_login(world["users"]["rita"])
    profile = world["users"]["bob"].freelancer_profile

    response = client.get(f"/admin/marketplace/freelancerprofile/{profile.pk}/change/?_to_field=")
    assert response.status_code == 400 and "_to_field" in response.content.decode()
    assert client.get(f"/admin/marketplace/freelancerprofile/{profile.pk}/change/").status_code == 200
