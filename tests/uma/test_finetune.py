"""A tiny fine-tune on the real base model (a few steps, a few examples): interrupted and resumed, it
registers a candidate whose adapter `run` then uses, and uma_eval compares it with the base."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from marketplace.services.profiles import profile_skills_set
from tests.factories import FreelancerFactory, JobFactory
from uma.llm.runner import run, task_spec
from uma.training import data
from uma.training.finetune import Hyper, finetune


class Stop(Exception):
    pass


@pytest.fixture
def platform(db, alice):
    JobFactory(organization=alice.organizations.first(), created_by=alice, skills=["Django", "PostgreSQL"])
    JobFactory(
        organization=alice.organizations.first(), created_by=alice, title="Shop theme", skills=["Shopify", "CSS"]
    )
    for skills in ({"Django": 3, "PostgreSQL": 2}, {"Shopify": 4}, {"CSS": 1, "Django": 2}, {"Figma": 5}):
        user = FreelancerFactory()
        profile_skills_set(profile=user.freelancer_profile, by=user, skills=skills)


def test_dataset_is_gold_plus_synthetic_split_by_entity(platform, tmp_path, settings):
    settings.UMA_DATA_DIR = tmp_path
    manifest = data.build("candidate_rationale", size=12, seed=3)
    splits = {split: data.load("candidate_rationale", split) for split in data.SPLITS}
    entities = [{e.entity for e in rows} for rows in splits.values()]
    assert not (entities[0] & entities[1]) and not (entities[0] & entities[2]) and not (entities[1] & entities[2])
    origins = {e.origin for rows in splits.values() for e in rows}
    assert origins == {"gold", "synthetic"} and len(manifest["hash"]) == 64
    synthetic = [e for rows in splits.values() for e in rows if e.origin == "synthetic"]
    assert 6 <= len(synthetic) <= 12  # balanced over verdicts: no verdict takes more than its third
    assert max(Counter(e.output["verdict"] for e in synthetic).values()) <= 4
    assert data.build("candidate_rationale", size=12, seed=3)["hash"] == manifest["hash"]  # deterministic


def test_a_tiny_fine_tune_resumes_registers_and_is_used(platform, tmp_path, settings, capsys):
    settings.UMA_DATA_DIR = settings.UMA_SERVED_DIR = tmp_path
    data.build("candidate_rationale", size=8)
    hyper = Hyper(rank=2, alpha=4, batch_size=2, max_examples=4, top_layers=1, checkpoint_every=1)

    def interrupt(step, total, loss):
        if step == 1:
            raise Stop

    with pytest.raises(Stop):
        finetune("candidate_rationale", hyper=hyper, progress=interrupt)
    said = []
    version = finetune("candidate_rationale", hyper=hyper, say=said.append)
    assert said == ["resuming candidate_rationale from step 1 of 2"]
    assert version.status == "candidate" and version.train_examples == 4
    assert version.dataset_hash == data.manifest("candidate_rationale")["hash"]
    assert version.hyperparameters["rank"] == 2 and (Path(version.adapter_path) / "adapter_model.safetensors").exists()

    result = run("candidate_rationale", data.load("candidate_rationale", "test")[0].input, version=version.name)
    assert result.model_version == f"{settings.UMA_BASE_MODEL}@{version.name}/llama.cpp"
    assert result.output.verdict in {"strong", "possible", "weak"}

    call_command(
        "uma_eval",
        "--task",
        "candidate_rationale",
        "--limit",
        "1",
        "--max-new-tokens",
        "24",
        "--model-version",
        version.name,
    )
    table = capsys.readouterr().out
    assert "| base |" in table and f"| {version.name} |" in table
    version.refresh_from_db()
    assert version.scores["n"] == 1 and "agreement" in version.base_scores
    report = Path(version.report_path)
    assert report.exists() and (report.parent / "chart.png").stat().st_size > 1000


def taught(task: str) -> tuple[data.Example, str]:
    """One training example of a small dataset and the answer it teaches, decoded."""
    from transformers import AutoTokenizer

    from uma.base_model import base_model
    from uma.training.finetune import _encode

    data.build(task, size=4)
    tokenizer = AutoTokenizer.from_pretrained(base_model().location)
    example = data.load(task, "train")[0]
    ids, labels = _encode(task, [example], tokenizer, 640)[0]
    assert len(ids) == len(labels)
    return example, tokenizer.decode([t for t in labels if t != -100], skip_special_tokens=True)


def test_training_answers_keep_the_schema_order_reasons_before_the_verdict(platform, tmp_path, settings):
    settings.UMA_DATA_DIR = tmp_path
    example, answer = taught("candidate_rationale")
    assert answer.index('"reasons"') < answer.index('"verdict"') < answer.index('"explanation"')
    spec = task_spec("candidate_rationale")
    written = spec.answer_model.model_validate_json(answer)
    assert all(isinstance(n, int) for n in written.reasons)  # type: ignore[attr-defined]
    inputs = spec.input_model.model_validate(example.input)
    assert spec.complete(inputs, written).reasons == example.output["reasons"]  # type: ignore[misc, attr-defined]


def test_training_teaches_only_the_part_the_model_writes(platform, tmp_path, settings):
    """interview_assessment's model writes a summary and a verdict; Tandem writes the points."""
    settings.UMA_DATA_DIR = tmp_path
    example, answer = taught("interview_assessment")
    written = json.loads(answer)
    assert list(written) == ["verdict", "summary"] and written["verdict"] == example.output["verdict"]


def test_a_run_resumes_only_on_the_prompt_it_started_with(settings, tmp_path, monkeypatch):
    """A checkpoint left by a run on prompt /1 is not resumed once the task's prompt is /2."""
    import dataclasses

    from uma.training import finetune as module

    settings.UMA_DATA_DIR = str(tmp_path)
    spec = module.task_spec("job_post_draft")
    before = module.run_dir("job_post_draft", Hyper(), "abc123")
    assert before == module.run_dir("job_post_draft", Hyper(), "abc123")
    changed = dataclasses.replace(spec, prompt_version="job_post_draft/99")
    monkeypatch.setattr(module, "task_spec", lambda task: changed)
    assert module.run_dir("job_post_draft", Hyper(), "abc123") != before
