"""Builds bench/data/livecareer_resumes.jsonl.gz, the resumes of bench/matching_public.py, from the
public "Resume Dataset" (Snehaan Bhawal, CC0: 2,484 livecareer.com resumes as PDFs in 24 category
folders), kept in its author's repository https://github.com/Sbhawal/resumeScraper (folder data/).

    git clone https://github.com/Sbhawal/resumeScraper && apt-get install poppler-utils
    .venv/bin/python bench/matching_data.py resumeScraper/data [--per-category 40]

Each PDF becomes plain text (pdftotext); PER_CATEGORY resumes are drawn from each category with a fixed
seed, so the file is the same on every run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "livecareer_resumes.jsonl.gz"
SEED = 17


def text_of(pdf: Path) -> str:
    command = [shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", str(pdf), "-"]
    raw = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our own files
    text = re.sub(r"[ \t]+", " ", raw.stdout)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the dataset's data/ folder: one folder of PDFs per category")
    parser.add_argument("--per-category", type=int, default=40)
    args = parser.parse_args()
    rows = []
    chance = random.Random(SEED)
    for category in sorted(p for p in args.folder.iterdir() if p.is_dir()):
        pdfs = sorted(category.glob("*.pdf"))
        for pdf in sorted(chance.sample(pdfs, min(args.per_category, len(pdfs)))):
            text = text_of(pdf)
            if len(text) >= 200:  # a scan with no text layer says nothing
                rows.append({"id": pdf.stem, "category": category.name, "text": text})
    with gzip.open(OUT, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} resumes in {len({r['category'] for r in rows})} categories written to {OUT}")


if __name__ == "__main__":
    main()
