"""Replacement shortlists: retrieve and re-rank candidates into pending entries, let Uma reason about
each (the page fills in as they finish), then apply the escalation policy.

Each step is safe to repeat and resumes where a killed worker stopped: entries are unique per case,
round and freelancer; only pending entries are reasoned about, each claimed by a conditional update;
the finish runs once per round.
"""

from __future__ import annotations

import string
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from config.priorities import BACKGROUND, URGENT
from marketplace.errors import Conflict, NotAllowed
from marketplace.models import Contract, FreelancerProfile, Invitation, User
from marketplace.models.text import text_check
from marketplace.policies import is_recruiter
from marketplace.services.limits import require_room
from marketplace.services.notifications import notify
from marketplace.services.transitions import lock
from recruiter.escalation import escalation_reasons
from recruiter.facts import candidate_facts, past_work_of, skills_of_profiles
from recruiter.models import RiskCase, ShortlistEntry
from recruiter.plans import gets_shortlist
from recruiter.ranking import PREFERENCES, Ranked, rerank, with_a_proven_fit
from recruiter.retrieval import Need, need_of, retrieve, start_by
from recruiter.services.cases import RATIONALE, case_escalate, event, move, require_case_client, reviewing
from uma.embeddings import embed
from uma.llm.runner import batched, run_many, task_spec

UMA_PREFERENCES = {"within_budget", "fast_replies", "proven_record", "full_availability"}
SHOWN_ORDER = {"strong": 0, "possible": 1, "weak": 2, "": 3}


def _label(position: int) -> str:
    """Candidate A … Z, then AA, AB …"""
    tens, unit = divmod(position - 1, 26)
    return "Candidate " + (string.ascii_uppercase[tens - 1] if tens else "") + string.ascii_uppercase[unit]


def _excluded(case: RiskCase) -> set[int]:
    """Never again: people removed from this case's shortlists, and who declined an invitation for it."""
    removed = ShortlistEntry.objects.filter(case=case, status=ShortlistEntry.Status.REMOVED)
    ids = set(removed.values_list("freelancer_id", flat=True))
    jobs = [j for j in (case.contract.job_id, case.replacement_job_id) if j]
    declined = Invitation.objects.filter(job_id__in=jobs, status=Invitation.Status.DECLINED)
    return ids | set(declined.values_list("freelancer_id", flat=True))


def need_vector(contract: Contract, need: Need) -> list[float]:
    """The job post's stored embedding when it describes the same work, else the need's text embedded."""
    job = contract.job
    stored = job is not None and job.embedding is not None and contract.contract_type == job.contract_type
    return list(job.embedding) if stored and job else embed([need.text])[0]  # type: ignore[arg-type]


def case_need(case: RiskCase) -> Need:
    need = need_of(case.contract, start=start_by(), exclude=_excluded(case))
    need.vector = need_vector(case.contract, need)
    return need


def case_job_facts(need: Need, preferences: list[str]) -> dict:
    """The job as Uma judges candidates against it."""
    return {
        "title": need.title[:200],
        "skills": need.required[:20],  # those the client chose; read from the text they are not required
        "contract_type": need.contract_type,
        "budget_min": need.budget_min,
        "budget_max": need.budget_max,
        "weekly_hours": need.weekly_hours if need.contract_type == "hourly" else None,
        "preferences": [p for p in preferences if p in UMA_PREFERENCES],
    }


def _rationale_input(
    job: dict, profile: FreelancerProfile, *, position: int, skills: list[str], past: list[str]
) -> dict:
    """The facts Uma reasons over, validated (names masked out of past work) and stored as JSON."""
    facts = candidate_facts(profile, label=_label(position), skills=skills, past_work=past, today=timezone.localdate())
    spec = task_spec(RATIONALE)
    return spec.input_model.model_validate({"job": job, "candidate": facts}).model_dump(mode="json")


def shortlist_ranked(
    need: Need, *, preferences: list[str], client_tz: str, count: int
) -> tuple[list[Ranked], dict[int, list[str]]]:
    """Who makes a shortlist of `count` for the need, in order (and the skills of everyone retrieved)."""
    retrieved = retrieve(need)
    skills = skills_of_profiles([r["profile_id"] for r in retrieved])
    ranked = rerank(need, retrieved, preferences=preferences, skills=skills, at=timezone.now(), client_tz=client_tz)
    return with_a_proven_fit(need, ranked, size=count)[:count], skills


