"""Reads of more than one line, with their joins chosen here, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from marketplace import policies
from marketplace.models import (
    Contract,
    ContractType,
    FreelancerProfile,
    Invitation,
    JobPost,
    Membership,
    Message,
    Milestone,
    Notification,
    Organization,
    ProfileSkill,
    Proposal,
    TimeLog,
    User,
)
from marketplace.services.search_index import search_query


@dataclass(frozen=True)
class JobFilters:
    text: str = ""
    skills: tuple[str, ...] = ()
    category: int | None = None
    contract_type: str = ""
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> JobFilters:
        """From a job search's cleaned data, the page's form or the API's query (a field left out filters
        nothing; skills are names, blank ones dropped)."""
        category = data.get("category")
        return cls(
            text=data.get("q", ""),
            skills=tuple(name.strip() for name in data.get("skills") or () if name.strip()),
            category=category.pk if category else None,
            contract_type=data.get("contract_type", ""),
            budget_min=data.get("budget_min"),
            budget_max=data.get("budget_max"),
        )


def jobs_search(*, user: User, filters: JobFilters) -> QuerySet[JobPost]:
    """Open jobs matching the filters, best text match first (newest first without text)."""
    jobs = (
        JobPost.objects.filter(status=JobPost.Status.OPEN)
        .select_related("organization", "category")
        .prefetch_related("skills")
    )
    if filters.text.strip():
        query = search_query(filters.text)
        jobs = jobs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
        jobs = jobs.order_by("-rank", "-published_at")
    else:
        jobs = jobs.order_by("-published_at")
    if filters.skills:
        from marketplace.services.skills import skills_resolve

        for skill in skills_resolve(filters.skills):
            jobs = jobs.filter(skills=skill)
    if filters.category:
        jobs = jobs.filter(category_id=filters.category)
    if filters.contract_type:
        jobs = jobs.filter(contract_type=filters.contract_type)
    if filters.budget_min is not None:
        jobs = jobs.filter(budget_max__gte=filters.budget_min)
    if filters.budget_max is not None:
        jobs = jobs.filter(budget_min__lte=filters.budget_max)
    return jobs


def freelancers_search(*, text: str = "", skills: tuple[str, ...] = ()) -> QuerySet[FreelancerProfile]:
    profiles = FreelancerProfile.objects.select_related("user").prefetch_related(
        Prefetch("profile_skills", queryset=ProfileSkill.objects.select_related("skill"))
    )
    if text.strip():
        query = search_query(text)
        profiles = profiles.filter(Q(search_vector=query) | Q(user__last_name__iexact=text.strip()))
        profiles = profiles.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "pk")
    else:
        profiles = profiles.order_by("-job_success_score", "pk")
    if skills:
        from marketplace.services.skills import skills_resolve

        for skill in skills_resolve(skills):
            profiles = profiles.filter(profile_skills__skill=skill)
    return profiles


def org_hiring_history(*, organization: Organization) -> dict[str, object]:
    jobs = organization.jobs.exclude(status=JobPost.Status.DRAFT)
    posted = jobs.count()
    hired = jobs.filter(contracts__isnull=False).distinct().count()
    paid = Milestone.objects.filter(contract__organization=organization, status=Milestone.Status.PAID).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    hourly = TimeLog.objects.filter(contract__organization=organization).aggregate(
        total=Sum(ExpressionWrapper(F("hours") * F("contract__hourly_rate"), output_field=DecimalField()))
    )["total"] or Decimal(0)
    return {
        "jobs_posted": posted,
        "hire_rate": round(100 * hired / posted) if posted else None,
        "total_spent": (paid + hourly).quantize(Decimal("0.01")),
        "basis": "hire rate: published jobs with at least one contract; spent: paid milestones + logged hours × rate",
    }


def contracts_for_list(*, user: User) -> QuerySet[Contract]:
    return (
        policies.contracts_visible(user)
        .select_related("organization", "client", "freelancer", "job")
        .annotate(
            overdue=Count(
                "milestones",
                filter=Q(
                    milestones__due_date__lt=timezone.localdate(),
                    milestones__status__in=[Milestone.Status.ACTIVE, Milestone.Status.REVISION_REQUESTED],
                ),
            )
        )
        .order_by("-created_at")
    )


def contract_room(*, contract: Contract, user: User) -> dict[str, object]:
    milestones = list(contract.milestones.prefetch_related("submissions__files").order_by("position"))
    thread = getattr(contract, "thread", None)
    messages_ = (
        list(Message.objects.filter(thread=thread).select_related("sender").prefetch_related("files")) if thread else []
    )
    return {
        "contract": contract,
        "side": policies.contract_side(user, contract),
        "milestones": milestones,
        "time_logs": list(contract.time_logs.all()[:50]),
        "hours_total": contract.time_logs.aggregate(total=Sum("hours"))["total"] or Decimal(0),
        "thread": thread,
        "thread_messages": messages_,
        "seen_until": thread_seen_until(thread=thread, user=user) if thread else None,
        "feedback": list(contract.feedback.select_related("author")),
        "today": timezone.localdate(),
    }


def dashboard_context(*, user: User) -> dict[str, object]:
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    context: dict[str, object] = {"memberships": memberships}
    if user.is_client:
        org_ids = [m.organization_id for m in memberships]
        context["open_jobs"] = list(
            JobPost.objects.filter(organization_id__in=org_ids, status__in=["open", "draft"])
            .annotate(n_proposals=Count("proposals", filter=Q(proposals__status__in=["submitted", "shortlisted"])))
            .order_by("-created_at")[:20]
        )
        context["proposals_to_review"] = list(
            Proposal.objects.filter(job__organization_id__in=org_ids, status=Proposal.Status.SUBMITTED)
            .select_related("job", "freelancer")
            .order_by("-created_at")[:10]
        )
        context["contracts"] = list(contracts_for_list(user=user).filter(status__in=["active", "paused"])[:20])
        context["history"] = [(m.organization, org_hiring_history(organization=m.organization)) for m in memberships]
    elif user.is_freelancer:
        context["profile"] = FreelancerProfile.objects.filter(user=user).first()
        context["invitations"] = list(
            Invitation.objects.filter(freelancer=user, status=Invitation.Status.PENDING)
            .select_related("job__organization")
            .order_by("-created_at")[:10]
        )
        context["proposals"] = list(
            Proposal.objects.filter(freelancer=user).select_related("job").order_by("-created_at")[:10]
        )
        context["contracts"] = list(contracts_for_list(user=user).filter(status__in=["active", "paused"])[:20])
    return context


def thread_seen_until(*, thread, user: User):  # noqa: ANN001, ANN201
    """When the other side last read the thread (read receipts), or None."""
    from marketplace.models import ThreadRead

    reads = ThreadRead.objects.filter(thread=thread).exclude(user=user).order_by("-last_read_at")
    return reads.values_list("last_read_at", flat=True).first()


def unread_notifications(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- The market: what jobs with these skills agreed on ----------------------------------------------

MIN_SAMPLE = 5


class Percentile(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: object, fraction: float, **extra: object) -> None:
        super().__init__(expression, fraction=fraction, **extra)  # type: ignore[arg-type]


@dataclass(frozen=True)
class MarketRange:
    low: Decimal  # 25th percentile
    median: Decimal
    high: Decimal  # 75th percentile
    sample: int
    unit: str  # "/hr" or " total"


def market_range(*, skill_ids: list[int], contract_type: str, currency: str) -> MarketRange | None:
    """Percentiles of agreed rates (hourly) or totals (fixed) on contracts for jobs sharing a skill."""
    column = "hourly_rate" if contract_type == ContractType.HOURLY else "fixed_amount"
    contracts: QuerySet[Contract] = Contract.objects.filter(
        contract_type=contract_type, currency=currency, job__skills__in=skill_ids
    ).distinct()
    rows = Contract.objects.filter(pk__in=contracts.values("pk")).aggregate(
        n=Count("pk"),
        p25=Percentile(column, 0.25),
        p50=Percentile(column, 0.5),
        p75=Percentile(column, 0.75),
    )
    if not skill_ids or (rows["n"] or 0) < MIN_SAMPLE:
        return None
    unit = "/hr" if contract_type == ContractType.HOURLY else " total"
    low, median, high = (Decimal(str(rows[k])).quantize(Decimal("1")) for k in ("p25", "p50", "p75"))
    return MarketRange(low, median, high, rows["n"], unit)
