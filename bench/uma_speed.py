"""Uma speed, measured in one run: embedding sentences/s by batch size, LLM decode tokens/s at batch 1
and batch 8, and LoRA fine-tuning examples/s (all layers vs. the top 12 only) on candidate_rationale gold
examples. Prints a table with ratios and writes bench/results/uma_speed.json.

    .venv/bin/python bench/uma_speed.py [--sentences 512] [--new-tokens 32] [--train-steps 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")


def sentences(n: int) -> list[str]:
    stems = [
        "Full-stack developer with Django, React and PostgreSQL; built checkout flows for three shops.",
        "Data engineer: Airflow and dbt pipelines, Power BI dashboards for sales teams.",
        "Brand designer: logos, packaging and design systems in Figma for coffee roasters.",
        "Mobile developer shipping Flutter apps with offline sync and push notifications.",
    ]
    return [f"{stems[i % len(stems)]} Project {i}." for i in range(n)]


def bench_embeddings(n: int) -> list[dict]:
    from uma.embeddings import embed

    embed(["warm up"])
    rows = []
    for batch in (1, 16, 64):
        texts = sentences(n if batch > 1 else n // 4)
        started = time.perf_counter()
        embed(texts, batch_size=batch)
        elapsed = time.perf_counter() - started
        rows.append({"batch": batch, "sentences": len(texts), "per_s": len(texts) / elapsed})
    return rows


def bench_decode(new_tokens: int) -> list[dict]:
    import torch

    from uma.base_model import base_model
    from uma.llm.backends import _local

    tokenizer, model = _local(base_model().location)
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "Summarise: rate up from $40 to $48/hr."}],
        add_generation_prompt=True,
        tokenize=False,
    )
    rows = []
    for batch in (1, 8):
        inputs = tokenizer([prompt] * batch, return_tensors="pt", padding=True)
        with torch.no_grad():
            model.generate(**inputs, max_new_tokens=4, do_sample=False, pad_token_id=tokenizer.pad_token_id)
            started = time.perf_counter()
            out = model.generate(
                **inputs,
                max_new_tokens=new_tokens,
                min_new_tokens=new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
            )
        elapsed = time.perf_counter() - started
        produced = (out.shape[1] - inputs.input_ids.shape[1]) * batch
        rows.append({"batch": batch, "tokens": produced, "per_s": produced / elapsed})
    return rows


def bench_finetune(steps: int) -> list[dict]:
    """Examples/s of LoRA training steps (batch 8, the real prompts and answers)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from uma.base_model import base_model
    from uma.training.data import gold
    from uma.training.finetune import _batch, _encode, _targets

    location = base_model().location
    tokenizer = AutoTokenizer.from_pretrained(location)
    encoded = _encode("candidate_rationale", gold("candidate_rationale")[:8], tokenizer, 640)
    ids, labels, mask = _batch(encoded, tokenizer.eos_token_id)
    rows = []
    for top in (None, 12):
        model = AutoModelForCausalLM.from_pretrained(location, dtype=torch.float32)
        layers = model.config.num_hidden_layers
        model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules=_targets(model, layers, top)))
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3)
        timings = []
        for _ in range(steps + 1):  # the first step warms up
            started = time.perf_counter()
            model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            timings.append(time.perf_counter() - started)
        per_step = sum(timings[1:]) / steps
        rows.append({"layers": f"all {layers}" if top is None else f"top {top}", "per_s": len(encoded) / per_step})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=512)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--train-steps", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    embeddings = bench_embeddings(args.sentences)
    decode = bench_decode(args.new_tokens)
    finetune = bench_finetune(args.train_steps)
    for title, rows in (
        ("embedding (all-MiniLM-L6-v2), sentences/s", embeddings),
        ("decode (base LLM, greedy), tokens/s", decode),
    ):
        print(f"{title:<45} {'per s':>10} {'vs batch 1':>11}")
        for row in rows:
            ratio = row["per_s"] / rows[0]["per_s"]
            print(f"  batch {row['batch']:>3}{'':<35} {row['per_s']:>10.1f} {ratio:>10.2f}x")
    print(f"{'LoRA fine-tuning (batch 8), examples/s':<45} {'per s':>10} {'vs all':>11}")
    for row in finetune:
        print(f"  {row['layers']:<40} {row['per_s']:>10.2f} {row['per_s'] / finetune[0]['per_s']:>10.2f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "uma_speed.json").write_text(
        json.dumps({"embeddings": embeddings, "decode": decode, "finetune": finetune}, indent=2)
    )


if __name__ == "__main__":
    main()
