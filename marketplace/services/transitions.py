"""The one place a status moves: checked against the model's TRANSITIONS map."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from marketplace.errors import Conflict

M = TypeVar("M", bound=models.Model)


def require_transition(instance: models.Model, to: str, *, action: str) -> None:
    """Refuse (Conflict) unless instance.status may move to `to`. Call with the row locked."""
    current = instance.status  # type: ignore[attr-defined]
    allowed = type(instance).TRANSITIONS.get(current, set())  # type: ignore[attr-defined]
    if to not in allowed:
        label = type(instance)._meta.verbose_name
        shown = instance.get_status_display()  # type: ignore[attr-defined]
        raise Conflict(f"Cannot {action}: this {label} is {shown.lower()}.")


def move(instance: models.Model, to: str, *, action: str) -> None:
    """Set instance.status to `to` if its TRANSITIONS allow it (else Conflict); the caller saves."""
    require_transition(instance, to, action=action)
    instance.status = to  # type: ignore[attr-defined]


def sources(model: type[models.Model], to: str) -> list[str]:
    """The statuses `model` may move to `to` from: for a conditional UPDATE that claims many rows."""
    return [status for status, allowed in model.TRANSITIONS.items() if to in allowed]  # type: ignore[attr-defined]


def lock(instance: M) -> M:
    """The same row, re-read under SELECT ... FOR UPDATE (call inside a transaction). `_meta.model`, not
    type(): request.user is a lazy object standing in for the user."""
    return instance._meta.model._default_manager.select_for_update().get(pk=instance.pk)  # type: ignore[return-value]
