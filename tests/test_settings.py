"""Settings come from the environment, and a bad value stops start-up with one line naming it."""

import secrets

import pytest
from django.conf import settings

from config.env import ConfigError, celery_broker_url, parse_database_url, with_redis_db
from tests.helpers import manage, service_env


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "sqlite:///db.sqlite3"),
        ("DATABASE_URL", "postgres://user@host:notaport/db"),
        ("DATABASE_URL", "postgres://user@host:5432/"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "redis://:6379/0"),
        ("REDIS_URL", "redis://localhost:port/0"),
        ("REDIS_URL", "redis://localhost:6379/zero"),
        ("REDIS_URL", "unix://"),
    ],
)
def test_malformed_url_stops_start_up_with_one_line(variable, value):
    result = manage("check", env=service_env(**{variable: value}))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_secret_key_without_debug_stops_start_up():
    result = manage("check", env=service_env(DEBUG="false", SECRET_KEY=""))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Tandem configuration error: SECRET_KEY is not set; it is required when DEBUG is false"
    ]


def test_check_deploy_is_clean_with_production_settings():
    env = service_env(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="tandem.example.com")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_parsing():
    config = parse_database_url("postgres://tandem:s3cret@db.internal:6543/tandem")
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"], config["PASSWORD"]) == (
        "db.internal",
        "6543",
        "tandem",
        "tandem",
        "s3cret",
    )
    socket_config = parse_database_url("postgresql://postgres@/tandem?host=/run/pg")
    assert socket_config["HOST"] == "/run/pg"
    with pytest.raises(ConfigError):
        parse_database_url("mysql://u@h/db")


def test_redis_urls_for_celery_and_tests():
    assert with_redis_db("redis://cache:6379/0", 1) == "redis://cache:6379/1"
    assert with_redis_db("unix:///var/redis.sock", 3) == "unix:///var/redis.sock?db=3"
    assert celery_broker_url("unix:///v/redis.sock?db=2") == "redis+socket:///v/redis.sock?virtual_host=2"
    assert celery_broker_url("redis://cache:6379/0") == "redis://cache:6379/0"


def test_only_real_services_are_configured():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://", "redis+socket://"))
    assert not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
