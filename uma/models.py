"""Uma's own tables. AuditRecord: every AI output, append-only (enforced by the database)."""

from __future__ import annotations

from django.db import models


class AuditRecord(models.Model):
    class Source(models.TextChoices):
        MODEL = "model", "Model"
        FALLBACK = "fallback", "Deterministic fallback"
        HUMAN = "human", "A person's decision on a recommendation"

    task = models.CharField(max_length=60)
    model_version = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=60)
    actor = models.CharField(max_length=200, blank=True, help_text="who decided (human decisions only)")
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


class ModelVersion(models.Model):
    """A fine-tuned adapter for one task, from training to promotion. At most one is active per task;
    tasks with none active run on the untuned base."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    task = models.CharField(max_length=60)
    name = models.CharField(max_length=120, unique=True, help_text="<task>-<date>-<hash>")
    base_model = models.CharField(max_length=200)
    adapter_path = models.CharField(max_length=500, help_text="folder of the LoRA adapter")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    dataset_hash = models.CharField(max_length=64)
    hyperparameters = models.JSONField(default=dict)
    train_examples = models.PositiveIntegerField(default=0)
    train_seconds = models.FloatField(default=0)
    scores = models.JSONField(default=dict, blank=True, help_text="the last uma_eval of this version")
    base_scores = models.JSONField(default=dict, blank=True, help_text="the untuned base, same eval run")
    report_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="active"), name="uma_one_active_version_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class Promotion(models.Model):
    """Every promotion and rollback, in order (what uma_rollback walks back)."""

    task = models.CharField(max_length=60)
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="promotions")
    previous = models.ForeignKey(ModelVersion, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=[("promote", "Promote"), ("rollback", "Roll back")])
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.version.name}"
