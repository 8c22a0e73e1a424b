"""The address a request came from, as the limits per IP count it (django-ratelimit's RATELIMIT_IP_META_KEY).

Behind a proxy, REMOTE_ADDR is the proxy's own address: every user would share one IP's limits, and 30
failed logins an hour anywhere would block the login for everyone. Each proxy appends the address it saw
to X-Forwarded-For, so with PROXY_HOPS proxies in front, the client's address is that many entries from
the right. What the client wrote further left is its own claim and is never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PROXY_HOPS
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < hops:
        return remote  # not through the proxies: a direct connection
    seen = chain[-hops]
    try:
        return str(ipaddress.ip_address(seen))
    except ValueError:
        return remote
