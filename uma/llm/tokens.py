"""The prompt's token ids for llama.cpp without transformers, so an llm worker serving llama.cpp never
imports torch (about 400 MB): the model folder's tokenizer.json (Rust `tokenizers`) and its chat
template rendered as transformers renders it (sandboxed Jinja, trimmed blocks). A test holds the text
and the ids equal to transformers' own for every task's prompts.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

Messages = list[dict[str, str]]


class Tokens:
    def __init__(self, location: str) -> None:
        from jinja2.sandbox import ImmutableSandboxedEnvironment
        from tokenizers import Tokenizer

        folder = Path(location)
        config = json.loads((folder / "tokenizer_config.json").read_text())
        template = folder / "chat_template.jinja"
        source = template.read_text() if template.exists() else config["chat_template"]
        environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        self._template = environment.from_string(source)
        self._specials = {k: config.get(k) for k in ("bos_token", "eos_token", "pad_token", "unk_token")}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))

    def prompt(self, messages: Messages) -> str:
        """The text the model reads for a chat (transformers' apply_chat_template, add_generation_prompt)."""
        return self._template.render(messages=messages, add_generation_prompt=True, **self._specials)

    def ids(self, messages: Messages) -> list[int]:
        return self._tokenizer.encode(self.prompt(messages), add_special_tokens=False).ids

    def decode(self, ids: list[int]) -> str:
        return self._tokenizer.decode(ids, skip_special_tokens=True)


@functools.cache
def tokens_for(location: str) -> Tokens:
    return Tokens(location)
