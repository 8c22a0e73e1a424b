"""Writes of the job post generator: a client's sentence → Uma's questions → their answers → Uma's draft
→ the job the client edits and posts. Uma asks and drafts on the llm queue; posting is the client's
click (marketplace.uma_policy)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hiring import reading, tasks
from hiring.models import ANSWER_LIMIT, NEED_LIMIT, JobDraft
from marketplace import policies
from marketplace.errors import Conflict, InvalidInput
from marketplace.models import ContractType, JobPost, Organization, Skill, SkillCategory, User
from marketplace.models.text import text_check
from marketplace.selectors import market_range
from marketplace.services.jobs import job_create
from marketplace.services.limits import require_room
from marketplace.services.skill_matcher import skills_in_text
from marketplace.services.transitions import lock, move
from marketplace.uma_policy import require_person
from uma.task_specs.job_post_draft import NO_SKILLS_LINE, TITLE_LIMIT, DraftInput

STUCK = timedelta(seconds=60)
THIN = "Tell Uma what the work is first: a sentence on what you need done is enough."


@transaction.atomic
def job_draft_start(*, organization: Organization, by: User, need: str) -> JobDraft:
    """A new draft from the client's sentence (empty or one word is fine: Uma asks what the work is),
    at most HIRING_DRAFTS_PER_HOUR per person (counted under a lock on the person: parallel starts
    queue up to be counted)."""
    policies.require_member(by, organization)
    need = text_check(need, field="need", limit=NEED_LIMIT, label="Your request")
    require_room(
        JobDraft.objects.filter(created_by=by),
        person=by,
        within=timedelta(hours=1),
        limit=settings.HIRING_DRAFTS_PER_HOUR,
        message=f"You have started {settings.HIRING_DRAFTS_PER_HOUR} job posts with Uma in the last hour: "
        "finish one of them, or try again later.",
    )
    draft = JobDraft.objects.create(organization=organization, created_by=by, need=need)
    tasks.job_draft_ask.delay_on_commit(draft_id=draft.pk)
    return draft


def job_draft_nudge(*, draft: JobDraft) -> bool:
    """Queue Uma again for a draft that has not moved for STUCK (a worker died, the broker was down).
    Safe: the jobs run once per step, and only one page view in STUCK claims the nudge."""
    if draft.status not in (JobDraft.Status.ASKING, JobDraft.Status.DRAFTING):
        return False
    now = timezone.now()
    claimed = JobDraft.objects.filter(
        pk=draft.pk, status=draft.status, revision=draft.revision, updated_at__lt=now - STUCK
    ).update(updated_at=now)
    if claimed and draft.status == JobDraft.Status.ASKING:
        tasks.job_draft_ask.delay_on_commit(draft_id=draft.pk)
    elif claimed:
        tasks.job_draft_write.delay_on_commit(draft_id=draft.pk, revision=draft.revision)
    return bool(claimed)


def _answers(draft: JobDraft, answers: dict[str, str]) -> dict[str, str]:
    """The answers as typed, each to a question Uma asked, each within the limit (named when not)."""
    asked = {q["topic"] for q in draft.questions}
    cleaned = {}
    for topic, value in answers.items():
        if topic not in asked:
            raise InvalidInput(f"Uma asked no question about {topic!r}.", field=f"answers.{topic}")
        cleaned[topic] = text_check(value, field=f"answers.{topic}", limit=ANSWER_LIMIT, label="An answer")
    return cleaned


@transaction.atomic
def job_draft_answers_save(*, draft: JobDraft, by: User, answers: dict[str, str]) -> JobDraft:
    """Keep what the client typed so far (the page saves as they type); nothing else changes."""
    policies.require_member(by, draft.organization)
    draft = lock(draft)
    if draft.status == JobDraft.Status.POSTED:
        raise Conflict("This draft is a job now: edit the job instead.")
    draft.answers = {**draft.answers, **_answers(draft, answers)}
    draft.save(update_fields=["answers", "updated_at"])
    return draft


@transaction.atomic
def job_draft_write_request(*, draft: JobDraft, by: User, answers: dict[str, str] | None = None) -> JobDraft:
    """The client's "Draft my post": answers kept, Uma asked to draft (again, after a change)."""
    policies.require_member(by, draft.organization)
    draft = lock(draft)
    move(draft, JobDraft.Status.DRAFTING, action="draft the post")
    draft.answers = {**draft.answers, **_answers(draft, answers or {})}
    if reading.read(draft.need, draft.answers).thin:
        asked = any(q["topic"] == "scope" for q in draft.questions)
        raise InvalidInput(THIN, field="answers.scope" if asked else "need")
    draft.revision += 1
    draft.save(update_fields=["status", "answers", "revision", "updated_at"])
    tasks.job_draft_write.delay_on_commit(draft_id=draft.pk, revision=draft.revision)
    return draft


def category_of(names: list[str]) -> tuple[str, int | None]:
    """The taxonomy category most of these skills share (name, id); on a tie, the first skill's."""
    rows = dict(Skill.objects.filter(name__in=names).values_list("name", "category_id"))
    ids = [rows[name] for name in names if name in rows]
    if not ids:
        return "", None
    category_id, _ = Counter(ids).most_common(1)[0]
    return SkillCategory.objects.get(pk=category_id).name, category_id


