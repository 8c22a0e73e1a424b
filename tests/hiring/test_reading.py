"""What a client's words already settle: Uma never asks about it, and the draft keeps their figures."""

from decimal import Decimal

import pytest

from hiring.reading import read


@pytest.mark.parametrize(
    ("text", "said", "stated"),
    [
        ("need someone to fix our Shopify checkout, it drops orders", set(), {}),
        (
            "Senior React developer for our dashboard, $40-60/hr, ongoing part-time for 6 months",
            {"budget", "contract_type", "timeline", "experience"},
            {
                "contract_type": "hourly",
                "budget_min": Decimal(40),
                "budget_max": Decimal(60),
                "experience_level": "expert",
                "duration": "3to6m",
                "ongoing": True,
            },
        ),
        (
            "Writer for 4 blog posts, budget $300, by next week",
            {"budget", "timeline", "deliverables"},
            {"budget_max": Decimal(300)},
        ),
        (
            "Fixed price: migrate MySQL to PostgreSQL in 2 weeks, 5+ years experience",
            {"contract_type", "timeline", "experience"},
            {"contract_type": "fixed", "duration": "lt1m", "experience_level": "expert"},
        ),
        (
            "Bookkeeper, €1.5k, junior is fine",
            {"budget", "experience"},
            {"budget_max": Decimal(1500), "experience_level": "entry"},
        ),
        ("Virtual assistant, 10 hours per week", {"timeline"}, {"ongoing": True}),
    ],
)
def test_what_the_request_settles(text, said, stated):
    reading = read(text)
    assert reading.said == said
    assert {k: v for k, v in reading.stated().items() if v} == stated


def test_the_currency_written_is_kept():
    assert read("Logo for €200").currency == "EUR" and read("Logo for £200").currency == "GBP"
    assert read("Logo for $200").currency == "USD"


def test_an_empty_or_one_word_request_is_thin_until_the_work_is_said():
    for text in ("", "logo", "Help!", "hi please"):
        assert read(text).thin and "scope" in read(text).open_topics
    assert not read("logo", {"scope": "A logo for my bakery's signs"}).thin
    assert not read("Design a logo for my bakery").thin


def test_an_answer_settles_its_topic_and_the_duration_comes_from_the_timeline():
    reading = read("Bookkeeper for QuickBooks", {"scope": "12 months of transactions", "timeline": "in 3 weeks"})
    assert reading.duration == "lt1m" and {"scope", "timeline"} <= reading.said
    assert read("Logo", {"budget": "not sure, suggest one"}).budget_max is None


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("Less than a month", "lt1m"),
        ("in 3 weeks", "lt1m"),
        ("1 to 3 months", "1to3m"),
        ("3 to 6 months", "3to6m"),
        ("More than 6 months", "gt6m"),
        ("ongoing, long-term", "gt6m"),
    ],
)
def test_how_long_the_work_lasts(text, duration):
    assert read("A logo", {"timeline": text}).duration == duration


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("Lawyer to review our NDA, fixed price around 500", Decimal(500)),
        ("React developer, we pay 40 an hour", Decimal(40)),
        ("Logo, fee of up to 1,200 for the set", Decimal(1200)),
        ("Rate: 35/hr for a bookkeeper", Decimal(35)),
        ("We can pay 2k for the site", Decimal(2000)),
    ],
)
def test_a_bare_figure_after_a_word_for_paying_is_the_budget(text, budget):
    reading = read(text)
    assert reading.budget_max == budget and "budget" in reading.said


@pytest.mark.parametrize(
    "text",
    ["A price list of 40 items in Excel", "Lift our conversion rate 3% with new copy", "Price for 4 blog posts"],
)
def test_a_count_after_a_word_for_paying_is_no_budget(text):
    assert read(text).budget_max is None and "budget" not in read(text).said


@pytest.mark.parametrize(
    "text",
    [
        "Lawyer to review our NDA before Friday",
        "Landing page, needed by end of the week",
        "Proofread our report, done by the 15th",
        "Banner for our launch on Monday",
        "Slides for the board meeting this weekend",
        "Tax return due in Q1",
    ],
)
def test_a_deadline_said_is_not_asked_for(text):
    assert "timeline" in read(text).said


def test_a_weekday_in_the_work_itself_is_no_deadline():
    assert "timeline" not in read("Fix our Sunday newsletter template").said


def test_what_the_work_covers_is_not_how_long_it_lasts():
    books = read("Bookkeeper to reconcile 12 months of bank statements in Xero")
    assert books.duration is None and "timeline" in books.open_topics
    assert read("An iOS app, about 3 months of work").duration == "1to3m"


def test_a_budget_of_nothing_is_no_budget():
    for text in ("Logo, budget 0", "Logo, budget $0 for now"):
        assert read(text).budget_max is None and "budget" in read(text).open_topics


@pytest.mark.parametrize(
    "text", ["Edit 10 YouTube videos a month", "4 blog posts per week", "A newsletter twice a month"]
)
def test_work_that_recurs_is_ongoing_not_a_month_long(text):
    reading = read(text)
    assert reading.ongoing and reading.duration is None and "timeline" in reading.said


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("hi, we need help with a lead enrichment pipeline", None),
        ("Lead generation for our B2B SaaS, 200 leads a month", None),
        ("Find a lead magnet idea and lead scoring for HubSpot", None),
        ("We need a lead developer for our Django team", "expert"),
        ("Tech lead to run our mobile squad", "expert"),
        ("Team lead, React Native", "expert"),
    ],
)
def test_lead_is_a_level_only_when_it_is_a_role(text, level):
    """Found by uma_eval: "a lead enrichment pipeline" made the draft ask for an expert."""
    assert read(text).stated()["experience_level"] == level
