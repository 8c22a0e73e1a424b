"""The recruiter over the API: a case with its readable signals and the current shortlist (Uma's
verdict, reasons and explanation per candidate, and which model wrote them), and the inputs."""

from __future__ import annotations

from rest_framework import serializers

from recruiter.models import RiskCase, ShortlistEntry
from recruiter.ranking import PREFERENCES


class EntrySerializer(serializers.ModelSerializer):
    freelancer_name = serializers.CharField(source="freelancer.get_full_name", read_only=True)
    headline = serializers.CharField(source="freelancer.freelancer_profile.headline", read_only=True)
    added_by_recruiter = serializers.SerializerMethodField()

    class Meta:
        model = ShortlistEntry
        fields = [
            "id",
            "round",
            "position",
            "freelancer",
            "freelancer_name",
            "headline",
            "status",
            "verdict",
            "reasons",
            "explanation",
            "source",
            "model_version",
            "note",
            "draft",
            "draft_source",
            "invitation",
            "added_by_recruiter",
        ]
        read_only_fields = fields

    def get_added_by_recruiter(self, entry: ShortlistEntry) -> bool:
        return entry.added_by_id is not None


class CaseSerializer(serializers.ModelSerializer):
    contract_title = serializers.CharField(source="contract.title", read_only=True)
    freelancer_name = serializers.CharField(source="contract.freelancer.get_full_name", read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = RiskCase
        fields = [
            "id",
            "contract",
            "contract_title",
            "freelancer_name",
            "status",
            "service",
            "score",
            "reasons",
            "preferences",
            "shortlist_round",
            "shortlist_state",
            "sla_due_at",
            "detected_at",
            "shortlist_at",
            "first_invite_at",
            "replacement_job",
        ]
        read_only_fields = fields

    def get_reasons(self, case: RiskCase) -> list[str]:
        return [signal["reason"] for signal in case.signals]


class ShortlistProgress(serializers.Serializer):
    building = serializers.BooleanField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class CaseDetailSerializer(CaseSerializer):
    progress = ShortlistProgress(read_only=True)
    shortlist = EntrySerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "progress", "shortlist"]
        read_only_fields = fields


class PreferencesIn(serializers.Serializer):
    preferences = serializers.ListField(child=serializers.ChoiceField(choices=list(PREFERENCES)), max_length=10)


class EntriesIn(serializers.Serializer):
    entries = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=20)


class SendIn(serializers.Serializer):
    messages = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        help_text="the message to send, by shortlist entry id",
    )
    offer_on_accept = serializers.BooleanField(default=True)

    def validate_messages(self, value: dict) -> dict[int, str]:
        try:
            return {int(key): text for key, text in value.items()}
        except ValueError as error:
            raise serializers.ValidationError("Keys are shortlist entry ids.") from error


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConcernIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    wants_person = serializers.BooleanField(default=False)
