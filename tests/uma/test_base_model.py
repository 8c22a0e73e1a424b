"""The base LLM is the real SmolLM2-135M-Instruct, converted from its packaged GGUF by uma_prepare."""

import json
from pathlib import Path

import pytest

from uma.base_model import MARKER, base_model, prepare


def test_prepare_is_done_once_and_says_so():
    said = []
    folder = prepare(say=said.append)  # `make test` ran uma_prepare already: nothing to convert
    assert "already prepared" in said[0]
    assert (folder / "model.safetensors").stat().st_size > 100_000_000
    assert json.loads((folder / MARKER).read_text())["gguf"].endswith(".gguf")


def test_the_prepared_base_loads_and_generates():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    location = base_model().location
    tokenizer = AutoTokenizer.from_pretrained(location)
    model = AutoModelForCausalLM.from_pretrained(location)
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "Name one programming language."}], add_generation_prompt=True, tokenize=False
    )
    ids = tokenizer(prompt, return_tensors="pt").input_ids
    out = model.generate(ids, max_new_tokens=8, do_sample=False)
    text = tokenizer.decode(out[0][ids.shape[1] :], skip_special_tokens=True)
    assert out.shape[1] > ids.shape[1] and text.strip()


def test_another_base_is_one_setting_away(settings, tmp_path):
    settings.UMA_BASE_MODEL = str(tmp_path / "my-model")
    assert base_model().location == str(tmp_path / "my-model")
    said = []
    assert prepare(say=said.append) is None and "used as it is" in said[0]


def test_an_unprepared_packaged_base_says_what_to_run(settings, tmp_path):
    settings.UMA_MODELS_DIR = Path(tmp_path)
    with pytest.raises(FileNotFoundError, match="uma_prepare"):
        base_model()
