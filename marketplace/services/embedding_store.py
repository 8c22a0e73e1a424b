"""What a profile's or job's embedding is built from, and where the vectors are kept.

Marketplace knows no model: callers (the recruiter's refresh job) embed the texts with Uma and hand
the vectors back here. A row is stale when the hash of (model, text) differs from the stored one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet

from marketplace.models import FreelancerProfile, JobPost, ProfilePassage, ProfileSkill
from marketplace.services.pasted_text import readable

KINDS = ("profile", "job")


@dataclass(frozen=True)
class EmbeddingSource:
    pk: int
    text: str
    stored_hash: str
    names: tuple[str, ...] = ()  # the person's names, for a caller that masks them before embedding


def profile_text(profile: FreelancerProfile) -> str:
    """Headline, skills and overview as the freelancer wrote them."""
    skills = ", ".join(ps.skill.name for ps in profile.profile_skills.all())
    return f"{profile.headline}\nSkills: {skills}\n{profile.overview}".strip()


def profile_embedding_text(profile: FreelancerProfile) -> str:
    """The profile's text as it is embedded: read as its writer meant it (pasted_text)."""
    return readable(profile_text(profile))


def job_embedding_text(job: JobPost) -> str:
    skills = ", ".join(skill.name for skill in job.skills.all())
    return readable(f"{job.title}\nSkills: {skills}\n{job.description}".strip())


def embedding_hash(*, model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def embedding_sources(*, kind: str, after_id: int, limit: int) -> list[EmbeddingSource]:
    """The next `limit` rows by id after `after_id`, with the text their embedding is built from."""
    rows: QuerySet
    if kind == "profile":
        rows = FreelancerProfile.objects.select_related("user").prefetch_related(
            Prefetch("profile_skills", queryset=ProfileSkill.objects.select_related("skill").order_by("-years", "pk"))
        )
        make: Callable = profile_embedding_text
    elif kind == "job":
        rows = JobPost.objects.prefetch_related("skills")
        make = job_embedding_text
    else:
        raise ValueError(f"kind must be one of {KINDS}")
    batch = rows.filter(pk__gt=after_id).order_by("pk")[:limit]
    return [
        EmbeddingSource(
            pk=row.pk,
            text=make(row),
            stored_hash=row.embedding_hash,
            names=(row.user.first_name, row.user.last_name) if isinstance(row, FreelancerProfile) else (),
        )
        for row in batch
    ]


def embeddings_store(
    *,
    kind: str,
    model: str,
    items: Sequence[tuple[int, str, list[float]]],
    passages: Mapping[int, Sequence[list[float]]] | None = None,
) -> int:
    """Save (pk, hash, vector) triples in one UPDATE and, for profiles, each changed profile's passage
    vectors in place of its old ones, in one transaction. Returns how many rows changed (a row whose
    stored hash already matches is left alone, passages included: running it twice changes nothing)."""
    if not items:
        return 0
    table = (FreelancerProfile if kind == "profile" else JobPost)._meta.db_table
    rows = ", ".join(["(%s, %s, %s::vector)"] * len(items))
    params: list[int | str] = [model]
    for pk, digest, vector in items:
        params += [pk, digest, _vector(vector)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET embedding = v.embedding, embedding_hash = v.hash, embedding_model = %s "  # noqa: S608 - table names are ours
            f"FROM (VALUES {rows}) AS v(id, hash, embedding) "
            "WHERE t.id = v.id AND t.embedding_hash IS DISTINCT FROM v.hash RETURNING t.id",
            params,
        )
        changed = [row[0] for row in cursor.fetchall()]
        if kind == "profile" and changed:
            ProfilePassage.objects.filter(profile_id__in=changed).delete()
            ProfilePassage.objects.bulk_create(
                ProfilePassage(profile_id=pk, number=number, embedding=vector)
                for pk in changed
                for number, vector in enumerate((passages or {}).get(pk, ()))
            )
        return len(changed)


def _vector(values: Sequence[float]) -> str:
    return "[" + ",".join(repr(float(x)) for x in values) + "]"