def skills_named(text: str) -> tuple[list[str], str]:
    """The taxonomy's skills the text names, most named first, and the kind of work they are."""
    names = skills_in_text(text)
    return names, category_of(names)[0]


def job_draft_ask(*, draft_id: int) -> JobDraft | None:
    """Uma's follow-up questions (worker). Safe to run twice: only a draft still being read is answered."""
    from uma.llm.runner import run

    draft = JobDraft.objects.filter(pk=draft_id, status=JobDraft.Status.ASKING).first()
    if draft is None:
        return None
    read = reading.read(draft.need)
    skills, kind = skills_named(draft.need)
    questions: list[dict] = []
    audit: list[int] = []
    if read.open_topics:
        result = run(
            "job_post_questions",
            {
                "need": draft.need,
                "kind_of_work": kind,
                "skills": skills,
                "open_topics": read.open_topics,
                "thin": read.thin,
            },
            subject_ids={"job_draft": draft.pk},
        )
        questions = [q.model_dump() for q in result.output.questions]  # type: ignore[attr-defined]
        audit = [result.audit_id] if result.audit_id else []
    JobDraft.objects.filter(pk=draft.pk, status=JobDraft.Status.ASKING).update(
        questions=questions, audit_ids=draft.audit_ids + audit, status=JobDraft.Status.ANSWERING
    )
    return JobDraft.objects.get(pk=draft.pk)


def draft_input(draft: JobDraft) -> dict:
    """What job_post_draft is given: the client's words, their answers, the skills and the market figures."""
    read = reading.read(draft.need, draft.answers)
    text = "\n".join([draft.need, *draft.answers.values()])
    skills, kind = skills_named(text)
    ids = list(Skill.objects.filter(name__in=skills).values_list("pk", flat=True))
    market = []
    for contract_type in (ContractType.HOURLY, ContractType.FIXED):
        found = market_range(skill_ids=ids, contract_type=contract_type, currency=read.currency)
        if found:  # the task's Market takes these fields (and ignores the unit)
            market.append({**asdict(found), "contract_type": str(contract_type), "currency": read.currency})
    questions = {q["topic"]: q["text"] for q in draft.questions}
    answers = [
        {"topic": topic, "question": questions[topic], "answer": value}
        for topic, value in draft.answers.items()
        if topic in questions and value.strip()
    ]
    return {
        "need": draft.need or "(no request)",
        "answers": answers,
        "kind_of_work": kind,
        "skills": skills,
        "stated": read.stated(),
        "market": market,
    }


def job_draft_write(*, draft_id: int, revision: int) -> JobDraft | None:
    """Uma's draft of the post (worker). Safe to run twice, and a draft asked for before the client's
    latest change never overwrites the newer one."""
    from uma.llm.runner import run

    draft = JobDraft.objects.filter(pk=draft_id, status=JobDraft.Status.DRAFTING, revision=revision).first()
    if draft is None:
        return None
    inputs = DraftInput.model_validate(draft_input(draft))
    result = run("job_post_draft", inputs, subject_ids={"job_draft": draft.pk, "revision": revision})
    written = result.output.model_dump(mode="json")
    written["description"] = NO_SKILLS_LINE.sub("", written["description"])  # the prompt's line, copied
    written["market"] = [market.model_dump(mode="json") for market in inputs.market]
    written["currency"] = reading.read(draft.need, draft.answers).currency
    written["not_asked"] = result.not_asked
    JobDraft.objects.filter(pk=draft.pk, status=JobDraft.Status.DRAFTING, revision=revision).update(
        draft=written,
        source=result.source,
        audit_ids=draft.audit_ids + ([result.audit_id] if result.audit_id else []),
        status=JobDraft.Status.DRAFTED,
    )
    return JobDraft.objects.get(pk=draft.pk)


def job_fields(draft: JobDraft) -> dict:
    """Uma's draft as a job's fields (job_create's), for the client to edit."""
    written = draft.draft
    description = written.get("description", "")
    if written.get("deliverables"):
        description += "\n\nDeliverables:\n" + "\n".join(f"- {item}" for item in written["deliverables"])
    skills = list(written.get("skills", []))
    return {
        "title": written.get("title", "")[:TITLE_LIMIT],
        "description": description,
        "category": category_of(skills)[1],
        "skills": skills,
        "contract_type": written.get("contract_type", ContractType.FIXED),
        "budget_min": Decimal(str(written["budget_min"])) if written.get("budget_min") is not None else None,
        "budget_max": Decimal(str(written["budget_max"])) if written.get("budget_max") is not None else None,
        "currency": written.get("currency", "USD"),
        "duration": written.get("duration", JobPost.Duration.ONE_TO_THREE),
        "experience_level": written.get("experience_level", JobPost.Level.INTERMEDIATE),
        "publish": True,
    }


@transaction.atomic
def job_draft_post(*, draft: JobDraft, by: User, skills: list[str], publish: bool = False, **fields: object) -> JobPost:
    """The client's edited post becomes a job (published only by their click), once per draft."""
    require_person(by, "post")
    policies.require_member(by, draft.organization)
    draft = lock(draft)
    move(draft, JobDraft.Status.POSTED, action="post this draft")
    job = job_create(organization=draft.organization, by=by, skills=skills, publish=publish, **fields)
    draft.job = job
    draft.save(update_fields=["status", "job", "updated_at"])
    return job
