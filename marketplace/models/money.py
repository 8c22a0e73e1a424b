"""Money fields: Decimal with two places and a currency, within sane bounds."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MAX_AMOUNT = Decimal("1000000.00")
MAX_RATE = Decimal("1000.00")


class Currency(models.TextChoices):
    USD = "USD", "US dollar"
    EUR = "EUR", "Euro"
    GBP = "GBP", "Pound sterling"


def amount_field(**kwargs: object) -> models.DecimalField:
    """A positive amount of money, at most MAX_AMOUNT, to the cent."""
    kwargs.setdefault("validators", [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)])
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)  # type: ignore[arg-type]


def rate_field(**kwargs: object) -> models.DecimalField:
    """An hourly rate: positive, at most MAX_RATE an hour."""
    kwargs.setdefault("validators", [MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_RATE)])
    return models.DecimalField(max_digits=8, decimal_places=2, **kwargs)  # type: ignore[arg-type]


def currency_field() -> models.CharField:
    return models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
