"""Background jobs of the recruiter: thin wrappers over recruiter.services."""

from celery import shared_task

from marketplace.services.embedding_store import KINDS


@shared_task(queue="embeddings", acks_late=True, time_limit=300, soft_time_limit=270)
def embeddings_refresh(*, kind: str | None = None, after_id: int = 0) -> None:
    """Re-embed what changed, a batch per run, re-queued until the table is done (beat: every 5 minutes)."""
    from recruiter.services.embeddings import embeddings_refresh_batch

    for current in [kind] if kind else KINDS:
        result = embeddings_refresh_batch(kind=current, after_id=after_id if kind else 0)
        if result.last_id is not None:
            embeddings_refresh.delay(kind=current, after_id=result.last_id)


# --- Risk -------------------------------------------------------------------------------------------


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def risk_scan(*, after_id: int = 0) -> None:
    """Scan a batch of active contracts for risk, re-queued until all are done (beat: every 30 minutes)."""
    from recruiter.services.cases import contracts_scan_batch

    batch = contracts_scan_batch(after_id=after_id)
    if batch.last_id is not None:
        risk_scan.delay(after_id=batch.last_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def contract_check(*, contract_id: int) -> None:
    """Assess one contract right after an event on it (a concern, a revision request, a message)."""
    from recruiter.services.cases import contract_check_now

    contract_check_now(contract_id=contract_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def cases_start(*, case_ids: list[int]) -> None:
    from recruiter.services.cases import case_start

    for case_id in case_ids:
        case_start(case_id=case_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def shortlists_resume() -> int:
    """Beat: queue again shortlists that stopped moving (a killed worker, a broker that was down)."""
    from datetime import timedelta

    from django.conf import settings

    from recruiter.services.cases import shortlists_resume as resume

    return len(resume(older_than=timedelta(minutes=settings.RECRUITER_RESUME_MINUTES)))


# --- Shortlists and invitations (the llm queue) ------------------------------------------------------


@shared_task(queue="llm", acks_late=True, time_limit=900, soft_time_limit=840)
def shortlist_build(*, case_id: int, round_: int) -> None:
    from recruiter.services.shortlists import shortlist_build as build

    build(case_id=case_id, round_=round_)


@shared_task(queue="llm", acks_late=True, time_limit=600, soft_time_limit=540)
def invitations_draft(*, entry_ids: list[int]) -> None:
    from recruiter.services.invitations import draft_write

    for entry_id in entry_ids:
        draft_write(entry_id=entry_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def invitation_answered(*, invitation_id: int) -> None:
    from recruiter.services.invitations import invitation_answered as answered

    answered(invitation_id=invitation_id)
