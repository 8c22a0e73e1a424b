from django.contrib import admin

from hiring.models import JobDraft


@admin.register(JobDraft)
class JobDraftAdmin(admin.ModelAdmin):
    list_display = ["pk", "organization", "status", "source", "created_by", "updated_at"]
    list_filter = ["status", "source"]
    list_select_related = ["organization", "created_by"]
    search_fields = ["need", "organization__name"]
    readonly_fields = [f.name for f in JobDraft._meta.fields]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False
