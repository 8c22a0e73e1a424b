"""The API end to end: token auth for scripts, the same rules as the pages, pagination, the schema."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from marketplace.models import Contract, JobPost
from tests.factories import PASSWORD, JobFactory, fixed_contract, skill


@pytest.fixture
def api():
    return APIClient()


def token_for(api, email):
    response = api.post("/api/v1/auth/token/", {"username": email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.mark.django_db
class TestJobsOverTheApi:
    def test_a_script_posts_a_job_with_a_token_and_a_freelancer_proposes(self, api, alice, bob):
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api, 'alice@tandem.test')}")
        response = api.post(
            "/api/v1/jobs/",
            {
                "title": "Data pipeline in Airflow",
                "description": "Move our nightly CSV imports into Airflow and dbt.",
                "category": "data-ai-analytics",
                "skills": ["airflow", "DBT", "Postgres"],
                "contract_type": "hourly",
                "budget_min": "35.00",
                "budget_max": "55.00",
                "publish": True,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        job = response.json()
        assert sorted(job["skills"]) == ["Apache Airflow", "PostgreSQL", "dbt"]
        assert job["status"] == "open"

        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api, 'bob@tandem.test')}")
        found = api.get("/api/v1/jobs/", {"q": "airflow"}).json()
        assert [j["id"] for j in found["results"]] == [job["id"]]
        proposal = api.post(
            f"/api/v1/jobs/{job['id']}/proposals/",
            {"cover_letter": "I run Airflow at scale.", "bid_amount": "50.00", "estimated_duration": "1to3m"},
            format="json",
        )
        assert proposal.status_code == 201
        again = api.post(
            f"/api/v1/jobs/{job['id']}/proposals/",
            {"cover_letter": "Me again", "bid_amount": "50.00", "estimated_duration": "1to3m"},
            format="json",
        )
        assert again.status_code == 409
        assert "already" in again.json()["detail"]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("budget_min", "-10", "greater than or equal to 0.01"),
            ("budget_max", "10.999", "decimal places"),
            ("budget_max", "5000000", "less than or equal to 1000000"),
            ("category", "no-such-category", "does not exist"),
            ("skills", ["Klingon"], "Unknown skill"),
        ],
    )
    def test_bad_input_is_a_clear_400_and_creates_nothing(self, api, alice, field, value, message):
        api.force_authenticate(alice)
        body = {
            "title": "T",
            "description": "D",
            "category": "data-ai-analytics",
            "contract_type": "fixed",
            "budget_min": "100",
            "budget_max": "200",
            field: value,
        }
        response = api.post("/api/v1/jobs/", body, format="json")
        assert response.status_code == 400
        assert message in response.content.decode()
        assert JobPost.objects.count() == 0

    def test_the_search_filters_the_docs_name_are_applied(self, api, alice, bob):
        """category and the budget filters were documented and ignored: every open job came back."""
        org = alice.organizations.get()
        web = JobFactory(organization=org, created_by=alice, budget_min=Decimal(20), budget_max=Decimal(40))
        data = JobFactory(
            organization=org,
            created_by=alice,
            category=skill("Airflow").category,
            budget_min=Decimal(90),
            budget_max=Decimal(120),
        )
        api.force_authenticate(bob)

        def found(**query):
            response = api.get("/api/v1/jobs/", query)
            assert response.status_code == 200, response.content
            return {job["id"] for job in response.json()["results"]}

        assert found() == {web.pk, data.pk}
        assert found(category=data.category.slug) == {data.pk}
        assert found(budget_min="80") == {data.pk}
        assert found(budget_max="50") == {web.pk}
        assert found(contract_type="hourly", q="", skills="", category="", budget_min="") == {web.pk, data.pk}
        draft = JobFactory(organization=org, created_by=alice, status="draft", published_at=None)
        api.force_authenticate(alice)
        assert found(mine="true") == {web.pk, data.pk, draft.pk}
        assert found(mine="false") == {web.pk, data.pk}  # "false" used to mean mine

    @pytest.mark.parametrize(
        ("field", "value"),
        [("category", "no-such-category"), ("budget_min", "abc"), ("budget_max", "-1"), ("contract_type", "x")],
    )
    def test_a_bad_search_filter_is_a_400_naming_it(self, api, bob, field, value):
        api.force_authenticate(bob)
        response = api.get("/api/v1/jobs/", {field: value})
        assert response.status_code == 400
        assert field in response.json()

    def test_lists_are_paginated(self, api, alice, bob):
        org = alice.organizations.get()
        for i in range(25):
            JobFactory(organization=org, created_by=alice, title=f"Job {i}")
        api.force_authenticate(bob)
        first = api.get("/api/v1/jobs/").json()
        assert first["count"] == 25
        assert len(first["results"]) == 20
        assert len(api.get(first["next"]).json()["results"]) == 5


@pytest.mark.django_db
def test_contract_flow_over_the_api(api, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    api.force_authenticate(bob)
    milestones = api.get(f"/api/v1/contracts/{contract.pk}/milestones/").json()["results"]
    first = milestones[0]["id"]
    assert api.post(f"/api/v1/milestones/{first}/submit/", {"note": "Designs are in Figma"}).status_code == 200
    api.force_authenticate(alice)
    revise = api.post(f"/api/v1/milestones/{first}/revise/", {"reason": ""}, format="json")
    assert revise.status_code == 400
    assert api.post(f"/api/v1/milestones/{first}/approve/").json()["status"] == "approved"
    end = api.post(f"/api/v1/contracts/{contract.pk}/end/", {"reason": "completed"}, format="json")
    assert end.json()["status"] == "ended"
    feedback = api.post(f"/api/v1/contracts/{contract.pk}/feedback/", {"rating": 5, "review": "Great"}, format="json")
    assert feedback.status_code == 201
    assert Contract.objects.get(pk=contract.pk).feedback.count() == 1


@pytest.mark.django_db
def test_schema_and_docs_are_served(api, bob):
    api.force_authenticate(bob)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/contracts/{id}/" in paths
    assert "/api/v1/jobs/{id}/proposals/" in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
