from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import Conflict, NotAllowed, TooMany
from marketplace.models import Invitation, JobPost, Notification, Proposal, Thread
from marketplace.services import jobs as svc
from tests.factories import FreelancerFactory, JobFactory, skill
from tests.helpers import race, winners


def job_fields(**overrides):
    fields = {
        "title": "Shopify theme tweaks",
        "description": "Adjust our Shopify theme: faster product pages and a new size guide.",
        "category": skill("Shopify").category,
        "contract_type": "fixed",
        "budget_min": Decimal("300"),
        "budget_max": Decimal("600"),
    }
    fields.update(overrides)
    return fields


@pytest.mark.django_db
class TestJobPosts:
    def test_create_resolves_skill_synonyms_and_is_searchable(self, alice):
        org = alice.organizations.get()
        job = svc.job_create(organization=org, by=alice, skills=["shopify", "CSS3"], publish=True, **job_fields())
        assert job.status == JobPost.Status.OPEN
        assert sorted(job.skills.values_list("name", flat=True)) == ["CSS", "Shopify"]
        from django.contrib.postgres.search import SearchQuery

        assert JobPost.objects.filter(search_vector=SearchQuery("size guides", config="english")).exists()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"budget_min": Decimal("-5")}, "budget_min"),
            ({"budget_max": Decimal("100.001")}, "budget_max"),
            ({"budget_max": Decimal("99999999")}, "budget_max"),
            ({"budget_min": Decimal("700")}, "budget_max"),
            ({"contract_type": "hourly", "budget_min": Decimal("10"), "budget_max": Decimal("5000")}, "budget_max"),
            ({"title": ""}, "title"),
        ],
    )
    def test_bad_money_and_fields_are_refused_and_nothing_is_saved(self, alice, overrides, field):
        with pytest.raises(ValidationError) as caught:
            svc.job_create(
                organization=alice.organizations.get(), by=alice, skills=["Shopify"], **job_fields(**overrides)
            )
        assert field in caught.value.message_dict
        assert JobPost.objects.count() == 0

    def test_only_members_post_for_an_organisation(self, alice, carol):
        with pytest.raises(NotAllowed):
            svc.job_create(organization=alice.organizations.get(), by=carol, skills=[], **job_fields())

    def test_transitions_are_enforced(self, alice):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice, status="draft", published_at=None)
        with pytest.raises(Conflict, match="draft"):
            svc.job_close(job=job, by=alice)
        svc.job_publish(job=job, by=alice)
        svc.job_close(job=job, by=alice)
        job.refresh_from_db()
        assert job.status == JobPost.Status.CLOSED
        assert job.published_at is not None


@pytest.mark.django_db
class TestProposals:
    def test_submit_notifies_the_client_once_and_refuses_a_second(self, alice, bob):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        proposal = svc.proposal_submit(
            job=job,
            freelancer=bob,
            cover_letter="I built three booking APIs.",
            bid_amount=Decimal("45"),
            estimated_duration="1to3m",
        )
        assert proposal.status == Proposal.Status.SUBMITTED
        assert Notification.objects.filter(user=alice, kind="proposal_received").count() == 1
        with pytest.raises(Conflict, match="already sent"):
            svc.proposal_submit(
                job=job, freelancer=bob, cover_letter="Again", bid_amount=Decimal("45"), estimated_duration="1to3m"
            )
        assert Proposal.objects.count() == 1

    def test_clients_cannot_propose_and_closed_jobs_take_none(self, alice, carol, bob):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        with pytest.raises(NotAllowed):
            svc.proposal_submit(
                job=job, freelancer=carol, cover_letter="x", bid_amount=Decimal(5), estimated_duration="lt1m"
            )
        svc.job_close(job=job, by=alice)
        with pytest.raises(Conflict, match="not taking proposals"):
            svc.proposal_submit(
                job=job, freelancer=bob, cover_letter="x", bid_amount=Decimal(5), estimated_duration="lt1m"
            )

    def test_shortlist_decline_withdraw_rules(self, alice, carol, bob):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        proposal = svc.proposal_submit(
            job=job, freelancer=bob, cover_letter="Hi", bid_amount=Decimal(40), estimated_duration="lt1m"
        )
        with pytest.raises(NotAllowed):
            svc.proposal_shortlist(proposal=proposal, by=carol)
        svc.proposal_shortlist(proposal=proposal, by=alice)
        with pytest.raises(NotAllowed):
            svc.proposal_withdraw(proposal=proposal, by=alice)
        svc.proposal_withdraw(proposal=proposal, by=bob)
        with pytest.raises(Conflict, match="withdrawn"):
            svc.proposal_decline(proposal=proposal, by=alice)
        assert Notification.objects.filter(user=bob, kind="proposal_updated").count() == 1


