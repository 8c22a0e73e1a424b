"""Read-only pages answered again while the database is unchanged (marketplace/snapshot_cache.py): the
same request gets the kept answer, any write gives a fresh one, and nobody else, no logged-out cookie
and no used-up API rate ever gets it. These run outside a test transaction (transaction=True): inside
one, the cache stands aside, as it does for any open transaction."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from marketplace.models import Contract
from tests.factories import hourly_contract

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _long_steps(settings):
    """An hour's step, so two requests a few ms apart never straddle a step's end (then the second
    would be fresh, rightly, and an assertion that it was kept would fail by chance)."""
    settings.PAGE_CACHE_SECONDS = 3600


def kept(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/contracts/")  # the CSRF cookie every later request carries, as a browser's would
    return client


def test_the_same_request_is_answered_again_until_a_write(alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob)
    client = client_of(alice)

    first, second = client.get("/contracts/"), client.get("/contracts/")
    assert not kept(first) and kept(second)
    assert second.content == first.content

    Contract.objects.filter(pk=contract.pk).update(title="Renamed by a write")
    third = client.get("/contracts/")
    assert not kept(third)
    assert b"Renamed by a write" in third.content


@pytest.mark.parametrize("path", ["/dashboard/", "/jobs/?q=python", "/api/v1/contracts/", "/api/v1/jobs/?q=django"])
def test_each_read_only_page_is_kept(alice, path):
    client = client_of(alice)
    first, second = client.get(path), client.get(path)
    assert (first.status_code, kept(first), second.status_code, kept(second)) == (200, False, 200, True)
    assert second.content == first.content


def test_a_page_not_marked_as_read_only_is_never_kept(alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob)
    client = client_of(alice)
    room = f"/contracts/{contract.pk}/"  # marks messages read: it writes

    assert [kept(client.get(room)) for _ in range(3)] == [False, False, False]


def test_another_viewer_never_gets_a_kept_answer(alice, bob, carol):
    contract = hourly_contract(client=alice, freelancer=bob)
    alices, carols, alice_again = client_of(alice), client_of(carol), client_of(alice)  # logins are writes
    alices.get("/contracts/")
    assert kept(alices.get("/contracts/"))  # no write since: the same snapshot for everyone below

    page = carols.get("/contracts/")
    assert page.status_code == 200 and not kept(page)
    assert contract.title.encode() not in page.content
    assert not kept(alice_again.get("/contracts/"))  # the same person in another session


def test_a_logged_out_session_gets_the_login_page_not_its_kept_answer(alice):
    client = client_of(alice)
    client.get("/contracts/")
    assert kept(client.get("/contracts/"))
    cookies = dict(client.cookies)

    client.post(reverse("logout"))
    stale = Client()
    stale.cookies.update(cookies)  # the old session cookie, replayed
    response = stale.get("/contracts/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_flash_message_is_shown_once(alice):
    client = client_of(alice)
    client.get("/contracts/")
    assert kept(client.get("/contracts/"))
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Saved just now")])

    shown = client.get("/contracts/")
    assert not kept(shown) and b"Saved just now" in shown.content
    after = client.get("/contracts/")
    assert b"Saved just now" not in after.content


def test_an_api_read_is_kept_but_still_counts_against_the_rate(alice, bob, monkeypatch):
    hourly_contract(client=alice, freelancer=bob)
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": "4/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)  # read when a throttle is made
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")

    answers = [api.get("/api/v1/contracts/") for _ in range(6)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429, 429]
    assert [kept(a) for a in answers[:4]] == [False, True, True, True]
    assert answers[0].json() == answers[3].json()


def test_a_token_that_is_revoked_gets_no_kept_answer(alice):
    token = Token.objects.create(user=alice)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    api.get("/api/v1/contracts/")
    assert kept(api.get("/api/v1/contracts/"))

    token.delete()
    assert api.get("/api/v1/contracts/").status_code in {401, 403}


def test_a_deactivated_user_gets_no_kept_answer(alice):
    client = client_of(alice)
    client.get("/contracts/")
    assert kept(client.get("/contracts/"))

    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get("/contracts/").status_code == 302


def test_pages_are_built_each_time_when_the_cache_is_down(alice, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    client = Client()
    client.force_login(alice)
    answers = [client.get("/contracts/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert not any(kept(a) for a in answers)


def test_nothing_is_kept_when_turned_off(alice, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = client_of(alice)
    assert [kept(client.get("/contracts/")) for _ in range(3)] == [False, False, False]


def test_an_entry_lives_no_longer_than_its_session(alice):
    client = client_of(alice)
    session = client.session
    session.set_expiry(1)  # the session ends a second from now, well inside the page's step
    session.save()

    client.get("/contracts/")
    time.sleep(1.5)
    assert client.get("/contracts/").status_code == 302  # to log in: nothing kept outlived the session


def test_the_clock_moving_a_step_gives_a_fresh_answer(alice, monkeypatch):
    """Pages say "3 minutes ago" and show expiries: no write, but the clock has moved."""
    from marketplace import snapshot_cache

    client = client_of(alice)
    client.get("/contracts/")
    assert kept(client.get("/contracts/"))

    later = timezone.now() + timedelta(seconds=snapshot_cache.settings.PAGE_CACHE_SECONDS)
    monkeypatch.setattr(snapshot_cache.timezone, "now", lambda: later)
    assert not kept(client.get("/contracts/"))


def test_a_page_is_built_as_before_when_the_snapshot_cannot_be_read(alice, monkeypatch):
    from django.db import OperationalError

    from marketplace import snapshot_cache

    def broken() -> str:
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(snapshot_cache, "snapshot", broken)
    client = client_of(alice)
    answers = [client.get("/contracts/") for _ in range(2)]
    assert [(a.status_code, kept(a)) for a in answers] == [(200, False), (200, False)]
