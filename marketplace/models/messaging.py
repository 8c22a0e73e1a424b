"""Conversations: one thread per contract, and one per job and freelancer before a hire."""

from __future__ import annotations

from django.db import models

from marketplace.models.accounts import Organization, User
from marketplace.models.contracts import Contract
from marketplace.models.jobs import JobPost
from marketplace.models.text import MEDIUM, long_text


class Thread(models.Model):
    """Between a client organisation (any member) and one freelancer."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="threads")
    freelancer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="threads")
    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="thread")
    job = models.ForeignKey(JobPost, on_delete=models.CASCADE, null=True, blank=True, related_name="threads")
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "freelancer"], condition=models.Q(contract__isnull=True), name="thread_per_job_pre_hire"
            ),
            models.CheckConstraint(
                condition=models.Q(contract__isnull=False) | models.Q(job__isnull=False), name="thread_has_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk}: {self.organization} ↔ {self.freelancer}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(User, on_delete=models.PROTECT, related_name="messages_sent")
    body = long_text(MEDIUM)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return f"{self.sender}: {self.body[:40]}"


class ThreadRead(models.Model):
    """Read receipts: everything in the thread up to last_read_at has been seen by user."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_read_unique")]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread_id} up to {self.last_read_at}"
