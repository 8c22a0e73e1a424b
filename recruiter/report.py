"""The AI recruiter's figures, for `manage.py recruiter_report` and the staff page: cases opened, the
share Uma served alone and the share escalated to people, how long each step took, and how often the
contract recovered."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime

from django.db.models import Count

from recruiter.escalation import BY_PLAN
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
    escalations = CaseEvent.objects.filter(case__in=cases, kind="escalated").values_list("case_id", "detail")
    reasons_of: dict[int, list[str]] = {}
    for case_id, detail in escalations:
        reasons_of.setdefault(case_id, []).extend(detail.get("reasons") or ["Asked for by hand"])
    escalated_ids = set(reasons_of)
    # Served by Uma alone: not escalated, and no one of Tandem's staff acted on it (claimed, overrode,
    # messaged, resolved). The client using Uma's shortlist is still Uma serving them.
    staffed = set(
        CaseEvent.objects.filter(case__in=cases, actor__is_staff=True).values_list("case_id", flat=True).distinct()
    )
    by_people = escalated_ids | staffed
    # Enterprise cases go to people because of the plan; the others because the policy said so.
    by_policy = {pk for pk, reasons in reasons_of.items() if set(reasons) - {BY_PLAN}}
    tally = Counter(reason for reasons in reasons_of.values() for reason in dict.fromkeys(reasons))
    opened = len(rows)
    # Basic plans get an alert only: the recruiter (and so its escalation policy) works the other cases.
    recruited = sum(r["service"] != RiskCase.Service.ALERT for r in rows)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    ended = [r for r in rows if r["status"] in ENDED]
    resolved = sum(r["status"] == RiskCase.Status.RESOLVED for r in ended)
    replaced = sum(r["status"] == RiskCase.Status.REPLACED for r in ended)
    return {
        "opened": opened,
        "live": sum(r["status"] in RiskCase.LIVE for r in rows),
        "escalated": len(escalated_ids),
        "escalated_share": round(len(escalated_ids) / opened, 3) if opened else None,
        "self_served_share": round((opened - len(by_people)) / opened, 3) if opened else None,
        "staff_acted": len(staffed),
        "escalated_by_policy": len(by_policy),
        "escalated_by_policy_share": round(len(by_policy) / opened, 3) if opened else None,
        "escalated_by_plan_only": len(escalated_ids - by_policy),
        "recruited": recruited,
        "escalated_of_recruited_share": round(len(escalated_ids) / recruited, 3) if recruited else None,
        "escalated_by_policy_of_recruited_share": round(len(by_policy) / recruited, 3) if recruited else None,
        "escalation_reasons": dict(tally.most_common()),
        "hours_to_shortlist": _median_hours([(r["detected_at"], r["shortlist_at"]) for r in rows]),
        "hours_to_first_invitation": _median_hours([(r["detected_at"], r["first_invite_at"]) for r in rows]),
        "hours_to_replacement": _median_hours([(r["detected_at"], r["replaced_at"]) for r in rows]),
        "resolved": resolved,
        "replaced": replaced,
        "recovery_rate": round(resolved / len(ended), 3) if ended else None,
        "by_status": {label: by_status.get(value, 0) for value, label in RiskCase.Status.choices},
        "by_service": {label: sum(r["service"] == value for r in rows) for value, label in RiskCase.Service.choices},
    }
