"""The openai backend against a real HTTP server speaking the chat-completions protocol."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from uma.llm.runner import run

DIFF = {"changes": [{"field": "rate", "label": "Rate", "old": "40", "new": "48", "unit": "$/hr"}]}


@pytest.fixture
def server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, self.headers["Authorization"], body))
            content = '{"summary": "The rate rises from $40 to $48."}'
            usage = {"prompt_tokens": 30, "completion_tokens": 9}
            answer = {"model": body["model"], "usage": usage, "choices": [{"message": {"content": content}}]}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1", seen
    httpd.shutdown()


@pytest.mark.django_db
def test_a_task_routed_to_an_openai_compatible_server(server, settings):
    url, seen = server
    settings.UMA_TASK_BACKENDS = {"change_summary": "openai"}
    settings.UMA_OPENAI_BASE_URL, settings.UMA_OPENAI_API_KEY, settings.UMA_OPENAI_MODEL = url, "k-123", "served-model"
    result = run("change_summary", DIFF)
    assert (result.source, result.output.summary) == ("model", "The rate rises from $40 to $48.")
    assert result.model_version == "openai:served-model" and (result.prompt_tokens, result.completion_tokens) == (30, 9)
    path, auth, body = seen[0]
    assert (path, auth, body["temperature"]) == ("/v1/chat/completions", "Bearer k-123", 0)
    schema = body["response_format"]["json_schema"]["schema"]  # constrained decoding on the server
    assert schema["required"] == ["summary"] and "<<<changes" in body["messages"][-1]["content"]


@pytest.mark.django_db
def test_an_unknown_backend_is_a_clear_error(settings):
    settings.UMA_TASK_BACKENDS = {"change_summary": "carrier-pigeon"}
    with pytest.raises(ValueError, match="unknown Uma backend"):
        run("change_summary", DIFF)
