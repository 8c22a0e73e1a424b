"""Scam screening of what a client writes in an offer, before the freelancer sees it.

Each rule is a named pattern with a weight; the score is the sum (at most 100) and the reasons say
which rules matched and on what text. The thresholds that hold or warn are settings.

The rules look for what is asked of the freelancer (talk on this app, pay this fee, send your bank
login), not for words: an offer about a Telegram bot, a deposit screen or a fee calculator is work.
bench/scam_screening.py measures them on offers/data/screening/, whose heldout.txt was written after
the rules last changed and is never used to change them.
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
# Top-level domains seen far more in phishing than in work, and words a disguised login page wears.
RISKY_TLDS = {"top", "xyz", "click", "zip", "mov", "country", "gq", "tk", "ml", "cf", "ga", "work", "rest", "loan"}
LURE_WORDS = re.compile(r"login|log-in|signin|sign-in|verify|verification|secure|account|wallet|payroll")
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


# A messaging app or channel, as a name: on its own it is often the work ("a Telegram bot"), so the
# rules below count it only where it is offered as a way to talk.
APPS = (
    r"(whats\s?app|telegram|tg|signal|wechat|skype|viber|kik|discord|line|google chat|hangouts|snapchat"
    r"|instagram|messenger|imessage|zoom chat)"
)
# Ways to be paid or to pay that bypass Tandem, named as channels.
CHANNELS = (
    r"(paypal|payoneer|wise|revolut|skrill|zelle|venmo|cash ?app|western union|moneygram|bank transfer"
    r"|wire transfer|gift ?cards?|bitcoin|btc|usdt|tether|ethereum|eth|crypto(currency)?)"
)
# Paying or sending, asked of the freelancer: "you must pay", "please send", an order at a sentence's start.
PAY = r"(pay|send|transfer|cover|wire|remit|settle)"
DEMAND = (
    rf"(\byou\s+(must|need to|have to|will need to|should|are required to)\s+(first\s+)?{PAY}\b"
    rf"|\b(please|kindly)\s+{PAY}\b|(^|[.!?:;\n]\s*){PAY}\b)"
)
NUMBER_WORD = r"(zero|oh|one|two|three|four|five|six|seven|eight|nine)"
PERSONAL = (
    r"(passport|ssn|social security( number)?|(online )?bank(ing)? (login|password|username|details|account details"
    r"|credentials)|(username|login) and password"
    r"|credit card|debit card|card (number|details)|cvv|id card|national id|driver'?s licen[cs]e)"
)

RULES = [
    Rule("an email address", 35, _rx(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    Rule("a phone number", 35, _rx(r"(?<![\w.,])\+?\(?\d[\d\s().-]{7,}\d(?![\w.,]\d)"), _phone_like),
    Rule("a phone number in words", 35, _rx(rf"\b({NUMBER_WORD}[\s,.-]+){{6,}}{NUMBER_WORD}\b")),
    Rule(
        "a messaging handle or app",
        35,
        _rx(
            r"\b(contact|message|text|reach|call|add|ping|talk|chat|dm|speak|connect|join|follow|hit me up|hmu"
            r"|get in touch)\b"
            rf"(\W+\w+){{0,6}}?\W+(on|via|through|over)\W+{APPS}\b"
            rf"|\b(join|add)\W+(me|us|my|our|the)\W+{APPS}\b"
            rf"|\b(my|our)\W+{APPS}\W+(is|id|handle|username|number|account)\b"
            rf"|\b{APPS}\s*(id|handle|username|number)?\s*[:=]\s*@?[\w.+-]{{3,}}"
            r"|\b(t(elegram)?\.me|wa\.me|chat\.whatsapp\.com|discord\.gg|signal\.me)/[\w-]+"
            r"|(?<![\w.])@[a-z][\w.]{2,}\w"
        ),
    ),
    Rule(
        "moving the conversation elsewhere",
        35,
        _rx(r"\b(move|continue|take|switch)\s+(this|the|our)\s+(conversation|chat|discussion|talk)\s+(to|on|over)\b"),
    ),
    Rule(
        "payment or contact outside Tandem",
        40,
        _rx(
            r"\b(outside (of )?(tandem|the platform|this (platform|site))|off[- ]platform|pay (you |me )?directly"
            r"|direct(ly)? (payment|deposit)"
            r"|avoid(ing)? (the )?(platform|tandem|site|website)('?s)? (fees?|commission|cut))\b"
            rf"|\bpay(ing)? (me|you|us)\W+(\w+\W+){{0,2}}?(via|through|by|with|using|on|in)\W+{CHANNELS}\b"
            rf"|\b(payment|paid)s?\W+(will be\W+|is\W+)?(made\W+|sent\W+|done\W+)?(via|through|by|using)\W+{CHANNELS}\b"
            rf"|\b(payable|accept(ing)? payment)\W+(by|via|through|with|in|using)\W+{CHANNELS}\b"
        ),
    ),
    Rule(
        "an upfront fee or deposit",
        60,
        _rx(
            rf"{DEMAND}[^.\n]{{0,40}}\b(fee|deposit|charge)s?\b"
            r"|\b(send|transfer|wire)\s+(us\s+|me\s+)?(a\s+)?[$€£]\s?\d"
            r"|\b(needs?|requires?|required|must)\b[^.\n]{0,15}[$€£]\s?\d+[^.\n]{0,30}\b(fee|payment|deposit|charge)\b"
            r"|\byou\s+(must|need to|have to|will need to|should|are required to)\s+(first\s+)?"
            r"(pay|send|transfer|deposit)\b"
        ),
    ),
    Rule(
        "a purchase the freelancer must make",
        45,
        _rx(
            r"\b(buy|purchase|order)\b[^.\n]{0,40}\b(from|through|via|at) (our|my|the|the company'?s?|a specific|this)"
            r"( \w+)? (vendor|supplier|store|partner|shop|reseller|link|website|site)\b"
            r"|\b(buy|purchase)\b[^.\n]{0,60}\brequired (for|of|from) (all |every )?(new )?"
            r"(contractors?|freelancers?|hires?)\b"
            r"|\byou\s+(must|need to|have to|will need to|are required to)\s+(first\s+)?(buy|purchase)\b"
            r"|\b(please|kindly)\s+(buy|purchase)\b"
        ),
    ),
    Rule(
        "a cheque, or money to pass on",
        60,
        _rx(
            r"\b(mail|send|post|give|issue)\s+(you\s+)?(a\s+)?(cheque|check)\b"
            r"|\b(cash|deposit)\s+(the\s+|a\s+|this\s+|my\s+|our\s+)?(cheque|check|it)\b"
            r"|\b(send back|forward|return|pass on|send)\s+(the\s+)?(rest|remainder|difference|balance|extra)\b"
            r"(?!\s+sheet)"
        ),
    ),
    Rule(
        "crypto payment",
        45,
        _rx(
            r"\bpa(y|id|yment)\w*\W+(\w+\W+){0,3}?(in|with|via|by|using)\W+(bitcoin|btc|usdt|tether|ethereum|eth|crypto)\b"
            r"|\b(bitcoin|btc|usdt|tether|crypto) (payment|only)\b|\byour (crypto |bitcoin |btc |usdt )?wallet\b"
            r"|\b(top up|fund|load|recharge)\b[^.\n]{0,30}\b(usdt|btc|bitcoin|tether|eth|crypto)\b"
            r"|\bunlock (higher|more|better|bigger)\b[^.\n]{0,20}\b(tasks|earnings|pay|commissions?)\b"
            r"|\bgift ?cards?\b[^.\n]{0,30}\b(codes?|as payment|to pay)\b"
        ),
    ),
    Rule(
        "a request for personal or bank details",
        60,
        _rx(
            r"\b(send(ing)?|provid(e|ing)|shar(e|ing)|giv(e|ing)|upload(ing)?|need|require|submit(ting)?|verify(ing)?)\b"
            rf"[^.\n]{{0,40}}\byour\b[^.\n]{{0,30}}\b{PERSONAL}|\bselfie (with|holding)\b"
        ),
    ),
    Rule(
        "remote access to the freelancer's computer",
        45,
        _rx(
            r"\b(install|download|run|open)\b[^.\n]{0,30}\b(anydesk|teamviewer|ultraviewer|rustdesk|remote desktop)\b"
            r"|\b(anydesk|teamviewer|ultraviewer|rustdesk)\b[^.\n]{0,60}"
            r"\b(install|download|your (computer|pc|laptop|machine|device))\b"
            r"|\bremote (access|control) (to|of|on) your (computer|pc|laptop|machine|device)\b"
        ),
    ),
]
URL = _rx(r"\b((?:https?://|www\.)[^\s<>\"')]+)")
# A bare domain with a path ("bit.ly/3xYz", "example.com/pay"): a link even without http:// or www.
BARE_LINK = _rx(r"(?<![\w@./])((?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"')]*)")
# A bare host without a path ("secure-login.xyz"): read as a link only when it looks like phishing.
BARE_HOST = _rx(r"(?<![\w@./-])((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w/.-])")
PROGRAM = _rx(r"\.(apk|exe|msi|dmg|bat|scr|jar|pkg|appimage)\b")
# Ways of hiding an address or a link from a filter: "[dot]", "(.)", "(at)", "hxxp", "name at gmail dot com".
OBFUSCATIONS = [
    (_rx(r"\s*[\[({]\s*(dot|\.)\s*[\])}]\s*"), "."),
    (_rx(r"\s*[\[({]\s*(at|@)\s*[\])}]\s*"), "@"),
    (_rx(r"\bhxxp(s?)://"), r"http\1://"),
    (_rx(r"(?<=\w)\s+dot\s+(?=\w)"), "."),
    (_rx(r"(?<=\w)\s+at\s+(?=[\w-]+\.(com|net|org|io|co|me|info|biz|us|uk|de|ru|in)\b)"), "@"),
]


def normalised(text: str) -> str:
    """The text as a person reads it: compatibility forms folded (fullwidth letters), hidden characters
    removed, the hiding of OBFUSCATIONS undone."""
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
    hosts = [
        m.group(1)
        for m in BARE_HOST.finditer(text)
        if _phishy(m.group(1).lower()) and not any(m.group(1) in url for url in with_scheme + bare)
    ]
    return with_scheme + bare + hosts


def _phishy(host: str) -> bool:
    """A host on a phishing-heavy domain, or wearing a login page's words."""
    return host.rsplit(".", 1)[-1] in RISKY_TLDS or bool(LURE_WORDS.search(host))


def _link_reasons(text: str) -> list[tuple[str, int]]:
    found = []
    for url in _links(text):
        parsed = urlparse(url if "://" in url else f"http://{url}")
        host = (parsed.hostname or "").lower()
        if host in TRUSTED_LINK_HOSTS:
            continue
        if PROGRAM.search(parsed.path or ""):
            found.append((f"a link to a program to install ({url[:60]})", 45))
        elif host in SHORTENERS:
            found.append((f"a shortened link ({url[:60]})", 35))
        elif re.fullmatch(r"[\d.]+", host):
            found.append((f"a link to a bare IP address ({url[:60]})", 40))
        elif "@" in (parsed.netloc or "") or host.count("-") >= 3 or host.startswith("xn--") or _phishy(host):
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
