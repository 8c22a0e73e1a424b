"""The production path: docker-compose names the six services, each with a healthcheck."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_has_the_six_services_with_healthchecks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "worker-llm", "beat"}
    assert "pgvector" in services["db"]["image"]
    for name, service in services.items():
        assert "healthcheck" in service, name
    for name in ("web", "worker", "worker-llm", "beat"):
        environment = services[name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(environment), name
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}


def test_generation_has_its_own_worker_and_the_web_server_bounded_threads():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]

    def queues(name: str) -> set[str]:
        command = services[name]["command"]
        return set(command[command.index("-Q") + 1].split(","))

    assert queues("worker") == {"default", "embeddings"} and queues("worker-llm") == {"llm"}
    web = " ".join(services["web"]["command"])
    assert "--worker-class gthread" in web and "--workers 3" in web and "--threads 4" in web
    assert "media" not in web  # uploads are served by the app's download view only
