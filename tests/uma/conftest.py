import pytest

from uma.llm import backends


@pytest.fixture
def fresh_engines():
    """No engine or failure remembered from another test (each process keeps its own)."""
    saved = dict(backends._engines), dict(backends._failed)
    backends._engines.clear()
    backends._failed.clear()
    yield
    for engine in backends._engines.values():
        engine.close()
    backends._engines.clear()
    backends._failed.clear()
    backends._engines.update(saved[0])
    backends._failed.update(saved[1])
