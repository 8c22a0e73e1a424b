"""Claims in a model's text (numbers, money, percentages, dates) checked against the input facts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

NUMBER = re.compile(r"(?<![\w.])[-+]?\$?\d[\d,]*(?:\.\d+)?%?")
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
DAY_MONTH = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")[a-z]*\b", re.IGNORECASE)
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")[a-z]*\s+(\d{1,2})\b", re.IGNORECASE)


@dataclass
class GroundingReport:
    claims: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    @property
    def grounded(self) -> bool:
        return not self.unsupported

    def as_dict(self) -> dict:
        return {"claims": self.claims, "unsupported": self.unsupported, "grounded": self.grounded}


def _number(token: str) -> float | None:
    cleaned = token.replace("$", "").replace(",", "").replace("%", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def fact_numbers(values: list[object]) -> set[float]:
    found: set[float] = set()
    for value in values:
        if isinstance(value, date):
            found.update({float(value.day), float(value.year)})
            continue
        for token in NUMBER.findall(str(value)):
            number = _number(token)
            if number is not None:
                found.add(number)
    return found


def fact_dates(values: list[object]) -> set[tuple[int, int]]:
    """(month, day) pairs of every date among the facts."""
    dates: set[tuple[int, int]] = set()
    for value in values:
        if isinstance(value, date):
            dates.add((value.month, value.day))
        else:
            try:
                parsed = date.fromisoformat(str(value))
            except ValueError:
                continue
            dates.add((parsed.month, parsed.day))
    return dates


def check(text: str, facts: list[object], *, allowed_numbers: set[float] | None = None) -> GroundingReport:
    """Every number and date in `text` must come from `facts` (or the allowed extras, e.g. counts)."""
    report = GroundingReport()
    numbers = fact_numbers(facts) | (allowed_numbers or set())
    dates = fact_dates(facts)
    spans: list[tuple[int, int]] = []
    for pattern, month_group, day_group in ((DAY_MONTH, 2, 1), (MONTH_DAY, 1, 2)):
        for match in pattern.finditer(text):
            spans.append(match.span())
            claim = match.group(0)
            report.claims.append(claim)
            month = MONTHS.index(match.group(month_group)[:3].lower()) + 1
            if (month, int(match.group(day_group))) not in dates:
                report.unsupported.append(claim)
    for match in NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        claim = match.group(0)
        report.claims.append(claim)
        number = _number(claim)
        if number is None or number not in numbers:
            report.unsupported.append(claim)
    return report
