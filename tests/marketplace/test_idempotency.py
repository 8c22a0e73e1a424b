"""`Idempotency-Key` on the API's POSTs: a script's retry gets the first answer instead of a second job
or message, even when both tries arrive at the same instant; a different request under the same key is
refused; a refusal is not kept, so the corrected request can use the key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from marketplace.models import IdempotentRequest, JobPost, Message
from marketplace.services.messaging import thread_for_contract
from marketplace.tasks import idempotency_keys_sweep
from tests.factories import PASSWORD, hourly_contract
from tests.helpers import race, winners

JOB = {
    "title": "Data pipeline in Airflow",
    "description": "Move our nightly CSV imports into Airflow and dbt.",
    "category": "data-ai-analytics",
    "skills": ["airflow"],
    "contract_type": "hourly",
    "budget_min": "35.00",
    "budget_max": "55.00",
    "publish": True,
}


def api_as(user) -> APIClient:
    api = APIClient(enforce_csrf_checks=True)  # as a server checks: a token needs no CSRF token, a session does
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def post(api: APIClient, url: str, data: dict, key: str | None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(url, data, **({"format": "json"} | extra), **headers)


@pytest.mark.django_db
class TestAKeySentAgain:
    def test_a_retried_job_post_is_made_once_and_answered_as_the_first_time(self, alice):
        api, jobs = api_as(alice), JobPost.objects.count()
        first = post(api, "/api/v1/jobs/", JOB, "job-7f3a")
        again = post(api, "/api/v1/jobs/", JOB, "job-7f3a")
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
        assert not first.has_header("Idempotent-Replayed")
        assert JobPost.objects.count() == jobs + 1

    def test_without_a_key_two_posts_are_two_jobs(self, alice):
        api, jobs = api_as(alice), JobPost.objects.count()
        post(api, "/api/v1/jobs/", JOB, None)
        post(api, "/api/v1/jobs/", JOB, None)
        assert JobPost.objects.count() == jobs + 2

    def test_the_key_with_a_different_request_is_refused_naming_the_header(self, alice):
        api = api_as(alice)
        post(api, "/api/v1/jobs/", JOB, "k1")
        jobs = JobPost.objects.count()
        other = post(api, "/api/v1/jobs/", JOB | {"title": "Something else entirely"}, "k1")
        assert other.status_code == 422 and other.json()["field"] == "Idempotency-Key"
        assert JobPost.objects.count() == jobs

    def test_a_refusal_is_not_kept_so_the_corrected_request_runs(self, alice):
        api, jobs = api_as(alice), JobPost.objects.count()
        refused = post(api, "/api/v1/jobs/", JOB | {"budget_min": "abc"}, "k2")
        assert refused.status_code == 400 and "budget_min" in refused.json()
        corrected = post(api, "/api/v1/jobs/", JOB, "k2")
        assert corrected.status_code == 201 and JobPost.objects.count() == jobs + 1

    def test_keys_belong_to_their_account(self, alice, carol):
        post(api_as(alice), "/api/v1/jobs/", JOB, "shared")
        theirs = post(api_as(carol), "/api/v1/jobs/", JOB | {"title": "Carol's own pipeline"}, "shared")
        assert theirs.status_code == 201 and theirs.json()["title"] == "Carol's own pipeline"

    def test_the_answer_is_replayed_only_to_a_credential_that_still_works(self, alice, client_for):
        api = api_as(alice)
        first = post(api, "/api/v1/jobs/", JOB, "renewed")
        Token.objects.filter(user=alice).delete()  # the script's token is revoked
        revoked = post(api, "/api/v1/jobs/", JOB, "renewed")
        assert revoked.status_code in (401, 403) and not revoked.has_header("Idempotent-Replayed")
        anonymous = post(APIClient(), "/api/v1/jobs/", JOB, "renewed")
        assert anonymous.status_code in (401, 403) and not anonymous.has_header("Idempotent-Replayed")
        browser = client_for(alice)  # the same account, signed in on a page: its own answer again
        again = browser.post("/api/v1/jobs/", JOB, content_type="application/json", HTTP_IDEMPOTENCY_KEY="renewed")
        assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
        assert JobPost.objects.filter(title=JOB["title"]).count() == 1

    @pytest.mark.parametrize("key", ["", "has space", "x" * 256, "naïve"])
    def test_a_malformed_key_is_a_400_naming_the_header(self, alice, key):
        jobs = JobPost.objects.count()
        response = post(api_as(alice), "/api/v1/jobs/", JOB, key)
        assert response.status_code == 400 and response.json()["field"] == "Idempotency-Key"
        assert JobPost.objects.count() == jobs

    def test_a_file_sent_again_with_a_new_boundary_is_one_message(self, alice, bob):
        thread = thread_for_contract(contract=hourly_contract(client=alice, freelancer=bob))
        api, url = api_as(alice), f"/api/v1/threads/{thread.pk}/messages/"

        def send(body: bytes):
            data = {"body": "The brief", "files": SimpleUploadedFile("brief.pdf", body, "application/pdf")}
            return post(api, url, data, "msg-1", format="multipart")

        first, again = send(b"%PDF-1.4 brief"), send(b"%PDF-1.4 brief")
        assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
        assert send(b"%PDF-1.4 other brief").status_code == 422  # another file is another request
        assert Message.objects.filter(thread=thread, body="The brief").count() == 1

    def test_a_key_a_day_old_is_forgotten_by_the_sweep(self, alice):
        api, jobs = api_as(alice), JobPost.objects.count()
        post(api, "/api/v1/jobs/", JOB, "daily")
        IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
        assert idempotency_keys_sweep() == 1
        assert post(api, "/api/v1/jobs/", JOB, "daily").status_code == 201
        assert JobPost.objects.count() == jobs + 2

    def test_a_signed_in_page_needs_its_csrf_token_with_a_key_too(self, alice):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(alice)
        browser.get("/dashboard/")
        token = browser.cookies["csrftoken"].value
        headers = {"HTTP_IDEMPOTENCY_KEY": "page-1", "content_type": "application/json"}
        forged = browser.post("/api/v1/jobs/", JOB, **headers)
        assert forged.status_code == 403 and not IdempotentRequest.objects.exists()
        sent = [browser.post("/api/v1/jobs/", JOB, HTTP_X_CSRFTOKEN=token, **headers) for _ in range(2)]
        assert [r.status_code for r in sent] == [201, 201] and sent[1]["Idempotent-Replayed"] == "true"

    def test_a_crash_under_a_key_leaves_nothing_half_done_and_the_retry_runs(self, alice, monkeypatch):
        from marketplace.api import serializers

        api, jobs = api_as(alice), JobPost.objects.count()
        api.raise_request_exception = False
        with monkeypatch.context() as patched:  # the job is made, then answering it fails
            patched.setattr(serializers.JobSerializer, "data", property(lambda _: 1 / 0))
            assert post(api, "/api/v1/jobs/", JOB, "crash").status_code == 500
        assert JobPost.objects.count() == jobs and not IdempotentRequest.objects.exists()
        assert post(api, "/api/v1/jobs/", JOB, "crash").status_code == 201
        assert JobPost.objects.count() == jobs + 1

    def test_getting_a_token_is_never_replayed(self, alice):
        api, body = api_as(alice), {"username": "alice@tandem.test", "password": PASSWORD}
        for _ in range(2):
            response = api.post("/api/v1/auth/token/", body, format="json", HTTP_IDEMPOTENCY_KEY="login")
            assert response.status_code == 200 and not response.has_header("Idempotent-Replayed")
        assert not IdempotentRequest.objects.exists()

    def test_the_schema_offers_the_header_on_every_post(self, alice):
        schema = api_as(alice).get("/api/schema/", HTTP_ACCEPT="application/json").json()
        takes = {
            path: any(p["name"] == "Idempotency-Key" for p in ops["post"].get("parameters", []))
            for path, ops in schema["paths"].items()
            if "post" in ops
        }
        assert len(takes) > 20 and takes.pop("/api/v1/auth/token/") is False and all(takes.values())


@pytest.mark.django_db(transaction=True)
def test_the_same_message_sent_at_the_same_instant_is_sent_once(alice, bob):
    thread = thread_for_contract(contract=hourly_contract(client=alice, freelancer=bob))
    url = f"/api/v1/threads/{thread.pk}/messages/"
    clients = [api_as(alice) for _ in range(6)]
    outcomes = race(*(lambda api=api: post(api, url, {"body": "Are we on for Monday?"}, "monday") for api in clients))
    answers = winners(outcomes)
    assert len(answers) == 6 and {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert Message.objects.filter(thread=thread, body="Are we on for Monday?").count() == 1
