"""Pasted text read as its writer meant it: broken encoding is a space, a list run together is read as
its words too, and names that are one word stay one."""

from __future__ import annotations

import pytest

from marketplace.services.pasted_text import readable


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("24 monthsAWS- 12 monthsStatsmodels", "24 monthsAWS months AWS- 12 monthsStatsmodels months Statsmodels"),
        ("toolsAutoCAD and GPS", "toolsAutoCAD tools AutoCAD and GPS"),
        ("devOps", "devOps dev Ops"),  # still itself: a search for DevOps finds it
        ("Masterâ€™s degree", "Master s degree"),
        ("Â·Provide expertise â€¢ Invoicing", " Provide expertise   Invoicing"),
        ("Skill DetailsÃ¢ÂÂ¢ Java", "Skill Details  Java"),
        # one word each: a capital first, fewer than three capitals at the end, or one letter before
        ("JavaScript, PowerShell, macOS, mongoDB, reactJS, iPhone, jQuery", None),
        # accented words are words, not broken encoding
        ("Café in São Paulo; pâte à choux", None),
        ("", None),
    ],
)
def test_pasted_text_is_read_as_meant(text, read):
    assert readable(text) == (text if read is None else read)
