"""One money format ("USD 1,500.00") and one date format ("10 Jan 2027") everywhere a person reads them:
pages, Django's own rendering (the admin) and the emails (which used "USD 3000.00" and "Jan. 10, 2027"
beside "USD 3,000.00" and "10 Jan 2027")."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import formats as django_formats
from django.utils import timezone

from marketplace import formats
from tests.factories import fixed_contract


def test_one_money_and_one_date_format():
    assert formats.money(Decimal("3000"), "USD") == "USD 3,000.00"
    assert formats.money(Decimal("48.5"), "EUR") == "EUR 48.50"
    assert formats.day(date(2027, 1, 10)) == "10 Jan 2027"
    assert formats.money(None) == "" and formats.day(None) == ""


def test_how_long_ago_says_just_now_under_a_minute():
    now = timezone.now()
    assert formats.ago(now - timedelta(seconds=20)) == "just now"
    assert formats.ago(now - timedelta(minutes=5, seconds=3)) == "5\xa0minutes ago"
    assert formats.ago(None) == ""


def test_djangos_own_dates_use_it_too():
    assert django_formats.date_format(date(2027, 1, 10)) == "10 Jan 2027"
    assert django_formats.date_format(date(2027, 1, 10), "SHORT_DATE_FORMAT") == "10 Jan 2027"


@pytest.mark.django_db
def test_pages_write_money_and_dates_one_way(client_for, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob, start=timezone.localdate() + timedelta(days=3))
    html = client_for(alice).get(f"/contracts/{contract.pk}/").content.decode()
    due = contract.milestones.get(position=2).due_date
    assert "USD 1,000.00" in html and "USD 700.00" in html
    assert formats.day(due) in html and formats.day(contract.start_date) in html
    assert f"{due:%b}. " not in html  # never "Dec. 21, 2026"
