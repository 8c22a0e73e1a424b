"""What keyword search needs beyond each row's tsvector: how many profiles hold each term.

A profile's `terms` (marketplace.services.search_index) holds its BM25 term weights, one dimension per
SearchTerm id; the query puts each term's IDF, from `documents`, on its side, so a profile's score is
one inner product. `documents` is kept current in the same transaction as the profiles' text.
"""

from __future__ import annotations

from django.db import models

# sparsevec's largest dimension count: a term's id is its dimension, so ids must stay below it.
TERM_DIMENSIONS = 1_000_000_000


class SearchTerm(models.Model):
    """A lexeme of the english text-search configuration, and the number of profiles holding it."""

    lexeme = models.TextField(unique=True)
    documents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.documents})"


class SearchStats(models.Model):
    """One row: how many profiles have terms, and their summed weighted length (BM25's N and avgdl)."""

    documents = models.IntegerField(default=0)
    length = models.BigIntegerField(default=0)
    # The average length every profile's weights are made with: stored by the nightly rebuild when the
    # live one (length / documents) has moved by search_index.AVGDL_DRIFT, so a night when it has not
    # rewrites no profile (None: the live one, until the first rebuild).
    avgdl = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.documents} profiles, {self.length} terms"
