"""Who sees a risk case: members of the contract's organisation, and Tandem's recruiters (read-only
outside the admin). Anyone else — the freelancer on the contract included — gets 404: they are never
told their contract is at risk."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from marketplace.models import Contract, User
from marketplace.policies import contract_side, is_member, is_recruiter, org_ids
from recruiter.models import RiskCase


def cases_visible(user: User) -> QuerySet[RiskCase]:
    cases = RiskCase.objects.select_related("contract__organization", "contract__freelancer")
    return cases if is_recruiter(user) else cases.filter(contract__organization_id__in=org_ids(user))


def case_for(user: User, pk: int, *, write: bool = False) -> RiskCase:
    """The case, if this user may see it (and act on it, with write=True); 404 otherwise."""
    case = cases_visible(user).filter(pk=pk).first()
    if case is None or (write and not is_member(user, case.contract.organization_id)):
        raise Http404("no such case")
    return case


def client_contract(user: User, pk: int) -> Contract:
    """A contract on which this user is the client (to raise a concern about it); 404 otherwise."""
    contract = Contract.objects.filter(pk=pk).first()
    if contract is None or contract_side(user, contract) != "client":
        raise Http404("no such contract")
    return contract
