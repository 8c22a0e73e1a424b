"""Background jobs of the recruiter: thin wrappers over recruiter.services."""

from celery import shared_task

from marketplace.services.embedding_store import KINDS


@shared_task(queue="embeddings", acks_late=True, time_limit=300, soft_time_limit=270)
def embeddings_refresh(*, kind: str | None = None, after_id: int = 0) -> None:
    """Re-embed what changed, a batch per run, re-queued until the table is done (beat: every 5 minutes)."""
    from recruiter.services import embeddings_refresh_batch

    for current in [kind] if kind else KINDS:
        result = embeddings_refresh_batch(kind=current, after_id=after_id if kind else 0)
        if result.last_id is not None:
            embeddings_refresh.delay(kind=current, after_id=result.last_id)
