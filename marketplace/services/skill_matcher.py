"""Skills read from free text: one taxonomy matcher for pasted CVs, overviews, job posts and shortlist needs.

Every name and synonym of marketplace/data/skills.txt is matched the way synonyms resolve (skill_key:
case-, space-, dot- and dash-blind), over runs of up to MAX_WORDS words, the longest first, so
"React Native" is one skill and not React. Technical tokens stay whole: C#, C++, .NET, Node.js.

Prose is not a skills list, so two kinds of names are careful:
- CASE_SENSITIVE names are also ordinary words or letters ("Go", "C", "R", "Swift", "Spring", "REST",
  "Excel"): they count only as written in the taxonomy and not as a sentence's first word;
- NOT_IN_PROSE synonyms mean something else in most texts ("VA" is Virginia in an address, "PM" a time,
  "Security" a guard): they resolve when typed as a skill, but free text never suggests them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from marketplace.models import SkillAlias, skill_key
from marketplace.services.pasted_text import JOINED, mended
from marketplace.services.skills import TAXONOMY_FILE, taxonomy_parse

MAX_WORDS = 4
LIMIT = 15  # a profile holds at most 15 skills (profiles.MAX_SKILLS)
CASE_SENSITIVE = frozenset(
    skill_key(word)
    for word in (
        "Go", "C", "R", "Rust", "Swift", "Dart", "Express", "Spring", "Rails", "Lambda", "Spark", "Flask",
        "REST", "Excel", "Airflow", "AI", "BI", "ML", "JS", "TS", "TF", "API", "Scrapy", "Torch", "Next",
        "Lean", "POS", "Cypress", "Playwright", "Selenium", "Workday", "Compensation", "Production Planning",
        "HR", "Hive", "Agile", "Bash", "Snowflake", "Tally",
    )
)  # fmt: skip
NOT_IN_PROSE = frozenset(
    skill_key(word)
    for word in (
        "VA", "PM", "WP", "RN", "Woo", "Security", "Containers", "Facebook", "Documentation", "Editing",
        "Torch", "Next", "Node", "Analytics", "Lambda", "Logos", "Quant", "PR", "Supervision", "Sourcing",
        "Communications", "Facilities", "Consulting", "Construction", "Retail", "Automotive", "Apparel",
        "Audit", "PLC",
    )
)  # fmt: skip
# A token: letters and digits, with the inner or trailing marks technical names carry (Node.js, C#,
# C++, .NET, CI/CD's parts); a sentence's full stop is not part of the word before it, even with no
# space after it ("Java.Company Details", a CV pasted without its line breaks; ASP.Net stays whole).
TOKEN = re.compile(r"\.?[^\W_](?:[\w+#]|\.(?=\w)(?!(?<=\w\w\.)(?![Nn][Ee][Tt]\b)[A-Z][a-z]))*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:;\n•*\-]\s*$")


@dataclass(frozen=True)
class Mention:
    skill: str  # the taxonomy's name
    written: str  # as the text has it
    count: int


@functools.cache
def _names() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """{key: skill name} for every name and synonym, and {key: spellings} for the careful ones."""
    by_key: dict[str, str] = {}
    spellings: dict[str, set[str]] = {}
    for _, skills in taxonomy_parse(TAXONOMY_FILE.read_text()):
        for name, synonyms in skills:
            for word in (name, *synonyms):
                key = skill_key(word)
                if key in NOT_IN_PROSE:
                    continue
                by_key[key] = name
                if key in CASE_SENSITIVE:
                    spellings.setdefault(key, set()).add(" ".join(word.split()))
    return by_key, {key: frozenset(words) for key, words in spellings.items()}


def mentions(text: str, *, limit: int = LIMIT) -> list[Mention]:
    """The taxonomy's skills named in the text, most often named first (then first named first)."""
    by_key, spellings = _names()
    text = mended(text or "")  # "toolsâ€¢AutoCAD": a CV pasted with its encoding broken
    tokens = _words(text)
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    i = 0
    while i < len(tokens):
        for width in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            run = tokens[i : i + width]
            phrase = text[run[0][0] : run[-1][1]]
            if width > 1 and not _one_phrase(text, run):
                continue
            key = skill_key(phrase)
            name = by_key.get(key)
            if name is None or (key in spellings and not _careful_ok(text, run, phrase, spellings[key])):
                continue
            counts[name] += 1
            written.setdefault(name, phrase)
            i += width
            break
        else:
            i += 1
    order = {name: n for n, name in enumerate(written)}
    ranked = sorted(counts, key=lambda name: (-counts[name], order[name]))[:limit]
    return [Mention(skill=name, written=written[name], count=counts[name]) for name in ranked]


def _words(text: str) -> list[tuple[int, int]]:
    """Each token's (start, end). A word run into a capital (pasted_text.JOINED) is two: "24 monthsAWS"
    names AWS, and "devOps" is DevOps written as one word or as two, named once either way."""
    spans = []
    for token in TOKEN.finditer(text):
        joined = JOINED.match(token.group())
        if joined is None:
            spans.append(token.span())
        else:
            cut = token.start() + joined.end(1)
            spans += [(token.start(), cut), (cut, token.end())]
    return spans


def skills_in_text(text: str, *, limit: int = LIMIT) -> list[str]:
    return [m.skill for m in mentions(text, limit=limit)]


def _one_phrase(text: str, run: list[tuple[int, int]]) -> bool:
    """Words of one name are next to each other: only spaces, a slash, a dash or & between them."""
    return all(re.fullmatch(r"\s*[/&\-]?\s*", text[a[1] : b[0]]) for a, b in zip(run, run[1:], strict=False))


def _careful_ok(text: str, run: list[tuple[int, int]], phrase: str, spellings: frozenset[str]) -> bool:
    if " ".join(phrase.split()) not in spellings:
        return False
    before = text[: run[0][0]]
    return not (len(run) == 1 and (not before.strip() or SENTENCE_END.search(before)))


def suggestions(text: str, *, listed: list[str], limit: int = LIMIT) -> list[Mention]:
    """Skills the text names that are not among `listed` (names or synonyms, resolved as the skills
    field resolves them), most named first."""
    keys = {skill_key(name) for name in listed}
    held = set(SkillAlias.objects.filter(key__in=keys).values_list("skill__name", flat=True)) if keys else set()
    return [m for m in mentions(text, limit=limit + len(listed)) if m.skill not in held][:limit]
