"""Moving generation to a server: the same model files and adapters, served over the OpenAI protocol.

- llama.cpp (CPU, or a GPU build): llama-cpp-python's server reads a config listing the served GGUF
  files, the base and each active version merged in, each under its own model name.
- vLLM (GPU): serves the prepared base folder with every active LoRA adapter as a named module.

Either way Tandem's `openai` backend asks for a task's version by its name (UMA_OPENAI_MODELS), so
the adapters and the JSON schemas work over that path as they do locally.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from django.conf import settings

from uma.base_model import base_model
from uma.llm.backends import BASE
from uma.llm.gguf import served_file
from uma.models import ModelVersion


def _active() -> list[ModelVersion]:
    return list(ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).order_by("task"))


def llamacpp_config(*, host: str, port: int, threads: int) -> dict:
    """llama-cpp-python's server config: the base and each active version, by name."""
    models = [(settings.UMA_BASE_MODEL, served_file(BASE, None))]
    models += [(v.name, served_file(v.name, Path(v.adapter_path))) for v in _active()]
    return {
        "host": host,
        "port": port,
        "models": [
            {"model": str(path), "model_alias": alias, "n_ctx": 4096, "n_threads": threads, "verbose": False}
            for alias, path in models
        ],
    }


def openai_env(*, url: str, schema_format: str) -> dict[str, str]:
    """The settings that send every task to the server, each to its active version by name."""
    return {
        "UMA_BACKEND": "openai",
        "UMA_OPENAI_BASE_URL": url,
        "UMA_OPENAI_MODEL": settings.UMA_BASE_MODEL,
        "UMA_OPENAI_MODELS": ",".join(f"{v.task}={v.name}" for v in _active()),
        "UMA_OPENAI_SCHEMA_FORMAT": schema_format,
    }


def vllm_command(*, port: int) -> list[str]:
    """vLLM serving the prepared base with every active adapter (LoRA applied per request)."""
    active = _active()
    command = ["vllm", "serve", base_model().location, "--served-model-name", settings.UMA_BASE_MODEL]
    command += ["--port", str(port)]
    if active:
        rank = max(int(v.hyperparameters.get("rank", 16)) for v in active)
        command += ["--enable-lora", "--max-lora-rank", str(rank), "--lora-modules"]
        command += [f"{v.name}={v.adapter_path}" for v in active]
    return command


def shell(env: dict[str, str]) -> str:
    return " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
