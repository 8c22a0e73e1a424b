"""Keyword search is BM25 inside PostgreSQL: a rare, decisive word outweighs a common one, technical
tokens stay whole, and the term counts behind IDF stay exact as profiles change, even concurrently."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from marketplace.models import FreelancerProfile, SearchStats, SearchTerm
from marketplace.services.pasted_text import readable
from marketplace.services.profiles import profile_update
from marketplace.services.search_index import keyword_query, profiles_reindex, search_terms_rebuild, telling_terms
from recruiter.retrieval import full_text
from tests.factories import FreelancerFactory
from tests.recruiter.conftest import need_for

pytestmark = pytest.mark.django_db


def _person(name: str, headline: str, overview: str = "") -> FreelancerProfile:
    user = FreelancerFactory(email=f"{name}@example.com", first_name=name.title())
    return profile_update(profile=user.freelancer_profile, by=user, headline=headline, overview=overview)


def _search(title: str, text: str = "") -> list[int]:
    need = need_for(title=title, text=text, skills=[], skill_ids=[], budget_max=None)
    return [pk for pk, _ in full_text(need, limit=10)]


def _counts() -> dict[str, int]:
    return dict(SearchTerm.objects.filter(documents__gt=0).values_list("lexeme", "documents"))


def test_a_rare_decisive_word_outweighs_a_common_one_said_often():
    """ts_rank had no IDF: "developer" five times beat "ABAP" once for an ABAP developer job."""
    for i in range(8):
        _person(f"dev{i}", "Software developer", "Developer of web apps.")
    common = _person("carl", "Developer", "Developer, developer, developer: a developer for any developer team.")
    rare = _person("rhea", "SAP consultant", "Wrote ABAP reports for finance.")
    found = _search("ABAP developer")
    assert found[0] == rare.pk
    assert common.pk not in found[:1]  # nine of ten hold "developer": it decides nothing


@pytest.mark.parametrize(
    ("title", "right", "wrong"),
    [
        ("C# developer", "Backend engineer in C# and SQL Server", "C programmer: C, C and embedded C"),
        (".NET developer", "ASP.NET MVC and .NET Core services", "Net revenue and net margin analyst"),
        ("C++ engineer", "Game engine work in C++", "C programmer: C, C and embedded C"),
    ],
)
def test_technical_tokens_stay_whole(title, right, wrong):
    """C# is not C: the parser used to cut C#, C++ and .NET down to "c" and "net"."""
    bad, good = _person("bad", wrong), _person("good", right)
    found = _search(title)
    assert found[:1] == [good.pk]
    assert bad.pk not in found[:1]


@pytest.mark.parametrize(
    ("title", "overview"),
    [
        ("JavaScript developer", "Front end: HTML5/CSS3, JavaScript/JQuery and Bootstrap."),
        ("ABAP developer", "Reports and interfaces in SAP ABAP/4 and Smart Forms."),
        ("Hadoop engineer", "Batch pipelines on Hadoop/Hive and Sqoop."),
        ("Java developer", "Eight years of Java.Company Details: Infosys, then TCS."),
        ("Tableau analyst", "Dashboards in Tableau.Education Details: B.Tech"),
        ("AWS engineer", "Python- Exprience - 24 monthsAWS- Exprience - 12 months"),
        ("AutoCAD drafter", "Drafting toolsAutoCAD and hand sketches."),
        ("Payroll clerk", "Masterâ€™s degree; ran payrollâ€š filing and the front desk."),
        ("DevOps engineer", "Five years of devOps for wordPress hosting."),
    ],
)
def test_joined_words_are_found_by_each_word(title, overview):
    """The parser read "JavaScript/JQuery" as one file path, and "Java.Company" (a CV pasted without its
    line breaks) as one host name: a search for JavaScript or Java missed them. So did a list run
    together ("monthsAWS") and broken encoding ("payrollâ€š", UTF-8 read as Windows-1252)."""
    _person("other", "Freelancer", "Scheduling, filing and invoices.")
    slashed = _person("slashed", "Freelancer", overview)
    assert _search(title)[:1] == [slashed.pk]


PASTED = [
    "Python- Exprience - 24 monthsStatsmodels- Exprience - 12 monthsAWS- Exprience - Less than 1 year",
    "Skill DetailsÃ¢ÂÂ¢ Java, J2EE Ã¢ÂÂ¢ Spring â€¢ Masterâ€™s â—† Project Â·Provide CafÃ©",
    "macOS mongoDB reactJS iPhone jQuery JavaScript PowerShell phpMyAdmin skillsCustomer",
    "Plain text, nothing to mend: 12 years of payroll.",
]


