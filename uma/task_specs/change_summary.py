"""change_summary: one or two plain sentences describing an offer diff (offers issue).

Every number and date in the summary must come from the diff; otherwise the sentence generated
from the diff itself stands in.

A person's words (a milestone's title) are data, never Uma's: the model is not shown them (nor taught
to write them), and the sentence built from the diff quotes them visibly (“…”). The model sees every
value as Tandem writes it ("USD 1,203.00", "10 Apr 2026") and copies it: prompt /2 showed raw values,
and the adapter trained on it converted dates wrongly (83% grounded). That sentence is Tandem's own and is never
refused by the checks meant for model text, whatever characters the quoted words hold.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from uma.llm import grounding
from uma.llm.spec import SYSTEM, TaskSpec, fence, register
from uma.llm.text import QUOTED, PlainText, quote


class FieldChange(BaseModel):
    field: str = Field(max_length=60)
    label: str = Field(max_length=80)
    # Numbers and dates given as text ("48", "2026-12-03") become numbers and dates.
    old: int | Decimal | date | str | None = Field(default=None, union_mode="left_to_right")
    new: int | Decimal | date | str | None = Field(default=None, union_mode="left_to_right")
    unit: str = Field(default="", max_length=20)  # "$/hr", "$", "h/week"
    # A person's words (titles) before and after: quoted by the diff sentence, never shown to the model.
    old_text: str | None = Field(default=None, max_length=400)
    new_text: str | None = Field(default=None, max_length=400)


class ChangeSummaryInput(BaseModel):
    changes: list[FieldChange] = Field(min_length=1, max_length=40)


class ChangeSummaryOutput(BaseModel):
    summary: PlainText = Field(min_length=5, max_length=320)


def _currency(unit: str) -> tuple[str, str] | None:
    """("USD", "/hr") for "$/hr", ("EUR", "") for "EUR"; None when the unit is not money."""
    if unit.startswith("$"):
        return "USD", unit[1:]
    if len(unit) >= 3 and unit[:3].isalpha() and unit[:3].isupper():
        return unit[:3], unit[3:]
    return None


def _show(value: object, unit: str) -> str:
    """A value as Tandem writes it everywhere: "USD 1,500.00/hr", "10 Jan 2027", "20 h/week"."""
    if value is None or value == "":
        return "none"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    money = _currency(unit)
    if isinstance(value, Decimal | int | float) and money:
        return f"{money[0]} {Decimal(value):,.2f}{money[1]}"
    return f"{value}{(' ' + unit) if unit else ''}"


def _quoted(change: FieldChange) -> str:
    old, new = change.old_text, change.new_text
    if old and new:
        return f"{change.label} changed from {quote(old)} to {quote(new)}"
    return f"{change.label} {quote(new)}" if new else f"{change.label} (was {quote(old or '')})"


def _verb(change: FieldChange, *, quoting: bool = True) -> str:
    if change.old_text or change.new_text:
        if quoting:
            return _quoted(change)
        return f"{change.label} changed" if change.old_text and change.new_text else change.label
    old, new = change.old, change.new
    if old in (None, "") and new in (None, ""):
        return change.label  # a change named, not quoted ("Scope rewritten")
    if old in (None, ""):
        return f"{change.label} set to {_show(new, change.unit)}"
    if new in (None, ""):
        return f"{change.label} removed (was {_show(old, change.unit)})"
    if isinstance(old, Decimal | int) and isinstance(new, Decimal | int):
        direction = "up" if new > old else "down"
        money = _currency(change.unit)
        before = _show(old, money[0]) if money else str(old)  # the per-hour or h/week unit once, after the new value
        return f"{change.label} {direction} from {before} to {_show(new, change.unit)}"
    if isinstance(new, date):
        return f"{change.label} moves to {_show(new, change.unit)}"
    return f"{change.label} changed from {_show(old, change.unit)} to {_show(new, change.unit)}"


def _sentence(inputs: ChangeSummaryInput, *, quoting: bool) -> str:
    parts = [_verb(c, quoting=quoting) for c in inputs.changes]
    text = "; ".join(parts[:6]) + (f"; and {len(parts) - 6} more changes" if len(parts) > 6 else "")
    text = text[0].upper() + text[1:] + "."
    return text if len(text) <= 320 else text[:316] + "…."


def fallback(inputs: ChangeSummaryInput) -> ChangeSummaryOutput:  # type: ignore[override]
    # Built here, not by a model: not validated as model text (quoted titles may hold "<", ">" and the like).
    return ChangeSummaryOutput.model_construct(summary=_sentence(inputs, quoting=True))


def teach(inputs: ChangeSummaryInput) -> ChangeSummaryOutput:
    """What the model is taught: the same sentence without the quoted titles it is never shown."""
    return ChangeSummaryOutput(summary=_sentence(inputs, quoting=False))


def _shown(change: FieldChange) -> dict:
    """A change as the model sees it: values written as Tandem writes them (copied, never converted),
    and no person's words (a changed title is only named)."""
    shown = {"label": change.label}
    if change.old_text or change.new_text:
        return shown
    if change.old not in (None, ""):
        shown["old"] = _show(change.old, change.unit)
    if change.new not in (None, ""):
        shown["new"] = _show(change.new, change.unit)
    return shown


