"""The real embedding model (all-MiniLM-L6-v2 from its PyPI package), no stand-ins."""

import math

import pytest

from uma.embeddings import embed


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_vectors_are_384_long_and_normalised():
    vectors = embed(["Django developer with PostgreSQL", "Logo designer for coffee brands"])
    assert [len(v) for v in vectors] == [384, 384]
    for v in vectors:
        assert math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, rel_tol=1e-4)


def test_similar_work_is_closer_than_different_work():
    backend, backend2, design = embed(
        [
            "Backend engineer: Django REST APIs and PostgreSQL",
            "Python web developer building APIs with Django",
            "Brand identity and logo design for a bakery",
        ]
    )
    assert cosine(backend, backend2) > cosine(backend, design) + 0.2


def test_empty_and_bad_input():
    assert embed([]) == []
    with pytest.raises(TypeError):
        embed(["fine", 42])  # type: ignore[list-item]


TEXTS = [
    "Django developer with PostgreSQL",
    "Brand designer: logos, packaging and design systems in Figma for coffee roasters. " * 40,  # truncated
    "Développeuse Flutter — synchronisation hors ligne, notifications push 📱",
    "x",
]


def test_onnx_runtime_gives_the_torch_vectors(settings):
    from uma.embeddings import _model, _onnx, model_name

    settings.UMA_EMBEDDING_ENGINE = "onnx"
    assert _onnx(model_name()) is not None  # the packaged model is served by ONNX Runtime
    fast = embed(TEXTS, batch_size=2)  # batches of unequal lengths: padding must not change a vector
    slow = _model(model_name()).encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert all(cosine(a, b.tolist()) >= 0.999 for a, b in zip(fast, slow, strict=True))


def test_without_onnx_runtime_torch_encodes_with_one_log_line(settings, monkeypatch, caplog):
    import logging
    import sys

    from uma import embeddings

    settings.UMA_EMBEDDING_ENGINE = "onnx"
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if it were not installed
    embeddings._onnx.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger="uma.embeddings"):
            first, again = embed(["Django developer"]), embed(["Django developer"])
        assert first == again and len(first[0]) == 384
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
            "Uma: embeddings run on torch, not ONNX Runtime: import of onnxruntime halted; None in sys.modules"
        ]
    finally:
        embeddings._onnx.cache_clear()
