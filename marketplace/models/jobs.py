"""Job posts, the proposals freelancers send, and the invitations clients send."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from pgvector.django import VectorField

from marketplace.models.accounts import Organization, User
from marketplace.models.money import amount_field, currency_field
from marketplace.models.skills import EMBEDDING_DIMENSIONS, Skill, SkillCategory, embedding_index
from marketplace.models.text import LONG, MEDIUM, SHORT, LineField, long_text


class ContractType(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    FIXED = "fixed", "Fixed price"


class JobPost(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        FILLED = "filled", "Filled"

    class Duration(models.TextChoices):
        UNDER_MONTH = "lt1m", "Less than a month"
        ONE_TO_THREE = "1to3m", "1 to 3 months"
        THREE_TO_SIX = "3to6m", "3 to 6 months"
        OVER_SIX = "gt6m", "More than 6 months"

    class Level(models.TextChoices):
        ENTRY = "entry", "Entry level"
        INTERMEDIATE = "intermediate", "Intermediate"
        EXPERT = "expert", "Expert"

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED, Status.FILLED},
        Status.CLOSED: {Status.OPEN},
        Status.FILLED: {Status.OPEN},
    }

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="jobs_posted")
    title = LineField(max_length=120)
    description = long_text(LONG)
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="jobs")
    skills = models.ManyToManyField(Skill, related_name="jobs", blank=True)
    contract_type = models.CharField(max_length=8, choices=ContractType.choices)
    budget_min = amount_field()
    budget_max = amount_field()
    currency = currency_field()
    duration = models.CharField(max_length=8, choices=Duration.choices, default=Duration.ONE_TO_THREE)
    weekly_hours = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    experience_level = models.CharField(max_length=16, choices=Level.choices, default=Level.INTERMEDIATE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    search_vector = SearchVectorField(null=True, editable=False)
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True, editable=False)
    embedding_hash = models.CharField(max_length=64, blank=True, editable=False)
    embedding_model = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="job_search_gin"),
            models.Index(fields=["status", "-published_at"], name="job_status_published"),
            embedding_index("job_embedding_hnsw"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__lte=models.F("budget_max")),
                name="job_budget_range",
                violation_error_message="The most you will pay can't be less than the least.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("job_detail", args=[self.pk])


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SHORTLISTED = "shortlisted", "Shortlisted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        HIRED = "hired", "Hired"

    TRANSITIONS = {
        Status.SUBMITTED: {Status.SHORTLISTED, Status.DECLINED, Status.WITHDRAWN, Status.HIRED},
        Status.SHORTLISTED: {Status.DECLINED, Status.WITHDRAWN, Status.HIRED},
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
        Status.HIRED: set(),
    }

    job = models.ForeignKey(JobPost, on_delete=models.CASCADE, related_name="proposals")
    freelancer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proposals")
    cover_letter = long_text(MEDIUM)
    bid_amount = amount_field(help_text="hourly rate for hourly jobs, total for fixed-price jobs")
    currency = currency_field()
    estimated_duration = models.CharField(max_length=8, choices=JobPost.Duration.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["job", "freelancer"], name="proposal_one_per_job")]

    def __str__(self) -> str:
        return f"{self.freelancer} → {self.job}"


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    TRANSITIONS = {Status.PENDING: {Status.ACCEPTED, Status.DECLINED}, Status.ACCEPTED: set(), Status.DECLINED: set()}

    job = models.ForeignKey(JobPost, on_delete=models.CASCADE, related_name="invitations")
    freelancer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    message = long_text(SHORT, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["job", "freelancer"], name="invitation_one_per_job")]

    def __str__(self) -> str:
        return f"{self.job} → {self.freelancer}"
