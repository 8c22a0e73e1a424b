"""Contracts and the work done under them: milestones and submissions, time logs, feedback."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from marketplace.models.accounts import Organization, User
from marketplace.models.jobs import ContractType, JobPost
from marketplace.models.money import amount_field, currency_field, rate_field
from marketplace.models.text import MEDIUM, SHORT, LineField, long_text

HORIZON_YEARS = 5  # a start or due date at most this far ahead: "9999-12-31" is a slip of the keyboard, not a plan


def beyond_horizon(day: date, today: date) -> bool:
    return day > today + timedelta(days=365 * HORIZON_YEARS)


class Terms(models.Model):
    """The terms a contract runs on (and an offer version proposes): type, price, limit, scope."""

    contract_type = models.CharField(max_length=8, choices=ContractType.choices)
    hourly_rate = rate_field(null=True, blank=True)
    fixed_amount = amount_field(null=True, blank=True)
    currency = currency_field()
    weekly_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    scope = long_text(MEDIUM, blank=True)

    class Meta:
        abstract = True


class Contract(Terms):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"
        CANCELLED = "cancelled", "Cancelled"

    class EndReason(models.TextChoices):
        COMPLETED = "completed", "Work completed"
        UNRESPONSIVE = "unresponsive", "Freelancer stopped responding"
        REPLACED = "replaced", "Replaced by another freelancer"
        NOT_NEEDED = "not_needed", "Work no longer needed"
        QUALITY = "quality", "Quality of work"
        OTHER = "other", "Other"

    TRANSITIONS = {
        Status.ACTIVE: {Status.PAUSED, Status.ENDED, Status.CANCELLED},
        Status.PAUSED: {Status.ACTIVE, Status.ENDED, Status.CANCELLED},
        Status.ENDED: set(),
        Status.CANCELLED: set(),
    }
    # Reasons that count as the contract ending well for the freelancer's job success score.
    GOOD_ENDINGS = {EndReason.COMPLETED, EndReason.NOT_NEEDED}

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="contracts")
    client = models.ForeignKey(User, on_delete=models.PROTECT, related_name="contracts_as_client")
    freelancer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="contracts_as_freelancer")
    job = models.ForeignKey(JobPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts")
    title = LineField(max_length=120)
    start_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = long_text(SHORT, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    # Who asked for this contract to exist ("offer:42"): creating it twice is impossible.
    source_ref = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "contract_type"], name="contract_status_type")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contract_type=ContractType.HOURLY, hourly_rate__isnull=False)
                    | models.Q(contract_type=ContractType.FIXED, fixed_amount__isnull=False)
                ),
                name="contract_has_its_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.freelancer})"

    def get_absolute_url(self) -> str:
        return reverse("contract_room", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in {self.Status.ACTIVE, self.Status.PAUSED}

    @property
    def has_started(self) -> bool:
        """Whether the start date has come (a contract may be agreed today to start next week)."""
        return self.start_date <= timezone.localdate()


class Milestone(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUBMITTED = "submitted", "Submitted"
        REVISION_REQUESTED = "revision_requested", "Revision requested"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    TRANSITIONS = {
        Status.ACTIVE: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.REVISION_REQUESTED},
        Status.REVISION_REQUESTED: {Status.SUBMITTED},
        Status.APPROVED: {Status.PAID},
        Status.PAID: set(),
    }

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = LineField(max_length=120)
    description = long_text(MEDIUM, blank=True)
    amount = amount_field()
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    revision_count = models.PositiveSmallIntegerField(default=0)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "position"]
        constraints = [models.UniqueConstraint(fields=["contract", "position"], name="milestone_position_unique")]
        indexes = [models.Index(fields=["status", "due_date"], name="milestone_status_due")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MilestoneSubmission(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REVISION_REQUESTED = "revision_requested", "Revision requested"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = long_text(MEDIUM)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    review_reason = long_text(SHORT, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Submission for {self.milestone}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Where an upload is stored: a random name, so no path can be guessed from the original name
    (kept in `name` for the download). Files are served only by the download view, which checks
    who may see them (never from MEDIA_URL)."""
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A checked upload (size and type, marketplace.services.files) on a submission or a message."""

    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        MilestoneSubmission, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    message = models.ForeignKey(
        "marketplace.Message", on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attachment", args=[self.pk])


class TimeLog(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="time_logs")
    date = models.DateField()
    hours = models.DecimalField(
        max_digits=4, decimal_places=2, validators=[MinValueValidator(0.25), MaxValueValidator(24)]
    )
    memo = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["contract", "date"], name="timelog_contract_date")]

    def __str__(self) -> str:
        return f"{self.hours}h on {self.date}"


class Feedback(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="feedback_given")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="feedback_received")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    review = long_text(MEDIUM, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "author"], name="feedback_once_per_side"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ for {self.recipient}"
