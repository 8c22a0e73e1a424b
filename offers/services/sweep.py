"""Expiry and reminders, run by Celery beat. Each row is claimed by one conditional UPDATE, so running
twice, or two runs at once, changes and notifies nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.services.transitions import sources
from offers.models import Offer, OfferVersion
from offers.services.events import offer_event


def _claimed(ids: list[int]) -> Iterator[tuple[Offer, OfferVersion]]:
    """The claimed offers with their latest versions, in two queries."""
    latest = {
        v.offer_id: v
        for v in OfferVersion.objects.filter(offer_id__in=ids).order_by("offer_id", "-number").distinct("offer_id")
    }
    for offer in Offer.objects.filter(pk__in=ids).select_related("organization", "client", "freelancer"):
        yield offer, latest[offer.pk]


@transaction.atomic
def offers_expire(*, now=None) -> list[int]:  # noqa: ANN001
    """Expire every open offer whose latest version waited past its window; notify both sides."""
    now = now or timezone.now()
    due = Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now)
    claimed = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
    expirable = sources(Offer, Offer.Status.EXPIRED)  # claimed by a conditional UPDATE, checked as any move
    Offer.objects.filter(pk__in=claimed, status__in=expirable).update(
        status=Offer.Status.EXPIRED, closed_at=now, awaiting=""
    )
    for offer, latest in _claimed(claimed):
        offer_event(offer, version=latest, by=None, event="expired")
    return claimed


@transaction.atomic
def offers_remind(*, now=None) -> list[int]:  # noqa: ANN001
    """Remind whoever must answer, once per version, when a version expires within the reminder window."""
    now = now or timezone.now()
    window = now + timedelta(hours=settings.OFFERS_REMIND_HOURS)
    due = Offer.objects.filter(
        status=Offer.Status.OPEN, expires_at__gt=now, expires_at__lte=window, reminded_version__lt=F("version_count")
    )
    claimed = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
    Offer.objects.filter(pk__in=claimed, reminded_version__lt=F("version_count")).update(
        reminded_version=F("version_count")
    )
    for offer, latest in _claimed(claimed):
        waiting = offer.freelancer if offer.awaiting == "freelancer" else offer.client
        offer_event(offer, version=latest, by=None, event="reminder", to=[waiting])
    return claimed


def summaries_resume(*, older_than: timedelta, limit: int = 200) -> list[int]:
    """Queue again the summaries of counters whose summary was never made (the broker was down when the
    counter was saved, or the task was lost). Making a summary twice makes it once."""
    from offers.tasks import version_summarise

    cutoff = timezone.now() - older_than
    missing = list(
        OfferVersion.objects.filter(based_on__isnull=False, summary__isnull=True, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for version_id in missing:
        version_summarise.delay(version_id=version_id)
    return missing
