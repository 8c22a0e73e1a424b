"""Reads: the offer page, offer lists, and the negotiation metrics (overall and by plan)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DateField, Exists, F, FloatField, Func, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from marketplace.models import User
from marketplace.selectors import Percentile
from offers.models import Offer, OfferVersion, Side
from offers.policies import offers_visible

# What an offer list may be narrowed to: all, the live ones, or one status ("" is all of them too).
LIST_STATUSES = ("all", "live", *Offer.Status.values)


def offers_for_list(*, user: User, status: str = "") -> QuerySet[Offer]:
    if status and status not in LIST_STATUSES:
        raise ValidationError({"status": f"Show offers by one of: {', '.join(LIST_STATUSES)}."})
    rows = offers_visible(user).select_related("organization", "client", "freelancer", "job")
    if status == "live":
        rows = rows.filter(status__in=Offer.LIVE)
    elif status and status != "all":
        rows = rows.filter(status=status)
    return rows.order_by("-created_at")


def offer_versions(offer: Offer) -> list[OfferVersion]:
    """All versions, oldest first, with what each page shows about them."""
    return list(
        offer.versions.select_related("author", "summary", "based_on")
        .prefetch_related(Prefetch("attachments__attachment"))
        .order_by("number")
    )


class DaysBetween(Func):
    """date - date in PostgreSQL: whole days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = FloatField()


def _figures(rows: QuerySet[Offer]) -> dict:
    countered = OfferVersion.objects.filter(offer=OuterRef("pk"), kind="counter", author_side=Side.FREELANCER)
    rows = rows.annotate(was_countered=Exists(countered))
    to_start = DaysBetween(F("contract__start_date"), Cast(F("created_at"), DateField()))
    figures = rows.aggregate(
        sent=Count("pk"),
        decided=Count("pk", filter=~Q(status__in=Offer.LIVE)),
        accepted=Count("pk", filter=Q(status=Offer.Status.ACCEPTED)),
        mature=Count("pk", filter=Q(created_at__lte=Func(template="now() - interval '7 days'"))),
        accepted_7d=Count(
            "pk",
            filter=Q(
                status=Offer.Status.ACCEPTED,
                closed_at__lte=F("created_at") + timedelta(days=7),
                created_at__lte=Func(template="now() - interval '7 days'"),
            ),
        ),
        countered=Count("pk", filter=Q(was_countered=True)),
        expired=Count("pk", filter=Q(status=Offer.Status.EXPIRED)),
        withdrawn=Count("pk", filter=Q(status=Offer.Status.WITHDRAWN)),
        rounds=Avg("version_count", filter=Q(status=Offer.Status.ACCEPTED)),
        median_rounds=Percentile("version_count", 0.5, filter=Q(status=Offer.Status.ACCEPTED)),
        median_days_to_start=Percentile(to_start, 0.5, filter=Q(status=Offer.Status.ACCEPTED)),
    )

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    reasons = dict(
        rows.filter(status=Offer.Status.WITHDRAWN).values_list("withdraw_reason").annotate(n=Count("pk")).order_by()
    )
    return {
        "offers": figures["sent"],
        "acceptance_rate_7d": share(figures["accepted_7d"], figures["mature"]),
        "countered_share": share(figures["countered"], figures["sent"]),
        "rounds_to_agreement_mean": round(figures["rounds"], 2) if figures["rounds"] is not None else None,
        "rounds_to_agreement_median": float(figures["median_rounds"]) if figures["median_rounds"] is not None else None,
        "expiry_rate": share(figures["expired"], figures["decided"]),
        "withdrawal_reasons": {label: reasons.get(value, 0) for value, label in Offer.WithdrawReason.choices},
        "median_days_first_offer_to_start": (
            float(figures["median_days_to_start"]) if figures["median_days_to_start"] is not None else None
        ),
    }


def offers_metrics() -> dict:
    """Negotiation figures for offers to hire: overall and per client plan."""
    hires = Offer.objects.filter(kind=Offer.Kind.HIRE)
    plans = hires.values_list("organization__plan", flat=True).distinct().order_by()
    return {
        "overall": _figures(hires),
        "by_plan": {plan: _figures(hires.filter(organization__plan=plan)) for plan in plans},
    }
