"""Free text people write: each kind has a documented maximum (README, "Rules"), enforced on the model
(forms, serializers and `full_clean` pick it up) and by `text_check` in services that take raw text.

Over the limit is a 400 that names the field, before anything is written (a 1 MB overview used to
reach PostgreSQL and fail as a 500: "string is too long for tsvector").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

# Characters, by kind of text.
LONG = 10_000  # a job post's description
MEDIUM = 5_000  # overviews, cover letters, messages, notes with work, scopes, reviews, milestone descriptions
SHORT = 2_000  # reasons, invitation messages, portfolio descriptions, end notes


def long_text(limit: int, **kwargs: object) -> models.TextField:
    """A TextField that refuses more than `limit` characters in every form, serializer and full_clean."""
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)  # type: ignore[arg-type]


def text_check(value: object, *, field: str, limit: int, label: str) -> str:
    """`value` as stripped text, or ValidationError naming `field` when it is over `limit` characters."""
    text = str(value or "").strip()
    if len(text) > limit:
        raise ValidationError({field: f"{label} can be at most {limit:,} characters (this is {len(text):,})."})
    return text
