"""API shapes: output serializers (what we show) and input serializers (what we accept).

Output serializers are read-only by construction; input serializers list only the fields a caller
may set, so status, owners, amounts after approval and derived scores can't be written through them.
"""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from marketplace.models import (
    Attachment,
    Contract,
    Feedback,
    FreelancerProfile,
    Invitation,
    JobPost,
    Message,
    Milestone,
    MilestoneSubmission,
    Notification,
    Proposal,
    Skill,
    SkillCategory,
    TimeLog,
    User,
)
from marketplace.models.money import MAX_AMOUNT
from marketplace.models.text import LONG, MEDIUM
from marketplace.services.jobs import MAX_JOB_SKILLS

Money = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": MAX_AMOUNT}


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "name", "slug", "category"]


class SkillSuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=LONG, allow_blank=True, trim_whitespace=False)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=50, required=False, default=list
    )


class SkillMentionSerializer(serializers.Serializer):
    name = serializers.CharField(source="skill")
    written = serializers.CharField()
    count = serializers.IntegerField()


class SkillSuggestSerializer(serializers.Serializer):
    skills = SkillMentionSerializer(many=True)


class JobSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    skills = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = JobPost
        fields = [
            "id",
            "title",
            "description",
            "organization",
            "category",
            "skills",
            "contract_type",
            "budget_min",
            "budget_max",
            "currency",
            "duration",
            "weekly_hours",
            "experience_level",
            "status",
            "published_at",
            "created_at",
        ]
        read_only_fields = fields


class JobInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=LONG)
    category = serializers.SlugRelatedField(slug_field="slug", queryset=SkillCategory.objects.all())
    skills = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=MAX_JOB_SKILLS, required=False
    )
    contract_type = serializers.ChoiceField(choices=JobPost._meta.get_field("contract_type").choices)
    budget_min = serializers.DecimalField(**Money)
    budget_max = serializers.DecimalField(**Money)
    currency = serializers.ChoiceField(choices=JobPost._meta.get_field("currency").choices, required=False)
    duration = serializers.ChoiceField(choices=JobPost.Duration.choices, required=False)
    weekly_hours = serializers.IntegerField(min_value=1, max_value=80, required=False)
    experience_level = serializers.ChoiceField(choices=JobPost.Level.choices, required=False)
    publish = serializers.BooleanField(required=False, default=False)


class JobSearchSerializer(serializers.Serializer):
    """The job list's query: what the Find work page's filters do, or a 400 naming the parameter."""

    q = serializers.CharField(required=False, allow_blank=True, default="", help_text="Words to search for.")
    skills = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Comma-separated skill names; jobs need all of them."
    )
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=SkillCategory.objects.all(), required=False, help_text="A category's slug."
    )
    contract_type = serializers.ChoiceField(choices=JobPost._meta.get_field("contract_type").choices, required=False)
    budget_min = serializers.DecimalField(**Money | {"min_value": Decimal(0)}, required=False)
    budget_max = serializers.DecimalField(**Money | {"min_value": Decimal(0)}, required=False)
    mine = serializers.BooleanField(required=False, default=False, help_text="Your organisation's jobs instead.")


class ProposalSerializer(serializers.ModelSerializer):
    freelancer = PersonSerializer(read_only=True)
    job = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "job",
            "freelancer",
            "cover_letter",
            "bid_amount",
            "currency",
            "estimated_duration",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class ProposalInputSerializer(serializers.Serializer):
    cover_letter = serializers.CharField(max_length=5000)
    bid_amount = serializers.DecimalField(**Money)
    estimated_duration = serializers.ChoiceField(choices=JobPost.Duration.choices)


class InvitationSerializer(serializers.ModelSerializer):
    freelancer = PersonSerializer(read_only=True)
    invited_by = PersonSerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "job",
            "freelancer",
            "invited_by",
            "message",
            "status",
            "decline_reason",
            "created_at",
            "responded_at",
        ]
        read_only_fields = fields


class InvitationInputSerializer(serializers.Serializer):
    freelancer = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(kind=User.Kind.FREELANCER))
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="What you are submitting.")


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, default="", help_text="Blank only with files.")


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
        help_text="Which to mark read; all of them when left out.",
    )


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The download link (for those who may see the file).")

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        request = self.context.get("request")
        path = attachment.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class SubmissionSerializer(serializers.ModelSerializer):
    files = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = MilestoneSubmission
        fields = ["id", "note", "decision", "review_reason", "reviewed_at", "created_at", "files"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    submissions = SubmissionSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "contract",
            "position",
            "title",
            "description",
            "amount",
            "due_date",
            "status",
            "revision_count",
            "approved_at",
            "paid_at",
            "submissions",
        ]
        read_only_fields = fields


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=MEDIUM, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(**Money)
    due_date = serializers.DateField()


# The priced terms, as contracts and offer versions show them.
TERMS_FIELDS = ["contract_type", "hourly_rate", "fixed_amount", "currency", "weekly_limit", "start_date"]


class ContractSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    client = PersonSerializer(read_only=True)
    freelancer = PersonSerializer(read_only=True)
    thread = serializers.PrimaryKeyRelatedField(read_only=True)
    # Empty ("") until the contract ends: the schema says so (it used to promise one of the reasons).
    end_reason = serializers.ChoiceField(choices=Contract.EndReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "title",
            "scope",
            "organization",
            "client",
            "freelancer",
            "job",
            *TERMS_FIELDS,
            "status",
            "end_reason",
            "end_note",
            "ended_at",
            "thread",
            "created_at",
        ]
        read_only_fields = fields


class EndContractSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Contract.EndReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TimeLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeLog
        fields = ["id", "date", "hours", "memo", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"hours": {"min_value": Decimal("0.25"), "max_value": Decimal("24")}}


class FeedbackSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "author", "rating", "review", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class MessageSerializer(serializers.ModelSerializer):
    sender = PersonSerializer(read_only=True)
    files = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "thread", "sender", "body", "created_at", "files"]
        read_only_fields = ["id", "thread", "sender", "created_at", "files"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class ProfileSerializer(serializers.ModelSerializer):
    """A freelancer profile. Derived figures come with the basis they were computed from."""

    name = serializers.CharField(source="user.get_full_name", read_only=True)
    skills = serializers.SerializerMethodField()

    class Meta:
        model = FreelancerProfile
        fields = [
            "id",
            "name",
            "headline",
            "overview",
            "hourly_rate",
            "country",
            "timezone",
            "languages",
            "skills",
            "available_now",
            "available_from",
            "weekly_hours_free",
            "job_success_score",
            "job_success_basis",
            "response_hours",
            "response_basis",
            "rating_avg",
            "rating_count",
            "total_hours",
            "total_earnings",
        ]
        read_only_fields = [
            "id",
            "name",
            "skills",
            "job_success_score",
            "job_success_basis",
            "response_hours",
            "response_basis",
            "rating_avg",
            "rating_count",
            "total_hours",
            "total_earnings",
        ]

    def get_skills(self, profile: FreelancerProfile) -> list[dict]:
        return [{"name": ps.skill.name, "years": ps.years} for ps in profile.profile_skills.all()]


class ProfileSkillsSerializer(serializers.Serializer):
    skills = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=50))
