"""Every page the cast reaches from the menu, on a phone: nothing scrolls sideways, nothing the
Content-Security-Policy blocks, no script error. The crawl follows links as a person would (bounded,
one page of each kind), so a new page is covered without being listed here."""

import pytest

from tests.browser.test_marketplace_flow import log_in
from tests.hostile import START, Frontier, ours, shape

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MAX_PAGES = 30
# What sticks out of the page's width: the element, by tag, class and text, for the failure message.
WIDER = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return Array.from(document.querySelectorAll("body *"))
    .filter((e) => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== "fixed")
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent || "").trim().slice(0, 40)}”`);
}"""


@pytest.mark.parametrize("who", ["alice", "bob", "rita"])
def test_every_page_fits_a_phone_and_runs_clean(page, world, who):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"{page.url}: script error {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, f"{who}@tandem.test")
    frontier = Frontier(START, within=ours, kind=shape, most=MAX_PAGES)
    for _, path in frontier:
        response = page.goto(path)
        if response is None or response.status != 200 or "html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        wider = page.evaluate(WIDER)
        if wider:
            problems.append(f"{path}: wider than a phone: {wider}")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.getAttribute('href'))")
        frontier.follow(h for h in hrefs if h and h.startswith("/"))

    assert len(frontier.seen) >= 10, frontier.seen  # the crawl reached the pages of a real session
    assert not problems, "\n".join(problems)