def prompt(inputs: ChangeSummaryInput) -> list[dict[str, str]]:
    diff = json.dumps([_shown(c) for c in inputs.changes], ensure_ascii=False)
    return [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": "Summarise these changes to an offer in one or two plain sentences, copying the values "
            'exactly as written. Reply as {"summary": "..."}.\n' + fence("changes", diff),
        },
    ]


def ground(inputs: ChangeSummaryInput, output: ChangeSummaryOutput) -> grounding.GroundingReport:
    facts: list[object] = []
    quotations: set[str] = set()
    for change in inputs.changes:
        money = _currency(change.unit)
        facts.extend([change.label, change.old, change.new, money[0] if money else change.unit])
        quotations.update(quote(text) for text in (change.old_text, change.new_text) if text)
    # The diff's own quotations are data, not claims; anything else in the sentence is checked.
    claims = QUOTED.sub(lambda m: " " if m.group(0) in quotations else m.group(0), output.summary)
    return grounding.check(claims, facts, allowed_numbers={float(len(inputs.changes))})


def _mentions(summary: str, change: FieldChange) -> bool:
    text = summary.lower()
    words = [w for w in re.findall(r"[a-z]+", change.label.lower()) if len(w) > 2]
    if words and any(re.search(rf"\b{w}", text) for w in words):
        return True
    return change.new not in (None, "") and _show(change.new, change.unit).lower() in text


def agrees(inputs: ChangeSummaryInput, output: ChangeSummaryOutput, expected: ChangeSummaryOutput) -> bool:
    """Every changed field is covered: named, or its new value quoted."""
    return all(_mentions(output.summary, change) for change in inputs.changes)


def vary(data: dict, rng: random.Random, knobs: dict[str, float]) -> dict:
    """Edge cases: a single change out of several, or a value removed."""
    changes = data["changes"]
    if len(changes) > 1 and rng.random() < knobs.get("single", 0):
        data["changes"] = [rng.choice(changes)]
    elif rng.random() < knobs.get("removed", 0):
        rng.choice(changes)["new"] = None
    return data


SPEC = register(
    TaskSpec(
        name="change_summary",
        prompt_version="change_summary/3",
        input_model=ChangeSummaryInput,
        output_model=ChangeSummaryOutput,
        prompt=prompt,  # type: ignore[arg-type]
        ground=ground,  # type: ignore[arg-type]
        fallback=fallback,  # type: ignore[arg-type]
        agrees=agrees,  # type: ignore[arg-type]
        vary=vary,
        knobs={"single": 0.2, "removed": 0.1},
        max_new_tokens=96,
        teach=teach,  # type: ignore[arg-type]
    )
)
