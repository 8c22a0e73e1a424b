"""When a case goes to a human recruiter — the whole policy, in one readable place.

A case escalates when any of these holds (each gives the reason recorded on the case):
- the client's plan sends every case to a person (Enterprise);
- the client asked for a person (Business Plus and Enterprise);
- no candidate on the shortlist reached a "strong" verdict;
- the contract is large (RECRUITER_LARGE_CONTRACT, in USD);
- Uma's answers kept failing validation or grounding (half or more of the shortlist fell back);
- the same job, or this client with this freelancer, was at risk before.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings

from marketplace.models import Contract
from recruiter.models import ContractConcern, RiskCase, ShortlistEntry
from recruiter.plans import may_ask_for_person

WEEKS_OF_HOURLY_WORK = 12
BY_PLAN = "The client's plan includes a human recruiter on every case"


def contract_size(contract: Contract) -> Decimal:
    """What the contract is worth: the fixed total, or 12 weeks at the weekly limit."""
    if contract.contract_type == "fixed":
        return contract.fixed_amount or Decimal(0)
    return (contract.hourly_rate or Decimal(0)) * (contract.weekly_limit or 40) * WEEKS_OF_HOURLY_WORK


def escalation_reasons(case: RiskCase, entries: Sequence[ShortlistEntry]) -> list[str]:
    contract = case.contract
    reasons = []
    if case.service == RiskCase.Service.HUMAN:
        reasons.append(BY_PLAN)
    wants = ContractConcern.objects.filter(contract=contract, cleared_at__isnull=True, wants_person=True).exists()
    if wants and may_ask_for_person(contract.organization.plan):
        reasons.append("The client asked for a person")
    shown = [e for e in entries if e.status == ShortlistEntry.Status.READY]
    if not any(e.verdict == "strong" for e in shown):
        reasons.append("No candidate reached a strong verdict")
    size = contract_size(contract)
    if size >= settings.RECRUITER_LARGE_CONTRACT:
        reasons.append(f"A large contract (about ${size:,.0f})")
    if shown and sum(e.source == "fallback" for e in shown) * 2 >= len(shown):
        reasons.append("Uma's answers kept failing validation or grounding")
    before = RiskCase.objects.exclude(pk=case.pk).filter(contract__organization=contract.organization)
    same_job = contract.job_id is not None and before.filter(contract__job_id=contract.job_id).exists()
    if same_job or before.filter(contract__freelancer_id=contract.freelancer_id).exists():
        reasons.append("This work was at risk before")
    return reasons
