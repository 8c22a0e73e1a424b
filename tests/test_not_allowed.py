"""A page's address that only takes a form answers a visit with a page that says so, not Django's
blank 405: a person who typed it, followed an old link or came back to it through the login page
sees where to go. The API keeps its JSON 405."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, fixed_contract


@pytest.mark.django_db
def test_visiting_a_form_only_address_explains_itself(alice, bob, client_for):
    contract = fixed_contract(client=alice, freelancer=bob)
    client = client_for(alice)

    for url in ("/jobs/new/uma/", f"/recruiter/contracts/{contract.pk}/concern/", "/logout/"):
        response = client.get(url)

        assert response.status_code == 405, url
        assert "POST" in response["Allow"], url
        page = response.content.decode()
        assert "Use the page's button" in page, url
        assert 'href="/dashboard/"' in page, url


@pytest.mark.django_db
def test_after_logging_in_the_way_back_to_a_form_only_address_explains_itself(alice):
    client = APIClient(enforce_csrf_checks=False)

    visited = client.get("/jobs/new/uma/")
    assert visited.status_code == 302
    assert visited["Location"].startswith("/login/?next=/jobs/new/uma/")
    logged_in = client.post(visited["Location"], {"username": alice.email, "password": PASSWORD}, follow=True)

    assert logged_in.status_code == 405
    assert "Use the page's button" in logged_in.content.decode()


@pytest.mark.django_db
def test_the_api_keeps_its_own_405(alice):
    api = APIClient()
    api.force_authenticate(alice)

    response = api.put("/api/v1/offers/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}