def _add_entries(case: RiskCase, *, round_: int, count: int) -> int:
    """Retrieve, re-rank and add up to `count` pending entries to the round (after those it has)."""
    need = case_need(case)
    present = ShortlistEntry.objects.filter(case=case, round=round_)
    need.exclude |= set(present.values_list("freelancer_id", flat=True))
    tz = getattr(case.contract.freelancer, "freelancer_profile", None)
    ranked, skills = shortlist_ranked(
        need, preferences=case.preferences, client_tz=tz.timezone if tz else "UTC", count=count
    )
    past = past_work_of([r.profile for r in ranked])
    start = (present.aggregate(last=Max("position"))["last"] or 0) + 1
    job = case_job_facts(need, case.preferences)
    rows = [
        ShortlistEntry(
            case=case,
            round=round_,
            freelancer_id=r.profile.user_id,
            position=start + i,
            retrieval={**r.retrieval, "score": r.score, "features": r.features},
            facts=_rationale_input(
                job, r.profile, position=start + i, skills=skills.get(r.profile.pk, []), past=past.get(r.profile.pk, [])
            ),
        )
        for i, r in enumerate(ranked)
    ]
    ShortlistEntry.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def shortlist_start(*, case: RiskCase, by: User | None, preferences: list[str]) -> RiskCase:
    """A new round of the shortlist (the first, or re-run with the client's stated preferences)."""
    unknown = [p for p in preferences if p not in PREFERENCES]
    if unknown:
        raise ValidationError({"preferences": f"Unknown preference: {', '.join(unknown)}."})
    with transaction.atomic():
        case = lock(case)  # type: ignore[assignment]
        if not case.is_live:
            raise Conflict("This case is over.")
        if by is not None:
            _require_round_allowed(case)
            reviewing(case)
        _supersede(case)
        case.shortlist_round += 1
        case.preferences, case.shortlist_state = list(dict.fromkeys(preferences)), "building"
        case.save(update_fields=["shortlist_round", "preferences", "shortlist_state", "updated_at"])
        event(case, "shortlist_requested", by=by, round=case.shortlist_round, preferences=case.preferences)
        _enqueue(case, by=by)
    return case


