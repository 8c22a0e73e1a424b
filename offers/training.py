"""Platform rows for Uma's synthetic change_summary data (UMA_TRAINING_SOURCES): the terms of real
contracts, changed the way negotiations change them (rate, weekly limit, total, start, milestones), as
the diff the summariser is given. Split by contract."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from marketplace.models import Contract, Milestone
from marketplace.services.contracts import MilestoneTerms
from offers.diff import summary_input, terms_diff
from offers.terms import Terms

STEPS = [Decimal("0.8"), Decimal("0.9"), Decimal("1.1"), Decimal("1.15"), Decimal("1.25"), Decimal("1.5")]


def _scaled(value: Decimal, rng: random.Random) -> Decimal:
    return max(Decimal(1), (value * rng.choice(STEPS)).quantize(Decimal(1)))


def _countered(terms: Terms, rng: random.Random) -> Terms:
    """The terms as a counter-offer might change them: one to four edits."""
    edits: dict = {}
    if terms.contract_type == "hourly":
        if rng.random() < 0.7 and terms.hourly_rate:
            edits["hourly_rate"] = _scaled(terms.hourly_rate, rng)
        if rng.random() < 0.4:
            edits["weekly_limit"] = rng.choice([10, 15, 20, 25, 30, 40])
    else:
        milestones = list(terms.milestones)
        if milestones and rng.random() < 0.6:
            position = rng.randrange(len(milestones))
            old = milestones[position]
            milestones[position] = replace(old, amount=_scaled(old.amount, rng))
        if milestones and rng.random() < 0.4:
            position = rng.randrange(len(milestones))
            old = milestones[position]
            milestones[position] = replace(old, due_date=old.due_date + timedelta(days=rng.choice([-3, 4, 7, 14])))
        if rng.random() < 0.3:
            last = milestones[-1].due_date if milestones else (terms.start_date or timezone.localdate())
            due = last + timedelta(days=14)
            milestones.append(MilestoneTerms("Extra revisions", Decimal(rng.choice([150, 300, 500])), due))
        edits["milestones"] = tuple(milestones)
        edits["fixed_amount"] = sum((m.amount for m in milestones), Decimal(0))
    if rng.random() < 0.3 and terms.start_date:
        edits["start_date"] = terms.start_date + timedelta(days=rng.choice([2, 3, 7, 14]))
    if rng.random() < 0.15:
        edits["scope"] = terms.scope + " Includes a handover call."
    return replace(terms, **edits)


def _terms(contract: Contract) -> Terms:
    return Terms.of_contract(contract, list(contract.milestones.all()), start=contract.start_date, scope=contract.scope)


def change_examples(*, limit: int, seed: int = 0) -> Iterator[tuple[str, dict]]:
    """`limit` diffs; each contract is countered several ways when there are fewer contracts than that."""
    rng = random.Random(seed)
    milestones = Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))
    contracts = [(c.pk, _terms(c)) for c in Contract.objects.prefetch_related(milestones).order_by("pk")[:limit]]
    rng.shuffle(contracts)
    made = 0
    for _round in range(20):
        for pk, terms in contracts:
            changes = terms_diff(terms, _countered(terms, rng))
            if not changes:
                continue
            yield f"contract:{pk}", summary_input(changes)
            made += 1
            if made >= limit:
                return
