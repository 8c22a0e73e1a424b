"""How often a person may ask for work that costs others something (an email to someone, Uma's time on
the llm queue): the rows they already made in a window are counted, and past the limit the answer is a
429 that says why. The count is taken under a lock (on the person, or on what is asked about, which
the caller holds) so that requests sent at once are counted one after the other."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from marketplace.errors import TooMany
from marketplace.models import User
from marketplace.services.transitions import lock


def require_room(made: QuerySet, *, within: timedelta, limit: int, message: str, person: User | None = None) -> None:
    """Refuse when `made` (rows with a created_at) already holds `limit` rows from the last `within`;
    with `person`, counted under a lock on them (a limit per person)."""
    if person is not None:
        lock(person)
    if made.filter(created_at__gte=timezone.now() - within).count() >= limit:
        raise TooMany(message)
