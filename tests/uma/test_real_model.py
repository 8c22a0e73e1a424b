"""Each task on the real model (the shipped fine-tuned adapter where there is one, else the base) for a
few inputs: always schema-valid and grounded, audited, and saying which model made it."""

import pytest

from tests.helpers import shipped_adapter
from uma.llm.runner import run, task_spec
from uma.models import AuditRecord
from uma.task_specs import TASKS
from uma.training.data import gold


@pytest.mark.parametrize("task", TASKS)
def test_each_task_runs_on_the_real_model(shipped_models, task, settings):
    settings.UMA_UNTUNED_BASE = True  # tasks without an adapter run on the base here, to prove it works
    examples = gold(task)[:1]
    for example in examples:
        result = run(task, example.input, subject_ids={"gold": example.id})
        assert isinstance(result.output, task_spec(task).output_model)
        assert result.grounding.grounded and result.source in {"model", "fallback"}
        assert result.model_version.startswith(settings.UMA_BASE_MODEL + "@")
        assert result.completion_tokens > 0
    assert AuditRecord.objects.filter(task=task).count() == len(examples)


def served(task: str, count: int, from_model: int) -> list[tuple]:
    """The task's held-out gold (trained without), served one at a time as users get them: each answer
    from the task's shipped adapter, at least `from_model` valid and grounded from the model itself.
    (inputs, example, result) per example."""
    from uma.training.data import split_of

    spec = task_spec(task)
    held_out = [e for e in gold(task) if split_of(e.entity) == "test"][:count]
    results = [run(task, e.input) for e in held_out]
    assert all(f"{task}-" in r.model_version for r in results), [r.model_version for r in results]
    assert sum(r.source == "model" for r in results) >= from_model, [r.attempts for r in results]
    return [(spec.input_model.model_validate(e.input), e, r) for e, r in zip(held_out, results, strict=True)]


def test_the_shipped_rationale_model_answers_held_out_gold_itself_and_agrees(shipped_models):
    """The adapter in uma/adapters/ (trained without these examples) gives the policy's verdicts."""
    answers = served("candidate_rationale", 6, from_model=5)  # valid and grounded at the first or second try
    shipped = shipped_adapter("candidate_rationale").name
    assert all(r.model_version.endswith(f"{shipped}/llama.cpp") for _, _, r in answers)  # served by llama.cpp
    agreed = [r.output.verdict == e.output["verdict"] for _, e, r in answers]
    assert sum(agreed) >= 5, agreed


def test_the_shipped_invitation_model_writes_held_out_invitations_itself(shipped_models):
    """The invitation adapter (trained without these) names the true job title and a matching skill, and
    every claim is grounded, without falling back to the template."""
    spec = task_spec("invitation_message")
    for inputs, _, result in served("invitation_message", 5, from_model=4):
        assert result.grounding.grounded
        assert result.source != "model" or spec.agrees(inputs, result.output, result.output)


def test_the_shipped_summary_model_summarises_held_out_diffs_itself(shipped_models):
    """The change_summary adapter (prompt /3, trained without these) covers every changed field with the
    values as Tandem writes them, grounded, without falling back to the sentence built from the diff."""
    spec = task_spec("change_summary")
    covered = [spec.agrees(inputs, r.output, r.output) for inputs, _, r in served("change_summary", 6, from_model=5)]
    assert sum(covered) >= 5, covered


def test_the_shipped_questions_model_asks_only_what_is_open(shipped_models):
    """The job_post_questions adapter asks about open topics only, the most needed first, by itself."""
    spec = task_spec("job_post_questions")
    examples = gold("job_post_questions")[:4]
    results = [run("job_post_questions", e.input) for e in examples]
    assert all("job_post_questions-" in r.model_version for r in results)
    assert sum(r.source == "model" for r in results) >= 3
    for result, example in zip(results, examples, strict=True):
        inputs = spec.input_model.model_validate(example.input)
        assert {q.topic for q in result.output.questions} <= set(inputs.open_topics)


def test_the_shipped_draft_model_writes_held_out_posts_on_tandems_terms(shipped_models):
    """The job_post_draft adapter (prompt /5, trained without these) drafts held-out posts itself: skills
    only from those named, the terms Tandem's policy set, every figure grounded. 4 of 5 come from the model
    (the /3 adapter's: 5; /2's: 3); the fifth, an encyclopaedia paragraph on "Python 3.10" for a post about
    unit tests, is refused and the rules draft it."""
    from uma.task_specs.job_post_draft import terms_of

    for inputs, _, result in served("job_post_draft", 5, from_model=4):
        assert result.grounding.grounded and set(result.output.skills) <= set(inputs.skills)
        assert {f: getattr(result.output, f) for f in dict(terms_of(inputs))} == dict(terms_of(inputs))


def test_the_shipped_interview_questions_model_asks_about_the_post_itself(shipped_models):
    """The interview_questions adapter (trained without these) writes as many questions as asked for,
    about the post's skills, never the client's own again, every name grounded in the post."""
    spec = task_spec("interview_questions")
    for inputs, example, result in served("interview_questions", 4, from_model=3):
        expected = spec.output_model.model_validate(example.output)
        asked = {q.lower() for q in inputs.asked}
        assert result.grounding.grounded and not asked & {q.lower() for q in result.output.questions}
        assert result.source != "model" or spec.agrees(inputs, result.output, expected), result.output


def test_the_shipped_assessment_model_judges_held_out_interviews_itself(shipped_models):
    """The interview_assessment adapter (prompt /5, trained without these) writes the verdict and the
    summary; the points are Tandem's reading, the verdict mostly the person's (7 held out)."""
    spec = task_spec("interview_assessment")
    answers = served("interview_assessment", 7, from_model=6)
    for inputs, _, result in answers:
        assert result.grounding.grounded and result.output.points == spec.fallback(inputs).points
    agreed = [r.output.verdict == e.output["verdict"] for _, e, r in answers]
    assert sum(agreed) >= 4, agreed
