"""Reading and checking the settings that come from the environment.

A bad value stops start-up with one line that names the variable (``SystemExit`` prints just
its message), instead of a traceback or, worse, a silent fallback.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
REDIS_SCHEMES = {"redis", "rediss", "unix"}


class ConfigError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"Tandem configuration error: {message}")


def parse_database_url(raw: str) -> dict[str, object]:
    """A Django DATABASES entry for a PostgreSQL URL, or ConfigError naming DATABASE_URL."""
    usage = "expected postgres://USER:PASSWORD@HOST:PORT/NAME"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is malformed ({exc}); {usage}") from None
    if parts.scheme not in POSTGRES_SCHEMES:
        raise ConfigError(f"DATABASE_URL must be a PostgreSQL URL, got scheme {parts.scheme!r}; {usage}")
    query = parse_qs(parts.query)
    host = parts.hostname or query.get("host", [""])[0]
    name = parts.path.lstrip("/")
    if not host or not name or "/" in name:
        raise ConfigError(f"DATABASE_URL is malformed (missing host or database name); {usage}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": host,
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 5},
    }


def check_redis_url(raw: str) -> str:
    usage = "expected redis://HOST:PORT/DB or unix:///PATH/TO/redis.sock?db=N"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ConfigError(f"REDIS_URL is malformed ({exc}); {usage}") from None
    if parts.scheme not in REDIS_SCHEMES:
        raise ConfigError(f"REDIS_URL must be a Redis URL, got scheme {parts.scheme!r}; {usage}")
    if parts.scheme == "unix" and not parts.path:
        raise ConfigError(f"REDIS_URL is malformed (missing socket path); {usage}")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(f"REDIS_URL is malformed (missing host); {usage}")
    try:
        redis_db(raw)
    except ValueError:
        raise ConfigError(f"REDIS_URL is malformed (database must be a number); {usage}") from None
    return raw


def redis_db(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return int(parse_qs(parts.query).get("db", ["0"])[0])
    return int(parts.path.strip("/") or 0)


def with_redis_db(url: str, db: int) -> str:
    """The same Redis server, another logical database."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = parse_qs(parts.query)
        query["db"] = [str(db)]
        return f"unix://{parts.path}?{urlencode(query, doseq=True)}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def celery_broker_url(url: str) -> str:
    """Kombu spells a Unix-socket Redis as redis+socket:///path?virtual_host=N."""
    parts = urlsplit(url)
    if parts.scheme != "unix":
        return url
    return f"redis+socket://{parts.path}?virtual_host={redis_db(url)}"
