"""Scam screening on Tandem's corpora (offers/data/screening/, measured by bench/scam_screening.py):
scams are flagged however they are worded, and ordinary work about payments, messaging apps, fees and
deposits is not (the keyword rules before flagged 25 of 75 such texts and held 6, and caught 31 of
75 scams)."""

from __future__ import annotations

import pytest

from bench.scam_screening import corpus, measure
from offers.screening import screen


@pytest.mark.parametrize(
    "name,least_flagged,most_work_flagged", [("shaped.txt", 0.95, 0.05), ("heldout.txt", 0.6, 0.1)]
)
def test_scams_are_flagged_and_ordinary_work_is_not(name, least_flagged, most_work_flagged):
    m = measure(screen, corpus(name))

    assert m["flagged"] >= least_flagged * m["scams"], m["misses"]
    assert m["false_flags"] <= most_work_flagged * m["work"], m["wrong"]
    assert m["false_holds"] == 0, m["wrong"]
