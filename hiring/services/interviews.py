"""Writes of instant interviews: the client's questions (and up to three of Uma's from the post), a
freelancer's answers, given in text at any time, and Uma's assessment of them (hiring issue). Uma writes
and assesses on the llm queue; the client reads the transcript beside the assessment and decides."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel

from hiring import tasks
from hiring.models import InterviewAssessment, InterviewTranscript, JobInterview
from marketplace import policies
from marketplace.errors import Conflict, InvalidInput, NotAllowed
from marketplace.models import JobPost, Proposal, User
from marketplace.models.text import text_check
from marketplace.services.common import created_once
from marketplace.services.notifications import notify
from marketplace.services.skill_matcher import skills_in_text
from marketplace.services.transitions import lock

OWN_MOST = 5  # the client's own questions
QUESTION_LIMIT = 300
ANSWER_LIMIT = 3000
OPEN = (Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED)  # proposals still in the running


@transaction.atomic
def interview_set(*, job: JobPost, by: User, questions: list[str], uma_count: int) -> JobInterview:
    """The job's interview: the client's questions (at most OWN_MOST), and how many Uma adds (0-3)."""
    policies.require_member(by, job.organization)
    own = [
        text_check(q, field=f"questions.{n}", limit=QUESTION_LIMIT, label="A question") for n, q in enumerate(questions)
    ]
    own = [q for q in own if q]
    if len(own) > OWN_MOST:
        raise InvalidInput(f"At most {OWN_MOST} questions of your own.", field="questions")
    if not 0 <= uma_count <= 3:
        raise InvalidInput("Uma adds 0 to 3 questions.", field="uma_count")
    if not own and not uma_count:
        raise InvalidInput("Ask at least one question, or let Uma add some.", field="questions")
    interview, _ = JobInterview.objects.select_for_update().get_or_create(job=job, defaults={"created_by": by})
    interview.questions = [{"text": q, "by": "client"} for q in own]
    interview.uma_count = uma_count
    interview.status = JobInterview.Status.WRITING if uma_count else JobInterview.Status.READY
    interview.save()
    if uma_count:
        tasks.interview_questions_write.delay_on_commit(job_id=job.pk, version=interview.updated_at.isoformat())
    else:
        tasks.interview_invite_applicants.delay_on_commit(job_id=job.pk)
    return interview


def job_needs(job: JobPost) -> list[str]:
    """What the job needs: the skills the client listed, else those the post names."""
    listed = list(job.skills.order_by("name").values_list("name", flat=True))
    return listed or skills_in_text(f"{job.title}\n{job.description}")


def questions_input(job: JobPost, *, asked: list[str], count: int) -> dict:
    """interview_questions' input for a job (the worker's, and synthetic data's)."""
    return {
        "title": job.title,
        "description": job.description[:3000],
        "skills": job_needs(job)[:20],
        "asked": asked,
        "count": count,
    }


def interview_questions_write(*, job_id: int, version: str) -> JobInterview | None:
    """Uma's questions from the post (worker). Safe to run twice, and never over newer questions."""
    from uma.llm.runner import run

    interview = (
        JobInterview.objects.select_related("job").filter(job_id=job_id, status=JobInterview.Status.WRITING).first()
    )
    if interview is None or interview.updated_at.isoformat() != version:
        return None
    job = interview.job
    own = [q["text"] for q in interview.questions if q["by"] == "client"]
    inputs = questions_input(job, asked=own, count=interview.uma_count)
    result = run("interview_questions", inputs, subject_ids={"job": job.pk})
    added = [{"text": q, "by": "uma"} for q in result.output.questions]  # type: ignore[attr-defined]
    JobInterview.objects.filter(
        pk=interview.pk, status=JobInterview.Status.WRITING, updated_at=interview.updated_at
    ).update(
        questions=interview.questions + added,
        status=JobInterview.Status.READY,
        audit_ids=interview.audit_ids + ([result.audit_id] if result.audit_id else []),
    )
    interview_invite_applicants(job_id=job.pk)
    return JobInterview.objects.get(pk=interview.pk)


def _ask_to_answer(proposals: list[Proposal]) -> None:
    for proposal in proposals:
        notify(
            users=[proposal.freelancer],
            kind="interview",
            event_key=f"interview:{proposal.pk}",  # once per proposal, however often asked
            title=f"“{proposal.job.title}” asks for an instant interview: answer when it suits you",
            url=f"/proposals/{proposal.pk}/interview/",
        )


