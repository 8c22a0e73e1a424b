"""The bell (an htmx fragment refreshed every 30 s), the notification list, and email preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.forms_market import NotificationPreferenceForm
from marketplace.models import Notification
from marketplace.selectors import unread_notifications
from marketplace.services.notifications import notification_preference_update, notifications_mark_read, preference_for
from marketplace.views.helpers import ids_in, safe_next, user_of


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "partials/bell.html", {"unread": unread_notifications(user=user_of(request))})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=user_of(request)).order_by("-created_at")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "marketplace/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    ids = ids_in(request.POST.getlist("id")) if "id" in request.POST else None  # no id: all of them
    notifications_mark_read(user=user, ids=ids)
    target = request.POST.get("next", "")
    if ids and target.startswith("/") and safe_next(request, target):
        return redirect(target)
    return redirect("notifications")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    current = preference_for(user)
    form = NotificationPreferenceForm(
        request.POST or None,
        initial={"email_enabled": current.email_enabled, "email_muted_kinds": current.email_muted_kinds},
    )
    if request.method == "POST" and form.is_valid():
        notification_preference_update(user=user, **form.cleaned_data)
        messages.success(request, "Email preferences saved.")
        return redirect("notification_settings")
    return render(request, "marketplace/notification_settings.html", {"form": form})
