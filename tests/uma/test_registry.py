"""Promotion only when a candidate beats the active version (or the base) without losing grounding;
rollback brings the previous one back; one active version per task; shipped adapters install once."""

import json

import pytest
from django.db import IntegrityError, transaction

from uma.llm.runner import task_spec
from uma.models import ModelVersion, Promotion
from uma.training.registry import PromotionRefused, shipped_install, version_promote, version_rollback

BASE_SCORES = {"agreement": 0.3, "grounded": 0.5, "schema_valid": 0.6}


def version(name, *, status="candidate", scores=None, rivals=None):
    return ModelVersion.objects.create(
        task="candidate_rationale", name=name, base_model="smollm2-135m-instruct", adapter_path=f"/x/{name}",
        status=status, dataset_hash="d" * 64, base_scores=BASE_SCORES,
        scores={**(scores or {}), "rivals": rivals or {}},
    )  # fmt: skip


@pytest.mark.django_db
def test_a_candidate_must_beat_the_base_when_nothing_is_active():
    version("v1")  # never evaluated
    with pytest.raises(PromotionRefused, match="run uma_eval"):
        version_promote(task="candidate_rationale")
    ModelVersion.objects.filter(name="v1").update(scores={"agreement": 0.25, "grounded": 0.9})
    with pytest.raises(PromotionRefused, match="does not beat"):
        version_promote(task="candidate_rationale")
    ModelVersion.objects.filter(name="v1").update(scores={"agreement": 0.9, "grounded": 0.4})
    with pytest.raises(PromotionRefused, match="grounded"):
        version_promote(task="candidate_rationale")
    assert not ModelVersion.objects.filter(status="active").exists() and not Promotion.objects.exists()
    ModelVersion.objects.filter(name="v1").update(scores={"agreement": 0.9, "grounded": 0.97})
    assert version_promote(task="candidate_rationale").status == "active"


@pytest.mark.django_db
def test_promotion_against_the_active_version_and_rollback():
    version("v1", status="active", scores={"agreement": 0.8, "grounded": 0.95})
    version("v2", scores={"agreement": 0.85, "grounded": 0.96}, rivals={"v1": {"agreement": 0.86, "grounded": 0.95}})
    with pytest.raises(PromotionRefused, match="does not beat"):  # compared with v1 in the same eval run
        version_promote(task="candidate_rationale", name="v2")
    ModelVersion.objects.filter(name="v2").update(
        scores={"agreement": 0.9, "grounded": 0.96, "rivals": {"v1": {"agreement": 0.86, "grounded": 0.95}}}
    )
    version_promote(task="candidate_rationale", name="v2")
    assert dict(ModelVersion.objects.values_list("name", "status")) == {"v1": "retired", "v2": "active"}
    assert version_rollback(task="candidate_rationale").name == "v1"
    assert dict(ModelVersion.objects.values_list("name", "status")) == {"v1": "active", "v2": "retired"}
    assert version_rollback(task="candidate_rationale") is None  # v1 replaced nothing: back to the base
    assert not ModelVersion.objects.filter(status="active").exists()
    with pytest.raises(PromotionRefused, match="no active version"):
        version_rollback(task="candidate_rationale")


@pytest.mark.django_db
def test_one_active_version_per_task():
    version("v1", status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        version("v2", status="active")


@pytest.mark.django_db
def test_shipped_adapters_register_once_and_activate_when_none_is(tmp_path, settings):
    settings.UMA_SHIPPED_ADAPTERS_DIR = tmp_path
    folder = tmp_path / "candidate_rationale-shipped"
    folder.mkdir()
    info = {"name": "candidate_rationale-shipped", "task": "candidate_rationale", "base_model": settings.UMA_BASE_MODEL,
            "dataset_hash": "h", "hyperparameters": {}, "active": True}  # fmt: skip
    (folder / "uma-version.json").write_text(json.dumps(info))
    shipped_install(say=lambda _: None)
    shipped_install(say=lambda _: None)  # twice: nothing new
    row = ModelVersion.objects.get()
    assert (row.status, row.adapter_path, Promotion.objects.count()) == ("active", str(folder), 1)
    settings.UMA_BASE_MODEL = "some/other-base"
    ModelVersion.objects.all().update(name="renamed")
    shipped_install(say=lambda _: None)  # trained on another base: skipped
    assert ModelVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_shipped_adapter_replaces_an_active_one_trained_on_a_prompt_the_task_left(tmp_path, settings):
    """An upgrade: the active version answers a prompt the task no longer asks, so it would only be refused."""
    current = task_spec("candidate_rationale").prompt_version
    old = version("old-prompt", status="active")
    ModelVersion.objects.filter(pk=old.pk).update(hyperparameters={"prompt_version": "candidate_rationale/1"})
    settings.UMA_SHIPPED_ADAPTERS_DIR = tmp_path
    (tmp_path / "new").mkdir()
    info = {"name": "new", "task": "candidate_rationale", "base_model": settings.UMA_BASE_MODEL,
            "dataset_hash": "h", "hyperparameters": {"prompt_version": current}, "active": True}  # fmt: skip
    (tmp_path / "new" / "uma-version.json").write_text(json.dumps(info))
    shipped_install(say=lambda _: None)
    assert dict(ModelVersion.objects.values_list("name", "status")) == {"old-prompt": "retired", "new": "active"}
    promotion = Promotion.objects.get(version__name="new")
    assert promotion.previous == old and "trained on prompt candidate_rationale/1" in promotion.reason
    assert version_rollback(task="candidate_rationale").name == "old-prompt"  # a person can still go back
    shipped_install(say=lambda _: None)  # and the next start respects it: a retired version stays retired
    assert ModelVersion.objects.get(status="active").name == "old-prompt"


@pytest.mark.django_db
def test_a_version_trained_on_another_prompt_is_never_promoted():
    v = version("old-prompt", scores={"agreement": 0.95, "grounded": 1.0})
    ModelVersion.objects.filter(pk=v.pk).update(hyperparameters={"prompt_version": "candidate_rationale/1"})
    with pytest.raises(PromotionRefused, match="trained on prompt candidate_rationale/1"):
        version_promote(task="candidate_rationale")
    current = task_spec("candidate_rationale").prompt_version
    ModelVersion.objects.filter(pk=v.pk).update(hyperparameters={"prompt_version": current})
    assert version_promote(task="candidate_rationale").status == "active"
