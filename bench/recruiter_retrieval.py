"""The recruiter's retrieval, measured in one run on databases of its own (the dev data is untouched):

1. Quality, on the demo marketplace (`seed_demo`, 2,000 freelancers): nDCG@10 of semantic-only,
   full-text-only, fused, and the final re-ranked shortlist, on a labelled set of demo jobs.
2. Speed, on the same marketplace grown to 100k freelancer profiles (each a perturbed copy of a demo
   profile: its skills and rate, its text varied, its embedding mixed with another's plus noise):
   filtered HNSW retrieval (pgvector iterative scan) p50/p95 and recall@10 against an exact scan of the
   same filtered query, the exact scan's p50/p95, and shortlists of 6 end to end with the local model
   (llama.cpp, and transformers for the ratio).

    .venv/bin/python bench/recruiter_retrieval.py [--profiles 100000] [--queries 50] [--no-model] [--rebuild]

The two databases (`tandem_bench_demo`, `tandem_bench_<profiles>`) are kept for the next run;
--rebuild makes them again. Results: bench/results/recruiter_retrieval.json.

The labelled set: demo jobs with at least two skills. A freelancer's relevance to a job (0-3) is known
from how the demo world made them: the family of work both were generated in (web, data, design …,
recovered from each one's core skills) and how many of the job's skills the freelancer holds —
3: same family and every skill, 2: same family and at least half, 1: same family, 0: another family.
Semantic and full-text search see only the text; the re-ranker also sees the facts (skills, record),
so the re-ranked figure shows what the facts add.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

# A copy's embedding: 70% its own template, 30% another profile's, plus uniform noise per dimension —
# a continuum of people between profiles, not 2,000 tight clusters of near-duplicates around each one
# (on such clusters HNSW graphs lose their way: recall@10 fell to 0.3 at any ef_search).
MIX, NOISE = 0.3, 0.04
# A copy's text, likewise: each sentence of its template's overview kept with KEEP (the first always),
# and one sentence of the other profile's put in among them. Copies with their template's text word for
# word made 2,000 groups of 50 identical BM25 vectors, which no graph index finds its way through
# (keyword recall@10 0.86 on 7 Dec: a search reached one group and found ten of its copies), and which
# no real marketplace has.
KEEP = 0.8
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
BATCH = 5000
from retrieval_speed import percentile, speed  # noqa: E402

STAGES = ("semantic", "full_text", "fused", "re_ranked", "no_feedback")


# --- Databases --------------------------------------------------------------------------------------


def use(name: str) -> None:
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name


def migrated(name: str, *, embedded: bool = False) -> None:
    """Use the database, brought up to today's migrations first: a kept one may predate a migration that
    changes what is measured (0016 changed how keyword search reads text, and reindexed). embedded: the
    profiles and jobs whose embedding text changed with the code (0023 reads pasted text) embedded again,
    for a database whose quality is measured."""
    from django.core.management import call_command

    use(name)
    call_command("migrate", verbosity=0)
    if embedded:
        call_command("uma_reindex", stdout=open(os.devnull, "w"))  # noqa: SIM115


def exists(name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def create(name: str, *, template: str | None = None, rebuild: bool) -> bool:
    """Create the database (from `template`); False when it already existed and is kept."""
    use("postgres")
    from django.db import connection

    with connection.cursor() as cursor:
        if exists(name):
            if not rebuild:
                return False
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return True


def demo_database(name: str, *, rebuild: bool, say, seed: int = 7) -> None:  # noqa: ANN001
    from django.core.management import call_command

    made = create(name, rebuild=rebuild)
    migrated(name, embedded=True)
    if not made:
        return
    started = time.perf_counter()
    call_command("seed_demo", "--seed", str(seed), stdout=open(os.devnull, "w"))  # noqa: SIM115
    from marketplace.services.embedding_store import KINDS
    from recruiter.services.embeddings import embeddings_refresh_batch

    for kind in KINDS:
        after = 0
        while (batch := embeddings_refresh_batch(kind=kind, after_id=after)).last_id is not None:
            after = batch.last_id
    say(f"demo database built in {time.perf_counter() - started:.0f} s")


def varied(text: str, other: str, rng) -> str:  # noqa: ANN001
    """A copy's overview: see KEEP."""
    sentences, borrowed = ([s for s in SENTENCE_END.split(t.strip()) if s] for t in (text, other))
    kept = sentences[:1] + [s for s in sentences[1:] if rng.random() < KEEP]
    if borrowed:
        kept.insert(rng.randint(1, len(kept)) if kept else 0, rng.choice(borrowed))
    return " ".join(kept)


