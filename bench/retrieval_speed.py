"""Speed of the recruiter's retrieval on a large database (bench/recruiter_retrieval.py runs it):
filtered HNSW search against the exact scan of the same query, and BM25 keyword search through its
indexes against scoring every matching profile; p50/p95 and recall@10 for each."""

from __future__ import annotations

import statistics
import time

EF_SWEEP = (100, 200, 400)


# --- Speed: filtered HNSW against the exact scan -----------------------------------------------------


def _exact_query(need):  # noqa: ANN001, ANN202
    """The same filtered query, ordered by an expression no index can serve: every row is compared."""
    from django.db.models import ExpressionWrapper, FloatField, Value
    from pgvector.django import CosineDistance

    from marketplace.models import FreelancerProfile
    from recruiter.retrieval import eligible

    distance = ExpressionWrapper(CosineDistance("embedding", need.vector) + Value(0.0), output_field=FloatField())
    query = FreelancerProfile.objects.filter(eligible(need), embedding__isnull=False).annotate(distance=distance)
    return query.order_by("distance", "pk")


def exact(need, *, limit: int) -> list[tuple[int, float]]:  # noqa: ANN001
    return list(_exact_query(need).values_list("pk", "distance")[:limit])


def plan_uses_index(need) -> tuple[bool, bool]:  # noqa: ANN001
    """(the production query uses the HNSW index, the exact one does not) — read from EXPLAIN."""
    from django.db import connection, transaction

    from recruiter.retrieval import nearest

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        hnsw = nearest(need)[:10].explain()
    full = _exact_query(need)[:10].explain()
    return "profile_embedding_hnsw" in hnsw, "profile_embedding_hnsw" not in full


def exact_keywords(need, *, limit: int) -> list[tuple[int, float]]:  # noqa: ANN001
    """The keyword search's own query (selective terms, BM25), ordered by an expression no index can
    serve: every matching profile is scored (the search's own fallback, recruiter.retrieval.every_scored)."""
    from recruiter.retrieval import every_scored, keywords_of

    query = keywords_of(need)
    return every_scored(need, query, limit=limit) if query is not None else []


def _timed(search, queries: list) -> tuple[list[float], list[list[tuple[int, float]]]]:  # noqa: ANN001
    took, found = [], []
    for need in queries:
        started = time.perf_counter()
        found.append(search(need, limit=10))
        took.append((time.perf_counter() - started) * 1000)
    return took, found


def keyword_speed(queries: list) -> dict:
    """The keyword search (BM25 through the terms' HNSW index) against scoring every eligible profile
    that holds a selective term."""
    from django.conf import settings
    from django.db import transaction

    from recruiter.retrieval import best_scored, full_text, keywords_of

    _timed(full_text, queries)  # warm the caches (see speed)
    exact_ms, truths = _timed(exact_keywords, queries)
    fast_ms, found = _timed(full_text, queries)
    # Profiles can tie (copies of one template that kept the same sentences): one found counts when it
    # scores as well as the exact scan's last.
    recalls = [
        sum(score >= t[-1][1] - 1e-6 for _, score in f) / len(t) for f, t in zip(found, truths, strict=True) if t
    ]
    with transaction.atomic():
        plan = best_scored(queries[0], keywords_of(queries[0]))[:10].explain()
    return {
        "ef_search": settings.RECRUITER_KEYWORD_EF_SEARCH,
        "plan_uses_index": "profile_terms_hnsw" in plan,
        "p50_ms": round(percentile(fast_ms, 50), 2),
        "p95_ms": round(percentile(fast_ms, 95), 2),
        "exact_p50_ms": round(percentile(exact_ms, 50), 2),
        "exact_p95_ms": round(percentile(exact_ms, 95), 2),
        "recall_at_10": round(statistics.mean(recalls), 3),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _hnsw(queries: list, truths: list, ef_search: int | None = None) -> tuple[list[float], float]:
    """Milliseconds per filtered HNSW search of 10, and mean recall@10 against the exact scan's."""
    from recruiter.retrieval import semantic

    took, recalls = [], []
    for need, truth in zip(queries, truths, strict=True):
        started = time.perf_counter()
        found = semantic(need, limit=10, ef_search=ef_search)
        took.append((time.perf_counter() - started) * 1000)
        if truth:
            recalls.append(len({pk for pk, _ in found} & {pk for pk, _ in truth}) / len(truth))
    return took, statistics.mean(recalls) if recalls else 0.0


def speed(queries: list) -> dict:
    from django.conf import settings

    # Warm the caches with every query once, as a server that has been answering them has: run straight
    # after a migration rebuilt the graph, a pass with 3 warm-up queries measured p95 82.5 ms, the next 24.6.
    _hnsw(queries, [[] for _ in queries])
    exact_ms, truths = [], []
    for need in queries:
        started = time.perf_counter()
        truths.append(exact(need, limit=10))
        exact_ms.append((time.perf_counter() - started) * 1000)
    hnsw_ms, recall = _hnsw(queries, truths)  # at RECRUITER_HNSW_EF_SEARCH, as in production
    sweep = {}
    for ef_search in EF_SWEEP:  # the setting's trade-off, on the same queries
        took, found = _hnsw(queries, truths, ef_search)
        sweep[ef_search] = {"p95_ms": round(percentile(took, 95), 2), "recall_at_10": round(found, 3)}
    uses, avoids = plan_uses_index(queries[0])
    return {
        "queries": len(queries),
        "hnsw_p50_ms": round(percentile(hnsw_ms, 50), 2),
        "hnsw_p95_ms": round(percentile(hnsw_ms, 95), 2),
        "exact_p50_ms": round(percentile(exact_ms, 50), 2),
        "exact_p95_ms": round(percentile(exact_ms, 95), 2),
        "recall_at_10": round(recall, 3),
        "hnsw_plan_uses_index": uses,
        "exact_plan_scans_all": avoids,
        "ef_search": settings.RECRUITER_HNSW_EF_SEARCH,
        "ef_search_sweep": sweep,
        "keyword": keyword_speed(queries),
    }
