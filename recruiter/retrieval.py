"""Finding replacement candidates: what the contract needs, then semantic search (pgvector HNSW with
0.8's iterative index scan, so the filters don't starve the results) and BM25 keyword search inside
PostgreSQL (marketplace.services.search_index, its own HNSW graph) over the same filters, fused by
reciprocal rank; then both searches again, from the need as the first people found show it (pseudo-relevance feedback: a
post says "ABAP developer", the people it finds also write "SAP", "Fiori" and "HANA", and so does a
consultant who never wrote "ABAP"). Feedback took nDCG@10 from 0.801 to 0.818 on
bench/matching_public.py and from 0.585 to 0.623 on the demo's labelled jobs (same runs).

Filters (both searches): active freelancers with an embedding/profile, available now or by the start
date, listing one of the skills the client listed or no skills at all (a profile in prose is judged by
its text), an hourly rate inside the budget plus RECRUITER_BUDGET_TOLERANCE, not the current freelancer
and not anyone excluded (removed from the shortlist, declined before). Skills only read from the post's
text filter nothing: they are a guess, and so are the skills a pasted CV suggests. Holding one of them
exactly dropped relevant people who named theirs differently (-0.03 nDCG@10 on
bench/matching_public.py --with-skills); one of the same taxonomy category still dropped 18% of the
relevant resumes there (1,538 of 1,874 kept), and no filter gave +0.011 nDCG@10 on that benchmark,
the demo's labelled jobs (which list their skills) unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from pgvector.django import CosineDistance, MaxInnerProduct

from marketplace.models import Contract, FreelancerProfile, ProfilePassage, ProfileSkill, Skill
from marketplace.services.search_index import KeywordQuery, keyword_query, telling_terms
from marketplace.services.skill_matcher import skills_in_text

RRF_K = 60
# The semantic list's share of the fusion, chosen on the benchmarks over k 10/30/60 and shares
# 0.4-0.7: the public resumes favour meaning (0.7: +0.02 nDCG@10), the demo's skill-labelled jobs favour
# words (0.7: -0.04), the mean of the three sets moves by at most 0.002 between 0.5 and 0.6 — equal.
SEMANTIC_WEIGHT = 0.5
KEY_BOOST = 2.0  # a term of the title weighs twice one of the description (1.0: -0.02 nDCG@10)
NEED_SKILLS = 8  # the most skills a need asks for: its post's, then those its text names
# Pseudo-relevance feedback: the first fused profiles are read as examples of what the need means, and
# both searches run again from there — the semantic query moves FEEDBACK_SHARE of the way toward their
# mean embedding (Rocchio), the keyword query takes their FEEDBACK_TERMS most telling terms, each at
# up to FEEDBACK_BOOST of a word in the post. See bench/README.md for the sweep.
FEEDBACK_DOCS = 10
FEEDBACK_SHARE = 0.5
FEEDBACK_TERMS = 10
FEEDBACK_BOOST = 0.5
START_WINDOW = timedelta(days=14)  # a replacement may start up to two weeks from now


def start_by() -> date:
    return timezone.localdate() + START_WINDOW


def available_by(day: date) -> Q:
    """Freelancers (profiles) who are available now or will be by `day`: the one rule for shortlists and sends."""
    return Q(user__is_active=True) & (Q(available_now=True) | Q(available_from__lte=day))


@dataclass
class Need:
    """What a replacement must bring, from the contract (and its job post, when there is one)."""

    title: str
    text: str
    skills: list[str]
    skill_ids: list[int]
    contract_type: str
    budget_min: Decimal | None
    budget_max: Decimal | None  # hourly: the most per hour; fixed: the total
    weekly_hours: int | None
    start: date
    exclude: set[int] = field(default_factory=set)  # user ids
    vector: list[float] | None = None
    listed: int | None = None  # how many of `skills` (the first ones) were listed, not read from text
    more_terms: dict[str, float] = field(default_factory=dict)  # feedback terms and their boosts

    @property
    def required(self) -> list[str]:
        """The skills someone chose for the work (a post's or the hired freelancer's), not those read
        from its text: what the re-ranker checks a candidate against, and the filter asks for."""
        return self.skills[: self.listed]

    @property
    def required_ids(self) -> list[int]:
        return self.skill_ids[: self.listed]

    @property
    def max_rate(self) -> Decimal | None:
        if self.contract_type != "hourly" or self.budget_max is None:
            return None
        return (self.budget_max * Decimal(1 + settings.RECRUITER_BUDGET_TOLERANCE)).quantize(Decimal("0.01"))


def _read_skills(text: str, *, have: list[Skill], limit: int = NEED_SKILLS) -> list[Skill]:
    """`have`, then the taxonomy skills the text names (most named first), up to `limit`."""
    held = {skill.name for skill in have}
    names = [name for name in skills_in_text(text) if name not in held]
    found = {skill.name: skill for skill in Skill.objects.filter(name__in=names)}
    return [*have, *(found[name] for name in names if name in found)][:limit]


def need_of(contract: Contract, *, start: date, exclude: set[int]) -> Need:
    """The need: the job post's skills, then those its title and description name (a post written in
    prose lists few or none); with no post, those the contract's title and scope name, then the skills
    the current freelancer was hired for."""
    job = contract.job
    listed = list(job.skills.order_by("name"))[:NEED_SKILLS] if job is not None else []
    skills = _read_skills(
        f"{job.title}\n{job.description}" if job else f"{contract.title}\n{contract.scope}", have=listed
    )
    if not skills:
        listed = skills = [
            ps.skill
            for ps in ProfileSkill.objects.filter(profile__user_id=contract.freelancer_id)
            .select_related("skill")
            .order_by("-years", "skill__name")[:5]
        ]
    if contract.contract_type == "hourly":
        rate = contract.hourly_rate or Decimal(0)
        budget_max = max(job.budget_max, rate) if job and job.contract_type == "hourly" else rate
        budget_min = job.budget_min if job and job.contract_type == "hourly" else (rate * Decimal("0.7")).quantize(1)
    else:
        budget_max = contract.fixed_amount
        budget_min = job.budget_min if job and job.contract_type == "fixed" else None
    text = " ".join(
        [
            contract.title,
            (job.description if job else contract.scope)[:1500],
            "Skills: " + ", ".join(s.name for s in skills),
        ]
    )
    return Need(
        title=job.title if job else contract.title,
        text=text,
        skills=[s.name for s in skills],
        skill_ids=[s.pk for s in skills],
        contract_type=contract.contract_type,
        budget_min=budget_min,
        budget_max=budget_max,
        weekly_hours=contract.weekly_limit or (job.weekly_hours if job else None),
        start=start,
        exclude=exclude | {contract.freelancer_id},
        listed=len(listed),
    )


def eligible(need: Need) -> Q:
    """The filters both searches share (see the module's docstring)."""
    q = available_by(need.start)
    q &= ~Q(user_id__in=need.exclude)
    if need.required_ids:  # one of the skills the client listed; someone who lists none is judged by their text
        holds = ProfileSkill.objects.filter(profile=OuterRef("pk"), skill_id__in=need.required_ids)
        q &= Q(Exists(holds)) | ~Q(Exists(ProfileSkill.objects.filter(profile=OuterRef("pk"))))
    if need.max_rate is not None:
        q &= Q(hourly_rate__lte=need.max_rate)
    return q


@contextmanager
def _index_scan(*, limit: int, ef_search: int | None) -> Iterator[None]:
    """For queries ordered by a distance an HNSW index serves: pgvector 0.8's iterative scan, so the
    filters don't starve the results (relaxed order: callers re-sort).

    A small work_mem keeps the planner from hashing every holder of the need's skills before the scan
    (46k rows, 20 of 30 ms at 100k profiles): each profile the index yields is checked with an index
    probe instead, and only a few dozen are (p95 68 -> 10 ms, bench/recruiter_retrieval.py)."""
    ef_search = ef_search or settings.RECRUITER_HNSW_EF_SEARCH
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        cursor.execute("SET LOCAL hnsw.ef_search = %s", [max(ef_search, limit)])
        cursor.execute("SET LOCAL work_mem = '64kB'")
        yield


def semantic(need: Need, *, limit: int, ef_search: int | None = None) -> list[tuple[int, float]]:
    """(profile id, distance) nearest first. A profile's distance is its embedding's cosine distance
    plus its closest passage's (its embedding's again when it has none: the encoder read all of it) —
    max-sim over passages finds what a long profile says past the encoder's first 256 tokens.
    Candidates come through both HNSW indexes, profiles' and passages'; their distances are then exact."""
    if need.vector is None:
        return []
    with _index_scan(limit=limit, ef_search=ef_search):
        found = set(nearest(need).values_list("pk", flat=True)[:limit])
        found |= set(nearest_passages(need).values_list("profile_id", flat=True)[:limit])
    closest = (
        ProfilePassage.objects.filter(profile=OuterRef("pk"))
        .annotate(distance=CosineDistance("embedding", need.vector))
        .order_by("distance")
        .values("distance")[:1]
    )
    rows = (
        FreelancerProfile.objects.filter(pk__in=found)
        .annotate(distance=CosineDistance("embedding", need.vector), passage=Subquery(closest))
        .values_list("pk", "distance", "passage")
    )
    scored = [(pk, whole + (whole if passage is None else passage)) for pk, whole, passage in rows]
    return sorted(scored, key=lambda row: (row[1], row[0]))[:limit]


def nearest(need: Need) -> QuerySet[FreelancerProfile]:
    """Eligible profiles by cosine distance to the need's vector: the query the HNSW index serves."""
    return (
        FreelancerProfile.objects.filter(eligible(need), embedding__isnull=False)
        .annotate(distance=CosineDistance("embedding", need.vector))
        .order_by("distance")
    )


def nearest_passages(need: Need) -> QuerySet[ProfilePassage]:
    """Passages of eligible profiles by cosine distance to the need's vector (the passages' HNSW index)."""
    eligible_profiles = FreelancerProfile.objects.filter(eligible(need), embedding__isnull=False).values("pk")
    return (
        ProfilePassage.objects.filter(profile__in=eligible_profiles)
        .annotate(distance=CosineDistance("embedding", need.vector))
        .order_by("distance")
    )


def keywords_of(need: Need) -> KeywordQuery | None:
    """The need's BM25 query. The title counts KEY_BOOST times the rest of its text (the post and its
    skills line): BM25's IDF makes a rare, decisive term (ABAP, SAP, QuickBooks) outweigh a common one
    (developer, manager). Boosting the skills too cost 0.010 nDCG@10 on bench/matching_public.py
    (skills read from a post are less sure than its title)."""
    return keyword_query([(need.title, KEY_BOOST), (need.text, 1.0), *need.more_terms.items()])


def best_scored(need: Need, query: KeywordQuery) -> QuerySet[FreelancerProfile]:
    """Eligible profiles holding a selective term of the query, by BM25 score, best first (`score` is
    the negative inner product): the query the terms' HNSW index serves."""
    return (
        FreelancerProfile.objects.filter(eligible(need), terms__isnull=False)
        .filter(term_vector=SearchQuery(query.matching(), config="simple", search_type="raw"))
        .annotate(score=MaxInnerProduct("terms", query.vector))
        .order_by("score")
    )


def full_text(need: Need, *, limit: int, ef_search: int | None = None) -> list[tuple[int, float]]:
    """(profile id, BM25 score) best first, among eligible profiles holding a selective term of the need.

    Through the terms' HNSW index (RECRUITER_KEYWORD_EF_SEARCH candidates); when it finds fewer than
    asked for, every eligible holder is scored instead (every_scored). A graph search by inner product
    can lose its way when few profiles share any term with the query (their neighbours all score 0) or
    when tight filters pass few of those it reaches. Scoring the holders of the query's rarest terms as
    well (up to 500) cost 6-8 ms a search and changed no result at 100k profiles, on the public resumes
    or on the demo's labelled jobs (7 Dec), so the search no longer does.
    """
    query = keywords_of(need)
    if query is None:
        return []
    with _index_scan(limit=limit, ef_search=ef_search or settings.RECRUITER_KEYWORD_EF_SEARCH):
        rows = list(best_scored(need, query).values_list("pk", "score")[:limit])  # type: ignore[misc]
    scores = {pk: -score for pk, score in rows if score < 0}
    if len(scores) < limit:  # the graph lost its way, or the filters passed too few: score every holder
        scores.update(every_scored(need, query, limit=limit))
    return sorted(scores.items(), key=lambda row: (-row[1], row[0]))[:limit]


def every_scored(need: Need, query: KeywordQuery, *, limit: int) -> list[tuple[int, float]]:
    """(profile id, BM25 score) best first, scoring every eligible profile that holds a selective term:
    ordered by an expression no index serves. Slower (100-600 ms at 100k profiles), but it never misses.
    The keyword search falls back to it when its graph finds too few: under tight filters the terms'
    graph can end its scan with nothing that passes them."""
    every = ExpressionWrapper(F("score") + Value(0.0), output_field=FloatField())
    rows = best_scored(need, query).annotate(every=every).order_by("every", "pk").values_list("pk", "every")[:limit]
    return [(pk, -score) for pk, score in rows if score < 0]


def fuse(*rankings: list[tuple[int, float]], k: int = RRF_K, weights: tuple[float, ...] = ()) -> dict[int, float]:
    """Weighted reciprocal rank fusion: each list adds weight / (k + rank) for each profile it holds
    (weight 1 each unless given)."""
    scores: dict[int, float] = {}
    for index, ranking in enumerate(rankings):
        weight = weights[index] if weights else 1.0
        for rank, (pk, _) in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + weight / (k + rank)
    return scores


def with_feedback(need: Need, profile_ids: list[int]) -> Need:
    """The need as those profiles (the first found) show it: see FEEDBACK_DOCS."""
    vectors = [
        np.asarray(v, dtype=np.float64)
        for v in FreelancerProfile.objects.filter(pk__in=profile_ids, embedding__isnull=False).values_list(
            "embedding", flat=True
        )
    ]
    vector = need.vector
    if vector is not None and vectors:
        moved = (1 - FEEDBACK_SHARE) * np.asarray(vector) + FEEDBACK_SHARE * np.mean(vectors, axis=0)
        vector = (moved / (np.linalg.norm(moved) or 1.0)).tolist()
    terms = telling_terms(profile_ids, limit=FEEDBACK_TERMS)
    return replace(need, vector=vector, more_terms={t: FEEDBACK_BOOST * w for t, w in terms.items()})


def _searched(need: Need, limit: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]], dict[int, float]]:
    by_meaning, by_words = semantic(need, limit=limit), full_text(need, limit=limit)
    return by_meaning, by_words, fuse(by_meaning, by_words, weights=(SEMANTIC_WEIGHT, 1 - SEMANTIC_WEIGHT))


def retrieve(need: Need, *, limit: int | None = None) -> list[dict]:
    """Candidates for the need, fused best first: [{"profile_id", "semantic_rank", "text_rank", "fused"}]
    (the ranks and scores of the searches run again with feedback, when there was any)."""
    limit = limit or settings.RECRUITER_RETRIEVE
    by_meaning, by_words, fused = _searched(need, limit)
    if FEEDBACK_DOCS and fused:
        first = sorted(fused, key=lambda pk: -fused[pk])[:FEEDBACK_DOCS]
        by_meaning, by_words, fused = _searched(with_feedback(need, first), limit)
    sem_rank = {pk: i for i, (pk, _) in enumerate(by_meaning, start=1)}
    text_rank = {pk: i for i, (pk, _) in enumerate(by_words, start=1)}
    ordered = sorted(fused, key=lambda pk: -fused[pk])
    return [
        {"profile_id": pk, "semantic_rank": sem_rank.get(pk), "text_rank": text_rank.get(pk), "fused": fused[pk]}
        for pk in ordered
    ]