def grow(target: int, *, say) -> dict:  # noqa: ANN001
    """Copy demo profiles (skills, rate; text varied, embedding mixed + noise) until there are `target`
    profiles."""
    import random

    from django.db import connection, transaction

    from marketplace.models import FreelancerProfile, User
    from marketplace.services.search_index import reindex_everything

    have = FreelancerProfile.objects.count()
    templates = list(FreelancerProfile.objects.filter(embedding__isnull=False).order_by("pk").defer("embedding"))
    rng = random.Random(11)
    started = time.perf_counter()
    graphs = ("profile_embedding_hnsw", "profile_terms_hnsw")  # built once at the end: far faster than row by row
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(graphs)])
        index_sqls = [row[0] for row in cursor.fetchall()]
        for index in graphs:
            cursor.execute(f"DROP INDEX {index}")
    copies: list[tuple[int, int, int]] = []
    for start in range(have, target, BATCH):
        chosen = [templates[rng.randrange(len(templates))] for _ in range(min(BATCH, target - start))]
        other = [templates[rng.randrange(len(templates))] for _ in chosen]
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"copy{start + i}@bench.invalid",
                        password="!bench",  # noqa: S106 - unusable
                        kind=User.Kind.FREELANCER,
                        first_name=f"Copy{start + i}",
                        last_name="Bench",
                    )
                    for i, t in enumerate(chosen)
                ]
            )
            profiles = FreelancerProfile.objects.bulk_create(
                [
                    FreelancerProfile(
                        user=u,
                        headline=t.headline,
                        overview=varied(t.overview, o.overview, rng),
                        hourly_rate=t.hourly_rate,
                        timezone=t.timezone,
                        country=t.country,
                        available_now=rng.random() < 0.6,
                        weekly_hours_free=t.weekly_hours_free,
                        job_success_score=t.job_success_score,
                        job_success_basis=t.job_success_basis,
                        response_hours=t.response_hours,
                        rating_avg=t.rating_avg,
                        rating_count=t.rating_count,
                    )
                    for u, t, o in zip(users, chosen, other, strict=True)
                ]
            )
        copies += [(p.pk, t.pk, o.pk) for p, t, o in zip(profiles, chosen, other, strict=True)]
    say(f"{len(copies):,} profiles copied in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_of (id bigint PRIMARY KEY, template bigint, other bigint)")
        cursor.execute(
            "INSERT INTO copy_of SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[])",
            [list(column) for column in zip(*copies, strict=True)],
        )
        cursor.execute(
            """INSERT INTO marketplace_profileskill (profile_id, skill_id, years)
               SELECT c.id, ps.skill_id, ps.years FROM copy_of c
               JOIN marketplace_profileskill ps ON ps.profile_id = c.template"""
        )
        cursor.execute(
            """UPDATE marketplace_freelancerprofile p
               SET embedding_model = t.embedding_model,
                   embedding = l2_normalize((
                       SELECT array_agg((1 - %(mix)s) * x + %(mix)s * y + (random() - 0.5) * %(noise)s ORDER BY n)
                       FROM unnest(t.embedding::real[], o.embedding::real[]) WITH ORDINALITY AS u(x, y, n))::vector)
               FROM copy_of c JOIN marketplace_freelancerprofile t ON t.id = c.template
               JOIN marketplace_freelancerprofile o ON o.id = c.other
               WHERE p.id = c.id""",
            {"mix": MIX, "noise": NOISE},
        )
        say(f"skills and embeddings copied in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        # The copies' text vectors, term counts and every profile's BM25 weights, as the product makes them.
        reindex_everything()
        say(f"text vectors, BM25 term counts and weights made in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for index_sql in index_sqls:
            cursor.execute(index_sql)
        build = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE")  # settled, as a database that has served a while: no hint bits to set
    say(f"HNSW indexes (embeddings, terms) built over {target:,} profiles in {build:.0f} s")
    return {"index_build_s": round(build, 1)}


# --- Queries: demo jobs as needs ---------------------------------------------------------------------


def needs(limit: int) -> list:
    from marketplace.models import JobPost
    from recruiter.retrieval import Need, start_by

    jobs = (
        JobPost.objects.filter(
            embedding__isnull=False, organization__memberships__user__email__endswith="@demo.tandem.test"
        )
        .prefetch_related("skills")
        .order_by("pk")
    )
    found = []
    for job in jobs:
        skills = sorted(job.skills.all(), key=lambda s: s.name)
        if len(skills) < 2:
            continue
        found.append(
            Need(
                title=job.title,
                text=f"{job.title} {job.description[:1500]} Skills: {', '.join(s.name for s in skills)}",
                skills=[s.name for s in skills],
                skill_ids=[s.pk for s in skills],
                contract_type=job.contract_type,
                budget_min=job.budget_min,
                budget_max=job.budget_max,
                weekly_hours=job.weekly_hours,
                start=start_by(),
                vector=list(job.embedding),
            )
        )
        if len(found) == limit:
            break
    return found


# --- Quality: nDCG@10 on the labelled demo jobs ------------------------------------------------------


def family_of(skills: set[str]) -> str | None:
    from marketplace.demo.vocab import EXTRA_SKILLS

    overlap = {family: len(skills & set(core)) for family, core in EXTRA_SKILLS.items()}
    best = max(overlap, key=lambda f: overlap[f])
    return best if overlap[best] else None


def relevance(need, skills: set[str]) -> int:  # noqa: ANN001
    if family_of(skills) != family_of(set(need.skills)):
        return 0
    covered = len(skills & set(need.skills)) / len(need.skills)
    return 3 if covered == 1 else 2 if covered >= 0.5 else 1


def ndcg(ranked: list[int], gains: dict[int, int], k: int = 10) -> float:
    dcg = sum((2 ** gains.get(pk, 0) - 1) / math.log2(i + 2) for i, pk in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def by_rank(retrieved: list[dict], key: str) -> list[int]:
    """One search's own order, out of what retrieve returned (each entry keeps its rank in each)."""
    held = [r for r in retrieved if r[key] is not None]
    return [r["profile_id"] for r in sorted(held, key=lambda r: r[key])]


def stages(need, skills: dict) -> dict[str, list[int]]:  # noqa: ANN001
    """Each stage's order for the need, as services/shortlists.py runs them; and the final order
    without pseudo-relevance feedback (retrieval.FEEDBACK_DOCS 0), measured in the same run."""
    from django.conf import settings
    from django.utils import timezone

    from recruiter import retrieval
    from recruiter.ranking import rerank, with_a_proven_fit

    def final(retrieved: list[dict]) -> list[int]:
        ranked = rerank(need, retrieved, preferences=[], skills=skills, at=timezone.now())
        return [r.profile.pk for r in with_a_proven_fit(need, ranked, size=settings.RECRUITER_SHORTLIST_SIZE)]

    retrieved = retrieval.retrieve(need)
    feedback, retrieval.FEEDBACK_DOCS = retrieval.FEEDBACK_DOCS, 0
    try:
        plain = retrieval.retrieve(need)
    finally:
        retrieval.FEEDBACK_DOCS = feedback
    return {
        "semantic": by_rank(retrieved, "semantic_rank"),
        "full_text": by_rank(retrieved, "text_rank"),
        "fused": [r["profile_id"] for r in retrieved],
        "re_ranked": final(retrieved),
        "no_feedback": final(plain),
    }


def quality(queries: list) -> dict:
    from marketplace.models import FreelancerProfile
    from recruiter.facts import skills_of_profiles
    from recruiter.retrieval import eligible

    scores: dict[str, list[float]] = {name: [] for name in STAGES}
    for need in queries:
        pool = list(FreelancerProfile.objects.filter(eligible(need)).values_list("pk", flat=True))
        skills = skills_of_profiles(pool)
        gains = {pk: relevance(need, set(skills.get(pk, []))) for pk in pool}
        if not any(gains.values()):
            continue
        for name, ranked in stages(need, skills).items():
            scores[name].append(ndcg(ranked, gains))
    return {"jobs": len(scores["fused"])} | {name: round(statistics.mean(v), 3) for name, v in scores.items()}


# --- End to end: shortlists of 6 with the local model, llama.cpp against transformers ---------------


def _one_shortlist(contract, *, size: int) -> dict:  # noqa: ANN001
    from django.test import override_settings
    from django.utils import timezone

    from recruiter.models import RiskCase, ShortlistEntry
    from recruiter.services import shortlists as svc
    from uma.models import AuditRecord

    case = RiskCase.objects.create(
        contract=contract, service="shortlist", score=50, signals=[], detected_at=timezone.now(), shortlist_round=1
    )
    with override_settings(RECRUITER_SHORTLIST_SIZE=size):
        began = timezone.now()
        started = time.perf_counter()
        svc.shortlist_build(case_id=case.pk, round_=1)
        total = time.perf_counter() - started
    entries = list(ShortlistEntry.objects.filter(case=case))
    answered = AuditRecord.objects.filter(pk__in=[e.audit_id for e in entries if e.audit_id]).order_by("created_at")
    first = (answered.first().created_at - began).total_seconds() if answered.exists() else total
    row = {
        "total_s": total,
        "first_s": first,
        "candidates": len(entries),
        "from_model": sum(e.source == "model" for e in entries),
        "versions": sorted({e.model_version for e in entries}),
    }
    RiskCase.objects.filter(pk=case.pk).delete()
    return row


def shortlist_time(*, say, runs: int = 5, size: int = 6) -> dict:  # noqa: ANN001
    """Shortlists of `size` for `runs` different contracts on llama.cpp, then one on transformers (the path
    before llama.cpp) for the ratio. Each model is loaded before the clock starts."""
    from django.conf import settings
    from django.test import override_settings
    from django.utils import timezone

    from config.celery import app
    from marketplace.models import Contract
    from recruiter.models import RiskCase
    from recruiter.services import shortlists as svc
    from uma.llm.runner import run
    from uma.training.data import gold
    from uma.training.registry import shipped_install

    # This process does the work itself (no worker): the few follow-up tasks (notices) run inline.
    app.conf.task_always_eager = True
    shipped_install(say=lambda _: None)
    contracts = list(
        Contract.objects.filter(status="active", job__skills__isnull=False)
        .exclude(risk_cases__isnull=False)
        .distinct()
        .order_by("pk")[: runs + 1]
    )
    assert len(contracts) > runs, "the demo data has too few active contracts with a job"  # noqa: S101
    results: dict = {"threads": settings.UMA_THREADS, "size": size}
    for engine, chosen in (("llamacpp", contracts[:runs]), ("transformers", contracts[runs:])):
        with override_settings(UMA_LOCAL_ENGINE=engine):
            started = time.perf_counter()
            run("candidate_rationale", gold("candidate_rationale")[0].input)  # loads the model and the adapter
            load = time.perf_counter() - started
            rows = [_one_shortlist(c, size=size) for c in chosen]
        totals = sorted(r["total_s"] for r in rows)
        results[engine] = {
            "model_load_s": round(load, 1),
            "runs": len(rows),
            "p50_s": round(percentile(totals, 50), 2),
            "p95_s": round(percentile(totals, 95), 2),
            "first_p95_s": round(percentile(sorted(r["first_s"] for r in rows), 95), 2),
            "from_model": f"{sum(r['from_model'] for r in rows)}/{sum(r['candidates'] for r in rows)}",
            "versions": sorted({v for r in rows for v in r["versions"]}),
        }
        say(f"{engine}: {results[engine]}")
    retrieval = RiskCase.objects.create(
        contract=contracts[0], service="alert", score=50, signals=[], detected_at=timezone.now(), status="closed"
    )
    started = time.perf_counter()
    svc._add_entries(retrieval, round_=1, count=size)
    results["retrieve_and_rerank_s"] = round(time.perf_counter() - started, 2)
    retrieval.delete()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--no-model", action="store_true", help="skip the end-to-end shortlists")
    parser.add_argument("--only-model", action="store_true", help="only the end-to-end shortlists")
    parser.add_argument("--only-quality", action="store_true", help="only nDCG@10 on the labelled demo jobs")
    parser.add_argument("--rebuild", action="store_true", help="build the benchmark databases again")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    dev_name = settings.DATABASES["default"]["NAME"]
    demo, big = "tandem_bench_demo", f"tandem_bench_{args.profiles}"
    assert dev_name not in (demo, big)  # noqa: S101

    def say(text: str) -> None:
        print(f"  {text}", flush=True)

    print("Quality on the demo marketplace", flush=True)
    demo_database(demo, rebuild=args.rebuild, say=say)
    from marketplace.models import FreelancerProfile

    if args.only_model:
        report({"shortlist": shortlist_time(say=say)})
        return

    results: dict = {"demo_profiles": FreelancerProfile.objects.count()}
    results["ndcg_at_10"] = quality(needs(args.queries))
    if args.only_quality:
        report_quality(results)
        write_results("recruiter_retrieval", results)
        return

    print(f"Speed with {args.profiles:,} profiles", flush=True)
    if create(big, template=demo, rebuild=args.rebuild):
        use(big)
        results["build"] = grow(args.profiles, say=say)
    migrated(big)
    results["profiles"] = FreelancerProfile.objects.count()
    results["retrieval"] = speed(needs(args.queries))
    if not args.no_model:
        results["shortlist"] = shortlist_time(say=say)
    report(results)


def report(r: dict) -> None:
    if "retrieval" in r:
        report_retrieval(r)
    if "shortlist" in r:
        e = r["shortlist"]
        fast, slow = e["llamacpp"], e["transformers"]
        print(f"\nShortlists of {e['size']} with Uma's reasons, end to end ({e['threads']} threads)")
        print(f"  {'engine':<14}{'runs':>5}{'p50 s':>8}{'p95 s':>8}{'first p95 s':>13}{'by the model':>14}")
        for name, row in (("llama.cpp", fast), ("transformers", slow)):
            print(
                f"  {name:<14}{row['runs']:>5}{row['p50_s']:>8.2f}{row['p95_s']:>8.2f}{row['first_p95_s']:>13.2f}"
                f"{row['from_model']:>14}"
            )
        ratio = fast["p50_s"] / slow["p50_s"]
        print(f"  llama.cpp / transformers p50: {ratio:.2f}x; p95 {fast['p95_s']} s (target <= 5)")
        print(f"  first candidate p95 {fast['first_p95_s']} s (target <= 2)")
        print(f"  retrieve + re-rank {e['retrieve_and_rerank_s']} s")
    write_results("recruiter_retrieval", r)


def report_quality(r: dict) -> None:
    q = r["ndcg_at_10"]
    print(f"\nnDCG@10 on {q['jobs']} labelled demo jobs ({r['demo_profiles']:,} freelancers)")
    for name in STAGES:
        print(f"  {name:<10} {q[name]:.3f}  ({q[name] / q['semantic']:.2f}x semantic)")


def report_retrieval(r: dict) -> None:
    report_quality(r)
    s = r["retrieval"]
    print(f"\nRetrieval of 10, filtered, {r['profiles']:,} profiles, {s['queries']} queries")
    print(f"  HNSW (iterative scan, ef_search {s['ef_search']})")
    print(f"                         p50 {s['hnsw_p50_ms']:7.1f} ms   p95 {s['hnsw_p95_ms']:7.1f} ms")
    print(f"  exact scan             p50 {s['exact_p50_ms']:7.1f} ms   p95 {s['exact_p95_ms']:7.1f} ms")
    ratio = s["hnsw_p95_ms"] / s["exact_p95_ms"]
    print(f"  p95 HNSW / exact = {ratio:.3f} (target ≤ 0.1)   recall@10 = {s['recall_at_10']:.3f} (target ≥ 0.95)")
    print(
        f"  plans: HNSW uses the index {s['hnsw_plan_uses_index']}, exact scans every row {s['exact_plan_scans_all']}"
    )
    for ef_search, row in s["ef_search_sweep"].items():
        print(f"  ef_search {ef_search:>4}: p95 {row['p95_ms']:6.1f} ms   recall@10 {row['recall_at_10']:.3f}")
    if "keyword" in s:
        k = s["keyword"]
        print(
            f"  BM25 keyword search (HNSW on the terms, ef_search {k['ef_search']}; every holder when it finds too few)"
        )
        print(f"                         p50 {k['p50_ms']:7.1f} ms   p95 {k['p95_ms']:7.1f} ms")
        print(f"  BM25 over every row    p50 {k['exact_p50_ms']:7.1f} ms   p95 {k['exact_p95_ms']:7.1f} ms")
        ratio = k["p95_ms"] / k["exact_p95_ms"]
        print(f"  p95 keyword / every row = {ratio:.3f} (target ≤ 0.1)", end="")
        print(f"   recall@10 = {k['recall_at_10']:.3f} (target ≥ 0.95)")
        print(f"  plan: keyword search uses the terms' index {k['plan_uses_index']}")


def write_results(name: str, results: dict) -> None:
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
