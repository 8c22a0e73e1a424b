"""Every task Uma runs; importing this package registers them."""

from uma.task_specs import candidate_rationale, change_summary, invitation_message

__all__ = ["candidate_rationale", "change_summary", "invitation_message"]
