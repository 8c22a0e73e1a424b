"""Sentence encoders compared on the public resumes, before any of them is wired into Tandem.

For the shipped encoder (UMA_EMBEDDING_MODEL) and each --model given (a sentence-transformers folder,
for example one unpacked from a registry package): the resumes as bench/matching_public.py loads them
(headline and overview, read through pasted_text.readable as Tandem embeds them), the 48 job posts,
and a plain cosine ranking, scored with nDCG@10 and @6 (same category relevant). Also encoding speed
(resumes per second, torch on this machine's threads) and the vector size. One run, ratios against the
shipped encoder measured in the same run. A model that wins here is worth the migration a new vector
size needs (the vector columns, the 100k bench) and a run of matching_public.py and recruiter_retrieval.py.

    .venv/bin/python bench/encoders.py --model /path/to/all-mpnet-base-v2 [--max-seq 256] [--pasted]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from matching_public import K_VALUES, jobs, ndcg, profile_fields, resumes  # noqa: E402
from recruiter_retrieval import write_results  # noqa: E402


def measure(location: str, *, max_seq: int | None, pasted: bool, threads: int) -> dict:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from marketplace.services.pasted_text import readable

    torch.set_num_threads(threads)
    model = SentenceTransformer(location, device="cpu")
    if max_seq:
        model.max_seq_length = max_seq
    rows = resumes()
    texts = []
    for row in rows:
        fields = profile_fields(row["text"], pasted=pasted)
        texts.append(readable(f"{fields['headline']}\n{fields['overview']}"))
    started = time.perf_counter()
    docs = model.encode(texts, batch_size=16, normalize_embeddings=True, show_progress_bar=False)
    seconds = time.perf_counter() - started
    posts = jobs()
    queries = model.encode(
        [f"{job['title']}\n{job['description']}" for job in posts], normalize_embeddings=True, show_progress_bar=False
    )
    out: dict = {"dimensions": int(docs.shape[1]), "max_seq": model.max_seq_length, "per_s": len(texts) / seconds}
    for k in K_VALUES:
        scores = []
        for job, query in zip(posts, queries, strict=True):
            relevant = {i for i, row in enumerate(rows) if row["category"] == job["category"]}
            scores.append(ndcg(list(np.argsort(-(docs @ query), kind="stable")), relevant, k))
        out[f"ndcg@{k}"] = round(statistics.mean(scores), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", default=[], help="a sentence-transformers folder or id")
    parser.add_argument("--max-seq", type=int, help="tokens each encoder reads (default: each model's own)")
    parser.add_argument("--pasted", action="store_true", help="overviews without their line breaks")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()
    from uma.embeddings import model_location, model_name

    shipped = model_name()
    locations = {shipped: model_location(shipped)} | {location: location for location in args.model}
    results = {
        name: measure(location, max_seq=args.max_seq, pasted=args.pasted, threads=args.threads)
        for name, location in locations.items()
    }
    base = results[shipped]
    print(f"\nEncoders on {len(resumes())} public resumes, plain cosine{' (pasted)' if args.pasted else ''}")
    print(f"  {'model':<40}{'dims':>6}{'tokens':>8}{'nDCG@10':>9}{'nDCG@6':>8}{'resumes/s':>11}{'vs shipped':>22}")
    for name, r in results.items():
        versus = f"{r['ndcg@10'] / base['ndcg@10']:.2f}x nDCG, {r['per_s'] / base['per_s']:.2f}x speed"
        label = Path(name).name if name != shipped else f"{name} (shipped)"
        print(
            f"  {label[:39]:<40}{r['dimensions']:>6}{r['max_seq']:>8}{r['ndcg@10']:>9.3f}{r['ndcg@6']:>8.3f}"
            f"{r['per_s']:>11.1f}  {versus:>20}"
        )
    write_results("encoders", {"pasted": args.pasted, "models": results})


if __name__ == "__main__":
    main()
