"""A job post Uma drafts with a client: their sentence, Uma's questions, their answers, Uma's draft, and
the job it became. Kept at every step, so a client who leaves loses nothing they typed."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from marketplace.models import JobPost, Organization, Proposal, User
from marketplace.models.text import long_text

NEED_LIMIT = 1000
ANSWER_LIMIT = 1000


class JobDraft(models.Model):
    class Status(models.TextChoices):
        ASKING = "asking", "Uma is reading the request"
        ANSWERING = "answering", "Waiting for answers"
        DRAFTING = "drafting", "Uma is drafting"
        DRAFTED = "drafted", "Drafted"
        POSTED = "posted", "Turned into a job"

    TRANSITIONS = {
        Status.ASKING: {Status.ANSWERING},
        Status.ANSWERING: {Status.DRAFTING},
        Status.DRAFTING: {Status.DRAFTED, Status.DRAFTING},
        Status.DRAFTED: {Status.DRAFTING, Status.POSTED},
        Status.POSTED: set(),
    }

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="job_drafts")
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="job_drafts")
    need = long_text(NEED_LIMIT, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKING)
    # [{"topic": ..., "text": ...}] from job_post_questions; {topic: answer} as the client typed them.
    questions = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # job_post_draft's answer, with the market figures it was given ("market").
    draft = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=10, blank=True)  # "model" or "fallback": who wrote the draft
    # Each "Draft my post" counts up; a worker's draft lands only if no newer request came meanwhile.
    revision = models.PositiveIntegerField(default=0)
    audit_ids = models.JSONField(default=list, blank=True)  # Uma's audit records for this draft
    job = models.OneToOneField(JobPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="uma_draft")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Job draft {self.pk}: {self.need[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:job_draft", args=[self.pk])


class UmaJudgement(models.Model):
    """What every stored judgement of Uma's carries: who made it and its audit record."""

    source = models.CharField(max_length=10)  # "model", or "fallback" (Tandem's rules)
    model_version = models.CharField(max_length=200, blank=True)
    audit_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ProposalAssessment(UmaJudgement):
    """Uma's verdict on one proposal ("Best matches"), made once and audited. The client decides."""

    class Verdict(models.TextChoices):
        STRONG = "strong", "Strong match"
        POSSIBLE = "possible", "Possible match"
        WEAK = "weak", "Weak match"

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="uma_assessment")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reasons = models.JSONField(default=list)
    explanation = models.TextField()
    facts = models.JSONField(default=dict)  # what Uma judged (the rationale task's input)

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} for proposal {self.proposal_id}"


class JobInterview(models.Model):
    """A job's instant interview: the client's questions, then up to three Uma writes from the post."""

    class Status(models.TextChoices):
        WRITING = "writing", "Uma is writing questions"
        READY = "ready", "Ready"

    job = models.OneToOneField(JobPost, on_delete=models.CASCADE, related_name="interview")
    questions = models.JSONField(default=list)  # [{"text": ..., "by": "client" | "uma"}]
    uma_count = models.PositiveSmallIntegerField(default=0)  # how many questions Uma is asked to add (0-3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    audit_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Interview for job {self.job_id}"


class InterviewTranscript(models.Model):
    """A freelancer's answers to a job's interview (the questions as they were when they started)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="interview")
    turns = models.JSONField(default=list)  # [{"question": ..., "answer": ...}]
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Interview answers for proposal {self.proposal_id}"


class InterviewAssessment(UmaJudgement):
    """Uma's assessment of a submitted interview: points quoting the transcript, a verdict, a summary."""

    class Verdict(models.TextChoices):
        FITS = "fits", "Fits"
        PARTLY = "partly", "Partly fits"
        DOESNT = "doesnt", "Doesn't fit"

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="interview_assessment")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    points = models.JSONField(default=list)  # [{"requirement", "shows", "quote"}]
    summary = models.TextField()
    flags = models.JSONField(default=list)  # set-aside instructions, answers not in English

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: interview of proposal {self.proposal_id}"
