"""Small helpers every service uses: model validation with readable errors, search vectors."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Value


def validated(instance: models.Model, *, exclude: list[str] | None = None) -> models.Model:
    """Run the model's field validators (money bounds, lengths, choices); raises ValidationError."""
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    return instance


def weighted_search_vector(*, a: str, b: str, c: str = "") -> SearchVector:
    """A, B, C weighted English tsvector of plain strings (title/skills, body, extra)."""
    vector = SearchVector(Value(a), weight="A", config="english") + SearchVector(Value(b), weight="B", config="english")
    if c:
        vector = vector + SearchVector(Value(c), weight="C", config="english")
    return vector
