"""What a client's own words already settle about a job: the topics Uma need not ask about, and the
figures (budget, contract type, duration, experience) the draft must keep. Plain rules over the text,
no model: a question about something already said is never asked, and a number the client gave is
never replaced."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from uma.task_specs.job_post_questions import TOPICS

STOPWORDS = frozenset(
    "a an the i we our us my me you your to for of in on at and or with need needs want help someone "
    "somebody looking please hi hello hey job work project it is are be this that some any".split()
)
CURRENCY = r"(?:US\$|\$|USD\s?|€|EUR\s?|£|GBP\s?)"
AMOUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(k\b)?"
MONEY = re.compile(rf"{CURRENCY}\s?{AMOUNT}|{AMOUNT}\s?(?:dollars|usd|eur|euros|gbp|pounds)\b", re.IGNORECASE)
RANGE = re.compile(rf"{CURRENCY}\s?{AMOUNT}\s?(?:-|–|to)\s?{CURRENCY}?\s?{AMOUNT}", re.IGNORECASE)
BUDGET_WORD = re.compile(rf"\bbudget\b[^.\d]{{0,25}}?{AMOUNT}", re.IGNORECASE)
# "fixed price around 500", "pay 40 an hour", "fee of up to 1,200": a bare number right after a word for
# what the client pays, with only hedging words between (so "a price list of 40 items" is no budget).
PRICE_WORD = re.compile(
    r"\b(price|fee|pay|paying|cost|rate|spend|offering)\s*:?\s+(?:(?:is|of|at|for|around|about|roughly|approx\.?|"
    rf"approximately|up to|max(?:imum)?|at most|under|below|no more than|~)\s*)*{AMOUNT}"
    r"(?=\s*($|[,.;:!?)/]|(an?|per|each|in|total|max|tops|or|for|dollars|usd|eur|euros|gbp|pounds|hr|hours?|h)\b))",
    re.IGNORECASE,
)
NO_BUDGET = re.compile(r"\b(no (fixed )?budget|not sure|no idea|don'?t know|suggest)\b", re.IGNORECASE)
HOURLY = re.compile(r"\b(hourly|per hour|an hour|by the hour|/\s?(hr|hour|h)\b|per hr)", re.IGNORECASE)
FIXED = re.compile(
    r"\b(fixed([- ]price| fee| budget| cost)?|flat (fee|rate|price)|one price|lump sum)\b", re.IGNORECASE
)
# "10 videos a month", "4 posts per week", "twice a month": work that recurs, not work that lasts a month.
RATE = re.compile(
    r"\b(\d+|once|twice|one|two|three|four|five|ten)\s+([\w-]+\s+){0,2}?(a|per|each|every)\s+(day|week|month)\b",
    re.IGNORECASE,
)
ONGOING = re.compile(
    r"\b(ongoing|long[- ]term|part[- ]time|full[- ]time|retainer|every (day|week|month)|"
    r"(hours?|h|hrs?|times|days?) (a|per|each) (week|month))\b",
    re.IGNORECASE,
)
# "in 3 weeks", "6 months of work": how long; "12 months of bank statements" is what the work covers.
SPAN = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|eight|twelve)\s*(day|week|month|year)s?\b(?!\s+of\s+(?!work\b))",
    re.IGNORECASE,
)
DAY = r"(mon|tues|wednes|thurs|fri|satur|sun)day|weekend|the (\d{1,2}(st|nd|rd|th)|end of \w+)"
WHEN = re.compile(
    rf"\b(asap|urgent(ly)?|deadline|due|(by|before|until|till|on|no later than|next|this|coming) ({DAY})|"
    r"by (the )?end of|end of (the )?(day|week|month|year|quarter)|(next|this) (week|month|quarter|year)|"
    r"tomorrow|today|tonight|as soon as|within|in time for|starting|start (on|in|next)|ongoing|long[- ]term|"
    r"eod|eow|eom|q[1-4]|"
    r"(january|february|march|april|may|june|july|august|september|october|november|december))\b",
    re.IGNORECASE,
)
# "lead" is a level as a role ("lead developer", "tech lead"), not in "lead generation" or "a lead magnet".
ROLE = r"(developer|engineer|designer|dev|architect|programmer|writer|editor|analyst|consultant|manager|role)s?"
EXPERT = re.compile(
    rf"\b(senior|expert|experienced|seasoned|principal|veteran|(tech|team) lead|lead(\s+[\w+#.-]+)?\s+{ROLE})\b",
    re.IGNORECASE,
)
ENTRY = re.compile(r"\b(junior|entry[- ]level|beginner|student|intern|newbie|graduate)\b", re.IGNORECASE)
MIDDLE = re.compile(r"\b(mid[- ]level|intermediate|some experience)\b", re.IGNORECASE)
YEARS = re.compile(r"\b(\d{1,2})\+?\s*(years?|yrs?)\b", re.IGNORECASE)
DELIVERABLE = re.compile(
    r"\b(deliver(ables?|ed|y)?|hand ?over|hand-?off|end result|at the end|outputs?|files?|source code|"
    r"repo(sitory)?|report|documentation|mockups?|prototype)\b",
    re.IGNORECASE,
)
# "4 blog posts", "three landing pages", "a 2,000-word article": the deliverable counted out.
COUNTED = re.compile(
    r"\b(\d[\d,]*|two|three|four|five|six|ten)[- ](\w+[- ]){0,2}?(posts?|articles?|pages?|screens?|logos?|videos?|"
    r"designs?|illustrations?|banners?|emails?|reports?|words|slides?|templates?|icons?|ads?|episodes?)\b",
    re.IGNORECASE,
)
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12}
SCOPE_WORDS = 25  # a request this long has said what the work is


@dataclass
class Reading:
    said: set[str] = field(default_factory=set)
    thin: bool = False  # the text doesn't say what the work is
    contract_type: str | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    currency: str = "USD"
    duration: str | None = None
    experience_level: str | None = None
    ongoing: bool = False

    @property
    def open_topics(self) -> list[str]:
        return [t for t in TOPICS if t not in self.said]

    def stated(self) -> dict:
        """The figures the draft must keep, as job_post_draft's `stated`."""
        return {
            "contract_type": self.contract_type,
            "budget_min": self.budget_min,
            "budget_max": self.budget_max,
            "duration": self.duration,
            "experience_level": self.experience_level,
            "ongoing": self.ongoing,
        }


