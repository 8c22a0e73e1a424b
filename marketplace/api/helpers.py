"""What every API view shares: the signed-in user, and validated input."""

from __future__ import annotations

from rest_framework.request import Request

from marketplace.models import User


def me(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def valid(serializer_class, request: Request, partial: bool = False, data: object = None) -> dict:  # noqa: ANN001
    """The request's data (or `data`: its query) through the input serializer; a 400 naming the fields otherwise."""
    serializer = serializer_class(data=request.data if data is None else data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
