"""Matching quality on real, public resumes, against plain baselines measured in the same run.

The data (bench/README.md has the source and licence):
- 937 resumes from the public "Resume Dataset" (livecareer.com resumes, 24 categories, CC0), as plain
  text, 40 drawn per category (bench/matching_data.py made bench/data/livecareer_resumes.jsonl.gz);
- 48 job posts written in plain English for it, two per category (bench/data/livecareer_jobs.json).
A resume is relevant to a job when they share the category (the dataset's own label): binary gains.

Everything goes in through the product's own paths, on a database of its own (the dev data is
untouched): each resume signs up a freelancer (its first line is the headline) and fills the overview
(up to the overview's limit) with profile_update; the jobs are made with job_create; `uma_reindex`
embeds them. Then, for each job, the need is made as a shortlist makes it (need_of on a contract for
the job) and retrieval.retrieve and ranking.rerank run exactly as services/shortlists.py calls them.
Everyone has the same rate and availability, so only relevance decides.

Baselines, on the same text the product stores (headline + overview): BM25 (rank_bm25's BM25Okapi,
lower-cased word tokens), cosine of the same embedding model on the raw text, and their reciprocal
rank fusion (k=60).

    .venv/bin/python bench/matching_public.py [--rebuild] [--with-skills]

Prints nDCG and recall at 10 and at the shortlist size (6) for every stage and baseline; results go
to bench/results/matching_public.json. The database (tandem_bench_public) is kept for the next run.
--with-skills loads another (tandem_bench_public_skills) where each freelancer also took every skill Uma
suggested from their text, as a person pasting a CV may: the skill filter and skill features then play.
--pasted loads another (tandem_bench_public_pasted) where each overview lost its line breaks, as text
copied out of some PDFs and web pages does: its lines run together ("drafting tools" + "AutoCAD" is
"drafting toolsAutoCAD", which Tandem reads as words again; "Skills" + "AutoCAD" stays one word).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from recruiter_retrieval import ROOT, create, migrated, use, write_results  # noqa: E402
from recruiter_retrieval import ndcg as graded_ndcg  # noqa: E402
from recruiter_retrieval import stages as stage_orders  # noqa: E402

DATA = ROOT / "bench" / "data"
DATABASE = "tandem_bench_public"
RATE = Decimal(50)
K_VALUES = (10, 6)
STAGES = ("semantic", "keyword", "fused", "re_ranked", "no_feedback")
BASELINES = ("bm25", "cosine", "rrf")


def resumes() -> list[dict]:
    with gzip.open(DATA / "livecareer_resumes.jsonl.gz", "rt", encoding="utf-8") as rows:
        return [json.loads(row) for row in rows]


def jobs() -> list[dict]:
    return json.loads((DATA / "livecareer_jobs.json").read_text())


def profile_fields(text: str, *, pasted: bool = False) -> dict:
    """A resume as a profile: the first line is the headline, the rest the overview, cut at a word
    boundary to the overview's limit (what a person pasting it would have to do). pasted: the
    overview's line breaks are lost, its lines run together."""
    from marketplace.models.text import MEDIUM

    headline, _, rest = text.partition("\n")
    overview = rest.strip().replace("\n", "") if pasted else rest.strip()
    if len(overview) > MEDIUM:
        overview = overview[:MEDIUM].rsplit(None, 1)[0]
    return {"headline": headline.strip()[:200], "overview": overview}