def _amount(whole: str, cents: str | None, thousand: str | None) -> Decimal | None:
    try:
        value = Decimal(whole.replace(",", "") + (f".{cents}" if cents else ""))
    except InvalidOperation:
        return None
    if not value:
        return None  # "budget 0" is no budget
    return value * 1000 if thousand else value


def _currency(text: str) -> str:
    if "€" in text or re.search(r"\beur(os)?\b", text, re.IGNORECASE):
        return "EUR"
    if "£" in text or re.search(r"\b(gbp|pounds)\b", text, re.IGNORECASE):
        return "GBP"
    return "USD"


def _amounts(text: str) -> list[Decimal]:
    found: list[Decimal] = []
    for match in RANGE.finditer(text):
        found += [a for a in (_amount(*match.group(1, 2, 3)), _amount(*match.group(4, 5, 6))) if a is not None]
    if found:
        return found
    for match in MONEY.finditer(text):
        groups = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        if (value := _amount(*groups)) is not None:
            found.append(value)
    if not found and (said := BUDGET_WORD.search(text)):
        if (value := _amount(*said.group(1, 2, 3))) is not None:
            found.append(value)
    if not found and (said := PRICE_WORD.search(text)):
        if (value := _amount(*said.group(2, 3, 4))) is not None:
            found.append(value)
    return found


def _duration(text: str) -> str | None:
    text = RATE.sub(" ", text)
    if re.search(r"\b(less than|under|within) (a|one|1) month\b", text, re.IGNORECASE):
        return "lt1m"
    if re.search(r"\b(more than|over|at least) (6|six) months\b", text, re.IGNORECASE):
        return "gt6m"
    months = []
    for match in SPAN.finditer(text):
        word, unit = match.group(1).lower(), match.group(2).lower()
        count = int(word) if word.isdigit() else NUMBERS[word]
        months.append(count * {"day": 1 / 30, "week": 1 / 4.3, "month": 1, "year": 12}[unit])
    if months:
        longest = max(months)
        return "lt1m" if longest < 1 else "1to3m" if longest <= 3 else "3to6m" if longest <= 6 else "gt6m"
    return "gt6m" if re.search(r"\b(ongoing|long[- ]term|retainer)\b", text, re.IGNORECASE) else None


def _level(text: str) -> str | None:
    if EXPERT.search(text):
        return "expert"
    if ENTRY.search(text):
        return "entry"
    if MIDDLE.search(text):
        return "intermediate"
    if match := YEARS.search(text):
        years = int(match.group(1))
        return "expert" if years >= 5 else "intermediate" if years >= 2 else "entry"
    return None


def meaningful_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w+#.-]*", text.lower()) if w not in STOPWORDS and len(w) > 1]


def read(text: str, answers: dict[str, str] | None = None) -> Reading:
    """What the request (and any answers, by topic) settle. An answer settles its topic even when it
    says "not sure"; the figures come from what was written."""
    answers = {topic: value for topic, value in (answers or {}).items() if value and value.strip()}
    everything = " \n".join([text, *answers.values()])
    reading = Reading(thin=len(meaningful_words(text)) < 2 and "scope" not in answers)
    amounts = _amounts(everything) if not NO_BUDGET.fullmatch(answers.get("budget", "").strip()) else []
    if amounts:
        reading.budget_min, reading.budget_max = min(amounts), max(amounts)
        if len(amounts) == 1 and not re.search(r"\b(at least|from|min(imum)?)\b", everything, re.IGNORECASE):
            reading.budget_min = None  # "up to $500", "$500": a ceiling
        reading.currency = _currency(everything)
        reading.said.add("budget")
    if HOURLY.search(everything):
        reading.contract_type = "hourly"
    elif FIXED.search(everything):
        reading.contract_type = "fixed"
    reading.ongoing = bool(ONGOING.search(everything) or RATE.search(everything))
    # How long the work lasts is in the request or the timeline answer ("12 months of books" is scope).
    reading.duration = _duration(" \n".join([text, answers.get("timeline", "")]))
    reading.experience_level = _level(everything)
    if reading.contract_type:
        reading.said.add("contract_type")
    if reading.duration or reading.ongoing or WHEN.search(everything):
        reading.said.add("timeline")
    if reading.experience_level:
        reading.said.add("experience")
    if DELIVERABLE.search(everything) or COUNTED.search(everything):
        reading.said.add("deliverables")
    if len(text.split()) >= SCOPE_WORDS:
        reading.said.add("scope")
    reading.said |= set(answers)
    if reading.thin:
        reading.said.discard("scope")
    return reading
