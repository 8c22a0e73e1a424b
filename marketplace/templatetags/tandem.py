"""Template filters for the one money and date format (marketplace/formats.py)."""

from __future__ import annotations

from django import template

from marketplace import formats

register = template.Library()


@register.filter
def money(amount: object, currency: str = "USD") -> str:
    """{{ amount|money:currency }} → "USD 1,500.00"."""
    return formats.money(amount, currency or "USD")  # type: ignore[arg-type]


@register.filter
def day(value: object) -> str:
    """{{ date|day }} → "10 Jan 2027"."""
    return formats.day(value)  # type: ignore[arg-type]


@register.filter
def ago(value: object) -> str:
    """{{ when|ago }} → "just now", "5 minutes ago"."""
    return formats.ago(value)  # type: ignore[arg-type]