def load(*, say, with_skills: bool, pasted: bool) -> None:  # noqa: ANN001
    """The resumes and jobs, through sign-up, profile_update, job_create and uma_reindex. with_skills:
    each freelancer also takes every skill Uma suggests from their text (profile_skills_set)."""
    from django.core.management import call_command

    from marketplace.models import Organization, SkillCategory
    from marketplace.services.accounts import client_sign_up, freelancer_sign_up
    from marketplace.services.jobs import job_create
    from marketplace.services.profiles import profile_skills_set, profile_update
    from marketplace.services.skill_matcher import suggestions

    call_command("migrate", verbosity=0)
    for row in resumes():
        user = freelancer_sign_up(
            email=f"r{row['id']}@public.bench.test", password=None, first_name="Resume", last_name=row["id"]
        )
        fields = profile_fields(row["text"], pasted=pasted)
        profile_update(
            profile=user.freelancer_profile,
            by=user,
            hourly_rate=RATE,
            available_now=True,
            weekly_hours_free=40,
            **fields,
        )
        if with_skills:
            found = suggestions(f"{fields['headline']}\n{fields['overview']}", listed=[])
            profile_skills_set(profile=user.freelancer_profile, by=user, skills={m.skill: 1 for m in found})
    client = client_sign_up(
        email="client@public.bench.test",
        password=None,
        first_name="Bench",
        last_name="Client",
        organization_name="Bench",
    )
    organization = Organization.objects.get(memberships__user=client)
    category = SkillCategory.objects.get(name="Admin & support")  # the jobs' category plays no part in matching
    for job in jobs():
        job_create(
            organization=organization,
            by=client,
            skills=[],
            publish=True,
            title=job["title"],
            category=category,
            description=job["description"],
            contract_type="hourly",
            budget_min=Decimal(40),
            budget_max=Decimal(60),
            weekly_hours=20,
        )
    call_command("uma_reindex", stdout=sys.stdout)
    say("loaded through sign-up, profile_update, job_create and uma_reindex")


def category_of() -> dict[int, str]:
    from marketplace.models import FreelancerProfile

    by_id = {row["id"]: row["category"] for row in resumes()}
    rows = FreelancerProfile.objects.values_list("pk", "user__last_name")
    return {pk: by_id[last] for pk, last in rows if last in by_id}


def need_for(job):  # noqa: ANN001, ANN201
    """The need a shortlist for a contract on this job would use (services/shortlists.case_need)."""
    from marketplace.models import Contract
    from recruiter.retrieval import need_of, start_by

    contract = Contract(job=job, contract_type="hourly", hourly_rate=RATE, title=job.title, scope=job.description)
    contract.freelancer_id = 0
    need = need_of(contract, start=start_by(), exclude=set())
    need.vector = list(job.embedding)
    return need


# --- Baselines ---------------------------------------------------------------------------------------

WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def baselines(profiles: dict[int, str], queries: list[str]) -> dict[str, list[list[int]]]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from uma.embeddings import embed

    ids = list(profiles)
    bm25 = BM25Okapi([tokens(profiles[pk]) for pk in ids])
    doc_vectors = np.array(embed([profiles[pk] for pk in ids]))
    query_vectors = np.array(embed(queries))
    found: dict[str, list[list[int]]] = {name: [] for name in BASELINES}
    for query, vector in zip(queries, query_vectors, strict=True):
        by_words = [ids[i] for i in np.argsort(-bm25.get_scores(tokens(query)), kind="stable")]
        by_meaning = [ids[i] for i in np.argsort(-(doc_vectors @ vector), kind="stable")]
        fused: dict[int, float] = {}
        for ranking in (by_words, by_meaning):
            for rank, pk in enumerate(ranking, start=1):
                fused[pk] = fused.get(pk, 0.0) + 1 / (60 + rank)
        found["bm25"].append(by_words)
        found["cosine"].append(by_meaning)
        found["rrf"].append(sorted(fused, key=lambda pk: -fused[pk]))
    return found


# --- Metrics -----------------------------------------------------------------------------------------


def ndcg(ranked: list[int], relevant: set[int], k: int) -> float:
    return graded_ndcg(ranked, dict.fromkeys(relevant, 1), k)  # binary gains: 2^1 - 1 = 1 each


def recall(ranked: list[int], relevant: set[int], k: int) -> float:
    """Relevant people in the first k, out of as many as could be there (there are more than k)."""
    return len(set(ranked[:k]) & relevant) / min(k, len(relevant)) if relevant else 0.0


