"""interview_questions: up to three questions Uma adds to a job's instant interview, written from the job
post (hiring issue). The client's own questions come first; Uma's ask about the post's skills and work.

Grounded: every skill name, capitalised word and number in a question comes from the post.
"""

from __future__ import annotations

import random

from pydantic import BaseModel, Field, field_validator

from uma.llm import grounding
from uma.llm.spec import SYSTEM, TaskSpec, fence, register
from uma.llm.text import PlainText, clean

MOST = 3


class PostInput(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=3000)
    skills: list[str] = Field(default_factory=list, max_length=20)
    asked: list[str] = Field(default_factory=list, max_length=10)  # the client's own questions
    count: int = Field(default=MOST, ge=1, le=MOST)

    @field_validator("title", "description")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean(value, one_line=False)[:3000]


class Asked(BaseModel):
    questions: list[PlainText] = Field(min_length=1, max_length=MOST)

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        for question in value:
            if "?" not in question or not 10 <= len(question) <= 220:
                raise ValueError("each must be one question of 10 to 220 characters")
        return value


def _work(title: str) -> str:
    return title[0].lower() + title[1:] if title[:2] != title[:2].upper() else title


def fallback(inputs: PostInput) -> Asked:
    """One question per listed skill (the first ones), then how they would go about the work."""
    questions = [
        f"Tell us about a project where you used {skill}: what did you build, and what was hard?"
        for skill in inputs.skills[:2]
    ]
    questions.append(f"How would you approach this job ({_work(inputs.title)[:120]}), and what would you do first?")
    questions.append("How many hours a week can you give this job, and from when?")
    asked = {q.lower() for q in inputs.asked}
    return Asked.model_construct(questions=[q for q in questions if q.lower() not in asked][: inputs.count])


def complete(inputs: PostInput, answer: Asked) -> Asked:
    """The client asked for `count` of Uma's questions: Tandem keeps the first that many the model wrote."""
    return Asked.model_construct(questions=answer.questions[: inputs.count])


def prompt(inputs: PostInput) -> list[dict[str, str]]:
    facts = f"Skills: {', '.join(inputs.skills) or 'none listed'}"
    own = "\n".join(inputs.asked) or "none"
    return [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": f"Write {inputs.count} short interview questions for freelancers applying to this job. Ask "
            "about the skills and the work it names, not about anything else, and do not repeat the client's "
            'questions. Reply as {"questions": ["...?"]}.\n'
            + fence("job", f"{inputs.title}\n{inputs.description}")
            + f"\n{facts}\n"
            + fence("client_questions", own),
        },
    ]


def ground(inputs: PostInput, output: Asked) -> grounding.GroundingReport:
    facts = [inputs.title, inputs.description, *inputs.skills]
    report = grounding.check(" ".join(output.questions), facts, words=True)
    asked = {q.lower() for q in inputs.asked}
    for question in output.questions:
        if question.lower() in asked:
            report.unsupported.append(f"repeats the client's question: {question[:60]}")
    if len(output.questions) > inputs.count:
        report.unsupported.append(f"{len(output.questions)} questions, {inputs.count} asked for")
    return report


def agrees(inputs: PostInput, output: Asked, expected: Asked) -> bool:
    """As many questions as asked for, and each listed skill the policy asks about is asked about."""
    text = " ".join(output.questions).lower()
    wanted = [s for s in inputs.skills[:2] if any(s.lower() in q.lower() for q in expected.questions)]
    return len(output.questions) == len(expected.questions) and all(s.lower() in text for s in wanted)


def vary(data: dict, rng: random.Random, knobs: dict[str, float]) -> dict:
    if rng.random() < knobs.get("own_questions", 0):
        data["asked"] = ["What is your availability?", "Have you done similar work before?"][: rng.randint(1, 2)]
    if rng.random() < knobs.get("fewer", 0):
        data["count"] = rng.randint(1, 2)
    return data


SPEC = register(
    TaskSpec(
        name="interview_questions",
        prompt_version="interview_questions/1",
        input_model=PostInput,
        output_model=Asked,
        complete=complete,  # type: ignore[arg-type]
        prompt=prompt,  # type: ignore[arg-type]
        ground=ground,  # type: ignore[arg-type]
        fallback=fallback,  # type: ignore[arg-type]
        agrees=agrees,  # type: ignore[arg-type]
        vary=vary,
        knobs={"own_questions": 0.3, "fewer": 0.2},
        max_new_tokens=140,
    )
)
