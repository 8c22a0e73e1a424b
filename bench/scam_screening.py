"""Scam screening measured: how many scam offers the rules flag (warned or held) and how many ordinary
offers they flag, on Tandem's two corpora (offers/data/screening/): `shaped.txt`, which the rules were
written against, and `heldout.txt`, written afterwards and never used to change them (the clean
measure). Beside them, in the same run, the rules as they were before (offers/screening.py at
bd0f850, read from git), on the same texts.

Usage: .venv/bin/python bench/scam_screening.py [--misses]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "offers" / "data" / "screening"
BEFORE = "bd0f850"


def corpus(name: str) -> list[tuple[int, str]]:
    rows = []
    for line in (CORPUS / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((int(label), text))
    return rows


def rules_before():  # noqa: ANN201 - a module
    """offers/screening.py as it was before the rules were rewritten, or None outside a git checkout."""
    try:
        source = subprocess.run(  # noqa: S603
            ["git", "show", f"{BEFORE}:offers/screening.py"],  # noqa: S607
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("screening_before")
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(source, "screening_before.py", "exec"), module.__dict__)  # noqa: S102 - our own file, from git
    return module


def measure(screen, rows: list[tuple[int, str]]) -> dict:  # noqa: ANN001
    levels = [(label, screen(text).level, text) for label, text in rows]
    scams = [level for label, level, _ in levels if label]
    work = [level for label, level, _ in levels if not label]
    return {
        "flagged": sum(level != "low" for level in scams),
        "held": sum(level == "high" for level in scams),
        "scams": len(scams),
        "false_flags": sum(level != "low" for level in work),
        "false_holds": sum(level == "high" for level in work),
        "work": len(work),
        "misses": [text for label, level, text in levels if label and level == "low"],
        "wrong": [text for label, level, text in levels if not label and level != "low"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the texts each set of rules gets wrong")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from offers.screening import screen

    before = rules_before()
    rulesets = [("now", screen), *([(f"before ({BEFORE})", before.screen)] if before else [])]
    print(f"{'corpus':<13}{'rules':<18}{'scams flagged':>15}{'held':>7}{'work flagged':>14}{'held':>7}")
    for name in ("shaped.txt", "heldout.txt"):
        rows = corpus(name)
        for label, screen_with in rulesets:
            m = measure(screen_with, rows)
            print(
                f"{name:<13}{label:<18}{m['flagged']:>9}/{m['scams']:<5}{m['held']:>7}"
                f"{m['false_flags']:>8}/{m['work']:<5}{m['false_holds']:>7}"
            )
            if args.misses:
                for text in m["misses"]:
                    print(f"    missed: {text}")
                for text in m["wrong"]:
                    print(f"    flagged work: {text}")


if __name__ == "__main__":
    main()
