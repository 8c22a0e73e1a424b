# ruff: noqa: S608 - the SQL here is composed from this module's constants; values go in as parameters
"""Keyword search: tsvectors, and BM25 term weights for profiles, refreshed set-based for any number of rows.

Texts go through tandem_search_text() (a SQL function, migrations 0011 and 0016) first, so technical
tokens the parser would break stay whole: C# is csharp, F# fsharp, C++ cplusplus, .NET dotnet; and
joined words are read as words (the parser takes "JavaScript/JQuery" for one file path, and
"Java.Company", a CV pasted without its line breaks, for one host name).
Jobs: title and skills (A), description (B). Profiles: see PROFILE_PARTS.

Profiles are also scored by BM25 (k1 1.2, b 0.75) inside PostgreSQL:
- each profile's `terms` is a sparsevec of its term_vector's saturated, length-normalised frequencies,
  a term counting FIELD_BOOST times in A (headline, skills) and once elsewhere;
- SearchTerm.documents (how many profiles hold a term) and SearchStats (N, summed length) change in the
  same transaction as the text, from the difference between old and new vectors; the nightly
  search_terms_rebuild (embeddings queue) recounts them from scratch, so nothing drifts (deleted profiles),
  and stores the average length the weights are made with when it moved (AVGDL_DRIFT);
- a query puts each term's IDF on its side (keyword_query), so a profile's score is one inner product:
  an HNSW index on `terms` finds the best under filters, and the GIN index on term_vector every holder
  of the query's selective terms when the graph finds too few (see recruiter.retrieval.full_text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import Func, TextField, Value
from pgvector import SparseVector

from marketplace.models.search import TERM_DIMENSIONS

K1, B = 1.2, 0.75
SELECTIVE_SHARE, SELECTIVE_MIN = 0.1, 3  # what makes a query term selective: see KeywordQuery
MAX_TERMS = 1000  # a profile's heaviest terms kept: the most pgvector's HNSW index takes in a sparsevec
FIELD_BOOST = 2  # a term in the headline or skills counts twice one in the overview (1: -0.01 nDCG@10)
PROFILE = "marketplace_freelancerprofile"


def _weighted(config: str, parts: Sequence[tuple[str, str]]) -> str:
    """A tsvector of (SQL text, weight) parts in one text-search configuration."""
    return " || ".join(f"setweight(to_tsvector('{config}', tandem_search_text({text})), '{w}')" for text, w in parts)


# Profiles: headline and skills (A), overview (B), portfolio (C). search_vector (english: stemmed, for
# people search) and term_vector (simple: words as written, for BM25; stemming cost 0.02 nDCG@10 on
# bench/matching_public.py, "accountant" and "accounting" becoming one "account").
PROFILE_PARTS = (
    ("coalesce(p.headline, '') || ' ' || coalesce(s.names, '')", "A"),
    ("coalesce(p.overview, '')", "B"),
    ("coalesce(f.portfolio, '')", "C"),
)
PROFILES_SQL = f"""
UPDATE marketplace_freelancerprofile p
SET search_vector = {_weighted("english", PROFILE_PARTS)}, term_vector = {_weighted("simple", PROFILE_PARTS)}
FROM marketplace_freelancerprofile p2
LEFT JOIN (SELECT ps.profile_id, string_agg(sk.name, ' ') AS names
           FROM marketplace_profileskill ps JOIN marketplace_skill sk ON sk.id = ps.skill_id
           WHERE ps.profile_id = ANY(%(ids)s) GROUP BY ps.profile_id) s ON s.profile_id = p2.id
LEFT JOIN (SELECT pi.profile_id, string_agg(pi.title || ' ' || pi.description, ' ') AS portfolio
           FROM marketplace_portfolioitem pi WHERE pi.profile_id = ANY(%(ids)s) GROUP BY pi.profile_id) f
       ON f.profile_id = p2.id
WHERE p.id = p2.id AND p.id = ANY(%(ids)s)
RETURNING p.id, p.term_vector AS v
"""

JOB_PARTS = (("j.title || ' ' || coalesce(s.names, '')", "A"), ("j.description", "B"))
JOBS_SQL = f"""
UPDATE marketplace_jobpost j SET search_vector = {_weighted("english", JOB_PARTS)}
FROM marketplace_jobpost j2
LEFT JOIN (SELECT js.jobpost_id, string_agg(sk.name, ' ') AS names
           FROM marketplace_jobpost_skills js JOIN marketplace_skill sk ON sk.id = js.skill_id
           WHERE js.jobpost_id = ANY(%(ids)s) GROUP BY js.jobpost_id) s ON s.jobpost_id = j2.id
