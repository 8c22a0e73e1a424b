"""Hostile input for pages: from some start pages, each link followed (bounded), each page's query
fields and each form it shows sent odd values (a NUL, 20,000 characters, numbers out of range,
direction overrides, quotes, broken dates). The pages' side of what the API's Schemathesis run does
(tests/test_api_fuzz.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from django.test import Client

HOSTILE = [
    "x\x00y",
    "a" * 20_000,
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "9" * 5000,  # past Python's 4,300-digit int limit
    "\u00b2",  # "²": str.isdigit() says yes, int() says no
    "/\\evil.example/",  # a `next` that browsers read as //evil.example
    "\u202etxt.exe",
    "\u200b",
    "'\"<b>",
    "2026-13-45",
    "",
    "%",
]
START = ["/dashboard/", "/jobs/", "/contracts/", "/proposals/", "/invitations/", "/offers/", "/notifications/"]
SKIP = ("/logout", "/static/", "/files/", "/admin/", "/media/")
MAX_PAGES = 45


class Page(HTMLParser):
    """The links, htmx GETs and forms of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("hx-get"):
            self.links.append(a["hx-get"])
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        if self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            self._form["fields"][a["name"]] = a.get("value") or ""
        if self._form is not None and a.get("formaction"):  # a button sending its form elsewhere
            method = (a.get("formmethod") or self._form["method"]).lower()
            self.forms.append({"method": method, "action": a["formaction"], "fields": self._form["fields"]})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def shape(path: str) -> str:
    """A page's kind: its path with the ids taken out."""
    return "/".join("N" if part.isdigit() else part for part in path.split("/"))


def ours(path: str) -> bool:
    """A page of the site's own, outside what the page crawls leave alone (SKIP)."""
    return path.startswith("/") and not path.startswith(SKIP)


class Frontier:
    """The pages to visit from `start`, following the links each visit finds (`follow`): paths `within`
    only, one of each `kind`, at most `most` visited. Iterating gives each one's (url, path)."""

    def __init__(self, start: list[str], *, within: Callable[[str], bool], kind: Callable[[str], str], most: int):
        self.queue, self.seen = list(start), set[str]()
        self.within, self.kind, self.most = within, kind, most

    def __iter__(self) -> Iterator[tuple[str, str]]:
        while self.queue and len(self.seen) < self.most:
            url = self.queue.pop(0)
            path = urlsplit(url).path
            if not self.within(path) or self.kind(path) in self.seen:
                continue
            self.seen.add(self.kind(path))
            yield url, path

    def follow(self, links: Iterable[str]) -> None:
        self.queue.extend(links)


def walk(
    client: Client,
    start: list[str],
    *,
    within: Callable[[str], bool],
    kind: Callable[[str], str],
    most: int,
    failures: list[str],
) -> Iterator[tuple[str, Page]]:
    """Each HTML page reached from `start` by following links (a Frontier): its path and what it shows.
    A server error on the way goes to `failures`."""
    frontier = Frontier(start, within=within, kind=kind, most=most)
    for url, path in frontier:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"GET {url}: {response.status_code}")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        frontier.follow(page.links)
        yield path, page


def crawl(client: Client, start: list[str] = START) -> list[str]:
    """What answered 5xx, from the `start` pages outwards."""
    hostile = itertools.cycle(HOSTILE)
    failures: list[str] = []

    def send(method: str, url: str, data: dict | None = None) -> None:
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url[:120]} {sorted(data or {})}: {response.status_code}")

    for path, page in walk(client, start, within=ours, kind=shape, most=MAX_PAGES, failures=failures):
        targets = {path: {"page", "q"}}
        for form in page.forms:
            if form["method"] == "get":
                targets.setdefault(form["action"] or path, set()).update(form["fields"])
        for target, names in targets.items():
            for name in sorted(names):
                for _ in range(3):
                    send("get", f"{target}?{urlencode({name: next(hostile)})}")
        for form in page.forms:
            action = form["action"] or path
            if form["method"] != "post" or not action.startswith("/") or "logout" in action:
                continue
            fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
            send("post", action, {k: "x\x00y" for k in fields})
            send("post", action, {k: next(hostile) for k in fields})
    return failures
