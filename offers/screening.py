"""Scam screening of what a client writes in an offer, before the freelancer sees it.

Each rule is a named pattern with a weight; the score is the sum (at most 100) and the reasons say
which rules matched and on what text. The thresholds that hold or warn are settings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.conf import settings

from marketplace.models.text import HIDDEN

TRUSTED_LINK_HOSTS = {
    "github.com",
    "gitlab.com",
    "figma.com",
    "www.figma.com",
    "docs.google.com",
    "drive.google.com",
    "notion.so",
    "www.notion.so",
    "dropbox.com",
    "www.dropbox.com",
}
SHORTENERS = {"bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "cutt.ly", "rb.gy", "ow.ly", "shorturl.at"}


def _any(_: str) -> bool:
    return True


def _phone_like(found: str) -> bool:
    """Nine or more digits that are not a date or a plain amount."""
    digits = re.sub(r"\D", "", found)
    return len(digits) >= 9 and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.strip())


@dataclass(frozen=True)
class Rule:
    name: str
    weight: int
    pattern: re.Pattern[str]
    accept: Callable[[str], bool] = _any


def _rx(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


RULES = [
    Rule("an email address", 35, _rx(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    Rule("a phone number", 35, _rx(r"(?<![\w.,])\+?\(?\d[\d\s().-]{7,}\d(?![\w.,]\d)"), _phone_like),
    Rule(
        "a messaging handle or app",
        35,
        _rx(
            r"\b(whats\s?app|telegram|tg|signal app|wechat|skype|viber|kik|discord|line id|t(elegram)?\.me/\w+"
            r"|wa\.me/\d+)\b|(?<![\w.])@[a-z][\w.]{2,}\w"
        ),
    ),
    Rule(
        "payment or contact outside Tandem",
        40,
        _rx(
            r"\b(outside (of )?(tandem|the platform)|off[- ]platform|pay (you )?directly|direct(ly)? (payment|deposit)"
            r"|wire transfer|western union|moneygram|zelle|cash ?app|venmo|paypal (friends|f&f))\b"
        ),
    ),
    Rule(
        "an upfront fee or equipment purchase",
        60,
        _rx(
            r"\b((registration|training|onboarding|application|processing|starter|activation) (fee|kit)"
            r"|pay (a|the|for) (fee|deposit|training|equipment|software licen[cs]e)"
            r"|(buy|purchase|order) (the |your |a |new )?(equipment|laptop|software|kit|supplies|gift cards?))\b"
        ),
    ),
    Rule(
        "a cheque", 60, _rx(r"\b(cheques?|checks? (to|for) (deposit|cash)|deposit (the|a|this) check|mobile deposit)\b")
    ),
    Rule(
        "crypto payment",
        45,
        _rx(r"\b(bitcoin|btc|usdt|tether|ethereum|crypto(currency)?|wallet address|binance|coinbase)\b"),
    ),
]
URL = _rx(r"\b((?:https?://|www\.)[^\s<>\"')]+)")
# A bare domain with a path ("bit.ly/3xYz", "example.com/pay"): a link even without http:// or www.
BARE_LINK = _rx(r"(?<![\w@./])((?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"')]*)")
# Ways of hiding an address or a link from a filter: "[dot]", "(at)", zero-width characters.
OBFUSCATIONS = [
    (_rx(r"\s*[\[(]\s*dot\s*[\])]\s*"), "."),
    (_rx(r"\s*[\[(]\s*at\s*[\])]\s*"), "@"),
]


def normalised(text: str) -> str:
    """The text as a person reads it: compatibility forms folded (fullwidth letters), hidden characters
    removed, "[dot]" / "(at)" spelled out."""
    text = HIDDEN.sub("", unicodedata.normalize("NFKC", text))
    for pattern, replacement in OBFUSCATIONS:
        text = pattern.sub(replacement, text)
    return text


@dataclass
class Screening:
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        if self.score >= settings.OFFERS_HOLD_SCORE:
            return "high"
        if self.score >= settings.OFFERS_WARN_SCORE:
            return "medium"
        return "low"


def _links(text: str) -> list[str]:
    with_scheme = [m.group(1) for m in URL.finditer(text)]
    bare = [m.group(1) for m in BARE_LINK.finditer(text) if not any(m.group(1) in url for url in with_scheme)]
    return with_scheme + bare


def _link_reasons(text: str) -> list[tuple[str, int]]:
    found = []
    for url in _links(text):
        parsed = urlparse(url if "://" in url else f"http://{url}")
        host = (parsed.hostname or "").lower()
        if host in TRUSTED_LINK_HOSTS:
            continue
        if host in SHORTENERS:
            found.append((f"a shortened link ({url[:60]})", 35))
        elif re.fullmatch(r"[\d.]+", host):
            found.append((f"a link to a bare IP address ({url[:60]})", 40))
        elif "@" in (parsed.netloc or "") or host.count("-") >= 3 or host.startswith("xn--"):
            found.append((f"a disguised link ({url[:60]})", 40))
        else:
            found.append((f"a link off Tandem ({url[:60]})", 15))
    return found


def screen(*texts: str) -> Screening:
    """Score the given texts (scope, message, milestone titles) for scam signals."""
    text = normalised("\n".join(t for t in texts if t))
    result = Screening()
    for rule in RULES:
        match = next((m for m in rule.pattern.finditer(text) if rule.accept(m.group(0))), None)
        if match:
            result.score += rule.weight
            result.reasons.append(f"{rule.name} (“{match.group(0).strip()[:60]}”)")
    for reason, weight in _link_reasons(text):
        result.score += weight
        result.reasons.append(reason)
    result.score = min(result.score, 100)
    return result