WHERE j.id = j2.id AND j.id = ANY(%(ids)s)
"""

# A profile's weighted term frequencies, from its tsvector, and their sum (BM25's document length).
TERM_FREQUENCIES = f"""
SELECT u.lexeme, sum(CASE WHEN w = 'A' THEN {FIELD_BOOST} ELSE 1 END) AS tf
FROM unnest(p.term_vector) u, unnest(u.weights) w GROUP BY u.lexeme
"""
TERM_LENGTH = f"coalesce((SELECT sum(tf) FROM ({TERM_FREQUENCIES}) t), 0)"

# The new vectors' terms counted in, the old ones' counted out (rows are locked: see _lock).
DOCUMENTS_SQL = f"""
WITH old AS (SELECT id, term_vector AS v FROM {PROFILE} WHERE id = ANY(%(ids)s)),
new AS ({PROFILES_SQL}),
delta AS (
    SELECT lexeme, sum(d)::int AS d FROM (
        SELECT unnest(tsvector_to_array(v)) AS lexeme, 1 AS d FROM new WHERE v IS NOT NULL
        UNION ALL
        SELECT unnest(tsvector_to_array(v)), -1 FROM old WHERE v IS NOT NULL
    ) changes GROUP BY lexeme HAVING sum(d) <> 0
)
INSERT INTO marketplace_searchterm (lexeme, documents) SELECT lexeme, d FROM delta ORDER BY lexeme
ON CONFLICT (lexeme) DO UPDATE SET documents = marketplace_searchterm.documents + EXCLUDED.documents
"""

LENGTHS_SQL = f"""
WITH old AS (SELECT id, term_length FROM {PROFILE} WHERE id = ANY(%(ids)s)),
new AS (
    UPDATE {PROFILE} p SET term_length = {TERM_LENGTH}
    WHERE p.id = ANY(%(ids)s) RETURNING p.id, p.term_length
)
INSERT INTO marketplace_searchstats (id, documents, length)
SELECT 1, coalesce(sum(sign(new.term_length)) - sum(sign(old.term_length)), 0),
       coalesce(sum(new.term_length) - sum(old.term_length), 0)
FROM old JOIN new USING (id)
ON CONFLICT (id) DO UPDATE SET documents = marketplace_searchstats.documents + EXCLUDED.documents,
                               length = marketplace_searchstats.length + EXCLUDED.length
"""

# BM25's average document length as the counts say today (at least 1).
LIVE_AVGDL = "greatest(length::float / nullif(documents, 0), 1)"

# Each profile's weights are made with the stored average length (`SearchStats.avgdl`, the live one until
# the nightly rebuild first stores it), so every profile is weighed alike; rows whose weights come out the
# same are not written (each write is a new entry in the terms' HNSW graph, ~6 ms at 100k profiles).
WEIGHTS_SQL = f"""
WITH s AS (
    SELECT coalesce(avgdl, {LIVE_AVGDL}) AS avgdl FROM marketplace_searchstats WHERE id = 1
),
w AS (
    SELECT p.id, (
        SELECT ('{{' || string_agg(
                    t.id || ':' || round((t.tf * ({K1} + 1)
                        / (t.tf + {K1} * (1 - {B} + {B} * p.term_length / coalesce(s.avgdl, 1))))::numeric, 4),
                    ',' ORDER BY t.id) || '}}/{TERM_DIMENSIONS}')::sparsevec
        FROM (
            SELECT x.tf, t.id FROM ({TERM_FREQUENCIES}) x JOIN marketplace_searchterm t ON t.lexeme = x.lexeme
            ORDER BY x.tf DESC, t.id LIMIT {MAX_TERMS}
        ) t
    ) AS terms
    FROM {PROFILE} p LEFT JOIN s ON true
    WHERE p.id = ANY(%(ids)s)
)
UPDATE {PROFILE} p SET terms = w.terms FROM w WHERE p.id = w.id AND p.terms IS DISTINCT FROM w.terms
"""

# The live average length moved this much from the stored one: the nightly rebuild stores it and reweighs
# every profile. A profile's weight moves under 0.4% for 1% (tf 1, average length; less for longer
# texts), and every profile's alike.
AVGDL_DRIFT = 0.01


def _lock(cursor, ids: list[int]) -> None:  # noqa: ANN001
    """Lock the rows first, so the statements after see their last committed text (not a stale one)."""
    cursor.execute(f"SELECT id FROM {PROFILE} WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE", {"ids": ids})


def profiles_reindex(*, ids: Sequence[int]) -> None:
    """Text vectors, term counts, lengths and BM25 weights of these profiles, in one transaction."""
    if not ids:
        return
    params = {"ids": list(ids)}
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, params["ids"])
        cursor.execute(DOCUMENTS_SQL, params)
        cursor.execute(LENGTHS_SQL, params)
        cursor.execute(WEIGHTS_SQL, params)


def jobs_reindex(*, ids: Sequence[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(JOBS_SQL, {"ids": list(ids)})


def reindex_everything() -> int:
    """Every profile's and job's vectors from their text, then the term counts and weights from scratch."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(array_agg(id), '{{}}') FROM {PROFILE}")
        cursor.execute(PROFILES_SQL, {"ids": cursor.fetchone()[0]})
        cursor.execute("SELECT coalesce(array_agg(id), '{}') FROM marketplace_jobpost")
        cursor.execute(JOBS_SQL, {"ids": cursor.fetchone()[0]})
    return search_terms_rebuild()


