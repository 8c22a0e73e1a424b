"""One limit on login attempts, whichever way in: the login page, the API's token endpoint and the
admin's login all call ``authenticate()``, so the limit lives in the authentication backend.

Attempts are counted per account (the email, however it is spelled) and per IP address by
django-ratelimit, in the cache (Redis). A blocked attempt is refused before the password is checked, so the
right password does not get through either; the view that asked answers 429 (`was_limited`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from marketplace.models import User

LIMITED = "_tandem_login_limited"
EMAIL_MAX = 254  # the longest address there is (RFC 5321); a longer one names no account


def account_key(email: str | None) -> str:
    """What the limits count an attempt against: the account the email names, matched the way the login
    matches it (the database's case rules: PostgreSQL reads "ſ" as S and "ı" as I, which Python's lower()
    does not), else the email as typed, in lower case. Spaces around it do not count."""
    typed = (email or "").strip()
    ids: list[int] = []
    if 0 < len(typed) <= EMAIL_MAX and "\x00" not in typed:
        ids = list(User.objects.filter(email__iexact=typed).values_list("pk", flat=True)[:2])
    return f"account:{ids[0]}" if len(ids) == 1 else f"email:{typed.lower()}"


def login_allowed(request: HttpRequest, username: str) -> bool:
    """Count this attempt against the account and the address (django-ratelimit's counters, in the
    cache); False once either is over its rate."""
    account = account_key(username)
    by_account = is_ratelimited(
        request,
        group="login-account",
        key=lambda group, request: account,
        rate=settings.LOGIN_RATE_PER_ACCOUNT,
        increment=True,
    )
    by_ip = is_ratelimited(request, group="login-ip", key="ip", rate=settings.LOGIN_RATE_PER_IP, increment=True)
    return not (by_account or by_ip)


def was_limited(request: HttpRequest | None) -> bool:
    """Whether authenticate() refused this request's attempt for the rate limit."""
    return bool(getattr(request, LIMITED, False))


class RateLimitedBackend(ModelBackend):
    """Django's model backend behind the one login limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # noqa: ANN001, ANN201
        if username is None:
            username = kwargs.get("email") or kwargs.get("username")
        # Every login over HTTP passes its request (the login page, the API's token, the admin); only code
        # calling authenticate() directly (a test client's login) has none to count.
        if request is not None and username is not None and not login_allowed(request, str(username)):
            setattr(request, LIMITED, True)
            # DRF wraps the Django request: mark the one the view and middleware see, too.
            inner = getattr(request, "_request", None)
            if inner is not None:
                setattr(inner, LIMITED, True)
            raise PermissionDenied("too many login attempts")  # stops authenticate() at once
        return super().authenticate(request, username=username, password=password, **kwargs)
