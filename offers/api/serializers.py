"""Offer API shapes: versions and offers out; terms and actions in (the terms themselves are
checked by offers.terms, the same rules as the pages)."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.api.serializers import TERMS_FIELDS
from offers.models import Offer, OfferVersion


class OfferVersionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)
    based_on = serializers.IntegerField(source="based_on.number", read_only=True, allow_null=True)

    class Meta:
        model = OfferVersion
        fields = [
            "number",
            "kind",
            "author",
            "author_side",
            "based_on",
            "message",
            *TERMS_FIELDS,
            "scope",
            "milestones",
            "created_at",
        ]


class OfferSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    freelancer = serializers.IntegerField(source="freelancer_id", read_only=True)
    contract = serializers.IntegerField(source="contract_id", read_only=True, allow_null=True)
    accepted_version = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "title",
            "organization",
            "freelancer",
            "job",
            "contract",
            "currency",
            "status",
            "awaiting",
            "version_count",
            "accepted_version",
            "expires_at",
            "warning",
            "withdraw_reason",
            "close_note",
            "created_at",
        ]


class OfferDetailSerializer(OfferSerializer):
    versions = OfferVersionSerializer(many=True, read_only=True)

    class Meta(OfferSerializer.Meta):
        fields = [*OfferSerializer.Meta.fields, "versions"]


class MilestoneIn(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    amount = serializers.CharField()
    due_date = serializers.CharField()


class TermsIn(serializers.Serializer):
    contract_type = serializers.CharField()
    currency = serializers.CharField(required=False)
    hourly_rate = serializers.CharField(required=False, allow_null=True)
    weekly_limit = serializers.IntegerField(required=False, allow_null=True)
    fixed_amount = serializers.CharField(required=False, allow_null=True)
    start_date = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    milestones = MilestoneIn(many=True, required=False)


class OfferSendIn(serializers.Serializer):
    freelancer = serializers.IntegerField(required=False)
    proposal = serializers.IntegerField(required=False)
    invitation = serializers.IntegerField(required=False)
    job = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    message = serializers.CharField(required=False, allow_blank=True, default="")
    terms = TermsIn()


class ActionIn(serializers.Serializer):
    """What an action on an offer carries: always the version it was made against."""

    expected_version = serializers.IntegerField(min_value=1)
    terms = TermsIn(required=False)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.IntegerField(required=False, default=0)


class ReportIn(serializers.Serializer):
    note = serializers.CharField()


class ChangeIn(serializers.Serializer):
    message = serializers.CharField(allow_blank=True)
    terms = TermsIn()


class ChangeOut(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