def search_terms_rebuild(*, batch: int = 500) -> int:
    """Count every term's profiles and the lengths again from the stored vectors (repairing drift, such as
    a deleted profile's terms), store the average length when it moved by AVGDL_DRIFT, then reweigh the
    profiles whose weights changed. The counts hold a lock that edits wait on (seconds at 100k
    profiles); the weights are made afterwards in short transactions of `batch` profiles, and a night
    when nothing moved writes no profile. Safe to run twice; returns the number of profiles."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE marketplace_searchterm, marketplace_searchstats IN EXCLUSIVE MODE")
        cursor.execute(
            "CREATE TEMP TABLE term_counts ON COMMIT DROP AS SELECT lexeme, count(*) AS n "
            f"FROM {PROFILE}, unnest(tsvector_to_array(term_vector)) lexeme GROUP BY lexeme"
        )
        cursor.execute(
            "INSERT INTO marketplace_searchterm (lexeme, documents) SELECT lexeme, n FROM term_counts ORDER BY lexeme "
            "ON CONFLICT (lexeme) DO UPDATE SET documents = EXCLUDED.documents "
            "WHERE marketplace_searchterm.documents <> EXCLUDED.documents"
        )
        cursor.execute(
            "UPDATE marketplace_searchterm t SET documents = 0 WHERE documents <> 0 "
            "AND NOT EXISTS (SELECT 1 FROM term_counts c WHERE c.lexeme = t.lexeme)"
        )
        cursor.execute(
            f"UPDATE {PROFILE} p SET term_length = n.length "
            f"FROM (SELECT p.id, {TERM_LENGTH} AS length FROM {PROFILE} p) n "
            "WHERE p.id = n.id AND p.term_length IS DISTINCT FROM n.length"
        )
        cursor.execute(
            f"""
            INSERT INTO marketplace_searchstats (id, documents, length)
            SELECT 1, count(*) FILTER (WHERE term_length > 0), coalesce(sum(term_length), 0) FROM {PROFILE}
            ON CONFLICT (id) DO UPDATE SET documents = EXCLUDED.documents, length = EXCLUDED.length
            """
        )
        cursor.execute(
            f"""
            UPDATE marketplace_searchstats SET avgdl = live
            FROM (SELECT {LIVE_AVGDL} AS live FROM marketplace_searchstats WHERE id = 1) l
            WHERE id = 1 AND (avgdl IS NULL OR abs(live - avgdl) > %s * avgdl)
            """,
            [AVGDL_DRIFT],
        )
        cursor.execute("DROP TABLE term_counts")  # now, not at commit: the caller may be in a transaction
        cursor.execute(f"SELECT id FROM {PROFILE} ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(ids), batch):
        with transaction.atomic(), connection.cursor() as cursor:
            _lock(cursor, ids[start : start + batch])  # in id order, as an edit locks them: no deadlock
            cursor.execute(WEIGHTS_SQL, {"ids": ids[start : start + batch]})
    return len(ids)


# --- Queries -----------------------------------------------------------------------------------------


def search_query(text: str) -> SearchQuery:
    """What a person typed in a search box, for search_vector: read through tandem_search_text() as the
    index was, so "C#" finds csharp and ".NET" dotnet (websearch syntax: quotes, or, -word). Lower-cased
    first: every typed word must match, so "devOps" stays one word rather than devops, dev and ops (the
    index reads a run-together word as itself and its parts, and "DevOps" as itself)."""
    typed = Func(Value(text.strip().lower()), function="tandem_search_text", output_field=TextField())
    return SearchQuery(typed, config="english", search_type="websearch")


def _tsquery(lexemes: Sequence[str]) -> str | None:
    """Any of the lexemes, for term_vector."""
    return " | ".join("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes) or None


@dataclass(frozen=True)
class KeywordQuery:
    """A BM25 query: `vector` scores a profile in one inner product with its `terms`.

    A keyword match must share a selective term with the query: one held by at most SELECTIVE_SHARE of
    profiles (or, when none is, one of the SELECTIVE_MIN rarest). Common words still score, but a
    profile that shares only "and", "team" or "experience" is left to the semantic search (requiring
    it: +0.009 nDCG@10 on bench/matching_public.py)."""

    vector: SparseVector  # each term's IDF times its boosts, on the terms' dimensions
    holders: dict[str, int]  # each term's lexeme: how many profiles hold it
    total: int  # profiles with any text

    def _by_rarity(self) -> list[tuple[str, int]]:
        return sorted(self.holders.items(), key=lambda item: (item[1], item[0]))

    @property
    def selective(self) -> list[str]:
        by_rarity = self._by_rarity()
        return [lexeme for lexeme, count in by_rarity if count <= SELECTIVE_SHARE * self.total] or [
            lexeme for lexeme, _ in by_rarity[:SELECTIVE_MIN]
        ]

    def matching(self) -> str:
        """A tsquery for the selective terms (never none: a query holds at least one term)."""
        return _tsquery(self.selective) or ""


def keyword_query(parts: Sequence[tuple[str, float]]) -> KeywordQuery | None:
    """The BM25 query for (text, boost) parts: each term weighs its IDF times the boosts of every time
    it is written (a word said in the title and twice in the post counts three times), so a profile's
    score is the inner product of `vector` with its `terms`. None when no term of the text is in any
    profile."""
    given = [(text, boost) for text, boost in parts if text.strip()]
    if not given:
        return None
    values = ", ".join(["(%s, %s::float)"] * len(given))
    params = [value for pair in given for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.id, t.lexeme, t.documents, sum(q.boost * array_length(term.positions, 1))
            FROM (VALUES {values}) q(text, boost),
                 unnest(to_tsvector('simple', tandem_search_text(q.text))) term
            JOIN marketplace_searchterm t ON t.lexeme = term.lexeme AND t.documents > 0
            GROUP BY t.id, t.lexeme, t.documents
            """,
            params,
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT documents FROM marketplace_searchstats WHERE id = 1")
        total = (cursor.fetchone() or (0,))[0]
    if not rows or not total:
        return None
    # sparsevec's text form (WEIGHTS_SQL) counts dimensions from 1, pgvector's Python class from 0.
    weights = {pk - 1: boost * math.log(1 + (total - df + 0.5) / (df + 0.5)) for pk, _, df, boost in rows}
    return KeywordQuery(
        vector=SparseVector(weights, TERM_DIMENSIONS), holders={lexeme: df for _, lexeme, df, _ in rows}, total=total
    )