@pytest.mark.parametrize("text", PASTED)
def test_keyword_search_reads_pasted_text_as_embeddings_and_skills_do(text):
    """tandem_search_text (SQL) and pasted_text.readable (Python) mend the same damage: the words keyword
    search indexes are the words the embeddings and the skill matcher read."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', tandem_search_text(%s))::text, to_tsvector('simple', %s)::text",
            [text, readable(text)],
        )
        in_sql, in_python = cursor.fetchone()
    assert in_sql == in_python
    assert "â" not in in_sql and "ã" not in in_sql


def test_term_counts_follow_every_edit_and_match_a_recount():
    ana = _person("ana", "Payroll specialist", "Payroll and HR for small firms.")
    _person("ben", "Payroll clerk", "")
    assert _counts()["payroll"] == 2
    assert SearchStats.objects.get().documents == 2
    profile_update(profile=ana, by=ana.user, headline="Bookkeeper", overview="Bookkeeping and VAT.")
    counts = _counts()
    assert counts["payroll"] == 1 and counts["bookkeeper"] == 1 and "hr" not in counts
    profiles_reindex(ids=[ana.pk])  # again: nothing moves
    assert _counts() == counts
    stats = SearchStats.objects.values_list("documents", "length").get()
    search_terms_rebuild()
    assert _counts() == counts
    assert SearchStats.objects.values_list("documents", "length").get() == stats


def test_an_emptied_profile_leaves_the_counts():
    ana = _person("ana", "Payroll specialist")
    profile_update(profile=ana, by=ana.user, headline="", overview="")
    assert _counts() == {}
    assert SearchStats.objects.get().documents == 0
    assert FreelancerProfile.objects.get(pk=ana.pk).terms is None


def test_saving_a_stale_copy_keeps_the_index():
    from marketplace.services.embedding_store import embeddings_store

    ana = _person("ana", "Payroll specialist")
    embeddings_store(kind="profile", model="m", items=[(ana.pk, "h", [0.1] * 384)])
    stale = FreelancerProfile.objects.get(pk=ana.pk)
    FreelancerProfile.objects.filter(pk=ana.pk).update(terms=None)  # as if loaded before indexing
    stale.terms, stale.term_vector, stale.embedding = None, None, None
    stale.country = "PT"
    stale.save()
    fresh = FreelancerProfile.objects.get(pk=ana.pk)
    assert fresh.country == "PT" and fresh.term_vector is not None and fresh.embedding is not None


def test_a_query_with_no_known_word_finds_nobody():
    _person("ana", "Payroll specialist")
    assert keyword_query([("zzzz qqqq", 1.0)]) is None
    assert keyword_query([("", 1.0), ("   ", 2.0)]) is None
    assert _search("zzzz") == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_keep_the_counts_exact():
    """Eight freelancers add the same word at once, twice each: the count is 8, as a recount says."""
    people = [_person(f"p{i}", "Bookkeeper") for i in range(8)]
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def edit(profile: FreelancerProfile) -> None:
        try:
            start.wait()
            for overview in ("Payroll for shops.", "Payroll for shops and cafes."):
                profile_update(profile=profile, by=profile.user, overview=overview)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = _counts()
    assert counts["payroll"] == 8 and counts["cafes"] == 8 and counts["bookkeeper"] == 8
    search_terms_rebuild()
    assert _counts() == counts


def test_the_nightly_recount_forgets_a_deleted_profile():
    from marketplace.tasks import search_terms_rebuild as nightly

    ana = _person("ana", "Payroll specialist")
    _person("ben", "Payroll clerk")
    ana.user.delete()
    assert _counts()["payroll"] == 2  # a deletion goes around the services
    assert nightly() == 1
    assert _counts() == {"clerk": 1, "payroll": 1}
    assert SearchStats.objects.get().documents == 1


def test_common_words_score_but_a_rare_one_decides():
    crowd = [_person(f"p{i}", "Driver", "Deliveries and pickups for the shop.") for i in range(12)]
    accountant = _person("acc", "Accountant", "Reconciliations and the month-end close.")
    found = _search("Accountant and bookkeeper for the shop")
    assert found[0] == accountant.pk and set(found[1:]) <= {p.pk for p in crowd}
    everyone = _search("Deliveries and pickups")  # only common words: their holders, limit-many
    assert len(everyone) == 10 and set(everyone) <= {p.pk for p in crowd}


@pytest.mark.parametrize("words", ["C#", ".NET", "c# developer", "ASP.NET", "devOps", "wordPress", "DevOps"])
def test_job_and_people_search_find_technical_tokens_as_the_index_keeps_them(alice, bob, words):
    """The index keeps C# and .NET whole (csharp, dotnet): the search box's words must be read the same way.
    A run-together word in a search box is one word ("devOps" finds DevOps): every word typed must match."""
    from marketplace.selectors import JobFilters, freelancers_search, jobs_search
    from tests.factories import JobFactory

    job = JobFactory(
        organization=alice.organizations.get(),
        created_by=alice,
        title="Backend developer",
        description="C# and ASP.NET Core services on .NET 8; DevOps for our WordPress sites.",
        status="open",
    )
    from marketplace.services.search_index import jobs_reindex

    jobs_reindex(ids=[job.pk])
    dev = _person("dev", "Backend developer", "C# and ASP.NET Core services on .NET 8; DevOps for WordPress sites.")
    assert [j.pk for j in jobs_search(user=bob, filters=JobFilters(text=words))] == [job.pk]
    assert [p.pk for p in freelancers_search(text=words)] == [dev.pk]


def test_telling_terms_are_what_the_examples_share_and_few_others_hold():
    """Feedback terms: the words these profiles use that say most about them, not the common ones."""
    for i in range(6):
        _person(f"dev{i}", "Software developer", "Developer of web apps and sites.")
    one = _person("ana", "SAP developer", "ABAP reports and Fiori apps for finance.")
    two = _person("ben", "SAP developer", "Fiori and ABAP on HANA.")
    terms = telling_terms([one.pk, two.pk], limit=3)
    assert set(terms) == {"sap", "abap", "fiori"}
    assert max(terms.values()) == 1.0
    assert "developer" not in telling_terms([one.pk, two.pk], limit=5)
    assert telling_terms([], limit=3) == {}


def test_a_term_few_profiles_hold_is_found_among_many_that_share_nothing_with_the_query():
    """An inner-product graph search alone can get lost when only a few profiles share any term with
    the query: their neighbours all score 0, so nothing leads to them (seen with the index full of
    rows other tests had rolled back). Finding fewer than asked for, the search scores every holder."""
    gone = [_person(f"w{i}", f"Writer number {i}", "Blog posts and product copy.").pk for i in range(300)]
    FreelancerProfile.objects.filter(pk__in=gone).delete()  # still in the graph until a vacuum
    rare = _person("rhea", "ABAP", "")
    for i in range(20):
        _person(f"d{i}", "Brand designer", "Logos and packaging.")
    need = need_for(title="ABAP", skills=[], skill_ids=[], budget_max=None)
    assert [pk for pk, _ in full_text(need, limit=10)] == [rare.pk]


def test_filters_that_starve_the_terms_graph_still_find_the_best_eligible_match(monkeypatch):
    """At 100,000 profiles, 3 of 50 demo needs got no keyword match at all: the profiles that score
    highest were all filtered out and the graph's scan ended before reaching one that passes. A graph
    scan that stops at its first find stands for the big database's, which ran out of budget."""
    from contextlib import contextmanager

    from recruiter import retrieval

    original = retrieval._index_scan

    @contextmanager
    def first_find_only(*, limit, ef_search):  # noqa: ANN001, ANN202
        with original(limit=limit, ef_search=ef_search), connection.cursor() as cursor:
            cursor.execute("SET LOCAL hnsw.iterative_scan = off")
            cursor.execute("SET LOCAL hnsw.ef_search = 1")
            cursor.execute("SET LOCAL enable_seqscan = off")  # the graph, as on a big table
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            yield

    monkeypatch.setattr(retrieval, "_index_scan", first_find_only)
    taken = [_person(f"t{i}", "Ticket classifier audit", "Audit of ticket classifiers.") for i in range(30)]
    free = _person("fay", "Classifier tuning", "Text models.")
    need = need_for(title="Ticket classifier audit", skills=[], skill_ids=[], budget_max=None)
    need.exclude = {p.user_id for p in taken}  # all busy elsewhere, say

    assert [pk for pk, _ in full_text(need, limit=10)] == [free.pk]


