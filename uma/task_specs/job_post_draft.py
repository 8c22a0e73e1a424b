"""job_post_draft: a complete job post from the client's sentence and their answers to Uma's questions
(hiring issue). The client edits every field before anything is posted.

Grounded: skills come only from the taxonomy's skills the client's words name; every number in the text
comes from the client's words. The terms (contract type, budget, duration, level) are Tandem's policy, not
the model's to choose (`terms_of`): the client's own when they settled them, else the market's range for
that contract type (agreed rates on Tandem for those skills, with the sample size). The prompt states them
and the model copies them; a draft with other terms is refused. The post built by Tandem's rules stands in
otherwise: it uses the client's own sentences, labelled, and is never checked as if a model wrote it.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from uma.llm import grounding
from uma.llm.spec import SYSTEM, TaskSpec, fence, register
from uma.llm.text import PlainText, clean, not_english
from uma.task_specs.job_post_questions import NOT_ENGLISH, TOPICS, Topic, family

ContractType = Literal["hourly", "fixed"]
Duration = Literal["lt1m", "1to3m", "3to6m", "gt6m"]
Level = Literal["entry", "intermediate", "expert"]
TITLE_LIMIT = 80
DESCRIPTION_LIMIT = 3000
# Words of a request that make a family's usual deliverables fit whatever the skills' category says: an app
# to build is software even when the skills named were marketing ones.
CUES = {
    "software": frozenset(
        "app apps code website site api bug bugs software crm database script portal plugin integration "
        "repository dashboard analysis model automation backend frontend server".split()
    ),
    "design": frozenset("design logo logos banner mockup mockups illustration brand branding figma".split()),
    "writing": frozenset("write writer article articles blog post posts copy text content newsletter".split()),
    "other": frozenset(),
}
# Each answer in the prompt under the label its line in the post would carry: a small model that sees
# "Timeline: 1 to 3 months" copies it under "Timeline:", not under "Scope:". Uma's questions are left out:
# they are not the client's words, and the model copied them into posts ("…, and which Spanish (Spain or
# Latin America?)?" as a description; a question's examples as deliverables).
ANSWER_LABELS = {topic: topic.replace("_", " ").capitalize() for topic in TOPICS}  # "Contract type"
LABELS = {topic: ANSWER_LABELS[topic] for topic in ("scope", "timeline", "experience")}  # lines of the post
DELIVERABLES = {
    "software": ["Working code in our repository", "A short note on what changed and how to test it"],
    "design": ["Final files in the agreed formats", "Source files"],
    "writing": ["The finished text, ready to publish"],
    "other": ["The agreed work, done and checked"],
}
# How a request usually opens ("Hi, we need someone to …"): taken off the front to make a title.
OPENINGS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(hi|hello|hey)\b[,!. ]*",
        r"^(we|i)\s*('re|'m|\s+are|\s+am)?\s+(really\s+)?(need|want|require|would like|looking for|searching for)\s+",
        r"^(need|needs|needed|looking for|seeking|wanted|required|searching for)\s*:?\s+",
        r"^(someone|somebody|a freelancer|an expert|a pro|help|a person)\s+(to|who can|that can|for|with)\s+",
        r"^(some )?help\s*(with|on|:)\s*",
        r"^to\s+",
        r"^(a|an)\s+(?=\w+\s+\w)",
    )
]
# A deliverable the model writes must echo the client's words (a word of theirs, give or take its ending) or
# be Tandem's usual one for this kind of work (CUES): "Working code in our repository" for a bookkeeper is not.
CONTENT_WORD = re.compile(r"[a-z]{4,}")
GENERIC_WORDS = frozenset("work done agreed checked final short note what with that this from your their each".split())
STEM = 5  # two words echo each other when they share their first 5 letters (or all of the shorter one)
# The title says what the client asked for in their words: each of its words echoes theirs, or is one of
# these words any job title may use ("Rewritten React Native dev" for "add push notifications" is not).
TITLE_WORDS = frozenset(
    "help needed wanted expert specialist freelancer developer designer writer editor engineer consultant "
    "assistant manager support project build create design redesign update review improve development "
    "writing editing ongoing setup new fix fixing".split()
)
# The prompt's own lines, copied into a post ("Kind of work: Hospitality & food."), are not the client's.
# ("Skills: None." is one too, but the adapter writes it in most drafts without skills: the service drops it.)
PROMPT_LINE = re.compile(r"\b(kind of work|budget from|contract_type|budget_min|budget_max|experience_level)\s*:", re.I)
NO_SKILLS_LINE = re.compile(r"\s*\bskills:\s*none\.?\s*$", re.IGNORECASE)
NEW_THING = r"(?:a|an|the|our|your|their|some|all|any|one|two|three|\d+)\s"
ITEM_END = re.compile(rf"[\n;,•]|\s+(?:and|plus)\s+(?={NEW_THING})", re.IGNORECASE)
ITEM_JOIN = re.compile(r"^(and|plus|also|then)\s+", re.IGNORECASE)
CLAUSE_END = re.compile(r"[,.;:!?(\n]|\s[-–—]\s|\s(because|since|as|so)\s")


class Answer(BaseModel):
    topic: Topic
    question: str = Field(max_length=200)
    answer: str = Field(max_length=1000)

    @field_validator("answer")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean(value)


class Stated(BaseModel):
    """What the client's own words settle (hiring.reading), or None."""

    contract_type: ContractType | None = None
    budget_min: Decimal | None = Field(default=None, ge=0)
    budget_max: Decimal | None = Field(default=None, ge=0)
    duration: Duration | None = None
    experience_level: Level | None = None
    ongoing: bool = False


