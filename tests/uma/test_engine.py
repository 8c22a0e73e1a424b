"""The llama.cpp engine on the real model files: the same answers as transformers, batches that match
one-at-a-time answers, the shared beginning evaluated once, and every way it can fail falling back."""

import json
import logging
import os
import sys

import pytest

from tests.helpers import shipped_adapter
from uma.llm import backends
from uma.llm.backends import Adapter, chat_prompt, generate_local_batch
from uma.llm.gguf import ExportError, manifest_of, served_file
from uma.llm.llamacpp import Engine
from uma.llm.runner import run, task_spec
from uma.models import AuditRecord
from uma.task_specs import TASKS
from uma.training.data import gold, split_of

SHIPPED = shipped_adapter("candidate_rationale")
ADAPTER = Adapter(SHIPPED.name, str(SHIPPED))


def rationale_prompts(n: int, *, same_job: bool = False) -> list:
    spec = task_spec("candidate_rationale")
    examples = [e for e in gold("candidate_rationale") if split_of(e.entity) == "test"][:n]
    inputs = [dict(e.input) for e in examples]
    if same_job:
        inputs = [{**i, "job": inputs[0]["job"]} for i in inputs]
    return [spec.prompt(spec.input_model.model_validate(i)) for i in inputs]


def token_ids(messages_list: list) -> list[list[int]]:
    from uma.base_model import base_model

    tokenizer = backends._tokenizer(base_model().location)
    return [tokenizer(chat_prompt(tokenizer, m), add_special_tokens=False).input_ids for m in messages_list]


def test_llamacpp_answers_as_transformers_does_with_the_shipped_adapter():
    prompts = rationale_prompts(3)
    fast = generate_local_batch(prompts, max_new_tokens=120, adapter=ADAPTER, engine="llamacpp")
    slow = [generate_local_batch([p], max_new_tokens=120, adapter=ADAPTER, engine="transformers")[0] for p in prompts]
    assert [g.text for g in fast] == [g.text for g in slow]
    assert all(g.model_version.endswith(f"{SHIPPED.name}/llama.cpp") and not g.note for g in fast)
    assert all(g.model_version.endswith(f"{SHIPPED.name}/transformers") for g in slow)
    assert [g.completion_tokens for g in fast] == [g.completion_tokens for g in slow]


def test_a_batch_gives_the_answers_one_at_a_time_gives_and_evaluates_the_shared_job_once():
    path = served_file(SHIPPED.name, SHIPPED)
    ids = token_ids(rationale_prompts(4, same_job=True))
    engine = Engine(str(path), threads=2, sequences=4)
    try:
        alone = [engine.generate([p], max_new_tokens=120, seconds=60)[0].tokens for p in ids]
        engine.evaluated = 0
        together = engine.generate(ids, max_new_tokens=120, seconds=60)
        assert [o.tokens for o in together] == alone
        shared = os.path.commonprefix(ids)  # type: ignore[type-var]
        assert len(shared) > 100  # the system prompt, the instructions and the job
        # The job's part was cached by the calls before: only each candidate's own part is evaluated.
        assert engine.evaluated == sum(len(p) - len(shared) for p in ids)
    finally:
        engine.close()


def test_guessed_tokens_change_no_answer_and_take_fewer_steps():
    """Prompt-lookup guesses: alone, and two at a time, the same tokens as plain greedy decoding."""
    path = served_file(SHIPPED.name, SHIPPED)
    ids = token_ids(rationale_prompts(4))
    engine = Engine(str(path), threads=2, sequences=4)
    try:
        answers, steps = {}, {}
        for guesses in (0, 2):
            engine._answers, engine.steps = [], 0
            alone = [engine.generate([p], max_new_tokens=120, seconds=60, guesses=guesses)[0].tokens for p in ids]
            steps[guesses] = engine.steps
            pairs = [
                o.tokens
                for pair in (ids[:2], ids[2:])
                for o in engine.generate(pair, max_new_tokens=120, seconds=60, guesses=guesses)
            ]
            answers[guesses] = alone, pairs
        assert answers[2] == answers[0] and answers[0][0] == answers[0][1]
        assert steps[2] < 0.75 * steps[0], steps
    finally:
        engine.close()


def test_a_model_file_that_cannot_load_falls_back_to_transformers_with_one_log_line(
    fresh_engines, settings, tmp_path, caplog
):
    settings.UMA_SERVED_DIR = tmp_path
    from uma.llm.gguf import base_gguf

    folder = tmp_path / settings.UMA_BASE_MODEL
    folder.mkdir()
    (folder / f"{SHIPPED.name}.gguf").write_bytes(b"GGUF" + b"\0" * 64)  # corrupt, with a manifest that matches
    (folder / f"{SHIPPED.name}.json").write_text(json.dumps(manifest_of(base_gguf(), SHIPPED)))
    prompts = rationale_prompts(1)
    with caplog.at_level(logging.ERROR, logger="uma.llm.backends"):
        first = generate_local_batch(prompts, max_new_tokens=8, adapter=ADAPTER, engine="llamacpp")[0]
        second = generate_local_batch(prompts, max_new_tokens=8, adapter=ADAPTER, engine="llamacpp")[0]
    assert first.model_version.endswith(f"{SHIPPED.name}/transformers") and second.model_version == first.model_version
    assert "llama.cpp could not serve" in first.note
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "llama.cpp cannot serve" in errors[0].getMessage()


