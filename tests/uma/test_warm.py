"""The `llm` worker loads its engines when it starts: the first person to ask waits for an answer, not
for a model file to load."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from config import celery as celery_config
from tests.helpers import service_env
from uma.llm import backends
from uma.llm.runner import run
from uma.llm.warm import WARM_KEY, engines_warm
from uma.models import ModelVersion
from uma.training.data import gold, split_of

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_warming_loads_the_shortlist_engine_and_leaves_its_instructions_cached(shipped_models, fresh_engines):
    rationale = ModelVersion.objects.get(task="candidate_rationale", status="active").name
    cache.delete(WARM_KEY)
    warmed = engines_warm()
    assert warmed == [rationale]  # the shortlist's reasons; every other engine loads on its first call
    assert cache.get(WARM_KEY)["versions"] == warmed
    assert set(backends._engines) == set(warmed)
    engine = backends._engines[rationale]
    steps, evaluated = engine.steps, engine.evaluated
    example = next(e for e in gold("candidate_rationale") if split_of(e.entity) == "test")
    result = run("candidate_rationale", example.input)
    assert result.source == "model" and set(backends._engines) == set(warmed)  # nothing loaded on the call
    assert engine.steps > steps
    # The system text and the instructions were evaluated while warming: only the rest of this prompt is.
    assert 0 < engine.evaluated - evaluated < result.prompt_tokens - 100


def test_only_a_worker_that_generates_warms(monkeypatch):
    started = []
    monkeypatch.setattr("uma.llm.warm.engines_warm_safely", lambda: started.append(True))
    monkeypatch.setitem(celery_config.WORKER, "serves_llm", False)
    for queues, warms in ((["default", "embeddings"], False), (["llm"], True), (None, True)):
        celery_config._note_queues(options={"queues": queues})
        celery_config._warm_engines()
        assert celery_config.WORKER["serves_llm"] is warms and started == ([True] if warms else [])
        started.clear()


@pytest.mark.django_db(transaction=True)
def test_make_runs_llm_worker_warms_its_engines_when_it_starts(shipped_models):
    """The worker as `make run` starts it (prefork, one child, `-Q llm`) says its engines are warm."""
    rationale = ModelVersion.objects.get(task="candidate_rationale", status="active").name
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "llm", "--concurrency", "1"]
    worker = subprocess.Popen(  # noqa: S603
        [*command, "--loglevel", "INFO"],
        cwd=ROOT,
        env=service_env(),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(worker.stderr.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("engines warm for" in line for line in lines):
            time.sleep(0.5)
        said = next((line for line in lines if "engines warm for" in line), "")
        assert said.rstrip().endswith(f"engines warm for {rationale}"), "".join(lines[-20:])
    finally:
        worker.terminate()
        worker.wait(60)
