from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from marketplace.models import User
from marketplace.panels import panels
from marketplace.selectors import dashboard_context
from marketplace.snapshot_cache import page_cached


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "marketplace/home.html")


@login_required
@page_cached
def dashboard(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101 - login_required
    context = dashboard_context(user=request.user)
    context["panels"] = panels("DASHBOARD_PANELS", request)
    return render(request, "marketplace/dashboard.html", context)
