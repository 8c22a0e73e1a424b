"""The recruiter's panels on marketplace pages (see marketplace/panels.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from marketplace.models import Contract
from marketplace.policies import contract_side, org_ids
from recruiter.models import RiskCase
from recruiter.plans import may_ask_for_person


def risk_alerts(request: HttpRequest) -> str | None:
    """On a client's dashboard: their contracts that need attention (the freelancer never sees these)."""
    user = request.user
    if not user.is_authenticated or not user.is_client:  # type: ignore[union-attr]
        return None
    cases = list(
        RiskCase.objects.filter(contract__organization_id__in=org_ids(user), status__in=RiskCase.LIVE)  # type: ignore[arg-type]
        .select_related("contract__freelancer")
        .order_by("-score")[:10]
    )
    if not cases:
        return None
    return render_to_string("recruiter/partials/alerts.html", {"cases": cases}, request=request)


def contract_concern(request: HttpRequest, *, contract: Contract) -> str | None:
    """On the contract page, for the client: "I'm concerned", or a link to the open case."""
    user = request.user
    if not user.is_authenticated or contract_side(user, contract) != "client" or not contract.is_live:  # type: ignore[arg-type]
        return None
    case = RiskCase.objects.filter(contract=contract, status__in=RiskCase.LIVE).first()
    context = {"contract": contract, "case": case, "may_ask": may_ask_for_person(contract.organization.plan)}
    return render_to_string("recruiter/partials/concern.html", context, request=request)
