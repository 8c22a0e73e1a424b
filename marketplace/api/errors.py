"""Refusals from services become HTTP answers: 400 with field errors, 403, 404, 409 with a message."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from marketplace.errors import DomainError


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(body_of(exc), status=exc.status_code)
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return Response({"errors": exc.message_dict}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_handler(exc, context)


def body_of(error: DomainError) -> dict[str, str]:
    """A refusal in the API's shape: what went wrong, and the field when one is to blame."""
    return {"detail": error.message} | ({"field": error.field} if error.field else {})
