import json

import pytest
from django.db import connection
from django.urls import reverse

from tests.helpers import manage, service_env


@pytest.mark.django_db(transaction=True)
def test_all_four_parts_up(celery_worker, anonymous):
    response = anonymous.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["parts"]) == {"database", "pgvector", "redis", "celery"}
    assert body["parts"]["pgvector"]["detail"].startswith("up (vector 0.8")


@pytest.mark.django_db(transaction=True)
def test_no_worker_means_503_naming_celery(anonymous):
    response = anonymous.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["celery"]
    assert body["parts"]["database"]["ok"] is True


@pytest.mark.django_db
def test_missing_pgvector_is_named(anonymous):
    # DDL is transactional in PostgreSQL: the test's transaction puts the extension back.
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION vector CASCADE")
    body = anonymous.get(reverse("healthz")).json()
    assert "pgvector" in body["failing"]
    assert "not installed" in body["parts"]["pgvector"]["detail"]


@pytest.mark.django_db
def test_unreachable_redis_is_named(anonymous, settings, tmp_path):
    settings.REDIS_URL = f"unix://{tmp_path / 'nothing.sock'}"
    response = anonymous.get(reverse("healthz"))
    assert response.status_code == 503
    assert "redis" in response.json()["failing"]


def test_unreachable_database_is_named_by_the_healthcheck_command():
    env = service_env(DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere")
    result = manage("healthcheck", "--skip", "celery", env=env)
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["parts"]["database"]["ok"] is False
    assert "database" in result.stderr


@pytest.mark.django_db
def test_healthz_is_never_cached(anonymous):
    response = anonymous.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"]
