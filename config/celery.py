"""The Celery app. Settings come from Django's (the CELERY_ namespace in config/settings.py).

Work is recorded in PostgreSQL before it is queued (notifications, emails, summaries, shortlists), so a
broker that is down when a transaction commits must not turn a saved action into an error: the task is
logged as not queued, and the beat sweeps (`marketplace.tasks.outbox_sweep`, `offers_sweep`,
`recruiter.tasks.shortlists_resume`) queue it again once Redis is back.
"""

import functools
import logging
import os

from celery import Celery, signals
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
log = logging.getLogger(__name__)


class Task(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        """Queue after commit; if the broker can't be reached, say so and leave it to the sweeps."""
        transaction.on_commit(functools.partial(self._queue_or_log, args, kwargs))

    def queue_on_commit(self, *, priority: int, **kwargs) -> None:
        """delay_on_commit(**kwargs) at a priority (URGENT or BACKGROUND) other than the task's route's."""
        transaction.on_commit(functools.partial(self._queue_or_log, (), kwargs, priority))

    def _queue_or_log(self, args: tuple, kwargs: dict, priority: int | None = None) -> None:
        try:  # without a priority, the task's route says (config/priorities.py)
            self.apply_async(args, kwargs, **({} if priority is None else {"priority": priority}))
        except (OperationalError, OSError) as error:
            log.warning("%s not queued (broker unreachable: %s); a sweep will queue it again", self.name, error)


app = Celery("tandem", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

WORKER = {"serves_llm": False}  # set in a worker's main process, inherited by its forked children


@signals.celeryd_init.connect
def _note_queues(options: dict | None = None, **_: object) -> None:
    queues = (options or {}).get("queues")
    WORKER["serves_llm"] = not queues or "llm" in queues  # no -Q: every queue


@signals.worker_process_init.connect
def _warm_engines(**_: object) -> None:
    """Each child of a worker that generates loads its engines now, not when the first person asks."""
    if WORKER["serves_llm"]:
        from uma.llm.warm import engines_warm_safely

        engines_warm_safely()