def test_the_keyword_graph_is_searched_with_its_own_candidate_count(settings):
    """The terms' graph needs fewer candidates than the embeddings' for the same recall (200 against 400
    at 100k profiles): its own setting, not the semantic search's."""
    settings.RECRUITER_KEYWORD_EF_SEARCH = 123
    settings.RECRUITER_HNSW_EF_SEARCH = 400
    rhea = _person("rhea", "ABAP developer")
    seen = []

    def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        if "hnsw.ef_search" in sql:
            seen.append(list(params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert _search("ABAP developer") == [rhea.pk]
    assert seen == [[123]]


def _versions() -> dict[int, int]:
    """Each profile row's version (xmin): it changes whenever the row is written."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text::bigint FROM marketplace_freelancerprofile")
        return dict(cursor.fetchall())


def test_a_nightly_rebuild_when_nothing_moved_writes_no_profile():
    """At 100k profiles the rebuild rewrote every row (lengths, then weights), each write a new entry in
    the terms' graph: 20 minutes, with the term counts locked against every edit."""
    _person("ana", "Payroll specialist", "Payroll and HR for small firms.")
    _person("ben", "Payroll clerk", "Timesheets.")
    search_terms_rebuild()  # the average length stored: the weights made with it
    before = _versions()
    counts = _counts()
    search_terms_rebuild()
    assert _versions() == before
    assert _counts() == counts


def test_the_weights_follow_the_average_length_once_it_has_moved():
    ana = _person("ana", "Payroll specialist", "Payroll and HR for small firms.")
    ben = _person("ben", "Payroll clerk", "Timesheets.")
    search_terms_rebuild()
    stored = SearchStats.objects.get().avgdl
    weights = FreelancerProfile.objects.values_list("terms", flat=True).get(pk=ana.pk).to_text()

    profile_update(profile=ben, by=ben.user, headline="Payroll clerk", overview="Timesheets, " * 10 + "and leave.")
    assert SearchStats.objects.get().avgdl == stored  # an edit weighs with the stored length
    assert FreelancerProfile.objects.values_list("terms", flat=True).get(pk=ana.pk).to_text() == weights
    search_terms_rebuild()  # the live length moved far more than AVGDL_DRIFT: stored, and everyone reweighed
    stats = SearchStats.objects.get()
    assert stats.avgdl == pytest.approx(stats.length / stats.documents) and stats.avgdl > stored * 1.5
    assert FreelancerProfile.objects.values_list("terms", flat=True).get(pk=ana.pk).to_text() != weights


def test_the_migration_indexes_again_only_the_profiles_it_reads_differently():
    """Migration 0023 reindexes the rows the new rules change, as an edit would (counts included), and
    leaves every other row as it was: a full reindex at 100k profiles rewrites every row's graph entry."""
    from importlib import import_module
    from types import SimpleNamespace

    migration = import_module("marketplace.migrations.0023_search_text_pasted")
    pasted = _person("pasted", "Cloud engineer")
    clean = _person("clean", "Cloud engineer")
    # Text written behind the index's back, as it stood before the migration: neither is indexed yet.
    FreelancerProfile.objects.filter(pk=pasted.pk).update(overview="Python- 24 monthsAWS- 12 monthsTerraform")
    FreelancerProfile.objects.filter(pk=clean.pk).update(overview="Python, AWS and Terraform")
    migration.reindex_pasted(None, SimpleNamespace(connection=connection))
    assert _search("AWS") == [pasted.pk]  # the clean one keeps its old (empty) overview's index
    assert _counts()["aws"] == 1


def test_a_hostile_text_is_read_in_linear_time():
    """Tens of thousands of "Â" and no mark after them: an unbounded run of leading letters made Python's
    broken-encoding rule quadratic (seconds per text, in every profile save and skill suggestion);
    bounded at three, it takes milliseconds. PostgreSQL's regex engine never backtracked (both ~2 ms)."""
    hostile = "Â" * 50_000 + "x"
    read: list[str] = []
    worker = threading.Thread(target=lambda: read.append(readable(hostile)), daemon=True)
    worker.start()
    worker.join(timeout=2.0)  # the unbounded rule: about 20 s on this text
    assert read == [hostile]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tandem_search_text(%s) = %s", [hostile, hostile])
        assert cursor.fetchone()[0]
