"""The production path: docker-compose names the five services, each with a healthcheck."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_has_the_five_services_with_healthchecks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert "pgvector" in services["db"]["image"]
    for name, service in services.items():
        assert "healthcheck" in service, name
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(environment), name
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}
