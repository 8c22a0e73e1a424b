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
from django_ratelimit.decorators import ratelimit

from marketplace.auth import account_key, was_limited
from marketplace.forms import QueuedPasswordResetForm, SignUpForm
from marketplace.models import User
from marketplace.services.accounts import client_sign_up, freelancer_sign_up

TOO_MANY = "Too many attempts. Please wait a little and try again."


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Where django-ratelimit sends a blocked request (RATELIMIT_VIEW)."""
    return render(request, "marketplace/rate_limited.html", {"message": TOO_MANY}, status=429)


class LoginView(auth_views.LoginView):
    """Logs in by email. Attempts are limited per account and per IP by the authentication backend
    (marketplace.auth), the same limit as the API's token and the admin's login; a blocked try is a 429."""

    redirect_authenticated_user = True

    def form_invalid(self, form):  # noqa: ANN001, ANN201
        if not was_limited(self.request):
            return super().form_invalid(form)
        form.errors.clear()
        form.add_error(None, TOO_MANY)
        return self.render_to_response(self.get_context_data(form=form), status=429)


def limited_login(view):  # noqa: ANN001, ANN201
    """A login view (the admin's) that answers 429 when the login limit refused the attempt."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if was_limited(request):
            response.status_code = 429
        return response

    return wrapped


def _email_asked(group: str, request: HttpRequest) -> str:
    return account_key(request.POST.get("email"))


@method_decorator(
    ratelimit(key="ip", rate=lambda group, request: settings.PASSWORD_RESET_RATE_PER_IP, method="POST"),
    name="post",
)
@method_decorator(
    ratelimit(key=_email_asked, rate=lambda group, request: settings.PASSWORD_RESET_RATE_PER_ACCOUNT, method="POST"),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Limited per IP and per address asked for: many IPs cannot fill one person's inbox with reset
    emails. The limit holds whether or not the address has an account, so a 429 tells nothing."""

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
                # Every organisation starts on Basic; a plan comes from billing or Tandem's staff, never a form.
                user = client_sign_up(**common, organization_name=data["organization_name"])
            else:
                user = freelancer_sign_up(**common)
        except IntegrityError:  # the same email signed up a moment ago
            form.add_error("email", "An account with this email already exists. Log in instead.")
        else:
            login(request, user, backend="marketplace.auth.RateLimitedBackend")
            messages.success(request, f"Welcome to Tandem, {user.first_name}!")
            return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})
