"""The openai backend against a real OpenAI-compatible server: llama-cpp-python's, serving the files
`manage.py uma_llm_server` lists (the base, and the shipped version with its adapter merged in)."""

import json
import subprocess
import sys
import urllib.request

import pytest
from django.core.management import call_command

from tests.helpers import free_port, shipped_adapter, wait_for
from uma.llm.runner import run
from uma.models import AuditRecord
from uma.training.data import gold, split_of

pytestmark = pytest.mark.django_db


def answering(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/models", timeout=2) as response:  # noqa: S310 - 127.0.0.1
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def llm_server(shipped_models, tmp_path, capsys):
    port = free_port()
    config = tmp_path / "llm-server.json"
    call_command("uma_llm_server", "--out", str(config), "--port", str(port), "--threads", "1")
    printed = capsys.readouterr().out
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "llama_cpp.server", "--config_file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        assert wait_for(lambda: server.poll() is None and answering(url), 90, every=0.5), server.poll()
        yield url, json.loads(config.read_text()), printed
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_shipped_version_answers_by_name_through_the_server(llm_server, settings):
    url, config, printed = llm_server
    aliases = [m["model_alias"] for m in config["models"]]
    assert aliases[0] == settings.UMA_BASE_MODEL and shipped_adapter("candidate_rationale").name in aliases
    assert "python -m llama_cpp.server --config_file" in printed and "vllm serve" in printed
    named = shipped_adapter("candidate_rationale").name
    settings.UMA_BACKEND, settings.UMA_OPENAI_BASE_URL = "openai", url
    settings.UMA_OPENAI_MODEL, settings.UMA_OPENAI_MODELS = settings.UMA_BASE_MODEL, {"candidate_rationale": named}
    settings.UMA_OPENAI_SCHEMA_FORMAT = "json_object"  # llama-cpp-python's server takes the schema this way
    example = next(e for e in gold("candidate_rationale") if split_of(e.entity) == "test")
    result = run("candidate_rationale", example.input)
    assert result.model_version == f"openai:{named}"
    assert result.source == "model" and result.grounding.grounded  # the merged adapter, constrained by the schema
    assert result.output.verdict == example.output["verdict"]
    assert AuditRecord.objects.get(pk=result.audit_id).model_version == f"openai:{named}"


def test_a_server_that_is_away_leaves_the_rules_to_answer(settings):
    settings.UMA_BACKEND, settings.UMA_OPENAI_BASE_URL = "openai", f"http://127.0.0.1:{free_port()}/v1"
    settings.UMA_OPENAI_TIMEOUT = 2
    example = next(e for e in gold("candidate_rationale") if split_of(e.entity) == "test")
    result = run("candidate_rationale", example.input)
    assert result.source == "fallback" and len(result.attempts) == 2
    assert all(a.startswith("error: ") for a in result.attempts)
