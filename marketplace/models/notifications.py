"""In-app notifications (the bell) and the email that may follow each."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from marketplace.models.accounts import User


class Notification(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL_RECEIVED = "proposal_received", "A proposal on your job"
        PROPOSAL_UPDATED = "proposal_updated", "Your proposal changed status"
        INVITATION_RECEIVED = "invitation_received", "An invitation to a job"
        INVITATION_ANSWERED = "invitation_answered", "A freelancer answered your invitation"
        CONTRACT_STARTED = "contract_started", "A contract started"
        CONTRACT_ENDED = "contract_ended", "A contract ended"
        MILESTONE_SUBMITTED = "milestone_submitted", "Work submitted for review"
        MILESTONE_REVIEWED = "milestone_reviewed", "Your submission was reviewed"
        PAYMENT_RELEASED = "payment_released", "A payment was released to you"
        MESSAGE_RECEIVED = "message_received", "A new message"
        FEEDBACK_RECEIVED = "feedback_received", "Feedback on a contract"
        OFFER = "offer", "Offers"
        RISK = "risk", "A contract needs attention"
        INTERVIEW = "interview", "An instant interview to answer"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The event this is about ("message:812"): the same event never notifies a person twice.
    event_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "event_key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"


class OutgoingEmail(models.Model):
    """An email to send once: its key names the event, sent_at is set by the one worker that sends it."""

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_preference")
    email_enabled = models.BooleanField(default=True)
    email_muted_kinds = ArrayField(
        models.CharField(max_length=32, choices=Notification.Kind.choices), default=list, blank=True
    )

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"

    def wants_email(self, kind: str) -> bool:
        return self.email_enabled and kind not in self.email_muted_kinds
