"""run(task, inputs): the one way other apps use Uma's LLM tasks.

The model's answer is parsed, validated against the task's schema and grounded against its input;
a failure is retried once, then the task's deterministic fallback answers. Whatever comes back is
schema-valid, and says where it came from. Each path is counted (uma_counts()).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from pydantic import BaseModel, ValidationError

from uma.llm.backends import BASE, Adapter, backend_for, generator_for
from uma.llm.grounding import GroundingReport
from uma.llm.llamacpp import EngineError, Overtime
from uma.llm.spec import REGISTRY, TaskSpec

PATHS = ("model", "retry", "fallback", "invalid", "ungrounded", "error")
JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


NOT_ASKED = "not asked: "


@dataclass
class Result:
    task: str
    output: BaseModel
    source: str  # "model" or "fallback"
    model_version: str
    prompt_version: str
    grounding: GroundingReport
    latency_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: list[str] = field(default_factory=list)  # what went wrong with each model answer
    audit_id: int | None = None  # the audit record run() wrote

    @property
    def not_asked(self) -> str:
        """Why the model was not asked at all (the task's `beyond`), or ""."""
        return next((a.removeprefix(NOT_ASKED) for a in self.attempts if a.startswith(NOT_ASKED)), "")


def task_spec(task: str) -> TaskSpec:
    import uma.task_specs  # noqa: F401 - registers the tasks

    try:
        return REGISTRY[task]
    except KeyError:
        raise ValueError(f"unknown Uma task {task!r}; known: {', '.join(sorted(REGISTRY))}") from None


def _count(task: str, path: str) -> None:
    key = f"uma:count:{task}:{path}"
    cache.add(key, 0, timeout=None)
    cache.incr(key)


def uma_counts(task: str) -> dict[str, int]:
    return {path: int(cache.get(f"uma:count:{task}:{path}") or 0) for path in PATHS}


def _parse(spec: TaskSpec, data: BaseModel, text: str) -> BaseModel:
    match = JSON_OBJECT.search(text)
    if not match:
        raise ValueError("no JSON object in the answer")
    answer = spec.answer_model.model_validate(json.loads(match.group(0)))
    return spec.complete(data, answer) if spec.complete else answer


@functools.cache
def _schema(output_model: type[BaseModel]) -> dict:
    return output_model.model_json_schema()


@dataclass
class Verdict:
    """What one model answer is worth: the validated output, or why it was refused."""

    output: BaseModel | None
    report: GroundingReport | None
    problem: str = ""  # "invalid: ..." or "ungrounded: ..."

    @property
    def valid(self) -> bool:
        return self.output is not None

    @property
    def accepted(self) -> bool:
        return self.output is not None and self.report is not None and self.report.grounded


def judge(spec: TaskSpec, data: BaseModel, text: str) -> Verdict:
    """Parse, validate and ground one answer."""
    try:
        output = _parse(spec, data, text)
    except (ValueError, ValidationError) as error:
        return Verdict(None, None, f"invalid: {str(error)[:200]}")
    report = spec.ground(data, output)
    problem = "" if report.grounded else f"ungrounded: {', '.join(report.unsupported)[:200]}"
    return Verdict(output, report, problem)


def adapter_for(task: str, version: str | None) -> Adapter | None:
    """The adapter of the named version, or of the task's active one; None for the untuned base."""
    from uma.models import ModelVersion

    if version == BASE:
        return None
    versions = ModelVersion.objects.filter(task=task)
    row = versions.filter(name=version).first() if version else versions.filter(status="active").first()
    if version and row is None:
        raise ValueError(f"no model version {version!r} for {task}")
    return Adapter(row.name, row.adapter_path) if row else None


def batched(generate):  # noqa: ANN001, ANN202
    """A generator for one prompt at a time, as one for a list of prompts."""
    return lambda prompts, **options: [generate(p, **options) for p in prompts]


def run(
    task: str,
    inputs: dict | BaseModel,
    *,
    subject_ids: dict | None = None,
    retrieved_ids: list | None = None,
    version: str | None = None,
    generate=None,  # noqa: ANN001
) -> Result:
    """Validated output for the task, recorded in the audit log. `inputs` that don't fit the task's
    input schema raise ValidationError. `subject_ids` / `retrieved_ids` say what it was about.
    The task's backend comes from settings; `version` picks a model version ("base" for the untuned
    model; default: the task's active version, or the untuned base while none is promoted unless
    UMA_UNTUNED_BASE is off); `generate(messages, max_new_tokens=…)` replaces the backend altogether."""
    return run_many(
        task,
        [inputs],
        subject_ids=[subject_ids or {}],
        retrieved_ids=retrieved_ids,
        version=version,
        generate=batched(generate) if generate else None,
    )[0]


def run_many(
    task: str,
    inputs: list[dict | BaseModel],
    *,
    subject_ids: list[dict] | None = None,
    retrieved_ids: list | None = None,
    version: str | None = None,
    generate=None,  # noqa: ANN001
) -> list[Result]:
    """run() for several inputs of one task at once: the local engine decodes them together (the
    shared beginning of their prompts once). `generate(list of messages, max_new_tokens=…)` replaces
    the backend. One Result (and one audit record) per input, in order."""
    tries = 2
    if generate is None:
        local = backend_for(task) == "local"  # adapters are local; the JSON schema is for servers
        adapter = adapter_for(task, version) if local else None
        if local and adapter is None and version is None and not settings.UMA_UNTUNED_BASE:
            tries = 0  # no promoted version and the untuned base is not to serve: Tandem's rules answer
        else:
            schema = None if local else _schema(task_spec(task).answer_model)
            generate = generator_for(task, schema=schema, adapter=adapter)
    results = _run(task, inputs, generate, tries=tries)
    for result, data, ids in zip(results, inputs, subject_ids or [{}] * len(inputs), strict=True):
        result.audit_id = _audit(result, data, ids, retrieved_ids or [])
    return results


def _audit(result: Result, inputs: dict | BaseModel, subject_ids: dict, retrieved_ids: list) -> int:
    from uma.models import AuditRecord

    data = inputs.model_dump(mode="json") if isinstance(inputs, BaseModel) else inputs
    return AuditRecord.objects.create(
        task=result.task,
        model_version=result.model_version,
        prompt_version=result.prompt_version,
        input_hash=hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest(),
        subject_ids=subject_ids,
        retrieved_ids=retrieved_ids,
        output=result.output.model_dump(mode="json"),
        source=result.source,
        grounded=result.grounding.grounded,
        grounding=result.grounding.as_dict(),
        attempts=result.attempts,
        latency_ms=result.latency_ms,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
    ).pk


@dataclass
class _Work:
    """One input on its way through the attempts."""

    data: BaseModel
    version: str
    attempts: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    verdict: Verdict | None = None
    path: str = ""
    seconds: float = 0.0


FAILURES = (Overtime, EngineError, OSError)  # a cut-off generation, an engine that broke, a server away


def _run(task: str, inputs: list, generate, *, tries: int = 2) -> list[Result]:  # noqa: ANN001
    """Each input's answer: every attempt asks for all unanswered inputs at once; a refused answer is
    tried once more, then the task's fallback answers."""
    spec = task_spec(task)
    work = [
        _Work(data if isinstance(data, spec.input_model) else spec.input_model.model_validate(data), "none")
        for data in inputs
    ]
    if not tries:
        for item in work:
            item.version = "rules"
    for item in work:
        if spec.beyond and (reason := spec.beyond(item.data)):
            item.version = "rules"
            item.attempts.append(NOT_ASKED + reason)
    started = time.monotonic()
    waiting = [item for item in work if item.version != "rules"]
    for attempt in range(tries):
        if not waiting:
            break
        try:
            generations = generate([spec.prompt(w.data) for w in waiting], max_new_tokens=spec.max_new_tokens)
        except FAILURES as error:
            for item in waiting:
                item.attempts.append(f"error: {str(error)[:200]}")
            _count(task, "error")
            continue
        refused = []
        for item, generation in zip(waiting, generations, strict=True):
            item.version = generation.model_version
            item.prompt_tokens += generation.prompt_tokens
            item.completion_tokens += generation.completion_tokens
            if generation.note:
                item.attempts.append(generation.note)
            verdict = judge(spec, item.data, generation.text)
            if verdict.accepted:
                item.verdict, item.path = verdict, "retry" if attempt else "model"
                item.seconds = time.monotonic() - started
                _count(task, item.path)
            else:
                item.attempts.append(verdict.problem)
                _count(task, verdict.problem.split(":")[0])
                refused.append(item)
        waiting = refused
    return [_result(spec, item, started) for item in work]


def _result(spec: TaskSpec, item: _Work, started: float) -> Result:
    if item.verdict is not None:
        output, report, source = item.verdict.output, item.verdict.report, "model"
        seconds = item.seconds
    else:
        output = spec.fallback(item.data)
        report, source, seconds = spec.ground(item.data, output), "fallback", time.monotonic() - started
        _count(spec.name, "fallback")
    return Result(
        spec.name,
        output,  # type: ignore[arg-type]
        source,
        item.version,
        spec.prompt_version,
        report,  # type: ignore[arg-type]
        seconds * 1000,
        item.prompt_tokens,
        item.completion_tokens,
        item.attempts,
    )
