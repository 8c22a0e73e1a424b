"""What changed between two sets of terms, field by field (old → new).

The same list drives the highlighted diff on the offer page, the comparison table, the API's
/diff answer and Uma's change summary (whose every number and date must come from it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from marketplace.services.contracts import MilestoneTerms
from offers.terms import Terms

TYPE_LABELS = {"hourly": "hourly", "fixed": "fixed price"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: Decimal | int | date | str | None
    new: Decimal | int | date | str | None
    unit: str = ""
    quoted: bool = False  # old/new hold a person's words (a title): quoted as data, never given to the model

    def as_json(self) -> dict:
        data = asdict(self)
        del data["quoted"]
        for key in ("old", "new"):
            value = data[key]
            data[key] = value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)
        return data


def _money_unit(currency: str, suffix: str = "") -> str:
    return ("$" if currency == "USD" else currency) + suffix


def _milestone_text(plan: MilestoneTerms) -> str:
    return f"{plan.title} ({plan.amount:.2f}, due {plan.due_date.isoformat()})"


def terms_diff(old: Terms, new: Terms) -> list[Change]:
    """Every difference between `old` and `new`, in the order a person reads an offer."""
    changes: list[Change] = []
    per_hour = _money_unit(new.currency, "/hr")
    total = _money_unit(new.currency)

    def compare(name: str, label: str, a: object, b: object, unit: str = "") -> None:
        if a != b:
            changes.append(Change(name, label, a, b, unit))  # type: ignore[arg-type]

    compare("contract_type", "Contract type", TYPE_LABELS[old.contract_type], TYPE_LABELS[new.contract_type])
    compare("hourly_rate", "Rate", old.hourly_rate, new.hourly_rate, per_hour)
    compare("weekly_limit", "Weekly limit", old.weekly_limit, new.weekly_limit, "h/week")
    compare("fixed_amount", "Total", old.fixed_amount, new.fixed_amount, total)
    compare("start_date", "Start", old.start_date, new.start_date)
    compare("scope", "Scope", old.scope, new.scope)
    for position in range(1, max(len(old.milestones), len(new.milestones)) + 1):
        a = old.milestones[position - 1] if position <= len(old.milestones) else None
        b = new.milestones[position - 1] if position <= len(new.milestones) else None
        prefix = f"Milestone {position}"
        if a is None and b is not None:
            changes.append(Change(f"milestone_{position}", f"{prefix} added", None, _milestone_text(b), quoted=True))
        elif b is None and a is not None:
            changes.append(Change(f"milestone_{position}", f"{prefix} removed", _milestone_text(a), None, quoted=True))
        elif a is not None and b is not None:
            if a.title != b.title:
                changes.append(Change(f"milestone_{position}_title", f"{prefix} title", a.title, b.title, quoted=True))
            compare(f"milestone_{position}_amount", f"{prefix} amount", a.amount, b.amount, total)
            compare(f"milestone_{position}_due", f"{prefix} due date", a.due_date, b.due_date)
    return changes


def summary_input(changes: list[Change]) -> dict:
    """The change_summary task's input: the diff, with long texts (the scope) named, not quoted, and a
    person's words (titles) passed as text to quote, not as values the model may repeat."""
    rows = []
    for change in changes:
        if change.quoted:
            rows.append({"field": change.field, "label": change.label, "old_text": change.old, "new_text": change.new})
        elif change.field == "scope":
            label = "Scope added" if not change.old else ("Scope removed" if not change.new else "Scope rewritten")
            rows.append({"field": "scope", "label": label, "old": None, "new": None})
        else:
            rows.append(change.as_json())
    return {"changes": rows}


def changed_fields(changes: list[Change]) -> set[str]:
    """The top-level term names that changed (milestone changes count as "milestones")."""
    return {"milestones" if c.field.startswith("milestone_") else c.field for c in changes}
