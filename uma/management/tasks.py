"""Shared by the uma_* commands."""

from django.core.management.base import CommandError

from uma.llm.runner import task_spec
from uma.llm.spec import TaskSpec


def spec_or_error(name: str) -> TaskSpec:
    try:
        return task_spec(name)
    except ValueError as error:
        raise CommandError(str(error)) from None
