"""Free text people write: each kind has a documented maximum (README, "Rules"), enforced on the model
(forms, serializers and `full_clean` pick it up) and by `text_check` in services that take raw text.

Over the limit is a 400 that names the field, before anything is written (a 1 MB overview used to
reach PostgreSQL and fail as a 500: "string is too long for tsvector").
"""

from __future__ import annotations

import re
import unicodedata

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


# --- Names and titles: one line, as a person reads it -------------------------------------------------

# Every invisible or direction-changing character, joiners included: what a filter must not be fooled by.
HIDDEN = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad]")
# Bidi controls (embeddings, overrides, isolates, marks), zero-width spaces and joiners at word edges,
# word joiners, soft hyphens, byte-order marks and control characters: invisible, and used to spoof
# ("‮txt.exe") or to slip past filters. Joiners between two letters stay (Persian, Indic scripts).
INVISIBLE = re.compile(
    r"[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad\x00-\x1f\x7f]"
    r"|(?<!\w)[\u200c\u200d]|[\u200c\u200d](?!\w)"
)
SPACES = re.compile(r"\s+")


def one_line(value: str) -> str:
    """A name or title as stored and shown: NFC, no invisible or direction-changing characters, single
    spaces, no leading or trailing blanks."""
    return SPACES.sub(" ", INVISIBLE.sub("", unicodedata.normalize("NFC", value))).strip()


class LineField(models.CharField):
    """A CharField for names and titles: stored through `one_line` on every save, create, bulk create
    and update, and cleaned so forms and full_clean see (and length-check) the normalised text."""

    def to_python(self, value: object) -> object:
        value = super().to_python(value)
        return one_line(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> object:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = one_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        return one_line(value) if isinstance(value, str) else value
