"""run(task, inputs): schema-valid, grounded, counted — on scripted answers (each path) and on the real model."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from uma.llm.backends import Generation
from uma.llm.grounding import check
from uma.llm.runner import run, uma_counts
from uma.task_specs.change_summary import ChangeSummaryInput, fallback

DIFF = {
    "changes": [
        {"field": "rate", "label": "Rate", "old": "40", "new": "48", "unit": "$/hr"},
        {"field": "start_date", "label": "Start", "old": "2026-12-01", "new": "2026-12-03"},
        {"field": "weekly_limit", "label": "Weekly limit", "old": 20, "new": 30, "unit": "h/week"},
    ]
}


def scripted(*answers):
    """A stand-in for the LLM that answers with the given texts in turn (to drive every path)."""
    queue = list(answers)

    def generate(messages, *, max_new_tokens):
        assert "<<<changes" in messages[-1]["content"]  # the diff goes in fenced, as data
        return Generation(text=queue.pop(0), prompt_tokens=50, completion_tokens=20, model_version="scripted@1")

    return generate


def test_the_fallback_sentence_comes_from_the_diff():
    out = fallback(ChangeSummaryInput.model_validate(DIFF))
    assert (
        out.summary
        == "Rate up from USD 40.00 to USD 48.00/hr; Start moves to 3 Dec 2026; Weekly limit up from 20 to 30 h/week."
    )
    assert check(out.summary, ["40", "48", date(2026, 12, 1), date(2026, 12, 3), 20, 30]).grounded


def test_grounding_names_invented_numbers_and_dates():
    facts = [Decimal(40), Decimal(48), date(2026, 12, 3)]
    report = check("Rate up from $40 to $52/hr; start moves to 5 Dec.", facts)
    assert report.unsupported == ["5 Dec", "$52"]
    assert check("Rate up from $40 to $48; start on Dec 3.", facts).grounded


def test_a_part_of_a_compound_word_in_the_facts_is_grounded():
    # "cI/CD" in the client's text: the capitalised "CD" is part of a word they wrote, not an invented name.
    facts = ["Looking for a cI/CD expert for a Kubernetes migration"]
    assert check("Looking for a cI/CD expert for a Kubernetes migration.", facts, words=True).grounded
    assert check("Node.js and Vue/React upgrades", ["node.js, vue/react"], words=True).grounded
    assert check("Ask Vue and Kafka people", ["node.js, vue/react"], words=True).unsupported == ["Kafka"]


@pytest.mark.django_db
def test_a_good_first_answer_is_used():
    before = uma_counts("change_summary")["model"]
    result = run("change_summary", DIFF, generate=scripted('{"summary": "The rate rises from $40 to $48 an hour."}'))
    assert (result.source, result.output.summary) == ("model", "The rate rises from $40 to $48 an hour.")
    assert result.grounding.grounded and result.model_version == "scripted@1"
    assert uma_counts("change_summary")["model"] == before + 1


@pytest.mark.django_db
def test_an_invalid_answer_is_retried_once():
    result = run("change_summary", DIFF, generate=scripted("Sure! Here it is", '{"summary": "Start moves to 3 Dec."}'))
    assert result.source == "model" and result.attempts[0].startswith("invalid")
    assert result.prompt_tokens == 100


@pytest.mark.django_db
def test_two_bad_answers_fall_back_and_say_why():
    counts = uma_counts("change_summary")
    result = run(
        "change_summary",
        DIFF,
        generate=scripted('{"summary": "Rate up to $55."}', '{"summary": "Rate doubled to $96 from 1 Jan."}'),
    )
    assert result.source == "fallback"
    assert result.output.summary.startswith("Rate up from USD 40.00 to USD 48.00/hr")
    assert [a.split(":")[0] for a in result.attempts] == ["ungrounded", "ungrounded"]
    after = uma_counts("change_summary")
    assert (after["ungrounded"], after["fallback"]) == (counts["ungrounded"] + 2, counts["fallback"] + 1)


def test_bad_inputs_and_unknown_tasks_are_refused():
    with pytest.raises(ValidationError):
        run("change_summary", {"changes": []}, generate=scripted())
    with pytest.raises(ValueError, match="unknown Uma task"):
        run("horoscope", {}, generate=scripted())


@pytest.mark.django_db
def test_on_the_real_model_the_result_is_always_valid_and_grounded(settings):
    settings.UMA_UNTUNED_BASE = True  # the untuned base answers (off by default)
    result = run("change_summary", DIFF)
    assert result.source in {"model", "fallback"}
    assert 5 <= len(result.output.summary) <= 320
    assert result.grounding.grounded
    assert result.model_version == "smollm2-135m-instruct@base/llama.cpp"
    assert result.prompt_tokens > 0 and result.completion_tokens > 0 and result.latency_ms > 0


@pytest.mark.django_db
def test_every_run_is_audited_and_the_audit_cannot_be_changed():
    from django.db import DatabaseError, transaction

    from uma.models import AuditRecord

    result = run(
        "change_summary", DIFF, subject_ids={"offer": 7, "version": 3}, generate=scripted('{"summary": "Rate up."}')
    )
    record = AuditRecord.objects.get()
    assert (record.task, record.source, record.grounded) == ("change_summary", "model", True)
    assert record.output == {"summary": result.output.summary} and record.subject_ids == {"offer": 7, "version": 3}
    assert len(record.input_hash) == 64 and record.prompt_version == "change_summary/3"
    for forbidden in (
        lambda: AuditRecord.objects.filter(pk=record.pk).update(grounded=False),
        lambda: AuditRecord.objects.filter(pk=record.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            forbidden()
    assert AuditRecord.objects.filter(pk=record.pk, grounded=True).exists()


@pytest.mark.django_db
def test_with_the_untuned_base_off_a_task_with_no_promoted_version_goes_straight_to_the_rules(settings):
    from uma.models import AuditRecord

    settings.UMA_UNTUNED_BASE = False
    result = run("change_summary", DIFF)  # no generate: the configured backend, and no version promoted
    assert (result.source, result.model_version) == ("fallback", "rules")
    assert result.prompt_tokens == 0 and result.attempts == []  # no model was asked
    assert result.output == fallback(ChangeSummaryInput.model_validate(DIFF))
    assert AuditRecord.objects.get(pk=result.audit_id).model_version == "rules"


@pytest.mark.django_db
def test_an_input_beyond_the_model_is_answered_by_the_rules_without_asking_it():
    def never(messages, *, max_new_tokens):
        raise AssertionError("the model was asked")

    need = {"need": "Nous cherchons un développeur pour notre boutique Shopify", "kind_of_work": "software"}
    result = run("job_post_draft", need, generate=never)
    assert result.source == "fallback" and result.attempts == ["not asked: the request is not in English"]
    assert result.output.title.startswith("Nous cherchons")
