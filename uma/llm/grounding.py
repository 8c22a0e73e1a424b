"""Claims in a model's text checked against the input facts: numbers, money, percentages, dates, skill
names (uma/data/skill_terms.txt) and capitalised words (names, titles, products) — each must be found
among the facts, or the text is not grounded."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

NUMBER = re.compile(r"(?<![\w.])[-+]?\$?\d+(?:,\d{3})*(?:\.\d+)?%?")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
DAY_MONTH = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")[a-z]*\b", re.IGNORECASE)
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")[a-z]*\s+(\d{1,2})\b", re.IGNORECASE)
CAPITALISED = re.compile(r"(?<![\w'])[A-Z][\w+#]*(?:[./-][\w+#]+)*")
SENTENCE_START = re.compile(r"(^|[.!?:;(\"\n]|—)\s*$")
WORD = re.compile(r"[\w+#]+(?:[./-][\w+#]+)*")
# Capitalised words any text may use: greetings, the product, the assistant, calendar words.
COMMON = frozenset(
    "I I'm I'd I've I'll Hi Hello Dear Thanks Thank Best Regards Tandem Uma Candidate OK "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)


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


def fact_numbers(values: Sequence[object]) -> set[float]:
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


def _day_months(text: str) -> Iterator[tuple[re.Match, int, int]]:
    """Every "3 Dec" / "December 3" in the text, with its month and day."""
    for pattern, month_group, day_group in ((DAY_MONTH, 2, 1), (MONTH_DAY, 1, 2)):
        for match in pattern.finditer(text):
            yield match, MONTHS.index(match.group(month_group)[:3].lower()) + 1, int(match.group(day_group))


def fact_dates(values: Sequence[object]) -> set[tuple[int, int]]:
    """(month, day) pairs of every date among the facts."""
    dates: set[tuple[int, int]] = set()
    for value in values:
        if isinstance(value, date):
            dates.add((value.month, value.day))
            continue
        try:
            parsed = date.fromisoformat(str(value))
        except ValueError:
            text = str(value)
            dates.update((int(m.group(2)), int(m.group(3))) for m in ISO_DATE.finditer(text))
            dates.update((month, day) for _, month, day in _day_months(text))
            continue
        dates.add((parsed.month, parsed.day))
    return dates


@functools.cache
def skill_terms() -> tuple[re.Pattern, ...]:
    lines = (Path(__file__).resolve().parent.parent / "data" / "skill_terms.txt").read_text().splitlines()
    terms = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return tuple(re.compile(rf"(?<![\w]){re.escape(t)}(?![\w+#])", re.IGNORECASE) for t in terms)


def _facts_text(facts: Sequence[object]) -> str:
    return " ".join(str(value) for value in facts if value not in (None, ""))


def check_words(text: str, facts: Sequence[object], report: GroundingReport) -> None:
    """Skill names and capitalised words (not opening a sentence) in `text` must appear in the facts."""
    known = _facts_text(facts)
    words = set(WORD.findall(known))
    words |= {part for word in words for part in re.split(r"[./-]", word)}  # "CD" of "cI/CD", "Vue" of "vue/react"
    lowered = {w.lower() for w in words}
    for pattern in skill_terms():
        for match in pattern.finditer(text):
            if not pattern.search(known):
                report.claims.append(match.group(0))
                report.unsupported.append(match.group(0))
    for match in CAPITALISED.finditer(text):
        word = match.group(0)
        if word in COMMON or SENTENCE_START.search(text[: match.start()]):
            continue
        report.claims.append(word)
        if not (word in words or (len(word) > 1 and word.lower() in lowered)):
            report.unsupported.append(word)


def check(
    text: str,
    facts: Sequence[object],
    *,
    allowed_numbers: set[float] | None = None,
    words: bool = False,
    word_facts: Sequence[object] = (),
) -> GroundingReport:
    """Every number and date in `text` must come from `facts` (or the allowed extras, e.g. counts);
    with `words`, every skill name and capitalised word too, which may also come from `word_facts`
    (free text such as past work titles: a source of names, never of figures)."""
    report = GroundingReport()
    if words:
        check_words(text, [*facts, *word_facts], report)
    numbers = fact_numbers(facts) | (allowed_numbers or set())
    dates = fact_dates(facts)
    spans: list[tuple[int, int]] = []
    for match, month, day in _day_months(text):
        spans.append(match.span())
        report.claims.append(match.group(0))
        if (month, day) not in dates:
            report.unsupported.append(match.group(0))
    for match in NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        claim = match.group(0)
        report.claims.append(claim)
        number = _number(claim)
        if number is None or number not in numbers:
            report.unsupported.append(claim)
    return report
