"""What hiring does when something happens in the marketplace: enqueue, nothing else."""

from __future__ import annotations


def proposal_submitted(*, proposal_id: int, **kwargs: object) -> None:
    from hiring.tasks import proposals_assess

    proposals_assess.delay(proposal_ids=[proposal_id])
    from hiring.services.interviews import interview_invite
    from marketplace.models import Proposal

    proposal = Proposal.objects.select_related("job", "freelancer").filter(pk=proposal_id).first()
    if proposal is not None:
        interview_invite(proposal=proposal)
