"""The API fuzzed from its own schema (Schemathesis) as two members of the cast: whatever is sent, no
answer is a server error and every documented answer matches the schema. Bounded: a few examples per
operation, no deadline."""

from __future__ import annotations

from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from marketplace.services import jobs as job_svc
from offers.services import negotiation as offer_svc
from tests.factories import JobFactory, fixed_contract, hourly_contract
from tests.offers.test_negotiation import fixed_terms

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Logging in is tried elsewhere (and counts against the login limit); files need multipart bodies.
schema = schema.exclude(path_regex=r"^/api/v1/auth/")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def in_process():
    """Requests through the WSGI app in this thread keep the test's connection (and its transaction)
    open, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(alice, bob, in_process):
    """alice and bob, each with a contract, a job, a proposal and an offer to find."""
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    job_svc.proposal_submit(
        job=job, freelancer=bob, cover_letter="Pick me", bid_amount=Decimal(40), estimated_duration="lt1m"
    )
    fixed_contract(client=alice, freelancer=bob)
    hourly_contract(client=alice, freelancer=bob)
    offer_svc.offer_send(by=alice, freelancer=bob, terms=fixed_terms(), title="Checkout")
    return [Token.objects.create(user=user).key for user in (alice, bob)]


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_and_answers_match_the_schema(case, tokens):
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
