"""The human recruiters' queue, in the admin (the Recruiters group): filter to mine / unclaimed /
overdue, open a case to see the contract, its signals, the shortlist with Uma's reasoning and what the
client did; claim it, add or remove candidates (an override, with the reason), message the client,
resolve or close. Every button calls a service; each decision is in Uma's audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from marketplace.admin import listed
from marketplace.errors import DomainError
from marketplace.models import User
from recruiter.models import CaseEvent, ContractConcern, RiskCase, ShortlistEntry
from recruiter.services import cases as case_svc
from recruiter.services import shortlists as shortlist_svc


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class EntryInline(ReadOnlyInline):
    """The live round's shortlist; earlier rounds are folded on the case ("Earlier rounds")."""

    model = ShortlistEntry
    verbose_name_plural = "shortlist entries (the live round)"
    fields = [
        "position",
        "freelancer",
        "status",
        "verdict",
        "reasoning",
        "source",
        "model_version",
        "added_by",
        "note",
        "invitation",
    ]
    readonly_fields = fields  # type: ignore[assignment]
    ordering = ["-round", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ShortlistEntry]:
        live = super().get_queryset(request).filter(round=F("case__shortlist_round"))
        return live.select_related("freelancer", "added_by", "invitation__job")

    @admin.display(description="Uma's reasoning")
    def reasoning(self, entry: ShortlistEntry) -> str:
        items = format_html_join("", "<li>{}</li>", ((r,) for r in entry.reasons))
        return format_html("<p>{}</p><ul>{}</ul>", entry.explanation, items)


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "actor", "kind", "details"]
    readonly_fields = fields  # type: ignore[assignment]

    @admin.display(description="detail")
    def details(self, step: CaseEvent) -> str:
        return listed([f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in step.detail.items()])

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseEvent]:
        return super().get_queryset(request).select_related("actor")


class QueueFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):  # noqa: ANN001, ANN201
        return [("mine", "Mine"), ("unclaimed", "Unclaimed"), ("overdue", "Overdue")]

    def queryset(self, request, queryset: QuerySet[RiskCase]) -> QuerySet[RiskCase]:  # noqa: ANN001
        live = queryset.filter(status__in=RiskCase.LIVE)
        if self.value() == "mine":
            return live.filter(assigned_to=request.user)
        if self.value() == "unclaimed":
            return live.filter(assigned_to__isnull=True, status=RiskCase.Status.ESCALATED)
        if self.value() == "overdue":
            return live.filter(Q(sla_due_at__lt=timezone.now()))
        return queryset


class CaseForm(forms.ModelForm):
    add_freelancer = forms.EmailField(required=False, help_text="email of a freelancer to add to the shortlist")
    remove_entry = forms.ModelChoiceField(queryset=ShortlistEntry.objects.none(), required=False)
    reason = forms.CharField(required=False, max_length=300, help_text="why (required for add and remove)")
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="to the client")

    class Meta:
        model = RiskCase
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove_entry"].queryset = ShortlistEntry.objects.filter(  # type: ignore[attr-defined]
                case=self.instance, round=self.instance.shortlist_round
            ).exclude(status=ShortlistEntry.Status.REMOVED)


