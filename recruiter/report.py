"""The AI recruiter's figures, for `manage.py recruiter_report` and the staff page: cases opened, the
share Uma served alone and the share escalated to people, how long each step took, and how often the
contract recovered."""

from __future__ import annotations

import statistics
from datetime import datetime

from django.db.models import Count

from recruiter.models import CaseEvent, RiskCase

ENDED = (RiskCase.Status.REPLACED, RiskCase.Status.RESOLVED, RiskCase.Status.CLOSED)


def _median_hours(pairs: list[tuple[datetime, datetime | None]]) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if end is not None]
    return round(statistics.median(hours), 1) if hours else None


def recruiter_figures(*, since: datetime | None = None) -> dict:
    cases = RiskCase.objects.all()
    if since is not None:
        cases = cases.filter(detected_at__gte=since)
    rows = list(
        cases.values("pk", "status", "detected_at", "shortlist_at", "first_invite_at", "replaced_at", "service")
    )
    escalated_ids = set(CaseEvent.objects.filter(case__in=cases, kind="escalated").values_list("case_id", flat=True))
    opened = len(rows)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    ended = [r for r in rows if r["status"] in ENDED]
    resolved = sum(r["status"] == RiskCase.Status.RESOLVED for r in ended)
    replaced = sum(r["status"] == RiskCase.Status.REPLACED for r in ended)
    return {
        "opened": opened,
        "live": sum(r["status"] in RiskCase.LIVE for r in rows),
        "escalated": len(escalated_ids),
        "escalated_share": round(len(escalated_ids) / opened, 3) if opened else None,
        "self_served_share": round((opened - len(escalated_ids)) / opened, 3) if opened else None,
        "hours_to_shortlist": _median_hours([(r["detected_at"], r["shortlist_at"]) for r in rows]),
        "hours_to_first_invitation": _median_hours([(r["detected_at"], r["first_invite_at"]) for r in rows]),
        "hours_to_replacement": _median_hours([(r["detected_at"], r["replaced_at"]) for r in rows]),
        "resolved": resolved,
        "replaced": replaced,
        "recovery_rate": round(resolved / len(ended), 3) if ended else None,
        "by_status": {label: by_status.get(value, 0) for value, label in RiskCase.Status.choices},
        "by_service": {label: sum(r["service"] == value for r in rows) for value, label in RiskCase.Service.choices},
    }