def shortlist_more(*, case: RiskCase, by: User) -> RiskCase:
    """The client asks for more candidates in the current round."""
    require_case_client(by, case)
    with transaction.atomic():
        case = lock(case)  # type: ignore[assignment]
        if not case.is_live or case.shortlist_round == 0:
            raise Conflict("There is no shortlist to add to.")
        _require_round_allowed(case)
        reviewing(case)
        added = _add_entries(case, round_=case.shortlist_round, count=settings.RECRUITER_SHORTLIST_SIZE // 2 or 1)
        if not added:
            raise Conflict("Nobody else fits the filters right now: try other preferences.")
        case.shortlist_state = "building"
        case.save(update_fields=["shortlist_state", "updated_at"])
        event(case, "shortlist_more", by=by, added=added)
        _enqueue(case, by=by)
    return case


ASKED = ("shortlist_requested", "shortlist_more")


def _require_round_allowed(case: RiskCase) -> None:
    """A person may ask for a new round or for more at most RECRUITER_ROUNDS_PER_HOUR times an hour per
    case (each one costs Uma a shortlist's worth of reasoning)."""
    limit = settings.RECRUITER_ROUNDS_PER_HOUR
    require_room(
        case.events.filter(kind__in=ASKED, actor__isnull=False),
        within=timedelta(hours=1),
        limit=limit,
        message=f"Uma has been asked for {limit} shortlists on this case in the last hour; "
        "please review these candidates, or try again later.",
    )


def _supersede(case: RiskCase) -> None:
    """A new round replaces the pending work of the one before: its unreasoned entries are set aside,
    so no worker spends time on them (a build already running stops at its next entry)."""
    ShortlistEntry.objects.filter(case=case, round=case.shortlist_round, status=ShortlistEntry.Status.PENDING).update(
        status=ShortlistEntry.Status.SKIPPED, note="Replaced by a newer shortlist before Uma reached them."
    )


def _uma_searched(case: RiskCase, round_: int) -> bool:
    """Whether Uma's own search has filled this round (a recruiter's additions don't count)."""
    return ShortlistEntry.objects.filter(case=case, round=round_, added_by__isnull=True).exists()


def _enqueue(case: RiskCase, *, by: User | None) -> None:
    """Build after commit: before the scans' own shortlists when a person asked (they are waiting)."""
    from recruiter.tasks import shortlist_build

    priority = URGENT if by is not None else BACKGROUND
    shortlist_build.queue_on_commit(case_id=case.pk, round_=case.shortlist_round, priority=priority)


def shortlist_build(*, case_id: int, round_: int, generate=None) -> None:  # noqa: ANN001 - a test generator
    """Retrieve (once per round), reason about each pending entry, finish. Resumable and idempotent."""
    case = RiskCase.objects.select_related("contract__job", "contract__freelancer__freelancer_profile").get(pk=case_id)
    if case.shortlist_round != round_ or not case.is_live:
        return  # a newer round replaced this one, or the case is over
    with transaction.atomic():
        lock(case)  # one retrieval per round, even with two workers
        if not _uma_searched(case, round_):  # a recruiter's additions sit beside Uma's results, never replace them
            _add_entries(case, round_=round_, count=settings.RECRUITER_SHORTLIST_SIZE)
    pending = ShortlistEntry.objects.filter(case=case, round=round_, status=ShortlistEntry.Status.PENDING)
    everyone = list(ShortlistEntry.objects.filter(case=case, round=round_).values_list("freelancer_id", flat=True))
    entries = list(pending.order_by("position"))
    for group in (entries[:1], entries[1:]):  # the first on the page at once, then the rest decoded together
        if not RiskCase.objects.filter(pk=case.pk, shortlist_round=round_).exists():
            return  # a newer round replaced this one meanwhile: its entries were set aside
        entries_reason(entries=group, retrieved=everyone, generate=generate)
    shortlist_finish(case_id=case.pk, round_=round_)


def entries_reason(*, entries: list[ShortlistEntry], retrieved: list[int], generate=None) -> int:  # noqa: ANN001
    """Uma's verdict and reasons for each pending entry, in one batch; how many this call settled (an
    entry another worker already did is left as it is)."""
    active = set(
        User.objects.filter(pk__in=[e.freelancer_id for e in entries], is_active=True).values_list("pk", flat=True)
    )
    closed = [e.pk for e in entries if e.freelancer_id not in active]
    ShortlistEntry.objects.filter(pk__in=closed, status=ShortlistEntry.Status.PENDING).update(
        status=ShortlistEntry.Status.SKIPPED, note="The freelancer's account was closed."
    )
    entries = [e for e in entries if e.freelancer_id in active]
    if not entries:
        return 0
    results = run_many(
        RATIONALE,
        [entry.facts for entry in entries],
        subject_ids=[{"case": e.case_id, "entry": e.pk, "freelancer": e.freelancer_id} for e in entries],
        retrieved_ids=retrieved,
        generate=batched(generate) if generate else None,
    )
    settled = 0
    for entry, result in zip(entries, results, strict=True):
        output = result.output
        settled += ShortlistEntry.objects.filter(pk=entry.pk, status=ShortlistEntry.Status.PENDING).update(
            status=ShortlistEntry.Status.READY,
            verdict=output.verdict,  # type: ignore[attr-defined]
            reasons=list(output.reasons),  # type: ignore[attr-defined]
            explanation=output.explanation,  # type: ignore[attr-defined]
            source=result.source,
            model_version=result.model_version,
            audit_id=result.audit_id,
        )
    return settled


@transaction.atomic
def shortlist_finish(*, case_id: int, round_: int) -> None:
    """The round is reasoned: mark it ready, apply the escalation policy (once per case), tell the client."""
    case = RiskCase.objects.select_for_update().select_related("contract__organization").get(pk=case_id)
    entries = list(ShortlistEntry.objects.filter(case=case, round=round_))
    if case.shortlist_round != round_ or any(e.status == ShortlistEntry.Status.PENDING for e in entries):
        return
    if case.shortlist_state == "ready":
        return
    first = case.shortlist_at is None
    case.shortlist_state = "ready"
    case.shortlist_at = case.shortlist_at or timezone.now()
    case.save(update_fields=["shortlist_state", "shortlist_at", "updated_at"])
    if case.status == RiskCase.Status.OPEN:
        move(case, RiskCase.Status.SHORTLIST_READY)
    shown = [e for e in entries if e.status == ShortlistEntry.Status.READY]
    event(
        case, "shortlist_ready", round=round_, candidates=len(shown), strong=sum(e.verdict == "strong" for e in shown)
    )
    if first:
        reasons = escalation_reasons(case, entries)
        if reasons and case.status != RiskCase.Status.ESCALATED:
            case_escalate(case=case, reasons=reasons)
        notify(
            users=[case.contract.client],
            kind="risk",
            event_key=f"risk_case:{case.pk}:shortlist",
            title=f"Uma found {len(shown)} possible replacements for “{case.contract.title}”",
            url=case.get_absolute_url(),
        )


def progress(case: RiskCase, entries: list[ShortlistEntry]) -> dict:
    """How far Uma is: building (the page keeps asking), candidates checked, candidates in all, and the
    mark of what the page shows (`progress_mark`)."""
    # "none" on a live shortlist case: the worker has not started it yet, but it is on its way.
    waiting = case.shortlist_state == "none" and case.is_live and gets_shortlist(case)
    done = sum(e.status != ShortlistEntry.Status.PENDING for e in entries)
    return {
        "building": case.shortlist_state == "building" or waiting,
        "done": done,
        "total": len(entries),
        "mark": _mark(case.shortlist_round, case.shortlist_state, done, len(entries)),
    }


def _mark(round_: int, state: str, done: int, total: int) -> str:
    return f"{round_}.{state}.{done}.{total}"


def progress_mark(case_id: int) -> str:
    """What `progress` would mark now, in two small queries: it changes whenever the shown shortlist
    moves on (a new round, a candidate reasoned, added or removed, the round ready)."""
    row = RiskCase.objects.filter(pk=case_id).values_list("shortlist_round", "shortlist_state").first()
    if row is None:
        return ""  # gone: the page's next answer says so
    round_, state = row
    shown = ShortlistEntry.objects.filter(case_id=case_id, round=round_).exclude(status=ShortlistEntry.Status.REMOVED)
    counts = shown.aggregate(total=Count("pk"), done=Count("pk", filter=~Q(status=ShortlistEntry.Status.PENDING)))
    return _mark(round_, state, counts["done"], counts["total"])


def shown_entries(case: RiskCase) -> list[ShortlistEntry]:
    """The current round as the client sees it: strong first, then by rank; removed ones left out."""
    rows = list(
        ShortlistEntry.objects.filter(case=case, round=case.shortlist_round)
        .exclude(status=ShortlistEntry.Status.REMOVED)
        .select_related("freelancer__freelancer_profile", "invitation")
    )
    return sorted(rows, key=lambda e: (SHOWN_ORDER.get(e.verdict, 3), e.position))


NOTE_LIMIT = 300  # an entry's note: why a person removed or added someone


@transaction.atomic
def entry_remove(*, entry: ShortlistEntry, by: User, reason: str = "") -> ShortlistEntry:
    """Take someone off the shortlist (the client, or a recruiter's override); they don't come back."""
    case, override = entry.case, is_recruiter(by)
    reason = text_check(reason, field="reason", limit=NOTE_LIMIT, label="The reason")
    if not override:
        require_case_client(by, case)
    elif not reason:
        raise ValidationError({"reason": "Say why you are removing this candidate."})
    case = lock(case)  # type: ignore[assignment]
    entry = lock(entry)  # type: ignore[assignment]
    if entry.invitation_id:
        raise Conflict("This candidate has already been invited.")
    if entry.status == ShortlistEntry.Status.REMOVED:
        return entry
    if not override:
        reviewing(case)
    entry.status, entry.note = ShortlistEntry.Status.REMOVED, reason
    entry.save(update_fields=["status", "note"])
    kind = "override_remove" if override else "candidate_removed"
    event(case, kind, by=by, about=entry.audit_id, freelancer=entry.freelancer_id, reason=entry.note)
    return entry


@transaction.atomic
def entry_add(*, case: RiskCase, by: User, freelancer: User, reason: str) -> ShortlistEntry:
    """A recruiter's override: put someone on the shortlist, with the reason; Uma reasons about them too."""
    if not is_recruiter(by):
        raise NotAllowed("Only recruiters add candidates by hand.")
    reason = text_check(reason, field="reason", limit=NOTE_LIMIT, label="The reason")
    if not reason:
        raise ValidationError({"reason": "Say why you are adding this candidate."})
    profile = FreelancerProfile.objects.filter(user=freelancer).first()
    if profile is None or not freelancer.is_active:
        raise ValidationError({"freelancer": "Choose an active freelancer."})
    case = lock(case)  # type: ignore[assignment]
    if not case.is_live:
        raise Conflict("This case is over.")
    if case.shortlist_round == 0:  # Uma has no shortlist yet (or is stuck): the person's pick starts one
        case.shortlist_round = 1
        event(case, "shortlist_requested", by=None, round=1, preferences=case.preferences)
    if freelancer.pk == case.contract.freelancer_id:
        raise ValidationError({"freelancer": "This is the freelancer on the contract now."})
    round_ = case.shortlist_round
    entries = ShortlistEntry.objects.filter(case=case, round=round_)
    if entries.filter(freelancer=freelancer).exists():
        raise Conflict(f"{freelancer.get_full_name()} is on the shortlist already.")
    need = need_of(case.contract, start=start_by(), exclude=set())
    position = (entries.aggregate(last=Max("position"))["last"] or 0) + 1
    skills = skills_of_profiles([profile.pk]).get(profile.pk, [])
    entry = ShortlistEntry.objects.create(
        case=case,
        round=round_,
        freelancer=freelancer,
        position=position,
        added_by=by,
        note=reason,
        retrieval={"added_by_recruiter": True},
        facts=_rationale_input(
            case_job_facts(need, case.preferences),
            profile,
            position=position,
            skills=skills,
            past=past_work_of([profile]).get(profile.pk, []),
        ),
    )
    case.shortlist_state = "building"
    case.save(update_fields=["shortlist_round", "shortlist_state", "updated_at"])
    event(case, "override_add", by=by, freelancer=freelancer.pk, reason=entry.note)
    _enqueue(case, by=by)
    return entry
