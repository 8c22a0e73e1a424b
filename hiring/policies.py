"""Who sees what in hiring: a job draft is its organisation's (anyone else: not found)."""

from __future__ import annotations

from django.db.models import QuerySet

from hiring.models import JobDraft
from marketplace import policies
from marketplace.models import User


def job_drafts_visible(user: User) -> QuerySet[JobDraft]:
    return JobDraft.objects.filter(organization_id__in=policies.org_ids(user))
