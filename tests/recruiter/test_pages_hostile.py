"""A case's pages, tried with hostile input (tests/hostile.py) by its client and by recruiter staff:
whatever is sent, no answer is a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.hostile import crawl


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "rita"])
def test_case_pages_answer_hostile_input_without_a_server_error(ready, who, request):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(who))

    assert crawl(client, [ready.get_absolute_url(), "/recruiter/figures/"]) == []
