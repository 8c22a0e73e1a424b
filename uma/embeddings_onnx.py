"""The sentence encoder on ONNX Runtime: the same vectors as sentence-transformers on torch (cosine 1.000
on the packaged model), 2.8x faster for one sentence at a time on a 2-core CPU (a search query, a
shortlist's need, a few past-work titles) and 1.1x at batch 64 (bench/uma_speed.py).

The transformer is exported once (by `uma_prepare`, or on first use) to
UMA_MODELS_DIR/embeddings/<model>/model.onnx; pooling and normalising are done here. Only a model
whose pipeline is transformer → mean pooling (→ normalise) is exported; any other runs on torch.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

from django.conf import settings

from uma.base_model import fingerprint

FORMAT = 1
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class NotExportable(Exception):
    pass


def folder_for(name: str) -> Path:
    return Path(settings.UMA_MODELS_DIR) / "embeddings" / name.replace("/", "--")


def _fingerprint(location: str) -> str:
    weights = sorted(Path(location).glob("*.safetensors")) + sorted(Path(location).glob("*.bin"))
    return ";".join(fingerprint(w) for w in weights)


def exported(name: str, location: str, load) -> Path:  # noqa: ANN001 - load() gives the SentenceTransformer
    """The model's ONNX file, exported now (the model loaded with `load`) if missing or stale.
    NotExportable: use torch."""
    folder = folder_for(name)
    folder.mkdir(parents=True, exist_ok=True)
    target, record = folder / "model.onnx", folder / "manifest.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process exports; the others wait and read it
        source = {"format": FORMAT, "source": _fingerprint(location)}
        saved = json.loads(record.read_text()) if record.exists() else {}
        if target.exists() and {k: saved.get(k) for k in source} == source:
            return target
        model = load()
        _export(model, folder / "model.partial.onnx")
        (folder / "model.partial.onnx").rename(target)
        record.write_text(json.dumps({**source, "max_length": model.max_seq_length}))
    return target


def _export(model, path: Path) -> None:  # noqa: ANN001
    import torch
    from sentence_transformers.models import Normalize, Pooling, Transformer

    modules = list(model)
    pooling = modules[1] if len(modules) > 1 else None
    config = pooling.get_config_dict() if isinstance(pooling, Pooling) else {}
    mean = config.get("pooling_mode") == "mean" or config.get("pooling_mode_mean_tokens") is True
    tail_ok = all(isinstance(m, Normalize) for m in modules[2:])
    if not (isinstance(modules[0], Transformer) and mean and tail_ok):
        raise NotExportable("only transformer → mean pooling models are exported")
    transformer = modules[0].auto_model.eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN202
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = model.tokenizer(["a sentence", "another, longer sentence"], padding=True, return_tensors="pt")
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "hidden")}
    with torch.no_grad():
        torch.onnx.export(
            Hidden(),
            tuple(sample[name] for name in INPUTS),
            str(path),
            input_names=list(INPUTS),
            output_names=["hidden"],
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )


class Encoder:
    """Normalised mean-pooled vectors from the exported file (tokenised as sentence-transformers does)."""

    def __init__(self, path: Path, location: str, *, threads: int) -> None:
        import onnxruntime
        from tokenizers import Tokenizer  # not transformers' tokenizer: that would load torch

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        folder = Path(location)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = json.loads((folder / "tokenizer_config.json").read_text())
        pad = config.get("pad_token", "[PAD]")
        pad = pad["content"] if isinstance(pad, dict) else pad
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad) or 0, pad_token=pad)
        max_length = json.loads((path.parent / "manifest.json").read_text())["max_length"]
        self.tokenizer.enable_truncation(max_length=max_length)

    def encode(self, texts: list[str], batch_size: int):  # noqa: ANN201 - a numpy array, one row per text
        import numpy as np

        rows = []
        for start in range(0, len(texts), batch_size):
            encoded = self.tokenizer.encode_batch(texts[start : start + batch_size])
            columns = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            feed = {name: columns[name] for name in self.inputs}
            hidden = self.session.run(None, feed)[0]
            mask = columns["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            rows.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        return np.concatenate(rows)
