"""What Uma may do on its own, and what only a person may do — written once.

Uma prepares; people decide. Uma's work runs in background jobs with no person behind it, so every
service that carries out a decision in PERSON_MUST starts with require_person: called by a job (no
one), it is refused and changes nothing. tests/test_uma_policy.py runs everything Uma does on its own
for a contract in trouble and checks that none of these happened until the client clicked.

Rules that people wrote are not Uma: an offer expiring at its deadline, a risk case opening on its
signals, or a case going to a recruiter by the escalation policy run without a click, as written.
"""

from __future__ import annotations

from marketplace.errors import NotAllowed
from marketplace.models import User

# Uma, alone: what it prepares is shown to a person, who may change or ignore it.
UMA_MAY = {
    "draft": "write a draft a person reads, edits and sends: invitations, change summaries",
    "ask": "ask a client follow-up questions",
    "assess": "give a verdict with its reasons: candidate rationales",
    "rank": "order candidates, beside an order a person can check",
    "flag": "mark an offer as a possible scam, open a risk case, hand a case to a recruiter",
}

# Only a person, by their own click (a signed-in user acting through a page or the API).
PERSON_MUST = {
    "post": "publish a job",
    "invite": "invite a freelancer to a job",
    "reject": "decline a proposal, or reject or decline an offer",
    "hire": "send an offer, or accept one (which starts a contract)",
}


def require_person(by: User | None, action: str) -> None:
    """Refuse a PERSON_MUST action that no signed-in, active person asked for."""
    if action not in PERSON_MUST:
        raise ValueError(f"{action!r} is not one of the decisions only a person makes")
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active or by.pk is None:
        raise NotAllowed(f"Only a person may {PERSON_MUST[action]}: Uma prepares it, a person decides.")
