"""The embedded servers: real, shared, surviving restarts and crashes (each test in its own folder)."""

import os
import signal
import socket
import time

import psycopg
import pytest

from config import embedded


@pytest.fixture
def own_var(tmp_path, monkeypatch):
    monkeypatch.setenv("TANDEM_VAR_DIR", str(tmp_path))
    yield tmp_path
    embedded.stop_redis()
    embedded.stop_postgres()


def _wait_dead(pid: int) -> None:
    for _ in range(200):
        if not embedded._pid_alive(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"pid {pid} still alive")


def _connect(config):
    return psycopg.connect(host=config["HOST"], user=config["USER"], dbname=config["NAME"], autocommit=True)


def test_postgres_recovers_from_a_crash_with_a_stale_pid_file_and_keeps_data(own_var):
    config = embedded.postgres_settings()
    with _connect(config) as conn:
        conn.execute("CREATE TABLE kept (v text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")
        assert conn.execute("SELECT default_version FROM pg_available_extensions WHERE name='vector'").fetchone()
    pid = int((own_var / "pg" / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)  # a crash: postmaster.pid is left behind
    _wait_dead(pid)
    assert (own_var / "pg" / "postmaster.pid").exists()
    assert not embedded.postgres_running()

    config = embedded.postgres_settings()
    with _connect(config) as conn:
        assert conn.execute("SELECT v FROM kept").fetchone() == ("still here",)
    assert embedded.stop_postgres() is True
    assert not embedded.postgres_running()


def _redis(command: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(embedded.redis_socket()))
        conn.sendall(command)
        return conn.recv(64)


def test_redis_keeps_data_across_a_restart_and_recovers_from_a_crash(own_var):
    url = embedded.redis_url()
    assert url.startswith("unix://")
    assert _redis(b"SET kept yes\r\n").startswith(b"+OK")
    assert embedded.stop_redis() is True
    embedded.redis_url()
    assert _redis(b"GET kept\r\n") == b"$3\r\nyes\r\n"

    pid = int((own_var / "redis" / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    _wait_dead(pid)
    assert (own_var / "redis" / "redis.pid").exists()  # stale
    embedded.redis_url()
    assert embedded.redis_running()


def test_starting_twice_reuses_the_running_servers(own_var):
    first = embedded.postgres_settings()
    pid = int((own_var / "pg" / "postmaster.pid").read_text().split()[0])
    assert embedded.postgres_settings() == first
    assert int((own_var / "pg" / "postmaster.pid").read_text().split()[0]) == pid
