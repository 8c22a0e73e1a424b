"""The AI recruiter's tables: a risk case per contract in trouble, its replacement shortlist, what
happened on it (client and recruiter actions), and the client's own "I'm concerned" flags."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from marketplace.models import Contract, Invitation, JobPost, User


class RiskCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SHORTLIST_READY = "shortlist_ready", "Shortlist ready"
        CLIENT_REVIEWING = "client_reviewing", "Client reviewing"
        ESCALATED = "escalated", "With a recruiter"
        REPLACED = "replaced", "Replaced"
        RESOLVED = "resolved", "Resolved (contract recovered)"
        CLOSED = "closed", "Closed"

    class Service(models.TextChoices):
        ALERT = "alert", "Alert only"
        SHORTLIST = "shortlist", "AI shortlist and invitations"
        HUMAN = "human", "Human recruiter"

    LIVE = (Status.OPEN, Status.SHORTLIST_READY, Status.CLIENT_REVIEWING, Status.ESCALATED)
    TRANSITIONS = {
        Status.OPEN: {Status.SHORTLIST_READY, Status.ESCALATED, Status.RESOLVED, Status.CLOSED},
        Status.SHORTLIST_READY: {Status.CLIENT_REVIEWING, Status.ESCALATED, Status.RESOLVED, Status.CLOSED},
        Status.CLIENT_REVIEWING: {Status.REPLACED, Status.ESCALATED, Status.RESOLVED, Status.CLOSED},
        Status.ESCALATED: {Status.CLIENT_REVIEWING, Status.REPLACED, Status.RESOLVED, Status.CLOSED},
        Status.REPLACED: {Status.CLOSED},
        Status.RESOLVED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="risk_cases")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    service = models.CharField(max_length=10, choices=Service.choices, help_text="what the client's plan gives")
    score = models.PositiveSmallIntegerField(default=0)
    signals = models.JSONField(default=list, help_text="[{code, reason, weight}] from the last scan")
    preferences = models.JSONField(default=list, blank=True, help_text="what the client asked the shortlist for")
    shortlist_round = models.PositiveSmallIntegerField(default=0)
    shortlist_state = models.CharField(max_length=10, default="none", help_text="none, building, ready, failed")
    escalation_reasons = models.JSONField(default=list, blank=True)
    replacement_job = models.ForeignKey(JobPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offer_on_accept = models.BooleanField(default=True, help_text="send the old terms as an offer when one accepts")
    assigned_to = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_cases_assigned"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField()
    shortlist_at = models.DateTimeField(null=True, blank=True)
    first_invite_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status__in=["open", "shortlist_ready", "client_reviewing", "escalated"]),
                name="risk_case_one_live_per_contract",
            )
        ]
        indexes = [models.Index(fields=["status", "sla_due_at"], name="risk_case_status_sla")]

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.contract.title}"

    def get_absolute_url(self) -> str:
        return reverse("recruiter:case", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class ShortlistEntry(models.Model):
    """One candidate in one round of a case's shortlist, with Uma's reasoning and the invitation draft."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being reasoned about"
        READY = "ready", "Ready"
        REMOVED = "removed", "Removed"
        SKIPPED = "skipped", "Skipped"

    case = models.ForeignKey(RiskCase, on_delete=models.CASCADE, related_name="entries")
    round = models.PositiveSmallIntegerField()
    freelancer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    retrieval = models.JSONField(default=dict, help_text="ranks and features behind the position")
    facts = models.JSONField(default=dict, help_text="the facts Uma reasoned over")
    verdict = models.CharField(max_length=10, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    explanation = models.TextField(blank=True)
    source = models.CharField(max_length=10, blank=True, help_text="model or fallback")
    model_version = models.CharField(max_length=200, blank=True)
    audit_id = models.BigIntegerField(null=True, blank=True, help_text="Uma's audit record of the reasoning")
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True, help_text="why removed, skipped or added")
    draft = models.TextField(blank=True)
    draft_source = models.CharField(max_length=10, blank=True)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="shortlist_entry"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "round", "position"]
        verbose_name = "shortlist entry"
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(fields=["case", "round", "freelancer"], name="shortlist_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.freelancer} for case {self.case_id}"


class CaseEvent(models.Model):
    """What happened on a case and who did it (None: the system), in order."""

    case = models.ForeignKey(RiskCase, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id}"


class ContractConcern(models.Model):
    """A client saying "I'm worried about this contract": a risk signal on its own."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    wants_person = models.BooleanField(default=False, help_text="the client asked for a human recruiter")
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Concern on {self.contract_id}"
