"""Offers, their immutable versions, and what trust & safety decided about them.

An offer's terms are only ever added to: each set of terms is an OfferVersion (a PostgreSQL
trigger refuses UPDATE and DELETE on them), and the offer's current terms are its latest version.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from marketplace.models import Attachment, Contract, Invitation, JobPost, Organization, Proposal, User
from marketplace.models.contracts import Terms
from marketplace.models.money import currency_field
from marketplace.models.text import LineField


class Side(models.TextChoices):
    CLIENT = "client", "Client"
    FREELANCER = "freelancer", "Freelancer"


class Offer(models.Model):
    class Kind(models.TextChoices):
        HIRE = "hire", "Offer to hire"
        CHANGE = "change", "Change to a live contract"

    class Status(models.TextChoices):
        HELD = "held", "Held for review"
        OPEN = "open", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"
        REMOVED = "removed", "Removed by trust & safety"

    class WithdrawReason(models.TextChoices):
        EDIT_TERMS = "edit_terms", "The terms needed editing"
        HIRED_OTHER = "hired_other", "Hired someone else"
        CANCELLED = "cancelled", "Project cancelled"
        OTHER = "other", "Other"

    TRANSITIONS = {
        Status.HELD: {Status.OPEN, Status.WITHDRAWN, Status.REMOVED},
        Status.OPEN: {
            Status.HELD,
            Status.ACCEPTED,
            Status.DECLINED,
            Status.REJECTED,
            Status.WITHDRAWN,
            Status.EXPIRED,
            Status.REMOVED,
        },
        Status.ACCEPTED: set(),
        Status.DECLINED: set(),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
        Status.EXPIRED: set(),
        Status.REMOVED: set(),
    }
    LIVE = (Status.HELD, Status.OPEN)

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.HIRE)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="offers")
    client = models.ForeignKey(User, on_delete=models.PROTECT, related_name="offers_sent")
    freelancer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="offers_received")
    job = models.ForeignKey(JobPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    # HIRE: the contract the accepted offer created. CHANGE: the live contract being changed.
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="offers")
    title = LineField(max_length=120)
    currency = currency_field()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Whose answer the latest version waits for.
    awaiting = models.CharField(max_length=10, choices=Side.choices, blank=True)
    # The number of the latest version: every action names the one it was made against.
    version_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    reminded_version = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)  # first seen by the freelancer
    warning = models.BooleanField(default=False)  # delivered with a trust & safety warning
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdraw_reason = models.CharField(max_length=12, choices=WithdrawReason.choices, blank=True)
    close_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="offer_status_expiry"),
            models.Index(fields=["freelancer", "status"], name="offer_freelancer_status"),
        ]
        constraints = [
            # At most one pending change request per live contract.
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(kind="change", status__in=["held", "open"]),
                name="offer_one_open_change_per_contract",
            ),
            models.UniqueConstraint(
                fields=["contract"], condition=models.Q(kind="hire"), name="offer_hire_makes_one_contract"
            ),
            # One live offer to hire per freelancer, organisation and job (or none): sent twice at once,
            # the second is refused by the database, not only by the check before it.
            models.UniqueConstraint(
                fields=["organization", "freelancer", "job"],
                condition=models.Q(kind="hire", status__in=["held", "open"]),
                nulls_distinct=False,
                name="offer_one_live_hire_per_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.freelancer})"

    def get_absolute_url(self) -> str:
        return reverse("offer_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def accepted_version(self) -> int | None:
        """The version both sides agreed to: the last one, once accepted (versions stop there)."""
        return self.version_count if self.status == self.Status.ACCEPTED else None


class OfferVersion(Terms):
    """One set of terms. Never changed after it is written (enforced by the database)."""

    class Kind(models.TextChoices):
        SENT = "sent", "Offer sent"
        COUNTER = "counter", "Requested changes"
        REVERT = "revert", "Proposed earlier terms again"
        RESTORED = "restored", "Rejected the changes; earlier terms stand"
        PROPOSED = "proposed", "Proposed a change"
        IN_FORCE = "in_force", "Terms in force"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    author_side = models.CharField(max_length=10, choices=Side.choices)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    message = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    # [{"title": "...", "amount": "500.00", "due_date": "2026-12-03"}, ...] in order.
    milestones = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offer", "number"]
        constraints = [models.UniqueConstraint(fields=["offer", "number"], name="offer_version_number_once")]

    def __str__(self) -> str:
        return f"{self.offer_id} v{self.number}"


class OfferAttachment(models.Model):
    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, related_name="attachments")
    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.attachment)


class VersionSummary(models.Model):
    """Uma's plain-words summary of what a version changed (from the model, or the diff sentence)."""

    version = models.OneToOneField(OfferVersion, on_delete=models.CASCADE, related_name="summary")
    text = models.CharField(max_length=320)
    source = models.CharField(max_length=10)  # "model" or "fallback"
    model_version = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text


class SafetyFlag(models.Model):
    """A screening result or a report on an offer, and what trust & safety decided about it."""

    class Source(models.TextChoices):
        SCREEN = "screen", "Automatic screening"
        REPORT = "report", "Reported by the freelancer"

    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium (delivered with a warning)"
        HIGH = "high", "High (held for review)"

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        WARNED = "warned", "Delivered with a warning"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected (offer removed)"
        DISMISSED = "dismissed", "Dismissed"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="flags")
    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices)
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8, choices=Level.choices)
    reasons = models.JSONField(default=list)  # ["an email address (x@y.z)", ...]
    reported_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    report_note = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "trust & safety flag"

    def __str__(self) -> str:
        return f"{self.get_source_display()} on offer {self.offer_id}: {self.level} ({self.score})"