@admin.register(RiskCase)
class RiskCaseAdmin(admin.ModelAdmin):
    form = CaseForm
    list_display = ["pk", "contract", "client", "status", "service", "score", "assigned_to", "sla_due_at", "overdue"]
    list_filter = [QueueFilter, "status", "service", "contract__organization__plan"]
    list_select_related = ["contract__organization", "contract__freelancer", "assigned_to"]
    search_fields = ["contract__title", "contract__organization__name", "contract__freelancer__email"]
    date_hierarchy = "detected_at"
    actions = ["claim"]
    readonly_fields = [
        "contract_link",
        "client",
        "status",
        "service",
        "score",
        "signal_list",
        "escalation_reason_list",
        "preference_list",
        "assigned_to",
        "sla_due_at",
        "detected_at",
        "shortlist_at",
        "first_invite_at",
        "replacement_job",
        "earlier_rounds",
    ]
    fields = [*readonly_fields, "add_freelancer", "remove_entry", "reason", "message"]  # type: ignore[assignment]
    inlines = [EntryInline, EventInline]
    change_form_template = "admin/recruiter/riskcase/change_form.html"

    @admin.display(description="client")
    def client(self, case: RiskCase) -> str:
        return f"{case.contract.organization} ({case.contract.organization.get_plan_display()})"

    @admin.display(description="contract")
    def contract_link(self, case: RiskCase) -> str:
        return format_html('<a href="{}">{}</a>', case.contract.get_absolute_url(), case.contract)

    @admin.display(description="signals")
    def signal_list(self, case: RiskCase) -> str:
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((s["reason"],) for s in case.signals)))

    @admin.display(description="why it went to people")
    def escalation_reason_list(self, case: RiskCase) -> str:
        return listed(case.escalation_reasons)

    @admin.display(description="client's preferences")
    def preference_list(self, case: RiskCase) -> str:
        return ", ".join(p.replace("_", " ") for p in case.preferences) or "—"

    @admin.display(description="earlier rounds")
    def earlier_rounds(self, case: RiskCase) -> str:
        """Rounds before the live one, folded: who was on each and what became of them."""
        rows = ShortlistEntry.objects.filter(case=case, round__lt=case.shortlist_round).select_related("freelancer")
        rounds: dict[int, list[str]] = {}
        for entry in rows.order_by("-round", "position"):
            verdict = f", {entry.verdict}" if entry.verdict else ""
            rounds.setdefault(entry.round, []).append(
                f"{entry.freelancer.get_full_name()} ({entry.get_status_display().lower()}{verdict})"
            )
        if not rounds:
            return "—"
        return format_html_join(
            "",
            "<details><summary>Round {} · {} candidates</summary>{}</details>",
            ((number, len(names), listed(names)) for number, names in rounds.items()),
        )

    @admin.display(boolean=True)
    def overdue(self, case: RiskCase) -> bool:
        return bool(case.is_live and case.sla_due_at and case.sla_due_at < timezone.now())

    @admin.action(description="Claim the selected cases")
    def claim(self, request: HttpRequest, queryset: QuerySet[RiskCase]) -> None:
        for case in queryset:
            self._call(request, lambda c=case: case_svc.case_claim(case=c, by=_user(request)))  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RiskCase | None = None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        """The form changes nothing itself: its buttons call the services (response_change)."""

    def _call(self, request: HttpRequest, action) -> bool:  # noqa: ANN001
        try:
            action()
        except (DomainError, ValidationError) as error:
            text = error.message if isinstance(error, DomainError) else "; ".join(error.messages)
            self.message_user(request, text, messages.ERROR)
            return False
        return True

    def response_change(self, request: HttpRequest, obj: RiskCase) -> HttpResponse:
        data, by = request.POST, _user(request)
        reason = data.get("reason", "")
        buttons = {
            "_claim": lambda: case_svc.case_claim(case=obj, by=by),
            "_resolve": lambda: case_svc.case_resolve(case=obj, by=by, note=reason),
            "_close": lambda: case_svc.case_close(case=obj, by=by, note=reason),
            "_message": lambda: case_svc.case_message_client(case=obj, by=by, body=data.get("message", "")),
            "_add": lambda: shortlist_svc.entry_add(case=obj, by=by, freelancer=_freelancer(data), reason=reason),
            "_remove": lambda: shortlist_svc.entry_remove(entry=_entry(obj, data), by=by, reason=reason),
        }
        for button, action in buttons.items():
            if button in data:
                if self._call(request, action):
                    self.message_user(request, "Done: recorded on the case and in the audit log.", messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin requires a signed-in staff user
    return request.user


def _freelancer(data) -> User:  # noqa: ANN001
    user = User.objects.filter(email__iexact=data.get("add_freelancer", "").strip(), kind=User.Kind.FREELANCER).first()
    if user is None:
        raise ValidationError("No freelancer has that email address.")
    return user


def _entry(case: RiskCase, data) -> ShortlistEntry:  # noqa: ANN001
    entry = ShortlistEntry.objects.filter(case=case, pk=data.get("remove_entry") or 0).first()
    if entry is None:
        raise ValidationError("Choose the candidate to remove.")
    return entry


@admin.register(ContractConcern)
class ContractConcernAdmin(admin.ModelAdmin):
    list_display = ["contract", "raised_by", "wants_person", "created_at", "cleared_at"]
    list_select_related = ["contract__freelancer", "raised_by"]
    readonly_fields = ["contract", "raised_by", "note", "wants_person", "created_at", "cleared_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ContractConcern | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ContractConcern | None = None) -> bool:
        return False


def _plain(value: object) -> str:
    """A detail value as a person reads it: lists joined, numbers of seconds rounded."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
