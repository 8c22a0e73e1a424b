"""Small helpers every service uses."""

from __future__ import annotations

from django.db import models


def validated(instance: models.Model, *, exclude: list[str] | None = None) -> models.Model:
    """Run the model's field validators (money bounds, lengths, choices); raises ValidationError."""
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    return instance
