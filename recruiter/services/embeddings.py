"""The recruiter's embeddings: keeping profile and job embeddings current with Uma.

A profile is embedded as retrieval should see it: the person's names masked, gendered words and ages
made neutral (uma.llm.text.neutralise). Two profiles that differ only in those get the same vector, so
the search cannot prefer one gender or age (recruiter/fairness.py measures it: before, copies that said
"a mother of two, she" were shortlisted 27 times to 29 for "a father of two, he", an impact ratio of
0.93; now 1.0)."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.services.embedding_store import EmbeddingSource, embedding_hash, embedding_sources, embeddings_store
from uma.embeddings import embed, model_name
from uma.llm.text import neutralise

EMBED_BATCH = 200


@dataclass(frozen=True)
class BatchResult:
    last_id: int | None  # None: nothing after this batch
    seen: int
    embedded: int


def embedded_text(source: EmbeddingSource, *, kind: str) -> str:
    return neutralise(source.text, names=source.names) if kind == "profile" else source.text


def embeddings_refresh_batch(*, kind: str, after_id: int = 0, limit: int = EMBED_BATCH) -> BatchResult:
    """Embed the rows of one batch whose text (or the model) changed since their last embedding.
    Safe to run twice: a row whose stored hash already matches is skipped."""
    model = model_name()
    sources = embedding_sources(kind=kind, after_id=after_id, limit=limit)
    texts = {s.pk: embedded_text(s, kind=kind) for s in sources}
    stale = [(s, embedding_hash(model=model, text=texts[s.pk])) for s in sources]
    stale = [(s, digest) for s, digest in stale if s.stored_hash != digest]
    vectors = embed([texts[s.pk] for s, _ in stale])
    embeddings_store(kind=kind, model=model, items=[(s.pk, d, v) for (s, d), v in zip(stale, vectors, strict=True)])
    last = sources[-1].pk if len(sources) == limit else None
    return BatchResult(last_id=last, seen=len(sources), embedded=len(stale))
