"""Job posts, proposals and invitations: every write, with its rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace import events, policies
from marketplace.errors import Conflict, InvalidInput, NotAllowed
from marketplace.models import ContractType, Invitation, JobPost, Organization, Proposal, Skill, User
from marketplace.models.money import MAX_RATE
from marketplace.models.text import SHORT, text_check
from marketplace.services.common import validated
from marketplace.services.limits import require_room
from marketplace.services.messaging import thread_for_job
from marketplace.services.notifications import notify
from marketplace.services.search_index import jobs_reindex
from marketplace.services.skills import skills_resolve
from marketplace.services.transitions import lock, require_transition
from marketplace.uma_policy import require_person

JOB_FIELDS = (
    "title",
    "description",
    "category",
    "contract_type",
    "budget_min",
    "budget_max",
    "currency",
    "duration",
    "weekly_hours",
    "experience_level",
)


def _check_budget(job: JobPost) -> None:
    if job.budget_min is None or job.budget_max is None:
        return
    if Decimal(job.budget_min) > Decimal(job.budget_max):
        raise ValidationError({"budget_max": "The most you will pay can't be less than the least."})
    if job.contract_type == ContractType.HOURLY and Decimal(job.budget_max) > MAX_RATE:
        raise ValidationError({"budget_max": f"An hourly budget can't exceed {MAX_RATE} an hour."})


# Invitations one job may send (each one a notification and an email to a person who did not ask): enough
# to reach the right people, too few to mail the whole marketplace. The job's lock keeps it under parallel sends.
MAX_INVITATIONS_PER_JOB = 30
MAX_JOB_SKILLS = 20  # as the API's skills list allows: a post asking for everything asks for nothing
DECLINE_LIMIT = 300  # a declined invitation's reason, as its column holds


def _job_skills(names: list[str]) -> list[Skill]:
    resolved = skills_resolve(names)
    if len(resolved) > MAX_JOB_SKILLS:
        raise ValidationError({"skills": f"List at most {MAX_JOB_SKILLS} skills (this lists {len(resolved)})."})
    return resolved


@transaction.atomic
def job_create(
    *, organization: Organization, by: User, skills: list[str], publish: bool = False, **fields: object
) -> JobPost:
    if publish:
        require_person(by, "post")
    policies.require_member(by, organization)
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown job fields: {', '.join(sorted(unknown))}.")
    job = JobPost(organization=organization, created_by=by, **fields)
    if publish:
        job.status = JobPost.Status.OPEN
        job.published_at = timezone.now()
    validated(job)
    _check_budget(job)
    resolved = _job_skills(skills)
    job.save()
    job.skills.set(resolved)
    jobs_reindex(ids=[job.pk])
    return job


@transaction.atomic
def job_update(*, job: JobPost, by: User, skills: list[str] | None = None, **fields: object) -> JobPost:
    policies.require_member(by, job.organization)
    job = lock(job)  # type: ignore[assignment]
    if job.status == JobPost.Status.FILLED:
        raise Conflict("This job is filled; reopen it before editing.")
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(job, name, value)
    validated(job)
    _check_budget(job)
    if skills is not None:
        job.skills.set(_job_skills(skills))
    job.save()
    jobs_reindex(ids=[job.pk])
    return job


def _job_move(job: JobPost, by: User, to: str, action: str) -> JobPost:
    policies.require_member(by, job.organization)
    with transaction.atomic():
        job = lock(job)  # type: ignore[assignment]
        require_transition(job, to, action=action)
        job.status = to
        if to == JobPost.Status.OPEN and job.published_at is None:
            job.published_at = timezone.now()
        job.save(update_fields=["status", "published_at", "updated_at"])
    return job


def job_publish(*, job: JobPost, by: User) -> JobPost:
    require_person(by, "post")
    return _job_move(job, by, JobPost.Status.OPEN, "publish this job")


def job_close(*, job: JobPost, by: User) -> JobPost:
    return _job_move(job, by, JobPost.Status.CLOSED, "close this job")


def job_mark_filled(*, job: JobPost, by: User) -> JobPost:
    return _job_move(job, by, JobPost.Status.FILLED, "mark this job filled")


# --- Proposals -------------------------------------------------------------------------------------


def _require_proposal_allowed(freelancer: User) -> None:
    """At most PROPOSALS_PER_DAY proposals in 24 hours per freelancer, counted under a lock on the person (so
    proposals sent at once are counted one after the other). Each is a notification and an email to a
    client, and Uma's assessment of it: a script applying everywhere would bury every client's inbox."""
    require_room(
        Proposal.objects.filter(freelancer=freelancer),
        person=freelancer,
        within=timedelta(days=1),
        limit=settings.PROPOSALS_PER_DAY,
        message=f"You have sent {settings.PROPOSALS_PER_DAY} proposals in the last 24 hours: "
        "the best ones get more from fewer, better letters. Try again tomorrow.",
    )


def proposal_submit(
    *, job: JobPost, freelancer: User, cover_letter: str, bid_amount: Decimal, estimated_duration: str
) -> Proposal:
    policies.require_freelancer(freelancer)
    if not cover_letter.strip():
        raise ValidationError({"cover_letter": "Tell the client why you are a good fit."})
    proposal = Proposal(
        job=job,
        freelancer=freelancer,
        cover_letter=cover_letter.strip(),
        bid_amount=bid_amount,
        currency=job.currency,
        estimated_duration=estimated_duration,
    )
    validated(proposal)
    if job.contract_type == ContractType.HOURLY and Decimal(bid_amount) > MAX_RATE:
        raise ValidationError({"bid_amount": f"An hourly rate can't exceed {MAX_RATE}."})
    try:
        with transaction.atomic():
            _require_proposal_allowed(freelancer)
            job = lock(job)  # type: ignore[assignment]  # against a close at the same moment
            if job.status != JobPost.Status.OPEN:
                raise Conflict("This job is not taking proposals.")
            proposal.save()
            proposal_id = proposal.pk
            transaction.on_commit(
                lambda: events.proposal_submitted.send(sender=Proposal, proposal_id=proposal_id), robust=True
            )
            notify(
                users=[job.created_by],
                kind="proposal_received",
                event_key=f"proposal:{proposal.pk}",
                title=f"{freelancer.get_full_name()} sent a proposal for “{job.title}”",
                url=f"/jobs/{job.pk}/proposals/",
            )
    except IntegrityError:
        raise Conflict("You already sent a proposal for this job.") from None
    return proposal


def _proposal_move(proposal: Proposal, to: str, action: str, *, notify_freelancer: bool) -> Proposal:
    with transaction.atomic():
        proposal = lock(proposal)  # type: ignore[assignment]
        require_transition(proposal, to, action=action)
        proposal.status = to
        proposal.save(update_fields=["status", "updated_at"])
        if notify_freelancer:
            notify(
                users=[proposal.freelancer],
                kind="proposal_updated",
                event_key=f"proposal:{proposal.pk}:{to}",
                title=f"Your proposal for “{proposal.job.title}” was {proposal.get_status_display().lower()}",
                url="/proposals/",
            )
    return proposal


def proposal_withdraw(*, proposal: Proposal, by: User) -> Proposal:
    if proposal.freelancer_id != by.pk:
        raise NotAllowed("Only the freelancer who sent a proposal can withdraw it.")
    return _proposal_move(proposal, Proposal.Status.WITHDRAWN, "withdraw this proposal", notify_freelancer=False)


def proposal_shortlist(*, proposal: Proposal, by: User) -> Proposal:
    policies.require_member(by, proposal.job.organization)
    return _proposal_move(proposal, Proposal.Status.SHORTLISTED, "shortlist this proposal", notify_freelancer=True)


def proposal_decline(*, proposal: Proposal, by: User) -> Proposal:
    require_person(by, "reject")
    policies.require_member(by, proposal.job.organization)
    return _proposal_move(proposal, Proposal.Status.DECLINED, "decline this proposal", notify_freelancer=True)


def proposal_mark_hired(*, proposal: Proposal) -> Proposal:
    """Called by contract_create when a contract comes from this proposal."""
    return _proposal_move(proposal, Proposal.Status.HIRED, "hire from this proposal", notify_freelancer=False)


# --- Invitations -----------------------------------------------------------------------------------


def invitation_send(*, job: JobPost, by: User, freelancer: User, message: str = "") -> Invitation:
    require_person(by, "invite")
    policies.require_member(by, job.organization)
    if not freelancer.is_freelancer:
        raise InvalidInput("Only freelancers can be invited to a job.", field="freelancer")
    message = text_check(message, field="message", limit=SHORT, label="The message")
    try:
        with transaction.atomic():
            job = lock(job)  # type: ignore[assignment]
            if job.status != JobPost.Status.OPEN:
                raise Conflict("Publish the job before inviting people to it.")
            if job.invitations.count() >= MAX_INVITATIONS_PER_JOB:
                raise Conflict(
                    f"A job can invite at most {MAX_INVITATIONS_PER_JOB} freelancers, and this one has: "
                    "wait for their answers, or post another job."
                )
            invitation = Invitation.objects.create(job=job, freelancer=freelancer, invited_by=by, message=message)
            notify(
                users=[freelancer],
                kind="invitation_received",
                event_key=f"invitation:{invitation.pk}",
                title=f"{job.organization.name} invited you to “{job.title}”",
                body=message,
                url="/invitations/",
            )
    except IntegrityError:
        raise Conflict(f"{freelancer.get_full_name()} is already invited to this job.") from None
    return invitation


def _invitation_answer(invitation: Invitation, by: User, to: str, reason: str = "") -> Invitation:
    if invitation.freelancer_id != by.pk:
        raise NotAllowed("Only the invited freelancer can answer this invitation.")
    with transaction.atomic():
        invitation = lock(invitation)  # type: ignore[assignment]
        verb = "accept" if to == Invitation.Status.ACCEPTED else "decline"
        require_transition(invitation, to, action=f"{verb} this invitation")
        invitation.status = to
        invitation.decline_reason = reason
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "decline_reason", "responded_at"])
        if to == Invitation.Status.ACCEPTED:
            thread_for_job(job=invitation.job, freelancer=by)
        notify(
            users=[invitation.invited_by],
            kind="invitation_answered",
            event_key=f"invitation:{invitation.pk}:{to}",
            title=f"{by.get_full_name()} {verb}d your invitation to “{invitation.job.title}”",
            body=reason,
            url=f"/jobs/{invitation.job_id}/",
        )
        invitation_id = invitation.pk
        transaction.on_commit(
            lambda: events.invitation_answered.send(sender=Invitation, invitation_id=invitation_id, status=to)
        )
    return invitation


def invitation_accept(*, invitation: Invitation, by: User) -> Invitation:
    return _invitation_answer(invitation, by, Invitation.Status.ACCEPTED)


def invitation_decline(*, invitation: Invitation, by: User, reason: str = "") -> Invitation:
    reason = text_check(reason, field="reason", limit=DECLINE_LIMIT, label="The reason")  # was cut, unsaid
    return _invitation_answer(invitation, by, Invitation.Status.DECLINED, reason)
