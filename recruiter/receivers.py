"""What the recruiter does when something happens in the marketplace: enqueue, nothing else."""

from __future__ import annotations


def contract_activity(*, contract_id: int, what: str, **kwargs: object) -> None:
    from recruiter.tasks import contract_check

    contract_check.delay(contract_id=contract_id)


def invitation_answered(*, invitation_id: int, status: str, **kwargs: object) -> None:
    if status == "accepted":
        from recruiter.tasks import invitation_answered as answered

        answered.delay(invitation_id=invitation_id)
