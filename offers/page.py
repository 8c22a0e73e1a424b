"""What the offer page shows: current terms with their changes highlighted, the comparison of any two
versions, the table of all versions, Uma's summaries, inline alerts and hints."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince

from marketplace.models import User
from offers.diff import Change, changed_fields, terms_diff
from offers.hints import hints_for
from offers.models import Offer, OfferVersion, Side
from offers.policies import may_counter, offer_side, proposer_side
from offers.selectors import offer_versions
from offers.services.summaries import summary_text
from offers.terms import Terms

ROWS = [
    ("contract_type", "Contract type"),
    ("hourly_rate", "Rate"),
    ("weekly_limit", "Weekly limit"),
    ("fixed_amount", "Total"),
    ("start_date", "Start"),
    ("milestones", "Milestones"),
    ("scope", "Scope"),
]


def _cell(version: OfferVersion, field: str) -> str:
    terms = Terms.of(version)
    if field == "contract_type":
        return version.get_contract_type_display()
    if field == "hourly_rate":
        return f"{terms.currency} {terms.hourly_rate:,.2f}/hr" if terms.hourly_rate else "—"
    if field == "weekly_limit":
        return f"{terms.weekly_limit} h/week" if terms.weekly_limit else "—"
    if field == "fixed_amount":
        return f"{terms.currency} {terms.fixed_amount:,.2f}" if terms.fixed_amount else "—"
    if field == "start_date":
        return f"{terms.start_date:%-d %b %Y}" if terms.start_date else "not set"
    if field == "milestones":
        return "\n".join(f"{m.title}: {m.amount:,.2f}, due {m.due_date:%-d %b}" for m in terms.milestones) or "—"
    return terms.scope or "—"


def comparison_table(versions: list[OfferVersion]) -> list[dict]:
    """One row per term, one cell per version; a cell is marked when it differs from the cell before."""
    table = []
    for field, label in ROWS:
        cells, previous = [], None
        for version in versions:
            value = _cell(version, field)
            cells.append({"value": value, "changed": previous is not None and value != previous})
            previous = value
        table.append({"label": label, "cells": cells})
    return table


def _pick(versions: list[OfferVersion], raw: str | None, default: int) -> OfferVersion:
    by_number = {v.number: v for v in versions}
    try:
        return by_number.get(int(raw or default), by_number[default])
    except ValueError:
        return by_number[default]


def ago(moment: datetime) -> str:
    """ "just now" under a minute, else "2 hours ago" (the largest unit only)."""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return timesince(moment, timezone.now()).split(",")[0] + " ago"


def did(version: OfferVersion) -> str:
    """What the version's author did, in words: the client counters, the freelancer requests changes."""
    if version.kind == OfferVersion.Kind.COUNTER:
        return "countered" if version.author_side == Side.CLIENT else "requested changes"
    words: dict[str, str] = {
        OfferVersion.Kind.SENT: "sent this offer",
        OfferVersion.Kind.REVERT: "proposed earlier terms again",
        OfferVersion.Kind.RESTORED: "rejected the changes; the earlier terms stand",
        OfferVersion.Kind.PROPOSED: "proposed a change",
        OfferVersion.Kind.IN_FORCE: "recorded the terms in force",
    }
    return words.get(version.kind, version.get_kind_display().lower())


def alert(offer: Offer, latest: OfferVersion, viewer: User) -> str:
    """ "Bob Brown requested changes 2 hours ago" / "You sent this offer just now" — what happened last,
    from the viewer's side."""
    if not offer.is_live:
        closed_by = offer.closed_by.get_full_name() if offer.closed_by else "Tandem"
        return f"{offer.get_status_display()} by {closed_by} {ago(offer.closed_at or latest.created_at)}."
    who = "You" if latest.author_id == viewer.pk else latest.author.get_full_name()
    return f"{who} {did(latest)} {ago(latest.created_at)}."


def offer_page(
    offer: Offer, viewer: User, *, a: str | None = None, b: str | None = None, seen: int | None = None
) -> dict:
    versions = offer_versions(offer)
    latest = versions[-1]
    side = offer_side(viewer, offer)
    left = _pick(versions, a, max(latest.number - 1, 1))
    right = _pick(versions, b, latest.number)
    previous = versions[-2] if len(versions) > 1 else None
    changed_now: list[Change] = terms_diff(Terms.of(previous), Terms.of(latest)) if previous else []
    moved: list[Change] = []
    if seen and seen < latest.number:
        moved = terms_diff(Terms.of(_pick(versions, str(seen), latest.number)), Terms.of(latest))
    for previous_version, version in zip([None, *versions], versions, strict=False):
        version.summary_line = summary_text(version, previous_version) if previous_version else ""  # type: ignore[attr-defined]
        version.did, version.ago = did(version), ago(version.created_at)  # type: ignore[attr-defined]
    held_from_viewer = offer.status == Offer.Status.HELD and side == "freelancer"
    return {
        "offer": offer,
        "side": side,
        "versions": versions,
        "latest": latest,
        "terms": Terms.of(latest),
        "changed_fields": changed_fields(changed_now),
        "changes_now": changed_now,
        "left": left,
        "right": right,
        "compare": terms_diff(Terms.of(left), Terms.of(right)),
        "table": comparison_table(versions),
        "alert": alert(offer, latest, viewer),
        "hints": hints_for(offer, latest, viewer_side=side or "") if side in ("client", "freelancer") else {},
        "my_turn": offer.status == Offer.Status.OPEN and offer.awaiting == side,
        "may_counter": may_counter(offer, side),
        "is_proposer": side == proposer_side(offer),
        "held_from_viewer": held_from_viewer,
        "moved": moved,
        "seen": seen,
    }
