"""Where batching pays on the local engine: prompt evaluation and decode steps, by batch size.

Usage: .venv/bin/python bench/engine_steps.py [--prompts 8] [--tokens 48] [--threads N]

Tandem's llama.cpp engine (uma/llm/llamacpp.py) on the shipped candidate_rationale version and the
task's held-out gold prompts (~340 tokens each, from different jobs, so they share only the chat
template's beginning). For each batch size n it times, on a fresh engine each time, the same n prompts
answered with 1 new token (prompt evaluation, and one step) and with up to --tokens (the rest are decode
steps, one token per unfinished answer each). Prints per batch size: prompt ms per token, ms per decode
step, decode tokens/s and the whole answer's tokens/s, each as a ratio to batch 1 measured in the same
run. It shows why the aggregate stays under 2x one at a time on this CPU (bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from uma_speed import _prompts, _shipped

    from uma.base_model import base_model
    from uma.llm.gguf import served_file
    from uma.llm.llamacpp import Engine
    from uma.llm.tokens import tokens_for

    adapter = _shipped()
    path = str(served_file(adapter.name, Path(adapter.path)))
    tokens = tokens_for(base_model().location)
    prompts = [tokens.ids(p) for p in _prompts(args.prompts)]

    def timed(batch: list[list[int]], tokens: int) -> tuple[float, int, int]:
        engine = Engine(path, threads=args.threads, sequences=len(batch))
        try:
            started = time.perf_counter()
            outputs = engine.generate(batch, max_new_tokens=tokens, seconds=600)
            return time.perf_counter() - started, engine.steps, sum(len(o.tokens) for o in outputs)
        finally:
            engine.close()

    timed(prompts[:2], 4)  # the model file read from disk and the threads started: not part of any row
    rows = []
    for n in sorted({1, 2, 4, 6, 8, args.prompts} & set(range(1, args.prompts + 1))):
        batches = [prompts[i : i + n] for i in range(0, args.prompts - args.prompts % n or n, n)]
        prompt_s = step_s = answer_s = 0.0
        prompt_tokens_n = steps = answered = 0
        for batch in batches:
            first, _, _ = timed(batch, 1)
            whole, taken, made = timed(batch, args.tokens)
            prompt_s += first
            prompt_tokens_n += sum(len(p) for p in batch)
            step_s += whole - first
            steps += taken
            answer_s += whole
            answered += made
        rows.append(
            {
                "n": n,
                "prompt_ms_per_token": 1000 * prompt_s / prompt_tokens_n,
                "ms_per_step": 1000 * step_s / max(steps, 1),
                "decode_tok_s": (answered - sum(len(b) for b in batches)) / max(step_s, 1e-9),
                "answer_tok_s": answered / answer_s,
            }
        )
    one = rows[0]
    print(f"\n{args.prompts} prompts, up to {args.tokens} tokens each, {args.threads} threads; ratios to batch 1")
    print(f"{'batch':>5}{'prompt ms/token':>17}{'ms/step':>9}{'decode tok/s':>14}{'x':>7}{'answer tok/s':>14}{'x':>7}")
    for row in rows:
        print(
            f"{row['n']:>5}{row['prompt_ms_per_token']:>17.2f}{row['ms_per_step']:>9.1f}"
            f"{row['decode_tok_s']:>14.1f}{row['decode_tok_s'] / one['decode_tok_s']:>7.2f}"
            f"{row['answer_tok_s']:>14.1f}{row['answer_tok_s'] / one['answer_tok_s']:>7.2f}"
        )


if __name__ == "__main__":
    main()
