"""Uma prepares, people decide (marketplace/uma_policy.py): nothing in PERSON_MUST happens without a
person's click — not when Uma's own work runs for a contract in trouble, and not when a background
job calls a decision service with no one behind it."""

from __future__ import annotations

import pytest

from marketplace.errors import NotAllowed
from marketplace.models import Contract, Invitation, JobPost, Proposal
from marketplace.services import jobs
from marketplace.uma_policy import PERSON_MUST, UMA_MAY, require_person
from offers.models import Offer
from offers.services import negotiation
from recruiter.models import ShortlistEntry
from recruiter.services import invitations
from tests.factories import JobFactory
from tests.offers.test_negotiation import fixed_terms

pytestmark = pytest.mark.django_db


def _decisions() -> tuple[int, ...]:
    return (
        Invitation.objects.count(),
        Offer.objects.count(),
        Contract.objects.count(),
        JobPost.objects.filter(status=JobPost.Status.OPEN).count(),
        Proposal.objects.filter(status=Proposal.Status.DECLINED).count(),
    )


def test_the_policy_is_written_once_and_its_two_lists_do_not_overlap():
    assert set(UMA_MAY).isdisjoint(PERSON_MUST)
    assert set(PERSON_MUST) == {"post", "invite", "reject", "hire"}
    with pytest.raises(ValueError, match="not one of"):
        require_person(None, "draft")  # Uma's own work needs no gate


def test_uma_alone_shortlists_reasons_and_drafts_but_decides_nothing(ready, alice):
    """Everything Uma does by itself for alice's contract in trouble: the shortlist with its reasons
    (the `ready` fixture), then the invitation drafts. No invitation, offer, contract, post or
    rejection comes of it until alice clicks send."""
    before = _decisions()
    entries = list(ShortlistEntry.objects.filter(case=ready, status=ShortlistEntry.Status.READY))
    assert entries
    for entry in entries:
        invitations.draft_write(entry_id=entry.pk)
    assert all(e.draft for e in ShortlistEntry.objects.filter(pk__in=[e.pk for e in entries]))
    assert _decisions() == before
    with pytest.raises(NotAllowed, match="Only a person may invite"):
        invitations.invitations_send(case=ready, by=None, messages={entries[0].pk: "Hello"})  # type: ignore[arg-type]
    assert _decisions() == before
    sent = invitations.invitations_send(case=ready, by=alice, messages={entries[0].pk: "Would you like to join?"})
    assert len(sent) == 1 and Invitation.objects.count() == before[0] + 1  # the click


def test_a_background_job_cannot_post_invite_reject_or_hire(alice, bob):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, status="draft")
    offer = negotiation.offer_send(by=alice, freelancer=bob, job=None, terms=fixed_terms(), title="Audit", message="")
    before = _decisions()
    attempts = [
        lambda: jobs.job_publish(job=job, by=None),
        lambda: jobs.job_create(organization=job.organization, by=None, skills=[], publish=True, title="x"),
        lambda: jobs.invitation_send(job=job, by=None, freelancer=bob),
        lambda: negotiation.offer_send(by=None, freelancer=bob, terms=fixed_terms(), title="Audit"),
        lambda: negotiation.offer_accept(offer=offer, by=None, expected_version=1),
        lambda: negotiation.offer_decline(offer=offer, by=None, expected_version=1, reason="other"),
        lambda: negotiation.offer_reject(offer=offer, by=None, expected_version=1),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed, match="Only a person may"):
            attempt()
    assert _decisions() == before
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN and offer.version_count == 1
