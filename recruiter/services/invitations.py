"""One-click invitations from a shortlist: Uma drafts a message per chosen candidate, the client edits
and sends them all at once. Sending is one transaction under the case's lock: pressed twice, or
retried after a crash, nobody is invited twice (an entry keeps its invitation; the marketplace allows
one invitation per job and freelancer). Someone who became unavailable is skipped with a note.

When a candidate accepts, the old contract's terms go to them as an offer (if the client left that on)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.errors import Conflict, DomainError
from marketplace.models import Contract, FreelancerProfile, Invitation, JobPost, Skill, SkillCategory, User
from marketplace.services import jobs as job_svc
from marketplace.services.contracts import unaccepted_milestones
from marketplace.services.transitions import lock
from marketplace.uma_policy import require_person
from offers.terms import Terms
from recruiter import tasks
from recruiter.facts import past_work_of
from recruiter.models import RiskCase, ShortlistEntry
from recruiter.retrieval import available_by, start_by
from recruiter.services.cases import event, require_case_client, reviewing
from uma.llm.runner import run

MAX_MESSAGE = 2000
UNAVAILABLE = "The freelancer is no longer available."


def _invitation_input(entry: ShortlistEntry, case: RiskCase) -> dict:
    job, candidate = entry.facts["job"], entry.facts["candidate"]
    have = {s.lower() for s in candidate["skills"]}
    matching = [s for s in job["skills"] if s.lower() in have] or candidate["skills"][:1] or job["skills"][:1]
    profile = entry.freelancer.freelancer_profile  # type: ignore[attr-defined]
    return {
        "first_name": entry.freelancer.first_name or "there",
        "job_title": job["title"],
        "client": case.contract.organization.name[:120],
        "job_skills": job["skills"][:20],
        "matching_skills": matching[:10],
        "past_work": past_work_of([profile]).get(profile.pk, [])[:2],
        "contract_type": job["contract_type"],
        "start": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "weekly_hours": job.get("weekly_hours"),
    }


def drafts_request(*, case: RiskCase, by: User, entry_ids: list[int]) -> list[ShortlistEntry]:
    """The client chose whom to invite: Uma drafts their messages (on the llm queue)."""
    require_case_client(by, case)
    chosen = list(
        ShortlistEntry.objects.filter(
            case=case, round=case.shortlist_round, pk__in=entry_ids, status=ShortlistEntry.Status.READY
        )
    )
    if not chosen:
        raise ValidationError({"entries": "Choose at least one candidate to invite."})
    with transaction.atomic():
        case = lock(case)  # type: ignore[assignment]
        reviewing(case)
        ShortlistEntry.objects.filter(pk__in=[e.pk for e in chosen], draft="").update(draft_source="pending")
        for entry in chosen:
            entry.draft_source = entry.draft_source if entry.draft else "pending"
        event(case, "drafts_requested", by=by, entries=[e.pk for e in chosen])
        tasks.invitations_draft.delay_on_commit(entry_ids=[e.pk for e in chosen])
    return chosen


def drafts_written(case: RiskCase, entry_ids: list[int]) -> str:
    """How many of these entries have their message written: the invite page's progress mark."""
    entries = ShortlistEntry.objects.filter(case=case, pk__in=entry_ids)
    return str(entries.exclude(draft_source="pending", draft="").count())


def draft_write(*, entry_id: int, generate=None) -> ShortlistEntry:  # noqa: ANN001 - a test generator
    """Uma's invitation for one entry; kept once written (safe to run twice)."""
    entry = ShortlistEntry.objects.select_related("case__contract__organization", "freelancer__freelancer_profile").get(
        pk=entry_id
    )
    if entry.draft:
        return entry
    result = run(
        "invitation_message",
        _invitation_input(entry, entry.case),
        subject_ids={"case": entry.case_id, "entry": entry.pk, "freelancer": entry.freelancer_id},
        generate=generate,
    )
    ShortlistEntry.objects.filter(pk=entry.pk, draft="").update(
        draft=result.output.message,  # type: ignore[attr-defined]
        draft_source=result.source,
    )
    entry.refresh_from_db()
    return entry


def _replacement_job(case: RiskCase, by: User) -> JobPost:
    """The job the invitations are for: a new post cloned from the old contract (once per case)."""
    if case.replacement_job_id:
        return case.replacement_job  # type: ignore[return-value]
    contract = case.contract
    old = contract.job
    first = case.entries.order_by("pk").first()
    skills = list(old.skills.values_list("name", flat=True)) if old else first.facts["job"]["skills"] if first else []
    hourly = contract.contract_type == "hourly"
    price = (contract.hourly_rate if hourly else contract.fixed_amount) or Decimal(1)
    job = job_svc.job_create(
        organization=contract.organization,
        by=by,
        publish=True,
        skills=skills,
        title=f"Replacement: {contract.title}"[:120],
        description=(old.description if old else contract.scope) or f"Continue the work on “{contract.title}”.",
        category=old.category if old else _category_for(skills),
        contract_type=contract.contract_type,
        budget_min=min(old.budget_min, price) if old and old.contract_type == contract.contract_type else price,
        budget_max=max(old.budget_max, price) if old and old.contract_type == contract.contract_type else price,
        **({"weekly_hours": contract.weekly_limit} if hourly and contract.weekly_limit else {}),
    )
    case.replacement_job = job
    case.save(update_fields=["replacement_job", "updated_at"])
    return job


