"""Sign up, log in (rate limited), password reset: Django's auth views with Tandem's rules."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from marketplace.forms import QueuedPasswordResetForm, SignUpForm
from marketplace.models import User
from marketplace.services.accounts import client_sign_up, freelancer_sign_up

TOO_MANY = "Too many attempts. Please wait a little and try again."


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Where django-ratelimit sends a blocked request (RATELIMIT_VIEW)."""
    return render(request, "marketplace/rate_limited.html", {"message": TOO_MANY}, status=429)


def _account_key(group: str, request: HttpRequest) -> str:
    return (request.POST.get("username") or "").strip().lower()


class LoginView(auth_views.LoginView):
    """Limits attempts per account and per IP address; a blocked try is never checked."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limited = is_ratelimited(
            request, group="login-ip", key="ip", rate=settings.LOGIN_RATE_PER_IP, increment=True
        ) | is_ratelimited(
            request,
            group="login-account",
            key=_account_key,
            rate=settings.LOGIN_RATE_PER_ACCOUNT,
            increment=True,
        )
        if limited:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


@method_decorator(
    ratelimit(key="ip", rate=lambda group, request: settings.PASSWORD_RESET_RATE_PER_IP, method="POST"),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda group, request: settings.SIGNUP_RATE_PER_IP, method="POST")
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None, initial={"kind": request.GET.get("as", User.Kind.CLIENT)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "email": data["email"],
            "password": data["password1"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
        }
        try:
            if data["kind"] == User.Kind.CLIENT:
                user = client_sign_up(**common, organization_name=data["organization_name"], plan=data["plan"])
            else:
                user = freelancer_sign_up(**common)
        except IntegrityError:  # the same email signed up a moment ago
            form.add_error("email", "An account with this email already exists. Log in instead.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Tandem, {user.first_name}!")
            return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})
