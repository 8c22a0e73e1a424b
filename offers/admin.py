"""Offers in the admin: read-only negotiations, and the trust & safety queue of flags whose
decisions (approve, reject, dismiss) call the services and notify."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from marketplace.admin import listed
from marketplace.errors import DomainError
from marketplace.formats import day, money
from marketplace.views.helpers import error_text
from offers.models import Offer, OfferVersion, SafetyFlag
from offers.services import safety
from offers.terms import Terms


class ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class VersionInline(ReadOnly, admin.TabularInline):
    model = OfferVersion
    fields = ["number", "kind", "author", "terms", "milestone_list", "message", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]
    extra = 0

    @admin.display(description="terms")
    def terms(self, version: OfferVersion) -> str:
        return Terms.of(version).describe()  # "Hourly, USD 48.00/hr, up to 20 h/week, from 3 Dec 2026"

    @admin.display(description="milestones")
    def milestone_list(self, version: OfferVersion) -> str:
        return listed(
            [
                f"{m.title}: {money(m.amount, version.currency)}, due {day(m.due_date)}"
                for m in Terms.of(version).milestones
            ]
        )


@admin.register(Offer)
class OfferAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "organization", "freelancer", "status", "version_count", "warning", "created_at"]
    list_filter = ["status", "kind", "organization__plan", "warning"]
    list_select_related = ["organization", "freelancer"]
    search_fields = ["title", "organization__name", "freelancer__email", "client__email"]
    date_hierarchy = "created_at"
    inlines = [VersionInline]


def _decide(modeladmin, request, queryset, decide, done: str) -> None:  # noqa: ANN001
    count = 0
    for flag in queryset.filter(decision=SafetyFlag.Decision.PENDING):
        try:
            decide(flag=flag, by=request.user, note=flag.decision_note or f"{done} from the queue")
            count += 1
        except (DomainError, ValidationError) as error:
            modeladmin.message_user(request, f"Flag {flag.pk}: {error_text(error)}", messages.ERROR)
    modeladmin.message_user(request, f"{done}: {count} flag(s).", messages.SUCCESS)


@admin.action(description="Approve: deliver the offer")
def approve(modeladmin, request, queryset) -> None:  # noqa: ANN001
    _decide(modeladmin, request, queryset, safety.flag_approve, "Approved")


@admin.action(description="Reject: remove the offer (uses each flag's decision note)")
def reject(modeladmin, request, queryset) -> None:  # noqa: ANN001
    _decide(modeladmin, request, queryset, safety.flag_reject, "Rejected")


@admin.action(description="Dismiss: nothing to do")
def dismiss(modeladmin, request, queryset) -> None:  # noqa: ANN001
    _decide(modeladmin, request, queryset, safety.flag_dismiss, "Dismissed")


class SafetyFlagForm(forms.ModelForm):
    """The decision note is required to reject (the freelancer and the client are told why): a missing
    one is an error on the note's field, like any form's."""

    class Meta:
        model = SafetyFlag
        fields = ["decision_note"]

    def clean(self) -> dict:
        data = super().clean() or {}
        if "_reject" in self.data and not (data.get("decision_note") or "").strip():
            self.add_error("decision_note", "Record why the offer is being removed: both sides are told.")
        return data


@admin.register(SafetyFlag)
class SafetyFlagAdmin(admin.ModelAdmin):
    """The trust & safety queue. Open a flag, write the decision note, then Approve / Reject / Dismiss."""

    list_display = ["created_at", "offer", "source", "level", "score", "decision", "decided_by"]
    list_filter = ["decision", "level", "source"]
    list_select_related = ["offer", "decided_by"]
    search_fields = ["offer__title", "offer__organization__name", "report_note"]
    actions = [approve, reject, dismiss]
    form = SafetyFlagForm
    readonly_fields = [
        "offer",
        "version",
        "source",
        "score",
        "level",
        "reason_list",
        "reported_by",
        "report_note",
        "decision",
        "decided_by",
        "decided_at",
        "created_at",
        "offer_terms",
    ]
    fields = [*readonly_fields, "decision_note"]  # type: ignore[assignment]
    change_form_template = "admin/offers/safetyflag/change_form.html"

    @admin.display(description="reasons")
    def reason_list(self, flag: SafetyFlag) -> str:
        return listed(flag.reasons)

    @admin.display(description="What the client wrote")
    def offer_terms(self, flag: SafetyFlag) -> str:
        version = flag.version
        if version is None:
            return "—"
        return f"{version.scope}\n\n{version.message}\n\n" + "\n".join(m["title"] for m in version.milestones)

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def response_change(self, request: HttpRequest, obj: SafetyFlag) -> HttpResponse:
        for button, decide, done in (
            ("_approve", safety.flag_approve, "Approved"),
            ("_reject", safety.flag_reject, "Rejected"),
            ("_dismiss", safety.flag_dismiss, "Dismissed"),
        ):
            if button in request.POST:
                try:
                    decide(flag=obj, by=request.user, note=request.POST.get("decision_note", ""))  # type: ignore[arg-type]
                except (DomainError, ValidationError) as error:
                    self.message_user(request, error_text(error), messages.ERROR)
                    return HttpResponseRedirect(request.path)
                self.message_user(request, f"{done}; both sides were told where it concerns them.", messages.SUCCESS)
                return HttpResponseRedirect("../")
        return super().response_change(request, obj)