def _category_for(skills: list[str]) -> SkillCategory | None:
    skill = Skill.objects.filter(name__in=skills).select_related("category").first()
    return skill.category if skill else SkillCategory.objects.order_by("pk").first()


def invitations_send(
    *, case: RiskCase, by: User, messages: dict[int, str], offer_on_accept: bool = True
) -> list[ShortlistEntry]:
    """Send the (edited) invitations; returns the entries invited by this call (none when pressed twice)."""
    require_person(by, "invite")
    require_case_client(by, case)
    if not messages:
        raise ValidationError({"entries": "Choose at least one candidate to invite."})
    for entry_id, text in messages.items():
        if not text.strip():
            raise ValidationError({f"message_{entry_id}": "Write a message (or untick this candidate)."})
        if len(text) > MAX_MESSAGE:
            raise ValidationError({f"message_{entry_id}": f"Keep each message under {MAX_MESSAGE} characters."})
    sent: list[ShortlistEntry] = []
    with transaction.atomic():
        case = lock(case)  # type: ignore[assignment]
        if not case.is_live:
            raise Conflict("This case is over.")
        entries = list(
            ShortlistEntry.objects.select_for_update(of=("self",))
            .filter(case=case, pk__in=list(messages), status=ShortlistEntry.Status.READY)
            .select_related("freelancer__freelancer_profile")
            .order_by("pk")
        )
        if len(entries) != len(messages):
            raise ValidationError({"entries": "Some of these candidates are no longer on the shortlist."})
        todo = [e for e in entries if e.invitation_id is None]
        if not todo:
            return []
        reviewing(case)
        job = _replacement_job(case, by)
        available = set(
            FreelancerProfile.objects.filter(
                available_by(start_by()), user_id__in=[e.freelancer_id for e in todo]
            ).values_list("user_id", flat=True)
        )
        for entry in todo:
            why = "" if entry.freelancer_id in available else UNAVAILABLE
            if not entry.freelancer.is_active:
                why = "The freelancer's account was closed."
            if not why:
                try:
                    with transaction.atomic():
                        entry.invitation = job_svc.invitation_send(
                            job=job, by=by, freelancer=entry.freelancer, message=messages[entry.pk].strip()
                        )
                except DomainError as error:
                    why = str(error)
            if why:
                entry.status, entry.note = ShortlistEntry.Status.SKIPPED, why[:300]
                entry.save(update_fields=["status", "note"])
                event(case, "candidate_skipped", freelancer=entry.freelancer_id, reason=why)
                continue
            entry.draft = messages[entry.pk].strip()
            entry.save(update_fields=["invitation", "draft"])
            sent.append(entry)
        if sent:
            case.first_invite_at = case.first_invite_at or timezone.now()
            case.offer_on_accept = offer_on_accept
            case.save(update_fields=["first_invite_at", "offer_on_accept", "updated_at"])
        for entry in sent:
            event(
                case,
                "invited",
                by=by,
                about=entry.audit_id,
                freelancer=entry.freelancer_id,
                invitation=entry.invitation_id,
            )
    return sent


def old_terms(contract: Contract) -> dict:
    """The old contract's terms, for the replacement's offer: the same rate and limit, or the milestones
    whose work was not accepted yet (their due dates moved to start from tomorrow, two weeks apart)."""
    start = timezone.localdate() + timedelta(days=1)
    terms = Terms.of_contract(contract, unaccepted_milestones(contract), start=start, scope=contract.scope)
    if terms.contract_type == "hourly":
        return terms.as_json() | {"weekly_limit": terms.weekly_limit or 40}
    spacing = 14
    redated = tuple(
        replace(m, due_date=start + timedelta(days=spacing * (i + 1))) for i, m in enumerate(terms.milestones)
    )
    total = terms.fixed_amount or contract.fixed_amount
    return replace(terms, milestones=redated, fixed_amount=total).as_json()


def invitation_answered(*, invitation_id: int) -> bool:
    """A shortlisted candidate accepted: send them the old contract's terms as an offer (once)."""
    from offers.models import Offer
    from offers.services.negotiation import offer_send

    invitation = Invitation.objects.select_related("job").filter(pk=invitation_id).first()
    entry = ShortlistEntry.objects.select_related("case__contract").filter(invitation_id=invitation_id).first()
    if invitation is None or entry is None or invitation.status != Invitation.Status.ACCEPTED:
        return False
    case = entry.case
    with transaction.atomic():
        case = lock(case)  # type: ignore[assignment]
        if not case.offer_on_accept or Offer.objects.filter(invitation=invitation).exists():
            return False
        contract = case.contract
        try:
            offer = offer_send(
                by=contract.client,
                invitation=invitation,
                terms=old_terms(contract),
                title=contract.title,
                message="Thanks for accepting. These are the terms of the work so far: let's continue from here.",
            )
        except (DomainError, ValidationError) as error:
            event(case, "offer_failed", freelancer=invitation.freelancer_id, reason=str(error)[:300])
            return False
        event(case, "offer_sent", freelancer=invitation.freelancer_id, offer=offer.pk)
    return True
