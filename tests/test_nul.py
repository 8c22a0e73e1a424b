"""A NUL character in any query, form or JSON field is a 400 naming the field, and changes nothing.
PostgreSQL can neither store one in text nor compare text with one: a concern's note, a message, a
search for skills or a job's category by slug used to reach the database with it and answer 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from marketplace.models import JobPost, Message
from marketplace.services.messaging import thread_for_contract
from recruiter.models import ContractConcern
from tests.factories import JobFactory, fixed_contract

NUL = "\x00"


@pytest.mark.django_db
def test_form_fields_with_a_nul_are_refused_and_nothing_is_saved(alice, bob, client_for):
    contract = fixed_contract(client=alice, freelancer=bob)
    thread = thread_for_contract(contract=contract)
    client = client_for(alice)

    concern = client.post(f"/recruiter/contracts/{contract.pk}/concern/", {"note": f"late{NUL}", "wants_person": "1"})
    message = client.post(f"/messages/{thread.pk}/post/", {"body": f"hello{NUL}there"})

    assert concern.status_code == 400
    assert "“note”" in concern.content.decode()
    assert message.status_code == 400
    assert "“body”" in message.content.decode()
    assert not ContractConcern.objects.exists()
    assert not Message.objects.filter(body__startswith="hello").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["skills", "q", "category", "page"])
def test_query_fields_with_a_nul_are_a_400_naming_them(alice, client_for, field):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    client = client_for(alice)

    for url in ("/jobs/", f"/jobs/{job.pk}/invite/"):
        response = client.get(url, {field: NUL})

        assert response.status_code == 400, url
        assert f"“{field}”" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_its_own_error_shape(alice):
    api = APIClient()
    api.force_authenticate(alice)

    query = api.get("/api/v1/jobs/", {"q": f"python{NUL}"})
    form = api.post("/api/v1/jobs/", {"title": f"T{NUL}"}, format="multipart")

    assert query.status_code == 400
    assert query.json() == {"q": ["Null characters are not allowed."]}
    assert form.status_code == 400
    assert form.json() == {"title": ["Null characters are not allowed."]}


@pytest.mark.django_db
def test_json_bodies_name_the_field_however_deep(alice):
    api = APIClient()
    api.force_authenticate(alice)
    job = {"title": "Checkout fix", "contract_type": "fixed", "budget_min": "100", "budget_max": "200"}

    lookup = api.post("/api/v1/jobs/", {**job, "category": f"web{NUL}"}, format="json")
    nested = api.post("/api/v1/jobs/", {**job, "skills": ["Django", f"Py{NUL}thon"]}, format="json")

    assert lookup.status_code == 400
    assert lookup.json() == {"category": ["Null characters are not allowed."]}
    assert nested.json() == {"skills.1": ["Null characters are not allowed."]}
    assert not JobPost.objects.exists()


@pytest.mark.django_db
def test_ordinary_requests_pass(alice, bob, client_for):
    contract = fixed_contract(client=alice, freelancer=bob)
    client = client_for(alice)

    assert client.get("/jobs/", {"q": "python", "skills": "Django"}).status_code == 200
    assert client.post(f"/recruiter/contracts/{contract.pk}/concern/", {"note": "Late twice"}).status_code == 303
    assert ContractConcern.objects.get().note == "Late twice"


@pytest.mark.django_db
def test_a_broken_multipart_body_is_a_400_in_each_shape(alice, client_for):
    """Reading the form for a NUL must not turn a broken body into Django's bare 400 page."""
    api = APIClient()
    api.force_authenticate(alice)
    broken = "multipart/form-data; boundary="

    from_api = api.generic("POST", "/api/v1/jobs/", b"--x\r\n", content_type=broken)
    from_page = client_for(alice).generic("POST", "/jobs/new/", b"--x\r\n", content_type=broken)

    assert from_api.status_code == 400
    assert from_api.json()["detail"].startswith("Multipart form parse error - Invalid boundary")
    assert from_page.status_code == 400
    assert "The form could not be read." in from_page.content.decode()
    assert not JobPost.objects.exists()
