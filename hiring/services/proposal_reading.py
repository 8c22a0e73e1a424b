"""Tandem's own reading of a proposal, beside Uma's verdict in "Best matches": the bid against the job's
budget, and which of the job's skills the cover letter shows as the freelancer's own (read the way an
instant interview is: named, not said to be lacking). Plain rules on what the freelancer sent, which
can't change after sending, so the same proposal always reads the same; the client reads the letter."""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.formats import money
from marketplace.models import ContractType, JobPost, Proposal
from uma.task_specs.interview_assessment import shown


@dataclass(frozen=True)
class Reading:
    bid: str  # a sentence on the bid against the budget
    over_budget: bool  # above the budget's top
    letter: str  # a sentence on the skills the cover letter shows
    named: list[str] = field(default_factory=list)


def _bid(job: JobPost, proposal: Proposal) -> tuple[str, bool]:
    per = "/hr" if job.contract_type == ContractType.HOURLY else ""
    bid = f"Bid {money(proposal.bid_amount, proposal.currency)}{per}"
    low, high = job.budget_min, job.budget_max
    if proposal.bid_amount > high:
        over = (proposal.bid_amount - high) / high * 100  # a budget is at least 0.01
        return f"{bid}, {over:.0f}% above the budget's top of {money(high, job.currency)}{per}.", True
    if proposal.bid_amount < low:
        return f"{bid}, below the budget's floor of {money(low, job.currency)}{per}.", False
    return f"{bid}, inside the budget of {money(low, job.currency)} to {money(high, job.currency)}{per}.", False


def _letter(skills: list[str], letter: str) -> tuple[str, list[str]]:
    if not skills:
        return "The job lists no skills to look for in the cover letter.", []
    states = {skill: shown([letter], skill) for skill in skills}
    named = [skill for skill, state in states.items() if state]
    lacking = [skill for skill, state in states.items() if state is False]
    said = (
        f"The cover letter speaks to {', '.join(named)}" if named else "The cover letter names none of the job's skills"
    )
    if lacking:
        said += f"; it says {', '.join(lacking)} {'is' if len(lacking) == 1 else 'are'} new to them"
    return said + ".", named


def read(proposal: Proposal, skills: list[str]) -> Reading:
    """`skills`: what the job needs (its listed skills, else those its post names)."""
    bid, over = _bid(proposal.job, proposal)
    letter, named = _letter(skills, proposal.cover_letter)
    return Reading(bid=bid, over_budget=over, letter=letter, named=named)