def telling_terms(profile_ids: Sequence[int], *, limit: int) -> dict[str, float]:
    """The terms that say most about these profiles together, for pseudo-relevance feedback: each
    term's mean BM25 document weight over them times its IDF, the best `limit`, scaled so the first is 1."""
    profile_ids = list(profile_ids)
    if not profile_ids or limit <= 0:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT terms::text FROM {PROFILE} WHERE id = ANY(%s) AND terms IS NOT NULL", [profile_ids])
        vectors = [SparseVector.from_text(row[0]) for row in cursor.fetchall()]
        cursor.execute("SELECT documents FROM marketplace_searchstats WHERE id = 1")
        total = (cursor.fetchone() or (0,))[0]
    if not vectors or not total:
        return {}
    summed: dict[int, float] = {}
    for vector in vectors:
        for index, weight in zip(vector.indices(), vector.values(), strict=True):
            summed[index + 1] = summed.get(index + 1, 0.0) + weight  # sparsevec's text form counts from 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, lexeme, documents FROM marketplace_searchterm WHERE id = ANY(%s)", [list(summed)])
        scored = {
            lexeme: summed[pk] / len(vectors) * math.log(1 + (total - df + 0.5) / (df + 0.5))
            for pk, lexeme, df in cursor.fetchall()
            if df > 0
        }
    best = sorted(scored, key=lambda lexeme: (-scored[lexeme], lexeme))[:limit]
    return {lexeme: scored[lexeme] / scored[best[0]] for lexeme in best} if best else {}
