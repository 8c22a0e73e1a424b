from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html, format_html_join

from marketplace.formats import money
from marketplace.models import FreelancerProfile, Membership, Organization, OutgoingEmail, User


def listed(items: list[str]) -> str:
    """A list of plain strings as an HTML list (escaped), or a dash: how the admin shows JSON lists."""
    if not items:
        return "—"
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items)))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "kind", "is_staff", "is_active", "date_joined"]
    list_filter = ["kind", "is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "kind")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "kind", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "payment_verified", "created_at"]
    list_filter = ["plan", "payment_verified"]
    search_fields = ["name", "members__email"]
    inlines = [MembershipInline]


@admin.register(FreelancerProfile)
class FreelancerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "rate", "country", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "headline"]
    list_filter = ["country"]

    @admin.display(description="rate", ordering="hourly_rate")
    def rate(self, profile: FreelancerProfile) -> str:
        return f"{money(profile.hourly_rate)}/hr" if profile.hourly_rate else "—"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What was (or is waiting to be) emailed; read-only."""

    list_display = ["created_at", "to", "subject", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject", "key"]
    readonly_fields = ["key", "to", "subject", "body", "created_at", "sent_at"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
