"""The model registry's writes: register a trained adapter, promote a candidate that beats the active
version (or the untuned base) on the task's main metric without losing grounding, roll back, and install
the adapters the team ships in the repo."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from uma.llm.backends import BASE
from uma.llm.gguf import ExportError, served_prepare
from uma.llm.runner import task_spec
from uma.models import ModelVersion, Promotion

GROUNDED = "grounded"


class PromotionRefused(Exception):
    pass


def version_register(*, info: dict, adapter_path: str) -> ModelVersion:
    """A trained adapter as a candidate version (once: registering the same name again changes nothing)."""
    version, _ = ModelVersion.objects.get_or_create(
        name=info["name"],
        defaults={
            "task": info["task"],
            "base_model": info["base_model"],
            "adapter_path": adapter_path,
            "dataset_hash": info["dataset_hash"],
            "hyperparameters": info["hyperparameters"],
            "train_examples": info.get("train_examples", 0),
            "train_seconds": info.get("train_seconds", 0),
            "scores": info.get("scores", {}),
            "base_scores": info.get("base_scores", {}),
            "report_path": info.get("report_path", ""),
        },
    )
    return version


def version_scores_record(*, task: str, results: dict[str, dict], at: str, report_path: str) -> None:
    """Store one uma_eval run on each version it measured: its scores, its rivals' and the base's."""
    for name, scores in results.items():
        if name == BASE:
            continue
        rivals = {other: s for other, s in results.items() if other not in (name, BASE)}
        ModelVersion.objects.filter(task=task, name=name).update(
            scores={**scores, "rivals": rivals, "at": at}, base_scores=results[BASE], report_path=report_path
        )


def _activate(version: ModelVersion, *, previous: ModelVersion | None, action: str, reason: str) -> None:
    """`version` becomes its task's active one (`previous`, if any, retires), with the promotion recorded.
    Its served file is written first (once; a rollback finds it in place). Callers hold the task's
    versions locked."""
    try:
        served_prepare(version.name, Path(version.adapter_path), say=lambda _: None)
    except ExportError as error:
        raise PromotionRefused(f"{version.name} cannot be served: {error}") from error
    now = timezone.now()
    if previous:
        ModelVersion.objects.filter(pk=previous.pk).update(status=ModelVersion.Status.RETIRED, retired_at=now)
    ModelVersion.objects.filter(pk=version.pk).update(
        status=ModelVersion.Status.ACTIVE, promoted_at=now, retired_at=None
    )
    Promotion.objects.create(task=version.task, version=version, previous=previous, action=action, reason=reason)


def _beats(version: ModelVersion, rival: dict, metric: str) -> tuple[bool, str]:
    mine, theirs = version.scores.get(metric), rival.get(metric)
    if mine is None or theirs is None:
        return False, f"{version.name} has no {metric} score from one run with its rival: run uma_eval first"
    if mine <= theirs:
        return False, f"{metric} {mine:.3f} does not beat {theirs:.3f}"
    if (version.scores.get(GROUNDED) or 0) < (rival.get(GROUNDED) or 0):
        return False, f"grounded {version.scores.get(GROUNDED)} is below {rival.get(GROUNDED)}"
    return True, f"{metric} {mine:.3f} beats {theirs:.3f}"


@transaction.atomic
def version_promote(*, task: str, name: str | None = None, reason: str = "") -> ModelVersion:
    """Make the candidate (named, or the newest) the task's active version, if it beats the active one
    (or the base, when none is active) on the task's main metric, measured in the same eval run."""

    spec = task_spec(task)
    metric, current = spec.main_metric, spec.prompt_version
    versions = ModelVersion.objects.select_for_update().filter(task=task).order_by("pk")
    rows = list(versions)
    active = next((v for v in rows if v.status == ModelVersion.Status.ACTIVE), None)
    candidates = [v for v in rows if v.status == ModelVersion.Status.CANDIDATE and (name is None or v.name == name)]
    if not candidates:
        raise PromotionRefused(f"no candidate version {name or ''} for {task}".replace("  ", " "))
    candidate = max(candidates, key=lambda v: v.created_at)
    trained_on = candidate.hyperparameters.get("prompt_version", current)
    if trained_on != current:
        raise PromotionRefused(f"{candidate.name} was trained on prompt {trained_on}; the task now uses {current}")
    rival = candidate.scores.get("rivals", {}).get(active.name, {}) if active else candidate.base_scores
    ok, why = _beats(candidate, rival, metric)
    if not ok:
        raise PromotionRefused(why)
    _activate(candidate, previous=active, action="promote", reason=reason or why)
    candidate.refresh_from_db()
    return candidate


@transaction.atomic
def version_rollback(*, task: str) -> ModelVersion | None:
    """Retire the active version and bring back the one it replaced (None: back to the untuned base)."""
    active = ModelVersion.objects.select_for_update().filter(task=task, status=ModelVersion.Status.ACTIVE).first()
    if active is None:
        raise PromotionRefused(f"{task} has no active version to roll back")
    last = Promotion.objects.filter(version=active, action="promote").first()
    previous = last.previous if last else None
    reason = f"rolled back {active.name}"
    if previous is None:  # back to the untuned base
        ModelVersion.objects.filter(pk=active.pk).update(status=ModelVersion.Status.RETIRED, retired_at=timezone.now())
        Promotion.objects.create(task=task, version=active, previous=active, action="rollback", reason=reason)
        return None
    _activate(previous, previous=active, action="rollback", reason=reason)
    previous.refresh_from_db()
    return previous


def shipped_install(*, say=print) -> list[ModelVersion]:  # noqa: ANN001
    """Register the adapters shipped in the repo (each folder with a uma-version.json); one marked
    `"active": true` becomes its task's active version when the base matches and the task has none, or
    has one trained on a prompt the task no longer uses (which would only be refused: an upgrade)."""
    installed = []
    root = Path(settings.UMA_SHIPPED_ADAPTERS_DIR)
    for manifest in sorted(root.glob("*/uma-version.json")):
        info = json.loads(manifest.read_text())
        if info["base_model"] != settings.UMA_BASE_MODEL:
            say(f"{info['name']}: trained on {info['base_model']}, not {settings.UMA_BASE_MODEL}; skipped")
            continue
        current = task_spec(info["task"]).prompt_version
        prompt_version = info["hyperparameters"].get("prompt_version")
        if prompt_version and prompt_version != current:
            say(f"{info['name']}: trained on prompt {prompt_version}, no longer the task's; skipped")
            continue
        version = version_register(info=info, adapter_path=str(manifest.parent))
        with transaction.atomic():
            versions = ModelVersion.objects.select_for_update().filter(task=version.task)
            active = versions.filter(status=ModelVersion.Status.ACTIVE).first()
            trained_on = active.hyperparameters.get("prompt_version", current) if active else current
            replaceable = active is None or trained_on != current  # none, or one whose answers would be refused
            if info.get("active") and replaceable and version.status == ModelVersion.Status.CANDIDATE:
                reason = "shipped with the repo"
                if active is not None:
                    reason += f"; {active.name} was trained on prompt {trained_on}"
                _activate(version, previous=active, action="promote", reason=reason)
                version.refresh_from_db()
                say(f"{info['name']}: active for {info['task']} ({reason})")
        installed.append(version)
    return installed
