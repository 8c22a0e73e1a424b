"""Every page the cast can reach, tried with hostile input (tests/hostile.py): whatever is sent, no
answer is a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from offers.services import negotiation as offer_svc
from tests.hostile import START, crawl
from tests.offers.test_negotiation import fixed_terms


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "rita"])
def test_no_page_answers_a_server_error_to_hostile_input(world, who):
    offer = offer_svc.offer_send(
        by=world["users"]["alice"], freelancer=world["users"]["bob"], terms=fixed_terms(), title="Checkout"
    )
    client = Client(raise_request_exception=False)
    client.force_login(world["users"][who])

    assert crawl(client, [*START, offer.get_absolute_url()]) == []
