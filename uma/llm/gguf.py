"""The files llama.cpp serves: the base GGUF re-encoded as Q8_0, and for each model version the base with
its LoRA adapter merged in (a merged model decodes as fast as the base; a run-time LoRA costs ~25%).

A file is written once, under UMA_SERVED_DIR/<base>/, beside a manifest that records the sha256 of
the base GGUF's fingerprint and of the adapter's files. A file whose manifest no longer matches (the
adapter or the base changed) is written again; a rollback finds the older version's file in place.

Only a GGUF base can be served this way: the packaged one (UMA_BASE_MODEL), or UMA_BASE_GGUF. Any
other base runs on transformers.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path

from django.conf import settings

from uma.base_model import PACKAGED_GGUF, fingerprint, packaged_gguf

FORMAT = 1  # bump when the export changes, so existing files are written again
HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}


class ExportError(Exception):
    """The adapter cannot be merged into this base (another base, other shapes, unknown layers)."""


def base_gguf() -> Path | None:
    """The base model as a GGUF file, if there is one."""
    if settings.UMA_BASE_GGUF:
        return Path(settings.UMA_BASE_GGUF)
    if settings.UMA_BASE_MODEL in PACKAGED_GGUF:
        return packaged_gguf(settings.UMA_BASE_MODEL)
    return None


def _adapter_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def manifest_of(base: Path, adapter: Path | None) -> dict:
    return {
        "format": FORMAT,
        "base_model": settings.UMA_BASE_MODEL,
        "base": fingerprint(base),
        "adapter": _adapter_hash(adapter) if adapter else None,
    }


def served_file(name: str, adapter: Path | None) -> Path:
    """The GGUF to serve for a version (`name`, its adapter folder) or the base (adapter None): written
    now if missing or stale. Raises ExportError or FileNotFoundError when it cannot be made."""
    base = base_gguf()
    if base is None or not base.exists():
        raise FileNotFoundError(f"{settings.UMA_BASE_MODEL} has no GGUF file (set UMA_BASE_GGUF to serve it)")
    folder = Path(settings.UMA_SERVED_DIR) / settings.UMA_BASE_MODEL
    folder.mkdir(parents=True, exist_ok=True)
    target, record = folder / f"{name}.gguf", folder / f"{name}.json"
    wanted = manifest_of(base, adapter)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two workers never write the same file at once
        if target.exists() and record.exists() and json.loads(record.read_text()) == wanted:
            return target
        staging = target.with_suffix(".partial")
        _merge(base, adapter, staging)
        staging.rename(target)  # all or nothing
        record.write_text(json.dumps(wanted, indent=2))
    return target


def served_prepare(name: str, adapter: Path | None, *, say=print) -> Path | None:  # noqa: ANN001
    """Write a version's (or the base's) served file ahead of its first use: at promotion and in
    uma_prepare. None when this machine serves with transformers. ExportError: the adapter can't merge."""
    if settings.UMA_LOCAL_ENGINE != "llamacpp":
        return None
    try:
        path = served_file(name, adapter)
    except FileNotFoundError as error:
        say(f"{name}: transformers will serve it ({error})")
        return None
    say(f"{name}: llama.cpp serves {path}")
    return path


def _permute(w, heads: int):  # noqa: ANN001, ANN202 - numpy arrays
    """llama.cpp's row order for the query and key projections (rotary pairs side by side)."""
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _deltas(reader, adapter: Path) -> dict:  # noqa: ANN001 - a GGUFReader
    """GGUF tensor name → scale · B·A, in llama.cpp's layout."""
    import numpy as np
    from safetensors.numpy import load_file

    config = json.loads((adapter / "adapter_config.json").read_text())
    info = adapter / "uma-version.json"
    if info.exists() and json.loads(info.read_text()).get("base_model") != settings.UMA_BASE_MODEL:
        raise ExportError(f"{adapter.name} was trained on another base than {settings.UMA_BASE_MODEL}")
    scale = config["lora_alpha"] / (config["r"] ** 0.5 if config.get("use_rslora") else config["r"])
    arch = _field(reader, "general.architecture")
    heads = {
        "self_attn.q_proj": int(_field(reader, f"{arch}.attention.head_count")),
        "self_attn.k_proj": int(_field(reader, f"{arch}.attention.head_count_kv")),
    }
    weights = load_file(str(adapter / "adapter_model.safetensors"))
    deltas = {}
    for key, a in weights.items():
        if ".lora_A." not in key:
            continue
        module = key.split("layers.", 1)[-1].split(".lora_A.")[0]  # "19.mlp.up_proj"
        layer, part = module.split(".", 1)
        if part not in HF_TO_GGUF or not layer.isdigit():
            raise ExportError(f"{adapter.name}: no llama.cpp tensor for {key}")
        delta = scale * (weights[key.replace(".lora_A.", ".lora_B.")].astype(np.float32) @ a.astype(np.float32))
        deltas[f"blk.{layer}.{HF_TO_GGUF[part]}.weight"] = _permute(delta, heads[part]) if part in heads else delta
    return deltas


def _field(reader, key: str):  # noqa: ANN001, ANN202 - a GGUFReader; the field's value
    field = reader.get_field(key)
    if field is None:
        raise ExportError(f"the base GGUF has no {key}")
    return field.contents()


def _merge(base: Path, adapter: Path | None, out: Path) -> None:
    """Write the base (with the adapter merged in, if any) as GGUF, its matrices in Q8_0."""
    import gguf
    import numpy as np

    reader = gguf.GGUFReader(str(base))
    deltas = _deltas(reader, adapter) if adapter else {}
    writer = gguf.GGUFWriter(str(out), arch=str(_field(reader, "general.architecture")))
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        value = int(gguf.LlamaFileType.MOSTLY_Q8_0) if field.name == "general.file_type" else field.contents()
        writer.add_key_value(field.name, value, kind, sub_type=sub)
    q8 = gguf.GGMLQuantizationType.Q8_0
    tensors = []
    for tensor in reader.tensors:
        as_it_is = len(tensor.shape) < 2 or tensor.tensor_type in (gguf.GGMLQuantizationType.F32, q8)
        if as_it_is and tensor.name not in deltas:
            tensors.append((tensor.name, tensor.data, tensor.tensor_type))  # norms, and what is Q8_0 already
            continue
        weight = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        delta = deltas.pop(tensor.name, None)
        if delta is not None:
            if delta.shape != weight.shape:
                raise ExportError(f"{tensor.name}: the adapter's shape {delta.shape} is not the base's {weight.shape}")
            weight += delta
        tensors.append((tensor.name, gguf.quants.quantize(weight, q8), q8))
    if deltas:
        raise ExportError(f"the base has no tensor for {', '.join(sorted(deltas)[:3])}")
    for name, data, qtype in tensors:
        writer.add_tensor_info(name, data.shape, data.dtype, data.nbytes, qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for _, data, _ in tensors:
        writer.write_tensor_data(data)
    writer.close()
