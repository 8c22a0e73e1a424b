"""Text pasted from a CV or a PDF, read as the words its writer meant, for search and embeddings.

Two kinds of damage are common in pasted text and each hides words from search:
- **Broken encoding** (UTF-8 read as Windows-1252): a bullet arrives as "â€¢", a dash as "â€“", an
  apostrophe as "â€™", so "Masterâ€™s" is one word "masterâ" and "staffâ€š" hides "staff". Such a run,
  one of Â Ã â and the marks that follow it, is read as a space.
- **Lost line breaks**: a list pasted without them runs its lines together, "24 monthsAWS",
  "skillsCustomer service", "toolsAutoCAD". A word that starts in lower case and runs into a capital
  followed by a lower-case letter or by two more capitals is read as itself and as its two words
  ("monthsAWS months AWS"): a name people write that way ("devOps", "wordPress") is still found as one.
  JavaScript and PowerShell start with a capital, macOS, mongoDB and reactJS end in fewer than three
  capitals, iPhone and jQuery have one letter before theirs: none of them is touched.

Keyword search applies the same rules in SQL (tandem_search_text, migration 0023); a test holds the
two equal. The skill matcher mends the text and cuts each run-together word in two, so a skill written
either way is named once. The stored text is never changed: this is how it is read.
"""

from __future__ import annotations

import re

# Windows-1252's characters for the bytes 0x80-0xBF, and the invisible ones that travel with them.
_MARKS = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u200b"
)
# At most three leading letters ("Ã¢", "ÂÂ" where text was broken twice): an unbounded run would make
# the search quadratic on a hostile text of thousands of "Â".
MOJIBAKE = re.compile(f"(?:[\u00c2\u00c3\u00e2]{{1,3}}[{_MARKS}]+)+")
JOINED = re.compile(r"\b([a-z]{2,})([A-Z](?:[a-z]|[A-Z]{2})\w*)")


def mended(text: str) -> str:
    """The text with broken-encoding runs read as spaces."""
    return MOJIBAKE.sub(" ", text)


def readable(text: str) -> str:
    """The text mended, and each run-together word followed by its parts."""
    return JOINED.sub(r"\1\2 \1 \2", mended(text))
