"""One way to write money and dates, everywhere a person reads them (pages, emails, the admin):
"USD 1,500.00" and "10 Jan 2027" ("10 Jan 2027, 14:05" with a time). Templates use the `money` and
`day` filters, and `ago` for how long ago (marketplace/templatetags/tandem.py); Django's own date
formats are set to the same (config/formats/en/formats.py), so the admin and any unfiltered date agree."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.timesince import timesince

DAY = "%-d %b %Y"


def money(amount: Decimal | int | float | None, currency: str = "USD") -> str:
    if amount is None or amount == "":
        return ""
    return f"{currency} {Decimal(str(amount)):,.2f}"


def day(value: date | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime(DAY)


def ago(value: datetime | None) -> str:
    """ "just now" under a minute, else "5 minutes ago" ("0 minutes ago" read as a fault)."""
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value)} ago"
