"""`make run`'s supervisor: the processes it starts and the local .env it writes."""

from __future__ import annotations

import pytest

from config import run


def test_the_web_server_is_gunicorn_with_bounded_workers_and_threads(monkeypatch):
    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("WEB_THREADS", "5")
    monkeypatch.delenv("RELOAD", raising=False)
    web = run.commands("127.0.0.1", 8123)["web"]
    assert web[1:3] == ["-m", "gunicorn"]
    assert web[web.index("--bind") + 1] == "127.0.0.1:8123"
    assert web[web.index("--worker-class") + 1] == "gthread"
    assert (web[web.index("--workers") + 1], web[web.index("--threads") + 1]) == ("3", "5")
    assert "--reload" not in web and "runserver" not in web
    monkeypatch.setenv("RELOAD", "1")
    assert "--reload" in run.commands("127.0.0.1", 8123)["web"]


def test_generation_has_a_worker_of_its_own():
    processes = run.commands("127.0.0.1", 8000)

    def queues(name: str) -> set[str]:
        cmd = processes[name]
        return set(cmd[cmd.index("-Q") + 1].split(","))

    assert queues("worker") == {"default", "embeddings"}
    assert queues("llm-worker") == {"llm"}


def test_the_first_run_writes_a_local_env_once(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ENV_FILE", tmp_path / ".env")
    assert run.local_env() is True
    text = (tmp_path / ".env").read_text()
    secret = next(line for line in text.splitlines() if line.startswith("SECRET_KEY="))
    assert len(secret) > 50 and "SECURE_SSL_REDIRECT=false" in text
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert run.local_env() is False and (tmp_path / ".env").read_text() == text


@pytest.mark.django_db
def test_healthz_db_answers_for_the_database_alone(client):
    response = client.get("/healthz/db")
    assert response.status_code == 200 and response.json() == {"database": "up"}


def test_emails_link_to_the_port_the_server_runs_on(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "ENV_FILE", tmp_path / ".env")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert run.site_url("127.0.0.1", 8765) == "http://127.0.0.1:8765"
    assert run.site_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"  # noqa: S104 - every interface
    (tmp_path / ".env").write_text("SECRET_KEY=x\nSITE_URL=https://tandem.example\n")
    assert run.site_url("127.0.0.1", 8765) is None  # the person's own setting wins
    (tmp_path / ".env").write_text("SECRET_KEY=x\n")
    monkeypatch.setenv("SITE_URL", "https://tandem.example")
    assert run.site_url("127.0.0.1", 8765) is None
