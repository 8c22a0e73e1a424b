"""Where generation happens, chosen per task by settings (UMA_BACKEND, UMA_TASK_BACKENDS):

- `local`: transformers in this process (CUDA with bf16 when present, CPU otherwise). The base model is
  loaded once per process; LoRA adapters are loaded once each onto it and switched per call.
- `openai`: any OpenAI-compatible server (vLLM, llama.cpp server, OpenAI) at UMA_OPENAI_BASE_URL. The
  task's JSON schema is sent as `response_format`, so servers that support it decode constrained output.

A generator is `generate(messages, *, max_new_tokens) -> Generation`; `generator_for(task)` picks one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from uma.base_model import base_model
from uma.embeddings import device

Messages = list[dict[str, str]]
BASE = "base"


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    model_version: str


@dataclass(frozen=True)
class Adapter:
    name: str  # the ModelVersion's name
    path: str


Generator = Callable[..., Generation]
_lock = threading.Lock()
_with_adapters: dict[str, object] = {}  # base location → PeftModel holding every adapter loaded so far


@functools.cache
def _local(location: str):  # noqa: ANN202 - (tokenizer, model), imported lazily
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    where = device()
    dtype = torch.bfloat16 if where == "cuda" else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(location)
    tokenizer.padding_side = "left"  # batches generate from aligned ends
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(location, dtype=dtype).to(where)  # type: ignore[arg-type]
    model.eval()
    return tokenizer, model


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
    batch: list[Messages], *, max_new_tokens: int, adapter: Adapter | None = None
) -> list[Generation]:
    """Greedy answers for several prompts at once (left-padded); one Generation per prompt."""
    import torch

    base = base_model()
    version = f"{base.name}@{adapter.name if adapter else BASE}"
    with _lock:  # one adapter active at a time in this process
        tokenizer, model, context = _model(base.location, adapter)
        prompts = [chat_prompt(tokenizer, messages) for messages in batch]
        encoded = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        with torch.no_grad(), context:
            out = model.generate(
                **encoded, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
            )
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
            )
        )
    return results


def generate_local(messages: Messages, *, max_new_tokens: int, adapter: Adapter | None = None) -> Generation:
    return generate_local_batch([messages], max_new_tokens=max_new_tokens, adapter=adapter)[0]


def generate_openai(
    messages: Messages, *, max_new_tokens: int, task: str = "", schema: dict | None = None
) -> Generation:
    """One chat completion from an OpenAI-compatible server (temperature 0, JSON schema when given)."""
    model = settings.UMA_OPENAI_MODELS.get(task) or settings.UMA_OPENAI_MODEL
    body: dict = {"model": model, "messages": messages, "max_tokens": max_new_tokens, "temperature": 0}
    if schema is not None:
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


def backend_for(task: str) -> str:
    return settings.UMA_TASK_BACKENDS.get(task, settings.UMA_BACKEND)


def generator_for(task: str, *, schema: dict | None = None, adapter: Adapter | None = None) -> Generator:
    """The generator settings choose for the task (`adapter` applies to the local backend)."""
    backend = backend_for(task)
    if backend == "openai":
        return functools.partial(generate_openai, task=task, schema=schema if settings.UMA_OPENAI_JSON_SCHEMA else None)
    if backend == "local":
        return functools.partial(generate_local, adapter=adapter)
    raise ValueError(f"unknown Uma backend {backend!r} for {task} (local or openai)")
