"""Background jobs of hiring: thin wrappers over hiring.services. Uma's work goes on the llm queue."""

from celery import shared_task


@shared_task(queue="llm", acks_late=True, time_limit=120, soft_time_limit=100)
def job_draft_ask(*, draft_id: int) -> None:
    from hiring.services.job_drafts import job_draft_ask as ask

    ask(draft_id=draft_id)


@shared_task(queue="llm", acks_late=True, time_limit=180, soft_time_limit=160)
def job_draft_write(*, draft_id: int, revision: int) -> None:
    from hiring.services.job_drafts import job_draft_write as write

    write(draft_id=draft_id, revision=revision)


@shared_task(queue="llm", acks_late=True, time_limit=600, soft_time_limit=540)
def proposals_assess(*, proposal_ids: list[int]) -> None:
    from hiring.services.proposals import proposal_assess

    for proposal_id in proposal_ids:
        proposal_assess(proposal_id=proposal_id)


@shared_task(queue="llm", acks_late=True, time_limit=180, soft_time_limit=160)
def interview_questions_write(*, job_id: int, version: str) -> None:
    from hiring.services.interviews import interview_questions_write as write

    write(job_id=job_id, version=version)


@shared_task(queue="llm", acks_late=True, time_limit=300, soft_time_limit=280)
def interview_assess(*, proposal_id: int) -> None:
    from hiring.services.interviews import interview_assess as assess

    assess(proposal_id=proposal_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def interview_invite(*, proposal_id: int) -> None:
    from hiring.services.interviews import interview_invite as invite

    invite(proposal_id=proposal_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def interview_invite_applicants(*, job_id: int) -> None:
    from hiring.services.interviews import interview_invite_applicants as invite

    invite(job_id=job_id)
