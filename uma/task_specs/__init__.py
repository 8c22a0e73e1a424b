"""Every task Uma runs; importing this package registers them."""

from uma.task_specs import (
    candidate_rationale,
    change_summary,
    interview_assessment,
    interview_questions,
    invitation_message,
    job_post_draft,
    job_post_questions,
)

__all__ = [
    "candidate_rationale",
    "change_summary",
    "interview_assessment",
    "interview_questions",
    "invitation_message",
    "job_post_draft",
    "job_post_questions",
]

TASKS = tuple(__all__)  # every task's name (each module is named after its task)