def scores(rankings: list[list[int]], relevants: list[set[int]]) -> dict[str, float]:
    out = {}
    for k in K_VALUES:
        out[f"ndcg@{k}"] = round(
            statistics.mean(ndcg(r, rel, k) for r, rel in zip(rankings, relevants, strict=True)), 3
        )
        out[f"recall@{k}"] = round(
            statistics.mean(recall(r, rel, k) for r, rel in zip(rankings, relevants, strict=True)), 3
        )
    return out


def measure() -> dict:
    from marketplace.models import FreelancerProfile, JobPost
    from marketplace.services.embedding_store import profile_text
    from recruiter.facts import skills_of_profiles

    categories = category_of()
    wanted = {job["title"]: job["category"] for job in jobs()}
    posts = list(JobPost.objects.filter(title__in=wanted).order_by("pk"))
    relevants = [{pk for pk, c in categories.items() if c == wanted[post.title]} for post in posts]
    stages: dict[str, list[list[int]]] = {name: [] for name in STAGES}
    skills = skills_of_profiles(list(categories))
    for post in posts:
        need = need_for(post)
        orders = stage_orders(need, skills)
        orders["keyword"] = orders.pop("full_text")
        for name in STAGES:
            stages[name].append(orders[name])
    texts = {
        p.pk: profile_text(p)  # the baselines read the raw text
        for p in FreelancerProfile.objects.filter(pk__in=categories).prefetch_related("profile_skills__skill")
    }
    plain = baselines(texts, [f"{post.title}\n{post.description}" for post in posts])
    return {
        "profiles": len(categories),
        "jobs": len(posts),
        "stages": {name: scores(stages[name], relevants) for name in STAGES},
        "baselines": {name: scores(plain[name], relevants) for name in BASELINES},
    }


def report(r: dict) -> None:
    skills = ", skills taken from Uma's suggestions" if r["with_skills"] else ", no skills listed (prose only)"
    pasted = ", overviews pasted without their line breaks" if r["pasted"] else ""
    print(f"\nMatching on public resumes: {r['profiles']} resumes, {r['jobs']} jobs, 24 categories{skills}{pasted}")
    header = "".join(f"{m:>11}" for k in K_VALUES for m in (f"nDCG@{k}", f"recall@{k}"))
    print(f"  {'':<22}{header}")
    for group in ("stages", "baselines"):
        for name, row in r[group].items():
            print(f"  {group[:-1] + ' ' + name:<22}" + "".join(f"{v:>11.3f}" for v in row.values()))
    final, rrf = r["stages"]["re_ranked"]["ndcg@10"], r["baselines"]["rrf"]["ndcg@10"]
    print(f"  final order / plain RRF nDCG@10: {final / rrf:.2f}x")
    pairs = (
        ("semantic", "cosine"),
        ("keyword", "bm25"),
        ("fused", "rrf"),
        ("re_ranked", "rrf"),
        ("no_feedback", "rrf"),
    )
    for stage, base in pairs:
        ratio = r["stages"][stage]["ndcg@10"] / r["baselines"][base]["ndcg@10"]
        print(f"  {stage} / {base}: {ratio:.2f}x")


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="load the data again")
    parser.add_argument(
        "--with-skills", action="store_true", help="every freelancer takes the skills Uma suggests from their text"
    )
    parser.add_argument("--pasted", action="store_true", help="every overview lost its line breaks")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()

    def say(text: str) -> None:
        print(f"  {text}", flush=True)

    variant = ("_skills" if args.with_skills else "") + ("_pasted" if args.pasted else "")
    database = DATABASE + variant
    if create(database, rebuild=args.rebuild):
        use(database)
        load(say=say, with_skills=args.with_skills, pasted=args.pasted)
    migrated(database, embedded=True)
    results = measure() | {"with_skills": args.with_skills, "pasted": args.pasted}
    report(results)
    write_results("matching_public" + variant, results)


if __name__ == "__main__":
    main()
