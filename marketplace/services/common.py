"""Small helpers every service uses."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def validated(instance: M, *, exclude: list[str] | None = None) -> M:
    """Run the model's field validators (money bounds, lengths, choices); raises ValidationError."""
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    return instance