@pytest.mark.django_db
class TestInvitations:
    def test_invite_accept_opens_a_conversation(self, alice, bob):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        invitation = svc.invitation_send(job=job, by=alice, freelancer=bob, message="Your Django work fits.")
        with pytest.raises(Conflict, match="already invited"):
            svc.invitation_send(job=job, by=alice, freelancer=bob)
        svc.invitation_accept(invitation=invitation, by=bob)
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.ACCEPTED
        assert Thread.objects.filter(job=job, freelancer=bob, contract=None).exists()
        with pytest.raises(Conflict):
            svc.invitation_decline(invitation=invitation, by=bob)

    def test_only_the_invited_freelancer_answers(self, alice, bob, dave):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        invitation = svc.invitation_send(job=job, by=alice, freelancer=bob)
        with pytest.raises(NotAllowed):
            svc.invitation_accept(invitation=invitation, by=dave)

    def test_clients_cannot_be_invited(self, alice, carol):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        with pytest.raises(Exception, match="Only freelancers"):
            svc.invitation_send(job=job, by=alice, freelancer=carol)


@pytest.mark.django_db(transaction=True)
def test_a_job_invites_at_most_its_limit_even_at_once(alice):
    """Each invitation is a notification and an email to someone who did not ask: a client could invite
    the whole marketplace to one job. The job's lock keeps the limit when invitations go out in parallel."""
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    people = FreelancerFactory.create_batch(svc.MAX_INVITATIONS_PER_JOB + 3)
    for person in people[: svc.MAX_INVITATIONS_PER_JOB - 1]:
        svc.invitation_send(job=job, by=alice, freelancer=person)
    outcomes = race(*[(lambda p=p: svc.invitation_send(job=job, by=alice, freelancer=p)) for p in people[-4:]])
    assert len(winners(outcomes)) == 1
    assert all(isinstance(o, Conflict) and "at most" in o.message for o in outcomes if isinstance(o, Exception))
    assert job.invitations.count() == svc.MAX_INVITATIONS_PER_JOB


@pytest.mark.django_db
def test_a_long_reason_is_refused_not_cut(alice, bob, client_for):
    """A decline's reason over 300 characters was cut without a word (the API took 2,000 and kept 300)."""
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    invitation = svc.invitation_send(job=job, by=alice, freelancer=bob)
    page = client_for(bob).post(f"/invitations/{invitation.pk}/decline/", {"reason": "y" * 301}, follow=True)
    assert "at most 300 characters" in page.content.decode()
    api = client_for(bob).post(
        f"/api/v1/invitations/{invitation.pk}/decline/", {"reason": "y" * 301}, content_type="application/json"
    )
    assert api.status_code == 400 and "reason" in str(api.json())
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING and invitation.decline_reason == ""
    svc.invitation_decline(invitation=invitation, by=bob, reason="  Booked until May  ")
    invitation.refresh_from_db()
    assert invitation.decline_reason == "Booked until May"


@pytest.mark.django_db
def test_proposals_are_limited_per_freelancer_per_day(alice, bob, client_for, settings):
    """Each proposal is an email to a client and an assessment by Uma: a script applying to every job
    buried every client's inbox and Uma's queue."""
    settings.PROPOSALS_PER_DAY = 2
    org = alice.organizations.get()
    jobs = [JobFactory(organization=org, created_by=alice, title=f"Job {n}") for n in range(4)]
    letter = {"cover_letter": "I know Django well.", "bid_amount": "45", "estimated_duration": "lt1m"}
    client = client_for(bob)
    assert [client.post(f"/jobs/{job.pk}/propose/", letter).status_code for job in jobs[:2]] == [303, 303]
    page = client.post(f"/jobs/{jobs[2].pk}/propose/", letter)
    assert page.status_code == 429 and "in the last 24 hours" in page.content.decode()
    api = client.post(f"/api/v1/jobs/{jobs[3].pk}/proposals/", letter, content_type="application/json")
    assert api.status_code == 429
    assert Proposal.objects.filter(freelancer=bob).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_proposal_limit_holds_at_the_same_instant(alice, bob, settings):
    settings.PROPOSALS_PER_DAY = 3
    org = alice.organizations.get()
    jobs = [JobFactory(organization=org, created_by=alice, title=f"Job {n}") for n in range(6)]

    def propose(job):  # noqa: ANN001, ANN202
        return svc.proposal_submit(
            job=job, freelancer=bob, cover_letter="Fits", bid_amount=Decimal(40), estimated_duration="lt1m"
        )

    for job in jobs[:2]:
        propose(job)
    outcomes = race(*[(lambda j=j: propose(j)) for j in jobs[2:]])
    assert len(winners(outcomes)) == 1
    assert all(isinstance(o, TooMany) for o in outcomes if isinstance(o, Exception))
    assert Proposal.objects.filter(freelancer=bob).count() == 3