class Market(BaseModel):
    """Agreed rates (hourly) or totals (fixed) on Tandem's contracts for jobs sharing a skill."""

    contract_type: ContractType
    low: Decimal  # 25th percentile
    median: Decimal
    high: Decimal  # 75th percentile
    sample: int = Field(ge=1)
    currency: str = Field(default="USD", max_length=3)


class DraftInput(BaseModel):
    need: str = Field(min_length=1, max_length=1000)
    answers: list[Answer] = Field(default_factory=list, max_length=6)
    kind_of_work: str = Field(default="", max_length=80)
    skills: list[str] = Field(default_factory=list, max_length=15)  # the taxonomy's, named by the client
    stated: Stated = Field(default_factory=Stated)
    market: list[Market] = Field(default_factory=list, max_length=2)

    @field_validator("need")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean(value, one_line=False)

    def answer(self, topic: str) -> str:
        return next((a.answer for a in self.answers if a.topic == topic and a.answer), "")

    def market_for(self, contract_type: str) -> Market | None:
        return next((m for m in self.market if m.contract_type == contract_type), None)


class DraftOutput(BaseModel):
    title: PlainText = Field(min_length=5, max_length=TITLE_LIMIT)
    description: PlainText = Field(min_length=20, max_length=DESCRIPTION_LIMIT)
    deliverables: list[PlainText] = Field(default_factory=list, max_length=8)
    skills: list[str] = Field(default_factory=list, max_length=15)
    contract_type: ContractType
    budget_min: Decimal | None = Field(default=None, ge=0)
    budget_max: Decimal | None = Field(default=None, ge=0)
    duration: Duration
    experience_level: Level

    @field_validator("skills")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return [clean(name) for name in value]  # " iOS Development", copied after a comma, is the skill


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def title_of(need: str, skills: list[str]) -> str:
    """The need's first clause without its opening ("we need someone to …"), capitalised, at most
    TITLE_LIMIT characters cut at a word."""
    text = " ".join(need.split())
    changed = True
    while changed:
        changed = False
        for opening in OPENINGS:
            shorter = opening.sub("", text, count=1)
            changed = changed or shorter != text
            text = shorter
    clause = CLAUSE_END.split(text, maxsplit=1)[0].strip()
    if len(clause.split()) < 2:
        if skills:
            clause = f"{skills[0]} help needed"
        else:  # "help" is "Help needed", not "Help help needed"
            clause = f"{clause} needed" if clause.lower() in TITLE_WORDS else f"{clause or 'New job'} help needed"
    if len(clause) > TITLE_LIMIT:
        clause = clause[: TITLE_LIMIT + 1].rsplit(" ", 1)[0]
    return clause[0].upper() + clause[1:]


