"""One limit on login attempts, whichever way in: the login page, the API's token endpoint and the
admin's login all call ``authenticate()``, so the limit lives in the authentication backend.

Attempts are counted per account (the email, however it is spelled) and per IP address, in fixed
windows in the cache (Redis). A blocked attempt is refused before the password is checked, so the
right password does not get through either; the view that asked answers 429 (`was_limited`).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

LIMITED = "_tandem_login_limited"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/m" → (5, 60); "30/h" → (30, 3600); "10/5m" → (10, 300)."""
    count, _, period = rate.partition("/")
    number = period.rstrip("smhd") or "1"
    return int(count), int(number) * UNITS[period[-1]]


def _over(kind: str, who: str, rate: str) -> bool:
    """Count one attempt by `who`; whether it is over `rate` in the current window."""
    allowed, window = parse_rate(rate)
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"login:{kind}:{digest}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    return cache.incr(key) > allowed


def client_ip(request: HttpRequest | None) -> str:
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") if request is not None else ""


def login_allowed(request: HttpRequest | None, username: str) -> bool:
    """Count this attempt against the account and the address; False once either is over its rate."""
    account = _over("account", (username or "").strip().lower(), settings.LOGIN_RATE_PER_ACCOUNT)
    ip = client_ip(request)
    by_ip = _over("ip", ip, settings.LOGIN_RATE_PER_IP) if ip else False
    return not (account or by_ip)


def was_limited(request: HttpRequest | None) -> bool:
    """Whether authenticate() refused this request's attempt for the rate limit."""
    return bool(getattr(request, LIMITED, False))


class RateLimitedBackend(ModelBackend):
    """Django's model backend behind the one login limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # noqa: ANN001, ANN201
        if username is None:
            username = kwargs.get("email") or kwargs.get("username")
        if username is not None and not login_allowed(request, str(username)):
            if request is not None:
                setattr(request, LIMITED, True)
                # DRF wraps the Django request: mark the one the view and middleware see, too.
                inner = getattr(request, "_request", None)
                if inner is not None:
                    setattr(inner, LIMITED, True)
            raise PermissionDenied("too many login attempts")  # stops authenticate() at once
        return super().authenticate(request, username=username, password=password, **kwargs)
