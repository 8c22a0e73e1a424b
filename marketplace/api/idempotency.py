"""`Idempotency-Key` for the API's POSTs: a script that sends a create again, because its first try
timed out or its connection dropped, gets the first answer again instead of a second job, message or
offer.

The key belongs to the account that sent it, and is kept for a day. The request is authenticated as
the view would authenticate it before anything is looked up, so a stored answer is only ever given to
its own account, with a credential that still works; a request that does not authenticate goes on to
the view, which refuses it. The first request with a key runs in one
transaction with the key's row: a second one with the same key waits on that row's unique index until
the first has finished, so even two sent at the same instant do the work once.
- A success (2xx) is stored and replayed as it was, marked `Idempotent-Replayed: true`.
- Any other answer is not stored: the request did nothing (a refusal changes nothing), so trying again
  runs it again. A 5xx rolls back all it did.
- The same key with a different request (method, path or body) is a 422 that names the header.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from marketplace.api.errors import body_of
from marketplace.errors import DomainError, InvalidInput
from marketplace.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT = timedelta(hours=24)
KEY = re.compile(r"[!-~]{1,255}")  # printable ASCII without spaces, as the IETF draft's examples use


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method != "POST"
            or not request.path.startswith("/api/")
            or request.path == token_path()
        ):
            return self.get_response(request)
        if not KEY.fullmatch(key):
            return refused(
                InvalidInput(f"{HEADER} must be 1 to 255 printable characters without spaces.", field=HEADER)
            )
        user_id = account_of(request)
        if user_id is None:
            return self.get_response(request)
        fingerprint = fingerprint_of(request)
        with transaction.atomic():
            IdempotentRequest.objects.filter(
                user_id=user_id, key=key, created_at__lt=timezone.now() - KEPT
            ).delete()  # a day old: the key may be used afresh
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(user_id=user_id, key=key, fingerprint=fingerprint)
            except IntegrityError:  # sent before (and finished, or this insert would still be waiting)
                return replay(IdempotentRequest.objects.get(user_id=user_id, key=key), fingerprint)
            response = self.get_response(request)
            if response.status_code >= 500 or transaction.get_rollback():  # failed, or left nothing to keep
                transaction.set_rollback(True)
            elif 200 <= response.status_code < 300 and not response.streaming:
                record.status, record.body = response.status_code, response.content
                record.content_type = response.get("Content-Type", "")
                record.save(update_fields=["status", "body", "content_type"])
            else:
                record.delete()
            return response


@functools.cache
def token_path() -> str:
    """Where a token is got: never answered from the store, each try checked and counted afresh."""
    return reverse("api-token")


def account_of(request: HttpRequest) -> int | None:
    """The id of the account the API's own authentication finds in the request (token, or session with
    its CSRF check), or None."""
    session_user = request.user  # DRF's Request sets it to whoever it finds: a token's user would then
    # pass for a session's in the view, which asks a session for its CSRF token
    api_request = Request(
        request,
        authenticators=[auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES],
        parsers=[parser() for parser in api_settings.DEFAULT_PARSER_CLASSES],  # the CSRF check reads the form
    )
    try:
        user = api_request.user
    except APIException:  # a bad token, or a session without its CSRF token: the view says so
        return None
    finally:
        request.user = session_user
    return user.pk if user.is_authenticated else None


def fingerprint_of(request: HttpRequest) -> str:
    """A hash of what the request asks for. JSON is read as data, whatever its spacing and key order; a
    multipart body as its fields and files, since a client picks a new boundary on every try."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()} {request.content_type}\n".encode())
    if request.content_type == "application/json":
        try:  # the same JSON however it is spaced or ordered
            digest.update(json.dumps(json.loads(request.body), sort_keys=True).encode())
        except (ValueError, RecursionError):  # not JSON, or too deep to read: the view's parser says so
            digest.update(request.body)
        return digest.hexdigest()
    if request.content_type != "multipart/form-data":
        digest.update(request.body)
        return digest.hexdigest()
    digest.update(json.dumps(sorted(request.POST.lists())).encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(json.dumps([name, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def replay(record: IdempotentRequest, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return refused(KeyReused(f"This {HEADER} was sent before with a different request. Use a new key for it."))
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class KeyReused(DomainError):
    """The key came before with another request (the IETF draft's 422)."""

    status_code = 422

    def __init__(self, message: str) -> None:
        super().__init__(message, field=HEADER)


def refused(error: DomainError) -> JsonResponse:
    return JsonResponse(body_of(error), status=error.status_code)


def sweep() -> int:
    """Delete keys older than a day (beat, hourly); how many went."""
    return IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT).delete()[0]


def documented(result: dict, generator: object, request: object, public: bool) -> dict:  # noqa: ARG001, FBT001
    """drf-spectacular post-processing: every POST of the schema but getting a token takes the header."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
        "description": "Send the same key again to get the first answer instead of doing it twice (kept 24 h).",
    }
    for path, operations in result.get("paths", {}).items():
        if "post" in operations and path != token_path():
            operations["post"].setdefault("parameters", []).append(parameter)
    return result
