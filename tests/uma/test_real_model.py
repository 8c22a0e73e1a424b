"""Each task on the real model (the shipped fine-tuned adapter where there is one, else the base) for a
few inputs: always schema-valid and grounded, audited, and saying which model made it."""

import pytest

from uma.llm.runner import run, task_spec
from uma.models import AuditRecord
from uma.training.data import gold


@pytest.mark.parametrize("task", ["candidate_rationale", "invitation_message", "change_summary"])
def test_each_task_runs_on_the_real_model(shipped_models, task, settings):
    examples = gold(task)[:1]
    for example in examples:
        result = run(task, example.input, subject_ids={"gold": example.id})
        assert isinstance(result.output, task_spec(task).output_model)
        assert result.grounding.grounded and result.source in {"model", "fallback"}
        assert result.model_version.startswith(settings.UMA_BASE_MODEL + "@")
        assert result.completion_tokens > 0
    assert AuditRecord.objects.filter(task=task).count() == len(examples)


def test_the_shipped_rationale_model_answers_for_itself(shipped_models):
    """With the team's adapter active, the model (not the fallback) answers, and agrees with the gold verdict."""
    active = [v for v in shipped_models if v.task == "candidate_rationale" and v.status == "active"]
    if not active:
        pytest.skip("no candidate_rationale adapter is shipped in uma/adapters/")
    examples = gold("candidate_rationale")[:4]
    results = [run("candidate_rationale", e.input) for e in examples]
    assert all(r.model_version.endswith("@" + active[0].name) for r in results)
    assert sum(r.source == "model" for r in results) >= 3
    assert sum(r.output.verdict == e.output["verdict"] for r, e in zip(results, examples, strict=True)) >= 3
