"""Background jobs of the marketplace. Thin: plain arguments in, one call out."""

from celery import shared_task
from django.core import management

TRANSIENT_MAIL_ERRORS = (OSError,)  # ConnectionError and TimeoutError are OSErrors


@shared_task(
    queue="default",
    acks_late=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def email_send(*, email_id: int) -> None:
    """Send one queued email (marketplace.models.OutgoingEmail); a second run sends nothing."""
    from marketplace.services.notifications import email_send as send

    send(email_id=email_id)


@shared_task(queue="default", acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def sessions_clear_expired() -> None:
    """Delete expired sessions (beat, nightly). Deleting what is already gone is a no-op."""
    management.call_command("clearsessions")


@shared_task(queue="default", acks_late=True, time_limit=300, soft_time_limit=280)
def idempotency_keys_sweep() -> int:
    """Forget Idempotency-Keys older than a day (beat, hourly); a second run finds none to forget."""
    from marketplace.api.idempotency import sweep

    return sweep()


@shared_task(queue="default", acks_late=True, time_limit=120, soft_time_limit=100)
def notification_emails_send(*, event_key: str) -> None:
    from marketplace.services.notifications import notification_emails_send as send

    send(event_key=event_key)


@shared_task(queue="default", acks_late=True, time_limit=120, soft_time_limit=100)
def freelancer_stats_refresh(*, user_id: int) -> None:
    from marketplace.services.stats import freelancer_stats_refresh as refresh

    refresh(user_id=user_id)


@shared_task(queue="default", acks_late=True, time_limit=600, soft_time_limit=570)
def freelancer_stats_refresh_all(*, after_id: int = 0, batch: int = 200) -> None:
    """Nightly: every freelancer's derived figures, a batch per run, re-queued until done."""
    from marketplace.services.stats import freelancer_stats_refresh_batch

    last = freelancer_stats_refresh_batch(after_id=after_id, limit=batch)
    if last is not None:
        freelancer_stats_refresh_all.delay(after_id=last, batch=batch)


@shared_task(queue="default", acks_late=True, time_limit=120, soft_time_limit=100)
def outbox_sweep() -> dict[str, int]:
    """Beat: queue again notification emails and emails recorded but never sent (e.g. Redis was down)."""
    from datetime import timedelta

    from django.conf import settings

    from marketplace.services.notifications import outbox_sweep as sweep

    events, emails = sweep(older_than=timedelta(seconds=settings.OUTBOX_GRACE_SECONDS))
    return {"events": len(events), "emails": len(emails)}


@shared_task(queue="embeddings", acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def search_terms_rebuild() -> int:
    """Nightly, beside the embeddings: count keyword search's terms again from the stored vectors and
    reweigh the profiles whose weights moved (search_index keeps them current as profiles change; this
    repairs drift, such as a deleted profile's terms). Running it twice gives the same counts."""
    from marketplace.services.search_index import search_terms_rebuild as rebuild

    return rebuild()
