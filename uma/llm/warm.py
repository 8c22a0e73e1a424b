"""The `llm` worker loads its engines when it starts, not when the first person asks.

Loading a version's llama.cpp engine and its first decodes (the compute graph, the file read from disk)
cost a few seconds; without this the first client to open a case after a deploy or a restart waited
for them. The active versions of the tasks in WARMED get their engines loaded — shortlist reasons, the
longest wait a person has — each with one token decoded from the task's own prompt for a hand-written
input, which also leaves the prompt's shared beginning (system text and instructions) in the engine's
cache for the first real call. Only those: every task waits for the warm-up. Asked for a job post's
questions the moment the server was up (bench/time_to_post.py, one run each), Uma's wait was 14.9 s
with all four kept engines warmed, 11.0 s with this one, 6.8 s with none.

Run in each child of a worker that consumes `llm` as it starts, before it takes a task
(config/celery.py; CELERY_WORKER_PROC_ALIVE_TIMEOUT gives it the time): a task that arrives meanwhile
waits in the queue. Not in a thread beside the tasks: two threads importing the same modules at once
broke an import (scipy.sparse, half-initialised) and with it the first shortlist.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

log = logging.getLogger(__name__)
WARMED = ("candidate_rationale",)  # loaded at the start; every other task's engine on its first call
WARM_KEY = "uma:engines_warm"  # the last warm-up: when, and which versions (benchmarks wait for it)


def engines_warm() -> list[str]:
    """Load and prime the engine of each active, locally served version of the WARMED tasks; their names."""
    from uma.llm.backends import Adapter, EngineError, backend_for, engine_prime
    from uma.llm.runner import task_spec
    from uma.models import ModelVersion
    from uma.training.data import gold

    if settings.UMA_LOCAL_ENGINE != "llamacpp":
        return []  # transformers loads one base for every version: its first call pays once, anyway
    active = ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE)
    versions = [v for v in active.filter(task__in=WARMED).order_by("task") if backend_for(v.task) == "local"]
    warmed = []
    for version in versions:
        spec = task_spec(version.task)
        example = gold(version.task)[0]
        try:
            messages = spec.prompt(spec.input_model.model_validate(example.input))
            engine_prime(messages, Adapter(version.name, version.adapter_path))
        except EngineError as error:  # the first real call falls back, and says so in the audit
            log.warning("Uma: could not warm %s: %s", version.name, error)
            continue
        warmed.append(version.name)
    log.info("Uma: engines warm for %s", ", ".join(warmed) or "no version")
    cache.set(WARM_KEY, {"at": timezone.now().isoformat(), "versions": warmed}, timeout=None)
    return warmed


def engines_warm_safely() -> None:
    """engines_warm, for a worker's start: a warm-up that fails never stops the worker (the first call
    loads instead), and leaves no database connection behind for the child's tasks to inherit."""
    try:
        engines_warm()
    except Exception:
        log.exception("Uma: warming the engines failed")
    finally:
        connections.close_all()
