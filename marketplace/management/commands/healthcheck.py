import json

from django.core.management.base import BaseCommand, CommandError

from config.health import report


class Command(BaseCommand):
    help = "Check PostgreSQL, pgvector, Redis and a Celery worker; print JSON; exit 1 if any is down."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--skip", action="append", default=[], help="a part not to require (e.g. celery)")

    def handle(self, *args, **options) -> None:
        body = report()
        self.stdout.write(json.dumps(body, indent=2))
        failing = [name for name in body["failing"] if name not in options["skip"]]
        if failing:
            raise CommandError(f"unhealthy: {', '.join(failing)}")
