"""Where generation happens, chosen per task by settings (UMA_BACKEND, UMA_TASK_BACKENDS):

- `local`: in this process, on the engine UMA_LOCAL_ENGINE names.
  - `llamacpp` (the default): llama.cpp serves one GGUF per version, the adapter merged in once
    (uma/llm/gguf.py), several answers decoded together (uma/llm/llamacpp.py). A file that cannot
    load sends the call to transformers, with one log line and a note in the audit.
  - `transformers`: CUDA with bf16 when present, CPU otherwise. The base model is loaded once per
    process; LoRA adapters are loaded once each onto it and switched per call.
  Either way the prompt is the tokenizer's own chat template, as in training, and decoding is greedy.
- `openai`: any OpenAI-compatible server (vLLM, llama.cpp server, OpenAI) at UMA_OPENAI_BASE_URL. The
  task's JSON schema is sent as `response_format`, so servers that support it decode constrained output.

A generator is `generate(list of messages, *, max_new_tokens) -> list[Generation]`, one per prompt;
`generator_for(task)` picks one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from uma.base_model import base_model
from uma.embeddings import device
from uma.llm.llamacpp import Engine, EngineError, Overtime
from uma.llm.tokens import tokens_for

log = logging.getLogger(__name__)

Messages = list[dict[str, str]]
BASE = "base"


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    model_version: str
    note: str = ""  # how the call was served when not as configured (an engine that could not load)


@dataclass(frozen=True)
class Adapter:
    name: str  # the ModelVersion's name
    path: str


Generator = Callable[..., list[Generation]]
_lock = threading.Lock()
_with_adapters: dict[str, object] = {}  # base location → PeftModel holding every adapter loaded so far
_engines: OrderedDict[str, Engine] = OrderedDict()  # version name → llama.cpp engine, most recent last
_failed: dict[str, str] = {}  # version name → why llama.cpp cannot serve it (logged once)
ENGINES = {"llamacpp": "llama.cpp", "transformers": "transformers"}


@functools.cache
def _tokenizer(location: str):  # noqa: ANN202
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(location)
    tokenizer.padding_side = "left"  # batches generate from aligned ends
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


@functools.cache
def _local(location: str):  # noqa: ANN202 - (tokenizer, model), imported lazily
    import torch
    from transformers import AutoModelForCausalLM

    where = device()
    dtype = torch.bfloat16 if where == "cuda" else torch.float32
    if where == "cpu":
        torch.set_num_threads(settings.UMA_THREADS)
    model = AutoModelForCausalLM.from_pretrained(location, dtype=dtype).to(where)  # type: ignore[arg-type]
    model.eval()
    return _tokenizer(location), model


def chat_prompt(tokenizer, messages: Messages) -> str:  # noqa: ANN001
    """The text the model reads for a chat: the same in training and in generation."""
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def _model(location: str, adapter: Adapter | None):  # noqa: ANN202 - (tokenizer, model, context)
    tokenizer, model = _local(location)
    peft = _with_adapters.get(location)
    if adapter is None:
        return tokenizer, (peft or model), (peft.disable_adapter() if peft else contextlib.nullcontext())  # type: ignore[attr-defined]
    from peft import PeftModel

    if peft is None:
        peft = PeftModel.from_pretrained(model, adapter.path, adapter_name=adapter.name)
        peft.eval()
        _with_adapters[location] = peft
    elif adapter.name not in peft.peft_config:  # type: ignore[attr-defined]
        peft.load_adapter(adapter.path, adapter_name=adapter.name)  # type: ignore[attr-defined]
    peft.set_adapter(adapter.name)  # type: ignore[attr-defined]
    return tokenizer, peft, contextlib.nullcontext()


def generate_local_batch(
    batch: list[Messages],
    *,
    max_new_tokens: int,
    adapter: Adapter | None = None,
    engine: str | None = None,
    seconds: float | None = None,
) -> list[Generation]:
    """Greedy answers for several prompts at once, one Generation per prompt, on the local engine
    (UMA_LOCAL_ENGINE unless named). Raises Overtime past `seconds` (UMA_GENERATION_SECONDS unless given)."""
    engine = engine or settings.UMA_LOCAL_ENGINE
    seconds = seconds or settings.UMA_GENERATION_SECONDS
    if engine not in ENGINES:
        raise ValueError(f"unknown local engine {engine!r} ({' or '.join(ENGINES)})")
    note = ""
    if engine == "llamacpp":
        try:
            return _generate_llamacpp(batch, max_new_tokens=max_new_tokens, adapter=adapter, seconds=seconds)
        except EngineError as error:  # _served turns every load failure into one
            note = f"engine: llama.cpp could not serve ({str(error)[:160]}); transformers answered"
    return _generate_transformers(batch, max_new_tokens=max_new_tokens, adapter=adapter, seconds=seconds, note=note)


def _served(name: str, adapter: Adapter | None) -> Engine:
    """The llama.cpp engine for a version (loaded once per process, the least recently used closed first)."""
    from uma.llm.gguf import ExportError, served_file

    if name in _engines:
        _engines.move_to_end(name)
        return _engines[name]
    if name in _failed:
        raise EngineError(_failed[name])
    try:
        path = served_file(name, Path(adapter.path) if adapter else None)
        engine = Engine(str(path), threads=settings.UMA_THREADS, sequences=settings.UMA_ENGINE_SEQUENCES)
    except (EngineError, ExportError, FileNotFoundError, OSError, ValueError) as error:
        _failed[name] = str(error)
        log.error("Uma: llama.cpp cannot serve %s, transformers will: %s", name, error)
        raise EngineError(str(error)) from error
    _engines[name] = engine
    while len(_engines) > settings.UMA_ENGINE_MODELS:
        _engines.popitem(last=False)[1].close()
    return engine


def _generate_llamacpp(
    batch: list[Messages], *, max_new_tokens: int, adapter: Adapter | None, seconds: float
) -> list[Generation]:
    base = base_model()
    tokens = tokens_for(base.location)  # not transformers' tokenizer: that would load torch into the worker
    name = adapter.name if adapter else BASE
    prompts = [tokens.ids(m) for m in batch]
    with _lock:  # one context per model file, used by one thread at a time
        outputs = _served(name, adapter).generate(
            prompts, max_new_tokens=max_new_tokens, seconds=seconds, guesses=settings.UMA_DRAFT_TOKENS
        )
    return [
        Generation(
            text=tokens.decode(output.tokens),
            prompt_tokens=output.prompt_tokens,
            completion_tokens=len(output.tokens),
            model_version=f"{base.name}@{name}/{ENGINES['llamacpp']}",
        )
        for output in outputs
    ]


def engine_prime(messages: Messages, adapter: Adapter | None) -> None:
    """Load a version's llama.cpp engine and decode one token of `messages` (uma/llm/warm.py); raises
    EngineError when it cannot serve."""
    _generate_llamacpp([messages], max_new_tokens=1, adapter=adapter, seconds=settings.UMA_GENERATION_SECONDS)


def _generate_transformers(
    batch: list[Messages], *, max_new_tokens: int, adapter: Adapter | None, seconds: float, note: str = ""
) -> list[Generation]:
    """Greedy answers for several prompts at once (left-padded) on transformers."""
    import torch

    base = base_model()
    version = f"{base.name}@{adapter.name if adapter else BASE}/{ENGINES['transformers']}"
    with _lock:  # one adapter active at a time in this process
        tokenizer, model, context = _model(base.location, adapter)
        prompts = [chat_prompt(tokenizer, messages) for messages in batch]
        encoded = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        started = time.monotonic()
        with torch.no_grad(), context:
            out = model.generate(
                **encoded,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
                max_time=seconds,
            )
    if time.monotonic() - started >= seconds:
        raise Overtime(f"generation passed its limit of {seconds:g} s")
    width = encoded.input_ids.shape[1]
    results = []
    for row, mask in zip(out, encoded.attention_mask, strict=True):
        completion = row[width:]
        completion = completion[completion != tokenizer.pad_token_id]
        results.append(
            Generation(
                text=tokenizer.decode(completion, skip_special_tokens=True),
                prompt_tokens=int(mask.sum()),
                completion_tokens=int(completion.shape[0]),
                model_version=version,
                note=note,
            )
        )
    return results


def generate_openai(
    messages: Messages, *, max_new_tokens: int, task: str = "", schema: dict | None = None
) -> Generation:
    """One chat completion from an OpenAI-compatible server (temperature 0, JSON schema when given)."""
    model = settings.UMA_OPENAI_MODELS.get(task) or settings.UMA_OPENAI_MODEL
    body: dict = {"model": model, "messages": messages, "max_tokens": max_new_tokens, "temperature": 0}
    if schema is not None and settings.UMA_OPENAI_SCHEMA_FORMAT == "json_object":  # llama-cpp-python's server
        body["response_format"] = {"type": "json_object", "schema": schema}
    elif schema is not None:  # OpenAI, vLLM, llama.cpp's llama-server
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": task or "answer", "schema": schema}}
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        settings.UMA_OPENAI_BASE_URL.rstrip("/") + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.UMA_OPENAI_API_KEY}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=settings.UMA_OPENAI_TIMEOUT) as response:  # noqa: S310
        answer = json.load(response)
    usage = answer.get("usage") or {}
    return Generation(
        text=answer["choices"][0]["message"]["content"] or "",
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        completion_tokens=int(usage.get("completion_tokens", 0)),
        model_version=f"openai:{answer.get('model', model)}",
    )


def generate_openai_batch(
    batch: list[Messages], *, max_new_tokens: int, task: str = "", schema: dict | None = None
) -> list[Generation]:
    """One request per prompt, UMA_OPENAI_PARALLEL at a time (the server batches what arrives together)."""
    from concurrent.futures import ThreadPoolExecutor

    ask = functools.partial(generate_openai, max_new_tokens=max_new_tokens, task=task, schema=schema)
    if len(batch) == 1:
        return [ask(batch[0])]
    with ThreadPoolExecutor(max_workers=min(len(batch), settings.UMA_OPENAI_PARALLEL)) as pool:
        return list(pool.map(ask, batch))


def backend_for(task: str) -> str:
    return settings.UMA_TASK_BACKENDS.get(task, settings.UMA_BACKEND)


def generator_for(task: str, *, schema: dict | None = None, adapter: Adapter | None = None) -> Generator:
    """The generator settings choose for the task (`adapter` applies to the local backend)."""
    backend = backend_for(task)
    if backend == "openai":
        schema = schema if settings.UMA_OPENAI_JSON_SCHEMA else None
        return functools.partial(generate_openai_batch, task=task, schema=schema)
    if backend == "local":
        return functools.partial(generate_local_batch, adapter=adapter)
    raise ValueError(f"unknown Uma backend {backend!r} for {task} (local or openai)")