@pytest.mark.django_db
def test_without_the_llama_cpp_build_the_audit_says_transformers_answered(fresh_engines, shipped_models, monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # as if llama-cpp-python were not installed
    example = next(e for e in gold("candidate_rationale") if split_of(e.entity) == "test")
    result = run("candidate_rationale", example.input)
    record = AuditRecord.objects.get(pk=result.audit_id)
    assert record.model_version.endswith(f"{SHIPPED.name}/transformers")
    assert any("llama.cpp could not serve" in a and "not installed" in a for a in record.attempts)


def test_an_adapter_trained_on_another_base_is_refused(tmp_path, settings):
    settings.UMA_SERVED_DIR = tmp_path / "served"
    other = tmp_path / "other-base-adapter"
    other.mkdir()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        (other / name).write_bytes((SHIPPED / name).read_bytes())
    info = json.loads((SHIPPED / "uma-version.json").read_text())
    (other / "uma-version.json").write_text(json.dumps({**info, "base_model": "qwen-0.5b"}))
    with pytest.raises(ExportError, match="another base"):
        served_file("other", other)
    assert not list((tmp_path / "served").rglob("*.gguf"))  # nothing half-written left


def test_a_version_file_is_written_once_and_again_only_when_its_adapter_changes(tmp_path, settings):
    settings.UMA_SERVED_DIR = tmp_path / "served"
    copy = tmp_path / "adapter"
    copy.mkdir()
    for name in ("adapter_config.json", "adapter_model.safetensors", "uma-version.json"):
        (copy / name).write_bytes((SHIPPED / name).read_bytes())
    first = served_file("v1", copy)
    written = first.stat().st_mtime_ns
    assert served_file("v1", copy).stat().st_mtime_ns == written  # a rollback finds it in place
    config = json.loads((copy / "adapter_config.json").read_text())
    (copy / "adapter_config.json").write_text(json.dumps({**config, "lora_alpha": config["lora_alpha"] * 2}))
    assert served_file("v1", copy).stat().st_mtime_ns != written


@pytest.mark.django_db
def test_a_generation_past_its_time_limit_is_cut_off_retried_once_then_the_rules_answer(
    fresh_engines, shipped_models, settings
):
    settings.UMA_GENERATION_SECONDS = 0.05
    example = next(e for e in gold("candidate_rationale") if split_of(e.entity) == "test")
    result = run("candidate_rationale", example.input)
    assert result.source == "fallback" and result.grounding.grounded
    assert result.attempts == ["error: generation passed its limit of 0.05 s"] * 2


@pytest.mark.parametrize("task", TASKS)
def test_the_prompt_tokens_without_transformers_are_transformers_own(task):
    from uma.base_model import base_model
    from uma.llm.tokens import tokens_for

    spec = task_spec(task)
    location = base_model().location
    hf, ours = backends._tokenizer(location), tokens_for(location)
    for example in gold(task)[:3]:
        messages = spec.prompt(spec.input_model.model_validate(example.input))
        assert ours.prompt(messages) == chat_prompt(hf, messages)
        assert ours.ids(messages) == token_ids([messages])[0]
        answer = hf(json.dumps(example.output, ensure_ascii=False), add_special_tokens=False).input_ids
        assert ours.decode(answer) == hf.decode(answer, skip_special_tokens=True)


@pytest.mark.django_db(transaction=True)  # the child process reads the registered version
def test_a_worker_serving_llama_cpp_never_loads_torch(shipped_models):
    """The llm worker's memory: llama.cpp, the ONNX encoder and the injection classifier, no PyTorch."""
    import subprocess

    from tests.helpers import ROOT, service_env

    script = (
        "import django, sys; django.setup()\n"
        "from uma.embeddings import embed; from uma.llm.runner import run; from uma.training.data import gold\n"
        "embed(['a need']); r = run('candidate_rationale', gold('candidate_rationale')[0].input)\n"
        "print(r.model_version, 'torch' in sys.modules)\n"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=service_env(DJANGO_SETTINGS_MODULE="config.settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == [f"smollm2-135m-instruct@{SHIPPED.name}/llama.cpp", "False"]


def test_each_process_generates_on_the_threads_it_is_given(fresh_engines, settings):
    """UMA_THREADS is per process (cores / llm processes), so two workers never share each other's cores."""
    import llama_cpp

    settings.UMA_THREADS = 1
    engine = backends._served(SHIPPED.name, ADAPTER)
    assert llama_cpp.llama_n_threads(engine._ctx.ctx) == llama_cpp.llama_n_threads_batch(engine._ctx.ctx) == 1


def test_llamacpp_is_built_for_the_vector_units_this_cpu_has():
    """`make` builds llama.cpp with AVX-512 where the CPU has it (1.2x here), never for one machine."""
    import llama_cpp

    flags = set(open("/proc/cpuinfo").read().split())
    built = llama_cpp.llama_print_system_info().decode()
    assert "AVX2 = 1" in built
    avx512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_vnni", "avx512vbmi", "avx512_bf16"}
    assert ("AVX512_VNNI = 1" in built) == avx512.issubset(flags), built
    assert "AMX_INT8 = 1" not in built, "AMX kernels stop with SIGILL on these machines"
