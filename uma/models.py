"""Uma's own tables. AuditRecord: every AI output, append-only (enforced by the database)."""

from __future__ import annotations

from django.db import models


class AuditRecord(models.Model):
    class Source(models.TextChoices):
        MODEL = "model", "Model"
        FALLBACK = "fallback", "Deterministic fallback"

    task = models.CharField(max_length=60)
    model_version = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=60)
    input_hash = models.CharField(max_length=64, help_text="sha256 of the validated input")
    subject_ids = models.JSONField(default=dict, blank=True, help_text="ids of what the input was about")
    retrieved_ids = models.JSONField(default=list, blank=True)
    output = models.JSONField()
    source = models.CharField(max_length=10, choices=Source.choices)
    grounded = models.BooleanField()
    grounding = models.JSONField(default=dict)
    attempts = models.JSONField(default=list, blank=True)
    latency_ms = models.FloatField()
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["task", "-created_at"], name="uma_audit_task_time")]

    def __str__(self) -> str:
        return f"{self.task} · {self.source} · {self.created_at:%Y-%m-%d %H:%M}"
