"""What hiring does when something happens in the marketplace: enqueue, nothing else."""

from __future__ import annotations


def proposal_submitted(*, proposal_id: int, **kwargs: object) -> None:
    from hiring.tasks import proposals_assess

    proposals_assess.delay(proposal_ids=[proposal_id])