def _items(text: str) -> list[str]:
    """The client's list, an item per line, bullet, comma or semicolon, or "and" / "plus" before a new thing
    ("a faster site and a list of changes"); an "and" inside an item stays ("Push notifications on iOS and
    Android, and tests": two items, not three)."""
    parts = [ITEM_JOIN.sub("", p.strip(" -*.")) for p in ITEM_END.split(text)]
    items = [_sentence(p).rstrip(".") for p in parts if len(p) > 2]
    return items[:8]


def budget_of(inputs: DraftInput, contract_type: str) -> tuple[Decimal | None, Decimal | None]:
    """The client's figures when they gave any, else the market's 25th-75th percentile, else none."""
    stated = inputs.stated
    if stated.budget_min is not None or stated.budget_max is not None:
        return stated.budget_min, stated.budget_max
    market = inputs.market_for(contract_type)
    return (market.low, market.high) if market else (None, None)


def contract_type_of(inputs: DraftInput) -> str:
    stated = inputs.stated
    if stated.contract_type:
        return stated.contract_type
    return "hourly" if stated.ongoing or stated.duration in ("3to6m", "gt6m") else "fixed"


class Terms(BaseModel):
    contract_type: ContractType
    budget_min: Decimal | None
    budget_max: Decimal | None
    duration: Duration
    experience_level: Level


def terms_of(inputs: DraftInput) -> Terms:
    """The post's terms by Tandem's policy: what the client settled, else the defaults below."""
    contract_type = contract_type_of(inputs)
    low, high = budget_of(inputs, contract_type)
    duration = inputs.stated.duration or (
        "gt6m" if inputs.stated.ongoing else "lt1m" if contract_type == "fixed" else "1to3m"
    )
    return Terms(
        contract_type=contract_type,  # type: ignore[arg-type]
        budget_min=low,
        budget_max=high,
        duration=duration,
        experience_level=inputs.stated.experience_level or "intermediate",
    )


def deliverables_of(inputs: DraftInput) -> list[str]:
    """What the client said they want delivered, item by item, else Tandem's usual for the kind of work."""
    return _items(inputs.answer("deliverables")) or DELIVERABLES[family(inputs.kind_of_work)]


def _budget_source(inputs: DraftInput, terms: Terms) -> str:
    if terms.budget_min is None and terms.budget_max is None:
        return "no figures from the client or the market"
    unit = "per hour" if terms.contract_type == "hourly" else "in total"
    market = inputs.market_for(terms.contract_type)
    if inputs.stated.budget_min is not None or inputs.stated.budget_max is not None or market is None:
        return f"the client's own figures, {unit}"
    return f"the market's range on Tandem, {market.currency} {unit}, {market.sample} contracts"


def fallback(inputs: DraftInput) -> DraftOutput:  # type: ignore[override]
    terms = terms_of(inputs)
    paragraphs = [_sentence(OPENINGS[0].sub("", inputs.need.strip()))]  # the client's words, less a greeting
    paragraphs += [f"{label}: {_sentence(inputs.answer(t))}" for t, label in LABELS.items() if inputs.answer(t)]
    if inputs.skills:
        paragraphs.append(f"Skills: {', '.join(inputs.skills)}.")
    description = "\n\n".join(paragraphs)[:DESCRIPTION_LIMIT]
    # Built here from the client's own words, not by a model: not validated as model text.
    return DraftOutput.model_construct(
        title=title_of(inputs.need, inputs.skills),
        description=description,
        deliverables=deliverables_of(inputs),
        skills=list(inputs.skills),
        **dict(terms),
    )


