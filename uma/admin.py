from django.contrib import admin

from uma.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the audit trail of every AI recommendation."""

    list_display = ["created_at", "task", "source", "grounded", "model_version", "latency_ms"]
    list_filter = ["task", "source", "grounded", "model_version"]
    search_fields = ["input_hash", "task"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
