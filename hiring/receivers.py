"""What hiring does when something happens in the marketplace: enqueue, nothing else."""

from __future__ import annotations


def proposal_submitted(*, proposal_id: int, **kwargs: object) -> None:
    from hiring import tasks

    tasks.proposals_assess.delay(proposal_ids=[proposal_id])
    tasks.interview_invite.delay(proposal_id=proposal_id)