def _facts(inputs: DraftInput) -> list[object]:
    facts: list[object] = [inputs.need, inputs.kind_of_work, *inputs.skills]
    facts += [a.answer for a in inputs.answers]
    facts += [inputs.stated.budget_min, inputs.stated.budget_max]
    for market in inputs.market:
        facts += [market.low, market.median, market.high, market.sample, market.currency]
    return facts


INSTRUCTION = (
    "Draft a job post from the client's request and answers. Use only the skills listed and no number the client "
    "did not give. Copy the deliverables, contract type, budget, duration and experience level below. Reply as "
    '{"title": "...", "description": "...", "deliverables": ["..."], "skills": ["..."], "contract_type": "...", '
    '"budget_min": 0, "budget_max": 0, "duration": "...", "experience_level": "..."}.'
)
COPIED = 5  # words in a row of the instruction, not the client's, that make a description a copy of it


def _runs(text: str) -> set[tuple[str, ...]]:
    """The text's runs of COPIED words in a row."""
    words = re.findall(r"[a-z]+", text.lower())
    return {tuple(words[i : i + COPIED]) for i in range(len(words) - COPIED + 1)}


INSTRUCTION_RUNS = _runs(INSTRUCTION)


def prompt(inputs: DraftInput) -> list[dict[str, str]]:
    terms = terms_of(inputs)
    answers = "\n".join(f"{ANSWER_LABELS[a.topic]}: {a.answer}" for a in inputs.answers if a.answer)
    lines = [
        f"Kind of work: {inputs.kind_of_work or 'not known'}",
        f"Skills: {', '.join(inputs.skills) or 'none'}",
        *(f"{field}: {'null' if value is None else value}" for field, value in dict(terms).items()),
        f"Budget from: {_budget_source(inputs, terms)}",
        f"Deliverables: {'; '.join(deliverables_of(inputs))}",
    ]
    return [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": INSTRUCTION
            + "\n"
            + fence("request", inputs.need)
            + ("\n" + fence("answers", answers) if answers else "")
            + "\n"
            + "\n".join(lines),
        },
    ]


def _echoes(text: str, words: set[str]) -> bool:
    for word in set(CONTENT_WORD.findall(text.lower())) - GENERIC_WORDS:
        for known in words:
            stem = min(len(word), len(known), STEM)
            if word[:stem] == known[:stem]:
                return True
    return False


def _stated(inputs: DraftInput, topic: str) -> bool:
    """Whether the client's words settled the topic (the timeline, the level) without an answer to it."""
    stated = inputs.stated
    if topic == "timeline":
        return bool(stated.duration or stated.ongoing)
    return topic == "experience" and bool(stated.experience_level)


