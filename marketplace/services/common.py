"""Small helpers every service uses."""

from __future__ import annotations

from typing import TypeVar

from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


def validated(instance: M, *, exclude: list[str] | None = None) -> M:
    """Run the model's field validators (money bounds, lengths, choices); raises ValidationError."""
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    return instance


def created_once(model: type[M], *, key: dict, **fields: object) -> M:
    """The row for `key`, made now with `fields`, or the one a concurrent run made first (a unique
    constraint on `key` decides): what makes a background job safe to run twice."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**key, **fields)
    except IntegrityError:
        return model._default_manager.get(**key)
