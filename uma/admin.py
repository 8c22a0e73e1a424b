from django.contrib import admin, messages

from uma.models import AuditRecord, ModelVersion, Promotion
from uma.training.registry import PromotionRefused, version_promote, version_rollback


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnly):
    """Read-only: the audit trail of every AI recommendation."""

    list_display = ["created_at", "task", "source", "grounded", "model_version", "latency"]
    list_filter = ["task", "source", "grounded", "model_version"]
    search_fields = ["input_hash", "task"]
    date_hierarchy = "created_at"

    @admin.display(description="latency", ordering="latency_ms")
    def latency(self, record: AuditRecord) -> str:
        return f"{record.latency_ms / 1000:.1f} s"


def _percent(value: object) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "–"


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnly):
    """Every fine-tuned version with its last eval scores next to the untuned base's; promotion and
    rollback go through the same rules as `uma_promote` / `uma_rollback`."""

    list_display = ["name", "task", "status", "agreement", "grounded", "schema_valid", "base_agreement", "created_at"]
    list_filter = ["task", "status"]
    search_fields = ["name", "dataset_hash"]
    actions = ["promote", "roll_back"]

    @admin.display(description="agreement")
    def agreement(self, obj: ModelVersion) -> str:
        return _percent(obj.scores.get("agreement"))

    @admin.display(description="grounded")
    def grounded(self, obj: ModelVersion) -> str:
        return _percent(obj.scores.get("grounded"))

    @admin.display(description="schema-valid")
    def schema_valid(self, obj: ModelVersion) -> str:
        return _percent(obj.scores.get("schema_valid"))

    @admin.display(description="base agreement")
    def base_agreement(self, obj: ModelVersion) -> str:
        return _percent(obj.base_scores.get("agreement"))

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001 - actions need it; fields stay read-only
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None) -> list[str]:  # noqa: ANN001
        return [f.name for f in ModelVersion._meta.fields]

    @admin.action(description="Promote (if it beats the active version)", permissions=["change"])
    def promote(self, request, queryset) -> None:  # noqa: ANN001
        for version in queryset:
            try:
                version_promote(task=version.task, name=version.name, reason=f"promoted by {request.user} in the admin")
                self.message_user(request, f"{version.name} is active")
            except PromotionRefused as error:
                self.message_user(request, f"{version.name} not promoted: {error}", level=messages.ERROR)

    @admin.action(description="Roll back this task to its previous version", permissions=["change"])
    def roll_back(self, request, queryset) -> None:  # noqa: ANN001
        for task in sorted({v.task for v in queryset}):
            try:
                back = version_rollback(task=task)
                self.message_user(request, f"{task} runs on {back.name if back else 'the untuned base'}")
            except PromotionRefused as error:
                self.message_user(request, str(error), level=messages.ERROR)


@admin.register(Promotion)
class PromotionAdmin(ReadOnly):
    list_display = ["created_at", "task", "action", "version", "previous", "reason"]
    list_filter = ["task", "action"]
    list_select_related = ["version", "previous"]