def ground(inputs: DraftInput, output: DraftOutput) -> grounding.GroundingReport:
    facts = _facts(inputs)
    text = "\n".join([output.title, output.description, *output.deliverables])
    report = grounding.check(text, facts, words=True)
    text = " ".join([inputs.need, *(a.answer for a in inputs.answers)]).lower()
    said = re.findall(r"[a-z]+", text)
    theirs = {word for word in said if len(word) >= 4}
    kinds = {family(inputs.kind_of_work)} | {kind for kind, cues in CUES.items() if cues.intersection(said)}
    usual = [item for kind in kinds for item in DELIVERABLES[kind]]
    known = theirs | set(CONTENT_WORD.findall(" ".join(inputs.skills).lower()))
    for word in dict.fromkeys(CONTENT_WORD.findall(output.title.lower())):
        if word not in TITLE_WORDS and word not in GENERIC_WORDS and not _echoes(word, known):
            report.unsupported.append(f"title:{word}")
    for item in output.deliverables:
        report.claims.append(f"deliverable:{item}")
        if item not in usual and item.lower() not in text and not _echoes(item, theirs):
            report.unsupported.append(f"deliverable:{item}")
    if line := PROMPT_LINE.search(output.description):
        report.unsupported.append(f"description:{line.group(0)} (a line of the prompt)")
    if _runs(output.description) & (INSTRUCTION_RUNS - _runs(text)):
        report.unsupported.append("description: copies the prompt's instruction")
    for topic, label in LABELS.items():  # "Scope: …" says what the client answered about the scope, or nothing
        answered = set(CONTENT_WORD.findall(inputs.answer(topic).lower()))
        if _stated(inputs, topic):  # or what their request said of it ("…, more than 6 months")
            answered |= set(CONTENT_WORD.findall(inputs.need.lower()))
        for said in re.findall(rf"\b{label}:\s*([^\n]*)", output.description):
            if not _echoes(said, answered):
                report.unsupported.append(f"description:{label}: {said[:60]} (not the client's answer)")
    known = {s.lower() for s in inputs.skills}
    for skill in output.skills:
        report.claims.append(f"skill:{skill}")
        if skill.lower() not in known:
            report.unsupported.append(f"skill:{skill}")
    for field, value in dict(terms_of(inputs)).items():
        claim = f"{field}:{getattr(output, field)}"
        report.claims.append(claim)
        if getattr(output, field) != value:
            report.unsupported.append(f"{claim} (Tandem's terms: {value})")
    return report


def budget_fits(inputs: DraftInput, output: DraftOutput) -> bool:
    """Inside the client's stated budget when they gave one, else inside the market range, else empty."""
    low, high = output.budget_min, output.budget_max
    stated = inputs.stated
    if stated.budget_min is not None or stated.budget_max is not None:
        floor = stated.budget_min if stated.budget_min is not None else Decimal(0)
        ceiling = stated.budget_max if stated.budget_max is not None else stated.budget_min
        return all(v is None or floor <= v <= ceiling for v in (low, high)) and (low, high) != (None, None)  # type: ignore[operator]
    market = inputs.market_for(output.contract_type)
    if market is None:
        return low is None and high is None
    return low is not None and high is not None and market.low <= low <= high <= market.high


def agrees(inputs: DraftInput, output: DraftOutput, expected: DraftOutput) -> bool:
    """Skills cover the ones the client named (and nothing else), the contract type is the expected one,
    and the budget fits."""
    return (
        {s.lower() for s in output.skills} == {s.lower() for s in inputs.skills}
        and output.contract_type == expected.contract_type
        and budget_fits(inputs, output)
    )


def vary(data: dict, rng: random.Random, knobs: dict[str, float]) -> dict:
    """Edge cases: no market figures, a budget the client stated, no answers at all."""
    if rng.random() < knobs.get("no_market", 0):
        data["market"] = []
    if rng.random() < knobs.get("stated_budget", 0) and data.get("market"):
        market = rng.choice(data["market"])
        # a ceiling only: a floor read from the request ("budget $715-1020") above it would make terms no
        # draft can keep
        stated = {"contract_type": market["contract_type"], "budget_min": None, "budget_max": str(market["median"])}
        data["stated"] = {**data.get("stated", {}), **stated}
    if rng.random() < knobs.get("no_answers", 0):
        data["answers"] = []
    return data


def beyond(inputs: DraftInput) -> str:
    """A request or answers in another language are drafted from the client's own words."""
    return NOT_ENGLISH if not_english(" ".join([inputs.need, *(a.answer for a in inputs.answers)])) else ""


SPEC = register(
    TaskSpec(
        name="job_post_draft",
        prompt_version="job_post_draft/5",
        input_model=DraftInput,
        output_model=DraftOutput,
        prompt=prompt,  # type: ignore[arg-type]
        ground=ground,  # type: ignore[arg-type]
        fallback=fallback,  # type: ignore[arg-type]
        agrees=agrees,  # type: ignore[arg-type]
        vary=vary,
        knobs={"no_market": 0.2, "stated_budget": 0.2, "no_answers": 0.1},
        max_new_tokens=400,
        beyond=beyond,  # type: ignore[arg-type]
    )
)
