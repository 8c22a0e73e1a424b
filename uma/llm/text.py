"""Text that crosses the model boundary: user-written input cleaned before it is fenced, words that
reveal protected attributes taken out of ranking inputs, and model output that must be plain text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator

HIDDEN = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")  # zero-width, bidi, soft hyphen
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
SPACES = re.compile(r"\s+")
BLANKS = re.compile(r"[ \t\r\f\v]+")

# Gendered words → neutral ones; titles dropped. Used on text that feeds a ranking prompt.
NEUTRAL = {
    "he": "they", "she": "they", "him": "them", "her": "their", "his": "their", "hers": "theirs",
    "himself": "themself", "herself": "themself", "man": "person", "woman": "person", "men": "people",
    "women": "people", "male": "person", "female": "person", "guy": "person", "girl": "person", "boy": "person",
    "mother": "parent", "father": "parent", "mom": "parent", "mum": "parent", "dad": "parent",
    "wife": "partner", "husband": "partner", "son": "child", "daughter": "child",
    "mr": "", "mrs": "", "ms": "", "miss": "", "sir": "", "madam": "",
}  # fmt: skip
GENDERED = re.compile(r"\b(" + "|".join(NEUTRAL) + r")\b\.?", re.IGNORECASE)
AGE = re.compile(r"\b(\d{1,2}\s*(years?|yrs?)[\s-]*old|aged\s+\d{1,2}|age\s*:?\s*\d{1,2})\b", re.IGNORECASE)


ENGLISH = frozenset("the and to of a in i for with on is was my we it that this have you our at as be".split())
# Everyday words of Spanish, French, German, Portuguese, Italian, Dutch and Swedish that English doesn't use.
OTHER_LANGUAGES = frozenset(
    "un una uno unos unas para por mi mis tu de del la el los las que y en es está esta se lo al muy pero "
    "le les des du et pour avec une est dans sur pas nous vous je mais très "
    "der das und mit für ein eine ist nicht ich wir sie zu auf den dem von sich auch "
    "um uma com não os da dos das em ao mais "
    "il che di sono della nel gli ho "
    "het een voor niet ik wij van ook "
    "och att är jag vi inte som".split()
)
LATIN = 0x250  # letters past Latin Extended-B are another script


def not_english(text: str) -> bool:
    """Text written in another language: mostly another script, or more everyday words of another language
    than of English (at least two, or one in a longer text with no English at all). Short English notes
    with no small words ("Senior React dev, remote, hourly") stay English."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(ord(c) >= LATIN for c in letters) / len(letters) > 0.3:
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(w in ENGLISH for w in words)
    other = sum(w in OTHER_LANGUAGES for w in words)
    return other > english and (other >= 2 or (len(words) >= 8 and english == 0))


def clean(text: str, *, one_line: bool = True) -> str:
    """User text as the model sees it: no hidden characters, comments or markup (one line unless asked)."""
    text = HIDDEN.sub("", CONTROL.sub(" ", text))
    text = TAG.sub(" ", COMMENT.sub(" ", text))
    if one_line:
        return SPACES.sub(" ", text).strip()
    return "\n".join(BLANKS.sub(" ", line).strip() for line in text.splitlines()).strip()


REMOVED = "(text removed: it addressed the assistant)"


def defuse(texts: Sequence[str], *, threshold: float | None = None) -> list[str]:
    """Free texts for a ranking prompt: each one that tries to instruct the assistant (uma.injection's
    classifier, at `threshold` or UMA_INJECTION_THRESHOLD) is replaced whole."""
    from uma.injection import detector

    present = [t for t in texts if t.strip()]
    flags = detector().flags(present, threshold=threshold) if present else []
    flagged = {t for t, flag in zip(present, flags, strict=True) if flag}
    return [REMOVED if t in flagged else t for t in texts]


def neutralise(text: str, *, names: Sequence[str] = ()) -> str:
    """Text with the given names masked and gendered words and ages made neutral: two profiles that differ
    only in those read the same."""
    for name in sorted((n for n in names if len(n) > 1), key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "the freelancer", text, flags=re.IGNORECASE)
    text = AGE.sub("", text)
    text = GENDERED.sub(lambda m: NEUTRAL[m.group(1).lower()], text)
    return SPACES.sub(" ", text).strip()


QUOTE_MARKS = re.compile(r"[\u201c\u201d\u201e\u00ab\u00bb\"]")
QUOTED = re.compile(r"\u201c[^\u201c\u201d]*\u201d")


def quote(text: str, *, limit: int = 80) -> str:
    """A person's words inside Uma's sentence, visibly quoted as data: “…”, on one line, with no hidden
    characters and no quote marks of its own (so the quotation can't be closed early), cut at `limit`."""
    text = SPACES.sub(" ", HIDDEN.sub("", CONTROL.sub(" ", text))).strip()
    text = QUOTE_MARKS.sub("'", text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"\u201c{text}\u201d"


def money(value: Decimal | int | float) -> str:
    """ "USD 1,200.00": as every page writes money (marketplace/formats.py), so Uma's reasons read the same."""
    return f"USD {Decimal(value):,.2f}"


def _plain(value: str) -> str:
    if "<" in value or ">" in value or HIDDEN.search(value) or CONTROL.search(value):
        raise ValueError("must be plain text (no markup or hidden characters)")
    return value.strip()


PlainText = Annotated[str, AfterValidator(_plain)]
