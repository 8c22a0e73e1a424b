"""Uma speed, measured in one run:

- engines: the shipped candidate_rationale version on 16 held-out gold prompts (~250 tokens in, ~70
  out, greedy), each engine in a process of its own: tokens/s one at a time, aggregate at batch 8,
  prompt ms, peak RSS, and answers identical to the transformers path (today's before llama.cpp).
  "llama.cpp bare" is llama-cpp-python's own high-level API on the same file: the project's overhead;
  "no guesses" is Tandem's path with prompt-lookup guessing off (UMA_DRAFT_TOKENS=0).
  `--llama-build avx2=DIR` adds Tandem's path on another build of llama-cpp-python, installed with
  `pip install --no-deps --target DIR <wheel>`: how much the build `make` chose for this CPU is worth.
- embedding sentences/s by batch size, and LoRA fine-tuning examples/s (all layers vs. the top 12).

Prints tables with ratios and writes bench/results/uma_speed.json.

    .venv/bin/python bench/uma_speed.py [--prompts 16] [--threads 2] [--skip-embeddings] [--skip-finetune]
                                        [--llama-build NAME=DIR ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
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
    """Sentences/s on torch and on ONNX Runtime at batch 1, 16 and 64, and the lowest cosine between them."""
    from django.conf import settings

    from uma.embeddings import embed

    rows = []
    for batch in (1, 16, 64):
        texts = sentences(n if batch > 1 else n // 4)
        row: dict = {"batch": batch, "sentences": len(texts)}
        vectors = {}
        for engine in ("torch", "onnx"):
            settings.UMA_EMBEDDING_ENGINE = engine
            embed(["warm up"])
            started = time.perf_counter()
            vectors[engine] = embed(texts, batch_size=batch)
            row[engine] = len(texts) / (time.perf_counter() - started)
        pairs = zip(vectors["torch"], vectors["onnx"], strict=True)
        row["min_cosine"] = min(sum(x * y for x, y in zip(a, b, strict=True)) for a, b in pairs)
        rows.append(row)
    return rows


ENGINES = (
    "transformers",
    "llama.cpp",
    "llama.cpp, no guesses",
    "llama.cpp bare",
    "llama.cpp bare + JSON grammar",
    "ctranslate2",
)


def _prompts(n: int) -> list:
    from uma.llm.runner import task_spec
    from uma.training.data import gold, split_of

    spec = task_spec("candidate_rationale")
    examples = sorted(gold("candidate_rationale"), key=lambda e: split_of(e.entity) != "test")[:n]
    return [spec.prompt(spec.input_model.model_validate(e.input)) for e in examples]


def _shipped():  # noqa: ANN202
    from uma.llm.backends import Adapter

    folder = next((ROOT / "uma" / "adapters").glob("candidate_rationale-*"))
    return Adapter(folder.name, str(folder))


def _timed(fn, prompts: list, batch: int) -> tuple[list[str], list[int], float]:  # noqa: ANN001
    """(texts, completion token counts, seconds) for all prompts, `batch` at a time."""
    texts, counts = [], []
    started = time.perf_counter()
    for i in range(0, len(prompts), batch):
        got = fn(prompts[i : i + batch])
        texts += [t for t, _ in got]
        counts += [c for _, c in got]
    return texts, counts, time.perf_counter() - started


def engine_generator(engine: str, threads: int):  # noqa: ANN201 - prompts → [(text, tokens)], or None
    from django.conf import settings

    from uma.base_model import base_model
    from uma.llm.backends import _tokenizer, chat_prompt, generate_local_batch

    adapter = _shipped()
    settings.UMA_THREADS = threads
    tokenizer = _tokenizer(base_model().location)
    ids = lambda m: tokenizer(chat_prompt(tokenizer, m), add_special_tokens=False).input_ids  # noqa: E731
    if engine in ("transformers", "llama.cpp", "llama.cpp, no guesses"):
        name = "transformers" if engine == "transformers" else "llamacpp"
        if engine.endswith("no guesses"):
            settings.UMA_DRAFT_TOKENS = 0

        def project(prompts: list, max_new_tokens: int = 120) -> list:
            out = generate_local_batch(prompts, max_new_tokens=max_new_tokens, adapter=adapter, engine=name)
            return [(g.text, g.completion_tokens) for g in out]

        return project
    if engine.startswith("llama.cpp bare"):
        from llama_cpp import Llama, LlamaGrammar

        from uma.llm.gguf import served_file
        from uma.llm.runner import task_spec

        path = served_file(adapter.name, Path(adapter.path))
        llm = Llama(model_path=str(path), n_ctx=4096, n_threads=threads, n_threads_batch=threads, verbose=False)
        schema = json.dumps(task_spec("candidate_rationale").answer_model.model_json_schema())  # what the model writes
        grammar = LlamaGrammar.from_json_schema(schema, verbose=False) if engine.endswith("grammar") else None

        def bare(prompts: list, max_new_tokens: int = 120) -> list:
            out = []
            for m in prompts:  # no batching in the high-level API
                r = llm.create_completion(
                    ids(m), max_tokens=max_new_tokens, temperature=0.0, repeat_penalty=1.0, grammar=grammar
                )
                tokens = r["usage"]["completion_tokens"]
                out.append((r["choices"][0]["text"], tokens))
            return out

        return bare
    try:
        import ctranslate2
    except ImportError:
        return None
    folder = _ct2_model(adapter)
    generator = ctranslate2.Generator(str(folder), device="cpu", compute_type="int8", intra_threads=threads)

    def ct2(prompts: list, max_new_tokens: int = 120) -> list:
        tokens = [tokenizer.convert_ids_to_tokens(ids(m)) for m in prompts]
        results = generator.generate_batch(
            tokens,
            max_length=max_new_tokens,
            sampling_topk=1,
            include_prompt_in_result=False,
            end_token=tokenizer.eos_token,
        )
        return [
            (tokenizer.decode(r.sequences_ids[0], skip_special_tokens=True), len(r.sequences_ids[0])) for r in results
        ]

    return ct2


def _ct2_model(adapter) -> Path:  # noqa: ANN001
    """The adapter merged into the base, converted for CTranslate2 (int8), once."""
    import ctranslate2
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from uma.base_model import base_model
    from uma.llm.backends import _tokenizer

    folder = ROOT / "var" / "bench" / f"ct2-{adapter.name}"
    if folder.exists():
        return folder
    merged = ROOT / "var" / "bench" / f"merged-{adapter.name}"
    model = AutoModelForCausalLM.from_pretrained(base_model().location, dtype=torch.float32)
    model = PeftModel.from_pretrained(model, adapter.path).merge_and_unload()
    model.config.__dict__.pop("quantization_config", None)  # the prepared base remembers its GGUF origin
    model.hf_quantizer, model.is_quantized = None, False
    model.save_pretrained(merged)
    _tokenizer(base_model().location).save_pretrained(merged)
    ctranslate2.converters.TransformersConverter(str(merged)).convert(str(folder), quantization="int8")
    return folder


def measure_engine(engine: str, n: int, threads: int) -> dict | None:
    """One engine, in this process: the figures of the table and its answers."""
    fn = engine_generator(engine, threads)
    if fn is None:
        return None
    prompts = _prompts(n)
    fn(prompts[:1], 4)  # load and warm up
    started = time.perf_counter()
    for p in prompts[1:5]:  # prompt time: until the answer's first token
        fn([p], 1)
    prompt_ms = (time.perf_counter() - started) / 4 * 1000
    texts, counts, seconds = _timed(fn, prompts, 1)
    batch = 1 if engine.startswith("llama.cpp bare") else 8
    _, batch_counts, batch_seconds = _timed(fn, prompts, batch)
    return {
        "engine": engine,
        "one_at_a_time_tok_s": sum(counts) / seconds,
        "batch": batch,
        "aggregate_tok_s": sum(batch_counts) / batch_seconds,
        "prompt_ms": prompt_ms,
        "seconds_per_answer": seconds / len(prompts),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "texts": texts,
    }


def bench_engines(n: int, threads: int, builds: dict[str, str]) -> list[dict]:
    """Each engine in a process of its own; "llama.cpp" again on each other build given (name: folder)."""
    runs = [(engine, engine, None, None) for engine in ENGINES]
    runs += [(f"llama.cpp, {name} build", "llama.cpp", name, folder) for name, folder in builds.items()]
    rows = []
    for label, engine, build, folder in runs:
        print(f"  {label} ...", flush=True)
        env = dict(os.environ)
        if folder:
            env["PYTHONPATH"] = os.pathsep.join(p for p in (folder, env.get("PYTHONPATH")) if p)
        child = subprocess.run(  # noqa: S603 - this script, one engine per process (clean RSS)
            [sys.executable, __file__, "--engine", engine, "--prompts", str(n), "--threads", str(threads)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        if child.returncode or not lines:
            print(f"    failed: {child.stderr[-500:]}")
            continue
        row = json.loads(lines[-1])
        if row:
            rows.append({**row, "engine": label, "build": build})
    today = next((r for r in rows if r["engine"] == "transformers"), None)
    for row in rows:
        same = [a == b for a, b in zip(row["texts"], today["texts"], strict=True)] if today else []
        row["identical"] = f"{sum(same)}/{len(same)}" if today else "?"
    for row in rows:
        row.pop("texts")
    return rows


def print_engines(rows: list[dict], threads: int) -> None:
    base = next((r for r in rows if r["engine"] == "transformers"), rows[0])
    print(f"\nEngines: shipped candidate_rationale version, {threads} threads, greedy")
    head = f"{'engine':<30}{'tok/s one':>10}{'vs today':>9}{'aggregate':>10}{'vs one':>8}{'prompt ms':>10}"
    print(head + f"{'s/answer':>9}{'RSS MB':>8}{'identical':>10}")
    for r in rows:
        one = r["one_at_a_time_tok_s"]
        print(
            f"{r['engine']:<30}{one:>10.1f}{one / base['one_at_a_time_tok_s']:>8.2f}x"
            f"{r['aggregate_tok_s']:>9.1f}{'' if r['batch'] > 1 else '*':1}"
            f"{r['aggregate_tok_s'] / r['one_at_a_time_tok_s']:>7.2f}x{r['prompt_ms']:>10.0f}"
            f"{r['seconds_per_answer']:>9.2f}{r['rss_mb']:>8.0f}{r['identical']:>10}"
        )
    ours = next((r for r in rows if r["engine"] == "llama.cpp"), None)
    bare = next((r for r in rows if r["engine"] == "llama.cpp bare"), None)
    if ours and bare:
        ratio = ours["one_at_a_time_tok_s"] / bare["one_at_a_time_tok_s"]
        print(f"llama.cpp through Tandem vs llama.cpp's own API, one at a time: {ratio:.2f}x (target >= 0.9)")
    for other in (r for r in rows if r["build"] and ours):
        print(
            f"this install's llama.cpp vs the {other['build']} build: one at a time "
            f"{ours['one_at_a_time_tok_s'] / other['one_at_a_time_tok_s']:.2f}x, batch "
            f"{ours['aggregate_tok_s'] / other['aggregate_tok_s']:.2f}x, prompt "
            f"{other['prompt_ms'] / ours['prompt_ms']:.2f}x"
        )
    print("* the engine's own API has no batching: aggregate is one at a time")


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
    parser.add_argument("--train-steps", type=int, default=3)
    parser.add_argument("--prompts", type=int, default=16)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-embeddings", action="store_true")
    parser.add_argument("--skip-finetune", action="store_true")
    parser.add_argument(
        "--llama-build", action="append", default=[], metavar="NAME=DIR", help="another llama-cpp-python build"
    )
    parser.add_argument("--engine", help=argparse.SUPPRESS)  # a child process measuring one engine
    args = parser.parse_args()
    import django

    django.setup()
    if args.engine:
        print(json.dumps(measure_engine(args.engine, args.prompts, args.threads)))
        return
    builds = dict(b.split("=", 1) for b in args.llama_build)
    results: dict = {"engines": bench_engines(args.prompts, args.threads, builds)}
    print_engines(results["engines"], args.threads)
    if not args.skip_embeddings:
        results["embeddings"] = rows = bench_embeddings(args.sentences)
        print(f"\nembedding (all-MiniLM-L6-v2), sentences/s{'torch':>10}{'ONNX':>10}{'ONNX/torch':>12}{'min cos':>10}")
        for row in rows:
            ratio = row["onnx"] / row["torch"]
            print(
                f"  batch {row['batch']:>3}{'':<32}{row['torch']:>10.1f}{row['onnx']:>10.1f}{ratio:>11.2f}x"
                f"{row['min_cosine']:>10.4f}"
            )
    if not args.skip_finetune:
        results["finetune"] = finetune = bench_finetune(args.train_steps)
        print(f"\n{'LoRA fine-tuning (batch 8), examples/s':<45} {'per s':>10} {'vs all':>11}")
        for row in finetune:
            print(f"  {row['layers']:<40} {row['per_s']:>10.2f} {row['per_s'] / finetune[0]['per_s']:>10.2f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "uma_speed.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
