"""The three tasks: gold data is valid and grounded, fallbacks are grounded, grounding catches invented
facts (numbers, dates, skills, names), output must be plain text."""

import pytest
from pydantic import ValidationError

from uma.llm.runner import task_spec
from uma.task_specs.candidate_rationale import RationaleInput, RationaleOutput, ground, rubric
from uma.task_specs.invitation_message import InvitationInput, InvitationOutput
from uma.task_specs.invitation_message import ground as ground_invitation
from uma.training.data import gold

JOB = {
    "title": "Django REST API for a booking app",
    "skills": ["Django", "PostgreSQL", "REST API"],
    "budget_min": "40",
    "budget_max": "65",
    "weekly_hours": 20,
}
CANDIDATE = {
    "label": "Candidate A",
    "skills": ["Django", "PostgreSQL", "REST API"],
    "job_success": 96,
    "completed_jobs": 31,
    "reply_hours": 3,
    "rate": "55",
    "available_hours": 30,
}


def rationale(**changes):
    return RationaleInput.model_validate({"job": JOB, "candidate": {**CANDIDATE, **changes}})


@pytest.mark.parametrize(
    ("task", "at_least"), [("candidate_rationale", 60), ("invitation_message", 40), ("change_summary", 40)]
)
def test_gold_examples_are_enough_valid_and_grounded(task, at_least):
    examples = gold(task)  # raises on any invalid or ungrounded example
    assert len(examples) >= at_least
    assert len({e.id for e in examples}) == len(examples)
    spec = task_spec(task)
    for example in examples:  # the policy (the fallback) answers every gold input with grounded output
        inputs = spec.input_model.model_validate(example.input)
        assert spec.ground(inputs, spec.fallback(inputs)).grounded, example.id


def test_gold_covers_the_hard_cases():
    notes = " ".join(e.note for e in gold("candidate_rationale"))
    for case in ("thin profile", "conflicting signals", "over-budget star", "injection"):
        assert case in notes
    assert {e.output["verdict"] for e in gold("candidate_rationale")} == {"strong", "possible", "weak"}


@pytest.mark.parametrize(
    ("changes", "verdict", "first_reason"),
    [
        ({}, "strong", "Has all 3 required skills"),
        ({"rate": "80"}, "possible", "Rate USD 80.00/hr is 23% over the budget"),
        ({"rate": "90"}, "weak", "Rate USD 90.00/hr is 38% over the budget"),
        ({"available_hours": 0, "available_from": "2027-02-01"}, "weak", "Not available until 1 Feb 2027"),
        ({"job_success": None, "completed_jobs": 1}, "possible", "New on Tandem: 1 completed jobs"),
        ({"skills": ["Flask"]}, "weak", "Has 0 of 3 required skills; missing Django, PostgreSQL, REST API"),
        ({"reply_hours": 40, "job_success": 85, "available_hours": 10}, "weak", "Free 10 h/week of the 20 needed"),
    ],
)
def test_the_policy_decides_from_the_facts(changes, verdict, first_reason):
    out = rubric(rationale(**changes))
    assert (out.verdict, out.reasons[0]) == (verdict, first_reason)
    assert 2 <= len(out.reasons) <= 4 and out.explanation.startswith("Candidate A")


def test_rationale_grounding_refuses_invented_numbers_skills_and_names():
    inputs = rationale()
    fine = RationaleOutput(reasons=["Has all 3 required skills", "Job success 96% over 31 jobs"], verdict="strong",
                           explanation="Candidate A has done this before.")  # fmt: skip
    assert ground(inputs, fine).grounded
    for reasons, explanation, invented in [
        (["Job success 99%", "Has all 3 required skills"], "Candidate A fits.", "99%"),
        (["Knows Kubernetes well", "Job success 96%"], "Candidate A fits.", "Kubernetes"),
        (["Has all 3 required skills", "Job success 96%"], "Candidate A, who worked at Google, fits.", "Google"),
        (["Has all 3 required skills", "Job success 96%"], "Candidate B fits the job.", "B"),
        (["Rate $45/hr", "Job success 96%"], "Candidate A fits.", "$45"),
    ]:
        report = ground(inputs, RationaleOutput(reasons=reasons, verdict="strong", explanation=explanation))
        assert invented in report.unsupported, (invented, report.unsupported)


