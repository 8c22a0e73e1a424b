"""Where generation happens. `local`: transformers in this process (CUDA with bf16 when present,
CPU otherwise), the model loaded once per process and reused."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from uma.base_model import base_model
from uma.embeddings import device


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    model_version: str


@functools.cache
def _local(location: str):  # noqa: ANN202 - (tokenizer, model), imported lazily
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    where = device()
    dtype = torch.bfloat16 if where == "cuda" else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(location)
    model = AutoModelForCausalLM.from_pretrained(location, dtype=dtype).to(where)  # type: ignore[arg-type]
    model.eval()
    return tokenizer, model


def generate_local(messages: list[dict[str, str]], *, max_new_tokens: int) -> Generation:
    import torch

    base = base_model()
    tokenizer, model = _local(base.location)
    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    ids = tokenizer(prompt, return_tensors="pt").input_ids.to(model.device)
    with torch.no_grad():
        out = model.generate(ids, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.eos_token_id)
    completion = out[0][ids.shape[1] :]
    return Generation(
        text=tokenizer.decode(completion, skip_special_tokens=True),
        prompt_tokens=int(ids.shape[1]),
        completion_tokens=int(completion.shape[0]),
        model_version=f"{base.name}@base",
    )
