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
