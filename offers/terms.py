"""Offer terms as plain values: cleaned from what a person typed, checked as a whole, compared.

`terms_clean` is the one check every version goes through (new offers, counters, reverts,
changes after hire); a refusal is a ValidationError naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.formats import day
from marketplace.formats import money as money_text
from marketplace.models import Contract, ContractType, Milestone
from marketplace.models.contracts import HORIZON_YEARS, beyond_horizon
from marketplace.models.money import MAX_AMOUNT, MAX_RATE, Currency
from marketplace.models.text import one_line
from marketplace.services.contracts import MilestoneTerms

MAX_MILESTONES = 20
MAX_SCOPE = 5000
MAX_MESSAGE = 2000


@dataclass(frozen=True)
class Terms:
    contract_type: str
    currency: str
    hourly_rate: Decimal | None = None
    fixed_amount: Decimal | None = None
    weekly_limit: int | None = None
    start_date: date | None = None
    scope: str = ""
    milestones: tuple[MilestoneTerms, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, version: Any) -> Terms:
        """The terms an OfferVersion (or a Contract) holds."""
        raw = getattr(version, "milestones", [])
        milestones = raw if isinstance(raw, list) else []
        return cls(
            contract_type=version.contract_type,
            currency=version.currency,
            hourly_rate=version.hourly_rate,
            fixed_amount=version.fixed_amount,
            weekly_limit=version.weekly_limit,
            start_date=version.start_date,
            scope=getattr(version, "scope", ""),
            milestones=tuple(
                MilestoneTerms(m["title"], Decimal(m["amount"]), date.fromisoformat(m["due_date"])) for m in milestones
            ),
        )

    @classmethod
    def of_contract(
        cls, contract: Contract, milestones: Sequence[Milestone], *, start: date | None = None, scope: str = ""
    ) -> Terms:
        """A contract's terms over the given milestones — the one place a contract becomes Terms: hourly,
        its rate and weekly limit; fixed price, those milestones and their sum. Which milestones is the
        caller's choice, by name: `future_milestones` (what a change may replace) or
        `unaccepted_milestones` (what someone taking over would still deliver)."""
        if contract.contract_type == ContractType.HOURLY:
            return cls(
                ContractType.HOURLY, contract.currency, contract.hourly_rate, None, contract.weekly_limit, start, scope
            )
        plans = tuple(MilestoneTerms.of(m) for m in milestones)
        total = sum((m.amount for m in plans), start=Decimal(0)) or None
        return cls(ContractType.FIXED, contract.currency, None, total, None, start, scope, plans)

    def version_fields(self) -> dict[str, Any]:
        """The OfferVersion columns these terms fill."""
        return {
            "contract_type": self.contract_type,
            "currency": self.currency,
            "hourly_rate": self.hourly_rate,
            "fixed_amount": self.fixed_amount,
            "weekly_limit": self.weekly_limit,
            "start_date": self.start_date,
            "scope": self.scope,
            "milestones": [m.as_json() for m in self.milestones],
        }

    def as_json(self) -> dict[str, Any]:
        data = self.version_fields()
        for key in ("hourly_rate", "fixed_amount"):
            data[key] = f"{data[key]:.2f}" if data[key] is not None else None
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        return data

    def describe(self) -> str:
        """One line a person reads: "Hourly, USD 48.00/hr, up to 20 h/week, from 3 Dec 2026"."""
        if self.contract_type == ContractType.HOURLY:
            text = f"Hourly, {money_text(self.hourly_rate, self.currency)}/hr, up to {self.weekly_limit} h/week"
        else:
            count = len(self.milestones)
            parts = f" in {count} milestone{'s' if count != 1 else ''}" if count else ""
            text = f"Fixed price, {money_text(self.fixed_amount, self.currency)}{parts}"
        return text + (f", from {day(self.start_date)}" if self.start_date else "")


def money(value: object, *, field_name: str, label: str, maximum: Decimal) -> Decimal:
    """A positive amount with at most two decimal places, at most `maximum`."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field_name: f"{label}: “{value}” is not an amount."}) from None
    if not amount.is_finite():
        raise ValidationError({field_name: f"{label}: “{value}” is not an amount."})
    if amount <= 0:
        raise ValidationError({field_name: f"{label} must be more than zero."})
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field_name: f"{label} can have at most two decimal places (cents)."})
    if amount > maximum:
        raise ValidationError({field_name: f"{label} can be at most {maximum:,.2f}."})
    return amount.quantize(Decimal("0.01"))


def _day(value: object, *, field_name: str, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field_name: f"{label}: “{value}” is not a date (YYYY-MM-DD)."}) from None


