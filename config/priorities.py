"""Priorities within a Celery queue (Redis: 0 goes first; kombu's steps are 0, 3, 6, 9).

URGENT (the default): what a person is waiting for on the page — a shortlist a client asked for,
invitation drafts, the steps of a job post. BACKGROUND: what is shown when it is ready — summaries of
counter-offers, verdicts on proposals, interview assessments — and what Tandem started itself (a scan's
shortlists). Within a priority it is first come, first served, so a flood of counter-offers delays a
scan's shortlist by the backlog ahead of it but never a shortlist a client asked for.
"""

URGENT, BACKGROUND = 0, 6
