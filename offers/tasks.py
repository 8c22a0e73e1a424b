"""Offer jobs for Celery: thin, by id, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from offers.services import summaries, sweep


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def version_summarise(*, version_id: int) -> None:
    """Uma's summary of a counter (runs on the llm queue)."""
    summaries.version_summarise(version_id=version_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def offers_sweep() -> dict[str, int]:
    """Beat: expire offers that waited past their window, remind whoever must answer a day before, and
    queue again summaries that were never made."""
    grace = timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    return {
        "expired": len(sweep.offers_expire()),
        "reminded": len(sweep.offers_remind()),
        "summaries_requeued": len(sweep.summaries_resume(older_than=grace)),
    }
