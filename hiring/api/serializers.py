from __future__ import annotations

from rest_framework import serializers

from hiring.models import ANSWER_LIMIT, NEED_LIMIT, JobDraft
from marketplace.models import SkillCategory


class JobDraftStartSerializer(serializers.Serializer):
    need = serializers.CharField(max_length=NEED_LIMIT, allow_blank=True, trim_whitespace=True)


class JobDraftAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(max_length=ANSWER_LIMIT, allow_blank=True))
    draft = serializers.BooleanField(default=True, help_text="Ask Uma to draft the post (false: only save)")


class JobDraftSerializer(serializers.ModelSerializer):
    job_fields = serializers.SerializerMethodField(help_text="Uma's draft as the fields of POST /api/v1/jobs/")

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
        fields["category"] = category.slug if category else None
        fields["skills"] = [name.strip() for name in fields["skills"].split(",") if name.strip()]
        for name in ("budget_min", "budget_max"):
            fields[name] = str(fields[name]) if fields[name] is not None else None
        return fields
