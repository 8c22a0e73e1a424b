"""An API request sent with an `Idempotency-Key` header, and the answer it got, so that the same request
sent again (a script's retry after a timeout) gets the same answer instead of doing it twice."""

from __future__ import annotations

from django.db import models


class IdempotentRequest(models.Model):
    """One key of one caller. `caller` is a hash of the credential the request came with (its token or
    session cookie): a key is never shared between callers, and no credential is stored. `fingerprint`
    hashes the method, path and body, so a key sent again with a different request is refused."""

    caller = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=255, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="idempotent_request_once")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
