"""Every task Uma runs; importing this package registers them."""

from uma.task_specs import change_summary

__all__ = ["change_summary"]
