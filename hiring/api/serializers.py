from __future__ import annotations

from rest_framework import serializers

from hiring.models import (
    ANSWER_LIMIT,
    NEED_LIMIT,
    InterviewAssessment,
    InterviewTranscript,
    JobDraft,
    JobInterview,
)
from hiring.services import interviews
from marketplace.models import SkillCategory


class JobDraftStartSerializer(serializers.Serializer):
    need = serializers.CharField(max_length=NEED_LIMIT, allow_blank=True, trim_whitespace=True)


class JobDraftAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(max_length=ANSWER_LIMIT, allow_blank=True))
    draft = serializers.BooleanField(default=True, help_text="Ask Uma to draft the post (false: only save)")


class JobDraftSerializer(serializers.ModelSerializer):
    job_fields = serializers.SerializerMethodField(
        help_text="Uma's draft as the fields of POST /api/v1/job-drafts/<id>/post/, to edit first"
    )

    class Meta:
        model = JobDraft
        fields = ["id", "need", "status", "questions", "answers", "draft", "source", "revision", "job", "job_fields"]
        read_only_fields = fields

    def get_job_fields(self, draft: JobDraft) -> dict | None:
        from hiring.services.job_drafts import job_fields

        if draft.status != JobDraft.Status.DRAFTED:
            return None
        fields = job_fields(draft)
        category = SkillCategory.objects.filter(pk=fields["category"]).first()
        return fields | {
            "category": category.slug if category else None,  # the API names categories by slug
            "budget_min": _text(fields["budget_min"]),
            "budget_max": _text(fields["budget_max"]),
        }


def _text(amount: object) -> str | None:
    return None if amount is None else str(amount)


class InterviewSetSerializer(serializers.Serializer):
    questions = serializers.ListField(
        child=serializers.CharField(max_length=interviews.QUESTION_LIMIT),
        max_length=interviews.OWN_MOST,
        required=False,
        default=list,
    )
    uma_count = serializers.IntegerField(min_value=0, max_value=3, default=0)


class InterviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobInterview
        fields = ["questions", "uma_count", "status", "updated_at"]
        read_only_fields = fields


class InterviewAnswerSerializer(serializers.Serializer):
    answers = serializers.ListField(
        child=serializers.CharField(max_length=interviews.ANSWER_LIMIT, allow_blank=True), max_length=8
    )
    submit = serializers.BooleanField(default=False, help_text="send the answers to the client (final)")


class InterviewAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterviewAssessment
        fields = ["verdict", "points", "summary", "flags", "source", "model_version", "created_at"]
        read_only_fields = fields


class TranscriptSerializer(serializers.ModelSerializer):
    assessment = serializers.SerializerMethodField()

    class Meta:
        model = InterviewTranscript
        fields = ["turns", "submitted_at", "assessment"]
        read_only_fields = fields

    def get_assessment(self, transcript: InterviewTranscript) -> dict | None:
        found = InterviewAssessment.objects.filter(proposal_id=transcript.proposal_id).first()
        return InterviewAssessmentSerializer(found).data if found else None
