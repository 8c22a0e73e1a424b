"""Forms for the marketplace pages. They only parse input; services decide and write."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from marketplace.models import Contract, ContractType, FreelancerProfile, JobPost, Notification, SkillCategory
from marketplace.services.jobs import JOB_FIELDS
from marketplace.services.profiles import EDITABLE as PROFILE_FIELDS


class SkillsField(forms.CharField):
    """Comma-separated skill names (synonyms welcome)."""

    def to_python(self, value: str | None) -> list[str]:  # type: ignore[override]
        return [part.strip() for part in (value or "").split(",") if part.strip()]

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


def suggesting(rows: int) -> forms.Textarea:
    """A text area whose words Uma reads as they are typed, to suggest taxonomy skills (views.skills)."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "hx-post": reverse_lazy("skills_suggest"),
            "hx-trigger": "load, input changed delay:600ms",
            "hx-target": "#skill-suggestions",
            "hx-include": "closest form",
            "hx-sync": "this:replace",
        }
    )


class JobForm(forms.ModelForm):
    skills = SkillsField(help_text="Comma separated, e.g. Django, PostgreSQL, React", required=False)
    publish = forms.BooleanField(required=False, initial=True, label="Publish now (otherwise save a draft)")

    class Meta:
        model = JobPost
        fields = list(JOB_FIELDS)
        labels = {"budget_min": "Budget from", "budget_max": "Budget up to"}
        help_texts = {"budget_min": "Hourly rate for hourly jobs; the total for fixed-price jobs."}
        widgets = {"description": suggesting(8)}


class JobSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    skills = SkillsField(required=False)
    category = forms.ModelChoiceField(queryset=SkillCategory.objects.all(), required=False)
    contract_type = forms.ChoiceField(choices=[("", "Any type"), *ContractType.choices], required=False, label="Type")
    budget_min = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2, label="Min budget")
    budget_max = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2, label="Max budget")


class ProposalForm(forms.Form):
    cover_letter = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    bid_amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0.01, label="Your bid")
    estimated_duration = forms.ChoiceField(choices=JobPost.Duration.choices)


class InviteForm(forms.Form):
    freelancer = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class MessageForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000, label="Message")


class SubmitWorkForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class TimeLogForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    hours = forms.DecimalField(max_digits=4, decimal_places=2, min_value=0.25, max_value=24)
    memo = forms.CharField(max_length=300)


class EndContractForm(forms.Form):
    reason = forms.ChoiceField(choices=Contract.EndReason.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(choices=[(i, f"{i} ★") for i in range(5, 0, -1)], coerce=int)
    review = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class ProfileForm(forms.ModelForm):
    languages = SkillsField(required=False, help_text="Comma separated, e.g. English, Portuguese")
    skills = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-skill-years": "1"}),
        help_text="One per line or comma separated, with years: Django:6, PostgreSQL:4",
    )

    class Meta:
        model = FreelancerProfile
        fields = list(PROFILE_FIELDS)
        widgets = {
            "overview": suggesting(6),
            "available_from": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_skills(self) -> dict[str, int]:
        parsed: dict[str, int] = {}
        for name, years in skill_entries(self.cleaned_data["skills"]):
            try:
                parsed[name] = int(years or 1)
            except ValueError:
                raise forms.ValidationError(f"“{name}:{years}”: write years as a number, e.g. Django:5") from None
        return parsed


def skill_entries(text: str) -> list[tuple[str, str]]:
    """A skills field's entries, comma or line separated, each with what follows its colon:
    "Django:6, PostgreSQL" → [("Django", "6"), ("PostgreSQL", "")]."""
    entries = (chunk.partition(":") for chunk in text.replace("\n", ",").split(","))
    return [(name.strip(), years.strip()) for name, _, years in entries if name.strip()]


class PortfolioForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    url = forms.URLField(required=False, assume_scheme="https")


class NotificationPreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(required=False, label="Email me about activity")
    email_muted_kinds = forms.MultipleChoiceField(
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="…except for these",
    )
