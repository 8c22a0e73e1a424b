"""The recruiter's embeddings: keeping profile and job embeddings current with Uma."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.services.embedding_store import embedding_hash, embedding_sources, embeddings_store
from uma.embeddings import embed, model_name

EMBED_BATCH = 200


@dataclass(frozen=True)
class BatchResult:
    last_id: int | None  # None: nothing after this batch
    seen: int
    embedded: int


def embeddings_refresh_batch(*, kind: str, after_id: int = 0, limit: int = EMBED_BATCH) -> BatchResult:
    """Embed the rows of one batch whose text (or the model) changed since their last embedding.
    Safe to run twice: a row whose stored hash already matches is skipped."""
    model = model_name()
    sources = embedding_sources(kind=kind, after_id=after_id, limit=limit)
    stale = [(s, embedding_hash(model=model, text=s.text)) for s in sources]
    stale = [(s, digest) for s, digest in stale if s.stored_hash != digest]
    vectors = embed([s.text for s, _ in stale])
    embeddings_store(kind=kind, model=model, items=[(s.pk, d, v) for (s, d), v in zip(stale, vectors, strict=True)])
    last = sources[-1].pk if len(sources) == limit else None
    return BatchResult(last_id=last, seen=len(sources), embedded=len(stale))
