"""Writes of "Best matches": Uma's verdict and reasons on each proposal for a job, made once on the llm
queue (candidate_rationale: the freelancer's record and skills against the job, the bid as the rate on
hourly jobs; the person masked behind a neutral label) and audited. The client sees them next to the
proposals and may always sort by date instead; Uma declines and hires no one (uma_policy)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from pydantic import BaseModel

from hiring import tasks
from hiring.models import ProposalAssessment
from hiring.services import proposal_reading
from hiring.services.interviews import job_needs
from marketplace.models import ContractType, JobPost, Proposal
from marketplace.services.common import created_once
from recruiter.facts import candidate_facts, job_facts, past_work_of, skills_of_profiles
from uma.llm.runner import run, task_spec

RATIONALE = "candidate_rationale"
OPEN = (Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED)
REQUEUE_SECONDS = 60


def _facts(proposal: Proposal) -> BaseModel:
    """What Uma judges, validated once (past work masked, as in shortlists)."""
    job = proposal.job
    profile = proposal.freelancer.freelancer_profile
    skills = skills_of_profiles([profile.pk]).get(profile.pk, [])
    facts = candidate_facts(
        profile,
        label="Candidate A",
        skills=skills,
        past_work=past_work_of([profile]).get(profile.pk, []),
        today=timezone.localdate(),
    )
    if job.contract_type == ContractType.HOURLY:
        facts["rate"] = proposal.bid_amount  # what they ask for this job, not their usual rate
    listed = sorted(job.skills.values_list("name", flat=True))
    return task_spec(RATIONALE).input_model.model_validate(
        {"job": job_facts(job, skills=listed[:20]), "candidate": facts}
    )


def proposal_assess(*, proposal_id: int) -> ProposalAssessment | None:
    """Uma's assessment of one proposal (worker). Safe to run twice: the second finds it made."""
    proposal = Proposal.objects.select_related("job", "freelancer__freelancer_profile").filter(pk=proposal_id).first()
    if proposal is None or not hasattr(proposal.freelancer, "freelancer_profile"):
        return None
    existing = ProposalAssessment.objects.filter(proposal=proposal).first()
    if existing:
        return existing
    facts = _facts(proposal)
    result = run(RATIONALE, facts, subject_ids={"proposal": proposal.pk, "job": proposal.job_id})
    output = result.output
    return created_once(
        ProposalAssessment,
        key={"proposal": proposal},
        verdict=output.verdict,  # type: ignore[attr-defined]
        reasons=list(output.reasons),  # type: ignore[attr-defined]
        explanation=output.explanation,  # type: ignore[attr-defined]
        source=result.source,
        model_version=result.model_version,
        audit_id=result.audit_id,
        facts=facts.model_dump(mode="json"),
    )


def _unjudged(job: JobPost) -> QuerySet[Proposal]:
    """The job's open proposals Uma has no verdict on yet."""
    return job.proposals.filter(status__in=OPEN, uma_assessment__isnull=True)


def assessments_request(*, job: JobPost) -> int:
    """Queue Uma for the job's open proposals that have no assessment yet, at most once a minute however
    often the page asks (it polls while any wait); how many are still waiting."""
    waiting = list(_unjudged(job).values_list("pk", flat=True))
    if waiting and cache.add(f"hiring:assess:{job.pk}", 1, timeout=REQUEUE_SECONDS):
        tasks.proposals_assess.delay_on_commit(proposal_ids=waiting)
    return len(waiting)


def reading_mark(job: JobPost) -> str:
    """What Uma still has to read on the job's proposals page: open proposals with no verdict, and
    interviews sent with no assessment (the page's progress mark, marketplace/long_poll.py)."""
    unread = job.proposals.filter(interview__submitted_at__isnull=False, interview_assessment__isnull=True)
    return f"{_unjudged(job).count()}.{unread.count()}"


def _by_verdict(
    proposals: list[Proposal], relation: str, order: tuple[str, ...], then: Callable[[Proposal], tuple] = lambda p: ()
) -> list[Proposal]:
    """By the verdict stored on `relation` in `order`, those without one last; within each by `then`, then
    earliest first."""

    def key(p: Proposal) -> tuple:
        verdict = getattr(getattr(p, relation, None), "verdict", None)
        return (order.index(verdict) if verdict in order else len(order), *then(p), p.created_at)

    return sorted(proposals, key=key)


def best_first(proposals: list[Proposal], job: JobPost) -> list[Proposal]:
    """Strong, possible, weak by Uma's verdict on the proposal (not yet judged last); among equals a bid
    within the budget, then a cover letter showing more of what the job needs. Each proposal carries
    Tandem's reading of it (`reading`) for the page to show why."""
    needs = job_needs(job)
    for proposal in proposals:
        proposal.reading = proposal_reading.read(proposal, needs)  # type: ignore[attr-defined]
    return _by_verdict(
        proposals,
        "uma_assessment",
        ("strong", "possible", "weak"),
        then=lambda p: (p.reading.over_budget, -len(p.reading.named)),  # type: ignore[attr-defined]
    )


def by_interview(proposals: list[Proposal]) -> list[Proposal]:
    """Fits, partly, doesn't by Uma's assessment of the interview (none last)."""
    return _by_verdict(proposals, "interview_assessment", ("fits", "partly", "doesnt"))
