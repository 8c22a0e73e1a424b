"""job_post_questions: the 2-4 follow-up questions Uma asks a client who described a job in a sentence
(hiring issue).

Which topics are still open is read from the client's words before Uma is asked (hiring.reading): a
question about something already said is refused by the grounding check, whatever the model writes.
The model only words the questions for this kind of work; Tandem's own wording stands in otherwise.
"""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from uma.llm import grounding
from uma.llm.spec import SYSTEM, TaskSpec, fence, register
from uma.llm.text import PlainText, clean, not_english

Topic = Literal["scope", "deliverables", "timeline", "experience", "contract_type", "budget"]
TOPICS: tuple[str, ...] = ("scope", "deliverables", "timeline", "experience", "contract_type", "budget")
NOT_ENGLISH = "the request is not in English"  # Uma's small model writes English only, and mangles the rest
MOST = 4  # questions asked at most
FEWEST = 2  # and at least, when that many topics are open

# The kinds of work whose questions differ, by the taxonomy's category names.
FAMILIES = {
    "software": ("development", "ecommerce", "data", "databases", "it support", "testing"),
    "design": ("design", "fashion", "arts", "media"),
    "writing": ("writing", "translation", "marketing"),
}
WORDING: dict[str, dict[str, str]] = {
    "scope": {
        "thin": "What do you need done? A sentence on the work and what it is for is enough.",
        "software": "What exactly should change, which parts of the system are involved, and what is out of scope?",
        "design": "What should be designed, and where will it be used (web, print, social)?",
        "writing": "What is it about, who will read it, and how long should it be?",
        "other": "What does the work involve, and what is out of scope?",
    },
    "deliverables": {
        "software": "What should you have at the end: code in your repository, a deployed fix, tests, documentation?",
        "design": "Which files do you need at the end: source files, exported formats, a style guide?",
        "writing": "How many pieces do you need, and in what format?",
        "other": "What should you have in hand when the work is done?",
    },
    "timeline": {"other": "When do you need it done, and is it a one-off job or ongoing work?"},
    "experience": {"other": "What level of experience do you need: entry, intermediate or expert?"},
    "contract_type": {"other": "Would you rather pay by the hour or a fixed price for the whole job?"},
    "budget": {"other": "Do you have a budget in mind? If not, Uma suggests one from what similar jobs paid."},
}


class QuestionsInput(BaseModel):
    need: str = Field(max_length=1000)  # the client's words
    kind_of_work: str = Field(default="", max_length=80)  # the taxonomy category of the skills named
    skills: list[str] = Field(default_factory=list, max_length=15)  # the taxonomy's skills the need names
    open_topics: list[Topic] = Field(min_length=1, max_length=len(TOPICS))  # not yet answered, most needed first
    thin: bool = False  # the need doesn't say what the work is

    @field_validator("need")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean(value)


class Question(BaseModel):
    topic: Topic
    text: PlainText = Field(min_length=10, max_length=200)

    @field_validator("text")
    @classmethod
    def _a_question(cls, value: str) -> str:
        if "?" not in value:
            raise ValueError("must ask a question")
        return value


class QuestionsOutput(BaseModel):
    questions: list[Question] = Field(min_length=1, max_length=MOST)


def family(kind_of_work: str) -> str:
    kind = kind_of_work.lower()
    return next((name for name, words in FAMILIES.items() if any(w in kind for w in words)), "other")


def wording(topic: str, kind_of_work: str, *, thin: bool = False) -> str:
    texts = WORDING[topic]
    if thin and "thin" in texts:
        return texts["thin"]
    return texts.get(family(kind_of_work), texts["other"])


def asked(inputs: QuestionsInput) -> list[str]:
    """The topics to ask about: the most needed open ones, at most MOST."""
    return list(inputs.open_topics[:MOST])


def prompt(inputs: QuestionsInput) -> list[dict[str, str]]:
    facts = [
        f"Kind of work: {inputs.kind_of_work or 'not known yet'}",
        f"Skills named: {', '.join(inputs.skills) or 'none'}",
    ]
    return [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": "A client described a job they want to post. Ask one short follow-up question for each of "
            f"these topics, in this order: {', '.join(asked(inputs))}. Fit each question to this kind of work and "
            "never ask about anything the client already said. "
            'Reply as {"questions": [{"topic": "...", "text": "...?"}]}.\n'
            + fence("client", inputs.need)
            + "\n"
            + "\n".join(facts),
        },
    ]


def fallback(inputs: QuestionsInput) -> QuestionsOutput:
    return QuestionsOutput(
        questions=[
            Question(topic=topic, text=wording(topic, inputs.kind_of_work, thin=inputs.thin))  # type: ignore[arg-type]
            for topic in asked(inputs)
        ]
    )


def ground(inputs: QuestionsInput, output: QuestionsOutput) -> grounding.GroundingReport:
    """Each question is about an open topic, once; its names and numbers come from the client's words."""
    texts = " ".join(q.text for q in output.questions)
    report = grounding.check(texts, [inputs.need, inputs.kind_of_work, *inputs.skills], words=True)
    topics = [q.topic for q in output.questions]
    for topic in topics:
        report.claims.append(f"topic:{topic}")
        if topic not in inputs.open_topics:
            report.unsupported.append(f"topic:{topic} (already said)")
    if len(set(topics)) < len(topics):
        report.unsupported.append("the same topic asked twice")
    return report


def agrees(inputs: QuestionsInput, output: QuestionsOutput, expected: QuestionsOutput) -> bool:
    """Only open topics, the most needed one among them, and as many as the policy asks (at least FEWEST)."""
    topics = [q.topic for q in output.questions]
    wanted = [q.topic for q in expected.questions]
    return (
        set(topics) <= set(inputs.open_topics) and wanted[0] in topics and len(set(topics)) >= min(FEWEST, len(wanted))
    )


def vary(data: dict, rng: random.Random, knobs: dict[str, float]) -> dict:
    """Edge cases: a need that already answers some topics, or one that says almost nothing."""
    if rng.random() < knobs.get("thin", 0):
        data["need"] = data["need"].split()[0] if data["need"].split() else ""
        data["thin"] = True
        data["open_topics"] = list(TOPICS)
        data["skills"] = []
    elif len(data["open_topics"]) > 2 and rng.random() < knobs.get("said", 0):
        data["open_topics"] = rng.sample(data["open_topics"], k=len(data["open_topics"]) - 1)
        data["open_topics"].sort(key=TOPICS.index)
    return data


def beyond(inputs: QuestionsInput) -> str:
    return NOT_ENGLISH if not_english(inputs.need) else ""


SPEC = register(
    TaskSpec(
        name="job_post_questions",
        prompt_version="job_post_questions/1",
        input_model=QuestionsInput,
        output_model=QuestionsOutput,
        prompt=prompt,  # type: ignore[arg-type]
        ground=ground,  # type: ignore[arg-type]
        fallback=fallback,  # type: ignore[arg-type]
        agrees=agrees,  # type: ignore[arg-type]
        vary=vary,
        knobs={"thin": 0.1, "said": 0.3},
        max_new_tokens=160,
        beyond=beyond,  # type: ignore[arg-type]
    )
)
