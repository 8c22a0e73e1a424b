"""LoRA fine-tuning of the base model for one task (peft), on CPU or GPU.

Loss is on the answer only (the prompt is masked). Checkpoints are written every `checkpoint_every`
steps; a run interrupted and started again with the same data and hyper-parameters resumes from the
last one. The finished adapter is saved with its manifest and registered as a candidate version.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from uma.base_model import base_model
from uma.embeddings import device
from uma.llm.backends import chat_prompt
from uma.llm.runner import task_spec
from uma.training import data
from uma.training.registry import version_register

MANIFEST = "uma-version.json"


@dataclass(frozen=True)
class Hyper:
    rank: int = 8
    alpha: int = 16
    dropout: float = 0.05
    learning_rate: float = 2e-3
    epochs: float = 1.0
    batch_size: int = 8
    max_examples: int | None = None  # cap on training examples (gold first), for slow machines
    top_layers: int | None = None  # adapt only the last N transformer layers (faster backward pass)
    max_length: int = 640
    seed: int = 0
    checkpoint_every: int = 20

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:10]


def _examples(task: str, hyper: Hyper) -> list[data.Example]:
    rows = data.load(task, "train")
    rng = random.Random(hyper.seed)
    gold = [e for e in rows if e.origin == "gold"]
    synthetic = [e for e in rows if e.origin != "gold"]
    rng.shuffle(synthetic)
    chosen = (gold + synthetic)[: hyper.max_examples]
    rng.shuffle(chosen)
    return chosen


def _encode(task: str, examples: list[data.Example], tokenizer, max_length: int) -> list[tuple[list[int], list[int]]]:  # noqa: ANN001
    """(input ids, labels) per example: the chat prompt masked with -100, then the answer and end token."""
    spec = task_spec(task)
    encoded = []
    for example in examples:
        data = spec.input_model.model_validate(example.input)
        prompt = chat_prompt(tokenizer, spec.prompt(data))
        # The answer in the schema's field order (reasons, then the verdict): the model reasons first. Only
        # the part the model writes (spec.answer_model): Tandem completes the rest.
        whole = spec.output_model.model_validate(example.output)
        answer = spec.taught(data, whole).model_dump_json() + tokenizer.eos_token
        prompt_ids = tokenizer(prompt, add_special_tokens=False).input_ids
        answer_ids = tokenizer(answer, add_special_tokens=False).input_ids
        ids = (prompt_ids + answer_ids)[:max_length]
        labels = ([-100] * len(prompt_ids) + answer_ids)[:max_length]
        encoded.append((ids, labels))
    return encoded


def _batch(rows: list[tuple[list[int], list[int]]], pad_id: int):  # noqa: ANN202 - tensors
    import torch

    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), -100, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for row, (a, b) in enumerate(rows):
        ids[row, : len(a)] = torch.tensor(a)
        labels[row, : len(b)] = torch.tensor(b)
        mask[row, : len(a)] = 1
    return ids, labels, mask


def _targets(model, layers: int, top: int | None) -> list[str]:  # noqa: ANN001
    """Every linear layer inside the transformer blocks (the last `top` of them, if given), for any base."""
    import torch

    names = []
    for name, module in model.named_modules():
        block = re.search(r"\.(\d+)\.", name)
        if isinstance(module, torch.nn.Linear) and block and (top is None or int(block.group(1)) >= layers - top):
            names.append(name)
    return names


def run_dir(task: str, hyper: Hyper, dataset_hash: str) -> Path:
    """Where an unfinished run keeps its checkpoint: one per dataset, settings and prompt version, so a
    run resumed after the prompt changed starts over instead of mixing two prompts in one adapter."""
    prompt = hashlib.sha256(task_spec(task).prompt_version.encode()).hexdigest()[:6]
    return Path(settings.UMA_DATA_DIR) / "runs" / f"{task}-{dataset_hash[:8]}-{hyper.digest()}-{prompt}"


def finetune(task: str, *, hyper: Hyper, restart: bool = False, progress=None, say=print):  # noqa: ANN001, ANN201
    """Train, save and register a candidate ModelVersion for `task`; returns it."""
    import torch
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    manifest = data.manifest(task)
    if manifest is None:
        raise FileNotFoundError(f"no {task} dataset yet: run `python manage.py uma_dataset --task {task}`")
    base = base_model()
    torch.manual_seed(hyper.seed)
    where = device()
    tokenizer = AutoTokenizer.from_pretrained(base.location)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    examples = _examples(task, hyper)
    encoded = _encode(task, examples, tokenizer, hyper.max_length)
    cut = sum(labels[-1] != tokenizer.eos_token_id for _, labels in encoded)
    if cut:
        say(f"{cut} of {len(encoded)} examples are longer than {hyper.max_length} tokens and were cut (--max-length)")
    steps_per_epoch = -(-len(encoded) // hyper.batch_size)
    total_steps = max(1, round(steps_per_epoch * hyper.epochs))

    model = AutoModelForCausalLM.from_pretrained(base.location, dtype=torch.float32).to(where)  # type: ignore[arg-type]
    layers = model.config.num_hidden_layers
    folder = run_dir(task, hyper, manifest["hash"])
    checkpoint = folder / "checkpoint"
    if restart:
        shutil.rmtree(folder, ignore_errors=True)
    state = json.loads((checkpoint / "state.json").read_text()) if (checkpoint / "state.json").exists() else None
    if state:
        model = PeftModel.from_pretrained(model, checkpoint, is_trainable=True)
        say(f"resuming {task} from step {state['step']} of {total_steps}")
    else:
        config = LoraConfig(
            r=hyper.rank,
            lora_alpha=hyper.alpha,
            lora_dropout=hyper.dropout,
            target_modules=_targets(model, layers, hyper.top_layers),
            task_type="CAUSAL_LM",
        )
        model = get_peft_model(model, config)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=hyper.learning_rate, weight_decay=0.0)
    warmup = max(1, total_steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.05, 1 - step / total_steps)
    )
    start_step, seconds, losses = 0, 0.0, []
    if state:
        optimizer.load_state_dict(torch.load(checkpoint / "optimizer.pt", weights_only=True))
        scheduler.load_state_dict(torch.load(checkpoint / "scheduler.pt", weights_only=True))
        start_step, seconds, losses = state["step"], state["seconds"], state["losses"]
    model.train()
    for step in range(start_step, total_steps):
        epoch, within = divmod(step, steps_per_epoch)
        order = list(range(len(encoded)))
        random.Random(hyper.seed + epoch).shuffle(order)  # the same order whether resumed or not
        chosen = [encoded[i] for i in order[within * hyper.batch_size : (within + 1) * hyper.batch_size]]
        started = time.monotonic()
        ids, labels, mask = (t.to(where) for t in _batch(chosen, pad_id))
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        seconds += time.monotonic() - started
        losses.append(round(loss.item(), 4))
        if (step + 1) % hyper.checkpoint_every == 0 and step + 1 < total_steps:
            _checkpoint(model, optimizer, scheduler, checkpoint, step + 1, seconds, losses)
        if progress:
            progress(step + 1, total_steps, losses[-1])

    name = f"{task}-{timezone.now():%Y%m%d-%H%M%S}-{hyper.digest()[:6]}"
    adapter_dir = Path(settings.UMA_DATA_DIR) / "adapters" / name
    model.save_pretrained(adapter_dir)
    seen = min(total_steps * hyper.batch_size, round(len(encoded) * hyper.epochs))
    info = {
        "name": name,
        "task": task,
        "base_model": base.name,
        "dataset_hash": manifest["hash"],
        "hyperparameters": {**asdict(hyper), "prompt_version": task_spec(task).prompt_version},
        "train_examples": len(encoded),
        "train_seconds": round(seconds, 1),
        "examples_per_second": round(seen / seconds, 3) if seconds else None,
        "device": where,
        "final_loss": losses[-1] if losses else None,
        "loss_curve": losses[:: max(1, len(losses) // 50)],
    }
    (adapter_dir / MANIFEST).write_text(json.dumps(info, indent=2))
    shutil.rmtree(folder, ignore_errors=True)  # finished: nothing to resume
    return version_register(info=info, adapter_path=str(adapter_dir))


def _checkpoint(model, optimizer, scheduler, checkpoint: Path, step: int, seconds: float, losses: list) -> None:  # noqa: ANN001
    import torch

    staging = checkpoint.with_name("checkpoint.partial")
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(staging)
    torch.save(optimizer.state_dict(), staging / "optimizer.pt")
    torch.save(scheduler.state_dict(), staging / "scheduler.pt")
    (staging / "state.json").write_text(json.dumps({"step": step, "seconds": seconds, "losses": losses}))
    shutil.rmtree(checkpoint, ignore_errors=True)
    staging.rename(checkpoint)