def _milestones(raw: object, start: date | None, today: date) -> tuple[MilestoneTerms, ...]:
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list | tuple):
        raise ValidationError({"milestones": "Milestones must be a list."})
    if len(raw) > MAX_MILESTONES:
        raise ValidationError({"milestones": f"At most {MAX_MILESTONES} milestones."})
    plans = []
    for position, item in enumerate(raw, start=1):
        if isinstance(item, MilestoneTerms):
            item = item.as_json()
        if not isinstance(item, dict):
            raise ValidationError({"milestones": f"Milestone {position} is not understood."})
        title = one_line(str(item.get("title") or ""))
        if not title:
            raise ValidationError({"milestones": f"Milestone {position} needs a title."})
        if len(title) > 120:
            raise ValidationError({"milestones": f"Milestone {position}: the title is longer than 120 characters."})
        label = f"Milestone {position} amount"
        amount = money(item.get("amount"), field_name="milestones", label=label, maximum=MAX_AMOUNT)
        due = _day(item.get("due_date"), field_name="milestones", label=f"Milestone {position} due date")
        if due is None:
            raise ValidationError({"milestones": f"Milestone {position} needs a due date."})
        if due < today:
            raise ValidationError({"milestones": f"Milestone {position} is due {due:%d %b %Y}, in the past."})
        if beyond_horizon(due, today):
            raise ValidationError(
                {"milestones": f"Milestone {position} is due {due:%d %b %Y}, more than {HORIZON_YEARS} years ahead."}
            )
        if start and due < start:
            raise ValidationError(
                {"milestones": f"Milestone {position} is due {due:%d %b %Y}, before the start date {start:%d %b %Y}."}
            )
        plans.append(MilestoneTerms(title, amount, due))
    return tuple(plans)


def terms_clean(raw: dict[str, Any], *, currency: str, today: date | None = None) -> Terms:
    """Checked terms from plain input (a form's or the API's), or ValidationError naming the field.

    `currency` is the negotiation's currency: terms in another currency are refused.
    """
    today = today or timezone.localdate()
    contract_type = raw.get("contract_type")
    if contract_type not in ContractType.values:
        raise ValidationError({"contract_type": "Choose hourly or fixed price."})
    given_currency = raw.get("currency") or currency
    if given_currency not in Currency.values:
        raise ValidationError({"currency": f"“{given_currency}” is not a currency we support."})
    if given_currency != currency:
        raise ValidationError(
            {"currency": f"The currency can't change during a negotiation (it is {currency}); start a new offer."}
        )
    start = _day(raw.get("start_date"), field_name="start_date", label="Start date")
    if start and start < today:
        raise ValidationError({"start_date": "The start date can't be in the past."})
    if start and beyond_horizon(start, today):
        raise ValidationError({"start_date": f"The start date can be at most {HORIZON_YEARS} years ahead."})
    scope = str(raw.get("scope") or "").strip()
    if len(scope) > MAX_SCOPE:
        raise ValidationError({"scope": f"The scope can be at most {MAX_SCOPE} characters."})
    milestones = _milestones(raw.get("milestones"), start, today)
    if contract_type == ContractType.HOURLY:
        if raw.get("hourly_rate") in (None, ""):
            raise ValidationError({"hourly_rate": "An hourly offer needs an hourly rate."})
        rate = money(raw["hourly_rate"], field_name="hourly_rate", label="The hourly rate", maximum=MAX_RATE)
        limit = _weekly_limit(raw.get("weekly_limit"))
        if milestones:
            raise ValidationError({"milestones": "Hourly contracts are paid by the hour and have no milestones."})
        return Terms(ContractType.HOURLY, currency, rate, None, limit, start, scope, ())
    if raw.get("fixed_amount") in (None, ""):
        raise ValidationError({"fixed_amount": "A fixed-price offer needs its total."})
    total = money(raw["fixed_amount"], field_name="fixed_amount", label="The total", maximum=MAX_AMOUNT)
    if milestones:
        added = sum((m.amount for m in milestones), Decimal(0))
        if added != total:
            raise ValidationError(
                {"milestones": f"The milestones add up to {added:,.2f}, not the total of {total:,.2f}."}
            )
    return Terms(ContractType.FIXED, currency, None, total, None, start, scope, milestones)


def _weekly_limit(value: object) -> int:
    try:
        limit = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError({"weekly_limit": "An hourly offer needs a weekly hour limit (1 to 80)."}) from None
    if not 1 <= limit <= 80:
        raise ValidationError({"weekly_limit": "The weekly hour limit must be between 1 and 80."})
    return limit
