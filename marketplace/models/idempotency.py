"""An API request sent with an `Idempotency-Key` header, and the answer it got, so that the same request
sent again (a script's retry after a timeout) gets the same answer instead of doing it twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """One key of one account (whichever of its tokens or sessions sent it: a script that renews its
    token still gets its answer). `fingerprint` hashes the method, path and body, so a key sent again
    with a different request is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=255, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
