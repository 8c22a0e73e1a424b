"""The recruiter's embeddings: keeping profile and job embeddings current with Uma.

A profile is embedded as retrieval should see it: the person's names masked, gendered words and ages
made neutral (uma.llm.text.neutralise). Two profiles that differ only in those get the same vector, so
the search cannot prefer one gender or age (recruiter/fairness.py measures it: before, copies that said
"a mother of two, she" were shortlisted 27 times to 29 for "a father of two, he", an impact ratio of
0.93; now 1.0).

The encoder reads a text's first 256 tokens (about 180 words), so a long profile is also embedded
passage by passage, and semantic search scores it by its embedding plus its best passage (max-sim,
recruiter.retrieval.semantic)."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.services.embedding_store import EmbeddingSource, embedding_hash, embedding_sources, embeddings_store
from uma.embeddings import embed, model_name
from uma.llm.text import neutralise

EMBED_BATCH = 200
# Passages: PASSAGE_WORDS words every PASSAGE_STEP, each after the profile's first PASSAGE_HEAD words
# (headline and skills: what the passage is about). Measured on bench/matching_public.py: semantic
# nDCG@10 0.790 -> 0.816 (prose) and 0.806 -> 0.830 (with skills) by embedding + best passage.
PASSAGE_WORDS, PASSAGE_STEP, PASSAGE_HEAD = 150, 120, 20
# Part of a profile's embedding hash: changing how passages are cut re-embeds every profile once.
PASSAGES = f"passages {PASSAGE_WORDS}/{PASSAGE_STEP}/{PASSAGE_HEAD}"


@dataclass(frozen=True)
class BatchResult:
    last_id: int | None  # None: nothing after this batch
    seen: int
    embedded: int


def embedded_text(source: EmbeddingSource, *, kind: str) -> str:
    return neutralise(source.text, names=source.names) if kind == "profile" else source.text


def passages(text: str) -> list[str]:
    """A long text's passages (none when the encoder reads all of it at once)."""
    words = text.split()
    if len(words) <= PASSAGE_WORDS:
        return []
    head = " ".join(words[:PASSAGE_HEAD]) + " "
    return [
        (head if start else "") + " ".join(words[start : start + PASSAGE_WORDS])
        for start in range(0, len(words), PASSAGE_STEP)
    ]


def embeddings_refresh_batch(*, kind: str, after_id: int = 0, limit: int = EMBED_BATCH) -> BatchResult:
    """Embed the rows of one batch whose text (or the model) changed since their last embedding, and
    each such profile's passages. Safe to run twice: a row whose stored hash already matches is skipped."""
    model = model_name()
    scheme = f"{model} {PASSAGES}" if kind == "profile" else model
    sources = embedding_sources(kind=kind, after_id=after_id, limit=limit)
    texts = {s.pk: embedded_text(s, kind=kind) for s in sources}
    stale = [(s, embedding_hash(model=scheme, text=texts[s.pk])) for s in sources]
    stale = [(s, digest) for s, digest in stale if s.stored_hash != digest]
    parts = {s.pk: passages(texts[s.pk]) for s, _ in stale} if kind == "profile" else {}
    vectors = iter(embed([texts[s.pk] for s, _ in stale] + [p for ps in parts.values() for p in ps]))
    items = [(s.pk, digest, next(vectors)) for s, digest in stale]
    by_profile = {pk: [next(vectors) for _ in ps] for pk, ps in parts.items()}
    embeddings_store(kind=kind, model=model, items=items, passages=by_profile)
    last = sources[-1].pk if len(sources) == limit else None
    return BatchResult(last_id=last, seen=len(sources), embedded=len(stale))