def interview_invite(*, proposal_id: int) -> None:
    """Tell the freelancer a job they applied to asks for an instant interview, once it is ready (worker)."""
    proposal = Proposal.objects.select_related("job", "freelancer").filter(pk=proposal_id).first()
    if proposal and JobInterview.objects.filter(job_id=proposal.job_id, status=JobInterview.Status.READY).exists():
        _ask_to_answer([proposal])


def interview_invite_applicants(*, job_id: int) -> int:
    """Those who applied before the interview was ready are told too (worker; once each)."""
    if not JobInterview.objects.filter(job_id=job_id, status=JobInterview.Status.READY).exists():
        return 0
    waiting = Proposal.objects.filter(job_id=job_id, status__in=OPEN, interview__isnull=True)
    proposals = list(waiting.select_related("job", "freelancer"))
    _ask_to_answer(proposals)
    return len(proposals)


@transaction.atomic
def interview_answer(*, proposal: Proposal, by: User, answers: list[str], submit: bool = False) -> InterviewTranscript:
    """The freelancer's answers, kept as typed; `submit` hands them to the client and to Uma (once)."""
    if proposal.freelancer_id != getattr(by, "pk", None):
        raise NotAllowed("Only the freelancer who applied answers the interview.")
    interview = JobInterview.objects.filter(job_id=proposal.job_id, status=JobInterview.Status.READY).first()
    if interview is None:
        raise Conflict("This job has no interview to answer (yet).")
    transcript, _ = InterviewTranscript.objects.get_or_create(
        proposal=proposal, defaults={"turns": [{"question": q["text"], "answer": ""} for q in interview.questions]}
    )
    transcript = lock(transcript)
    if transcript.submitted_at:
        raise Conflict("You already sent your answers.")
    if len(answers) > len(transcript.turns):
        raise InvalidInput(f"This interview has {len(transcript.turns)} questions.", field="answers")
    for n, answer in enumerate(answers):
        transcript.turns[n]["answer"] = text_check(answer, field=f"answers.{n}", limit=ANSWER_LIMIT, label="An answer")
    if submit:
        if not any(t["answer"] for t in transcript.turns):
            raise InvalidInput("Answer at least one question before sending.", field="answers")
        transcript.submitted_at = timezone.now()
        tasks.interview_assess.delay_on_commit(proposal_id=proposal.pk)
    transcript.save()
    return transcript


def interview_assess(*, proposal_id: int) -> InterviewAssessment | None:
    """Uma's assessment of a submitted interview (worker). Safe to run twice."""
    from uma.llm.runner import run

    transcript = (
        InterviewTranscript.objects.select_related("proposal__job", "proposal__freelancer__freelancer_profile")
        .filter(proposal_id=proposal_id, submitted_at__isnull=False)
        .first()
    )
    if transcript is None:
        return None
    existing = InterviewAssessment.objects.filter(proposal_id=proposal_id).first()
    if existing:
        return existing
    proposal = transcript.proposal
    inputs = assessment_input(proposal.job, proposal.freelancer, transcript.turns)
    result = run("interview_assessment", inputs, subject_ids={"proposal": proposal.pk, "job": proposal.job_id})
    output = result.output
    return created_once(
        InterviewAssessment,
        key={"proposal": proposal},
        verdict=output.verdict,  # type: ignore[attr-defined]
        points=[point.model_dump() for point in output.points],  # type: ignore[attr-defined]
        summary=output.summary,  # type: ignore[attr-defined]
        flags=inputs.flags,  # type: ignore[attr-defined]
        source=result.source,
        model_version=result.model_version,
        audit_id=result.audit_id,
    )


def assessment_data(job: JobPost, freelancer: User, turns: list[dict]) -> dict:
    """interview_assessment's plain input (the worker's, and synthetic data's)."""
    profile = getattr(freelancer, "freelancer_profile", None)
    return {
        "job_title": job.title,
        "requirements": (job_needs(job) or [job.title[:80]])[:8],
        "profile_skills": list(profile.skills.values_list("name", flat=True))[:30] if profile else [],
        "transcript": turns[:8],
        "names": [n for n in (freelancer.first_name, freelancer.last_name) if n],
    }


def assessment_input(job: JobPost, freelancer: User, turns: list[dict]) -> BaseModel:
    """The input validated once: answers masked and screened for instructions to Uma (its flags)."""
    from uma.llm.runner import task_spec

    return task_spec("interview_assessment").input_model.model_validate(assessment_data(job, freelancer, turns))
