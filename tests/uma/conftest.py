import pytest


@pytest.fixture
def shipped_models(db):
    """The adapters the repo ships, registered (and active) as `make run` does."""
    from uma.training.registry import shipped_install

    return shipped_install(say=lambda _: None)
