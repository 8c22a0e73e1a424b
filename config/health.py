"""/healthz: the state of the four parts Tandem needs — PostgreSQL, pgvector, Redis, a Celery worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypedDict

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

CELERY_PING_TIMEOUT = 1.5


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "up"


def check_pgvector() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the vector extension is not installed (run migrate)")
    return f"up (vector {row[0]})"


def check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "up"


def check_celery() -> str:
    from config.celery import app

    # limit=1: answer as soon as one worker replies instead of waiting out the timeout.
    replies = app.control.ping(timeout=CELERY_PING_TIMEOUT, limit=1)
    if not replies:
        raise RuntimeError(f"no Celery worker answered a ping within {CELERY_PING_TIMEOUT}s")
    return f"up ({next(iter(replies[0]))})"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "pgvector": check_pgvector,
    "redis": check_redis,
    "celery": check_celery,
}


class Report(TypedDict):
    status: str
    failing: list[str]
    parts: dict[str, dict[str, object]]


def report() -> Report:
    parts: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            parts[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # noqa: BLE001 - any failure means the part is down; say which and why
            parts[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}
        parts[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    failing = [name for name, part in parts.items() if not part["ok"]]
    return {"status": "fail" if failing else "ok", "failing": failing, "parts": parts}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    body = report()
    return JsonResponse(body, status=503 if body["failing"] else 200)


@never_cache
def healthz_db(request: HttpRequest) -> JsonResponse:
    """/healthz/db: the database alone (SELECT 1), for a load balancer's liveness check and as the
    bare baseline of bench/web_load.py."""
    try:
        return JsonResponse({"database": check_database()})
    except Exception as error:  # noqa: BLE001 - any failure is "down", said in the answer
        return JsonResponse({"database": f"down: {error}"[:200]}, status=503)
