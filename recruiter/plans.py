"""The one place that says what each client plan gets from the AI recruiter.

- Basic: the risk alert, with a way to post a new job.
- Business Plus: the alert, Uma's replacement shortlist and one-click invitations; a person steps in
  when the escalation policy says so, or when the client asks for one.
- Enterprise: everything above, and every case goes to a human recruiter by default.
"""

from __future__ import annotations

from marketplace.models import Organization
from recruiter.models import RiskCase

SERVICE = {
    Organization.Plan.BASIC: RiskCase.Service.ALERT,
    Organization.Plan.BUSINESS_PLUS: RiskCase.Service.SHORTLIST,
    Organization.Plan.ENTERPRISE: RiskCase.Service.HUMAN,
}
# Plans whose clients may ask for a human recruiter on a case.
PLANS_WITH_HUMAN_RECRUITER = {Organization.Plan.BUSINESS_PLUS, Organization.Plan.ENTERPRISE}


def service_for(plan: str) -> str:
    return SERVICE.get(plan, RiskCase.Service.ALERT)  # type: ignore[call-overload]


def gets_shortlist(case: RiskCase) -> bool:
    return case.service in (RiskCase.Service.SHORTLIST, RiskCase.Service.HUMAN)


def may_ask_for_person(plan: str) -> bool:
    return plan in PLANS_WITH_HUMAN_RECRUITER