def test_the_model_names_reasons_by_number_and_tandem_quotes_them():
    """The model writes only the numbers of the findings that decide: Tandem quotes them word for word,
    so a reason can never be misquoted, and a shortlist decodes about half the tokens it did."""
    spec = task_spec("candidate_rationale")
    inputs = rationale(rate="80")
    findings = spec.prompt(inputs)[1]["content"].split("<<<findings\n")[1].split("\n>>>")[0].splitlines()
    assert findings[0] == "1. concern: Rate USD 80.00/hr is 23% over the budget"
    assert findings[1].startswith("2. strength: ")
    choice = {"reasons": [1, 3], "verdict": "possible", "explanation": "Candidate A fits."}
    answer = spec.answer_model.model_validate(choice)
    output = spec.complete(inputs, answer)  # type: ignore[misc]
    assert output.reasons == ["Rate USD 80.00/hr is 23% over the budget", findings[2].split(": ", 1)[1]]
    assert (output.verdict, output.explanation) == ("possible", "Candidate A fits.")
    for numbers in ([1, 9], [0, 1], [2, 2]):  # no such finding; numbers start at 1; the same one twice
        with pytest.raises(ValueError, match="distinct numbers of findings, 1 to 5"):
            spec.complete(inputs, answer.model_copy(update={"reasons": numbers}))  # type: ignore[misc]
    with pytest.raises(ValidationError):  # a reason in words is not a number
        spec.answer_model.model_validate({"reasons": ["Fast"], "verdict": "strong", "explanation": "Candidate A fits."})


def test_every_hand_written_rationale_is_taught_by_number_without_loss():
    spec = task_spec("candidate_rationale")
    for example in gold("candidate_rationale"):
        inputs = spec.input_model.model_validate(example.input)
        output = spec.output_model.model_validate(example.output)
        taught = spec.taught(inputs, output)
        assert all(isinstance(n, int) for n in taught.reasons), example.id  # type: ignore[attr-defined]
        assert spec.complete(inputs, taught) == output, example.id  # type: ignore[misc]


def test_invitation_grounding_refuses_untrue_dates_and_names():
    inputs = InvitationInput(first_name="Maya", job_title="Booking API", client="Harbour Dental",
                             job_skills=["Django"], matching_skills=["Django"], start="2026-12-01")  # fmt: skip
    good = 'Hi Maya, Harbour Dental is hiring for "Booking API". Your Django work fits. We start on 1 December.'
    assert ground_invitation(inputs, InvitationOutput(message=good)).grounded
    for bad, invented in [
        (good.replace("1 December", "5 December"), "5 December"),
        (good.replace("Harbour Dental", "Acme Corp"), "Acme"),
        (good + " Your React skills too.", "React"),
        (good + " We pay a $500 bonus.", "$500"),
    ]:
        assert invented in ground_invitation(inputs, InvitationOutput(message=bad)).unsupported


def test_outputs_must_be_plain_text():
    with pytest.raises(ValidationError, match="plain text"):
        InvitationOutput(message="Hi <script>alert(1)</script> — please apply for the job on Tandem.")
    with pytest.raises(ValidationError):
        RationaleOutput(reasons=["one"], verdict="strong", explanation="Candidate A fits well.")
    with pytest.raises(ValidationError):
        RationaleOutput(reasons=["Has skills", "Fast"], verdict="excellent", explanation="Candidate A fits well.")


def test_the_summary_model_copies_values_as_written_and_never_sees_or_learns_titles():
    from uma.task_specs.change_summary import ChangeSummaryInput, fallback, ground, prompt, teach

    inputs = ChangeSummaryInput.model_validate(
        {
            "changes": [
                {"field": "start_date", "label": "Start", "old": "2026-04-08", "new": "2026-04-10"},
                {"field": "fixed_amount", "label": "Total", "old": 785, "new": 1203, "unit": "$"},
                {"field": "milestone_2", "label": "Milestone 2 added", "new_text": "Secret <b>plan</b>"},
            ]
        }
    )
    shown = prompt(inputs)[1]["content"]
    assert '"new": "10 Apr 2026"' in shown and '"new": "USD 1,203.00"' in shown
    assert "Secret" not in shown and "2026-04-10" not in shown
    taught = teach(inputs).summary
    assert taught == "Start moves to 10 Apr 2026; Total up from USD 785.00 to USD 1,203.00; Milestone 2 added."
    assert ground(inputs, teach(inputs)).grounded and "“Secret <b>plan</b>”" in fallback(inputs).summary
