"""What services raise when they refuse. Views and the API turn these into 400/403/404/409."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action; the message is written for the person who tried it."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class Conflict(DomainError):
    """The thing is not in a state where this can happen (or someone else changed it first)."""

    status_code = 409


class TooMany(DomainError):
    """Asked too often: try again later (429)."""

    status_code = 429
