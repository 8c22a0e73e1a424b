""" "Best matches" on a job's proposals: Uma's verdict and reasons per proposal (the record and skills
against the job, the bid against the budget), made once and audited; the date order stays one click away."""

from decimal import Decimal

from hiring.models import ProposalAssessment
from hiring.services.proposals import proposal_assess
from marketplace.models import FreelancerProfile
from marketplace.services import jobs as job_svc
from marketplace.services.profiles import profile_skills_set
from tests.factories import FreelancerFactory, JobFactory
from uma.models import AuditRecord


def freelancer(name: str, *, jss: int, skills: dict, bid: str, job):  # noqa: ANN001, ANN201
    user = FreelancerFactory(email=f"{name}@example.com", first_name=name.title(), last_name="Test")
    FreelancerProfile.objects.filter(user=user).update(
        job_success_score=jss, job_success_basis={"contracts": 12}, response_hours=3, weekly_hours_free=30
    )
    profile_skills_set(profile=FreelancerProfile.objects.get(user=user), by=user, skills=skills)
    return job_svc.proposal_submit(
        job=job,
        freelancer=user,
        cover_letter=f"{name} here: I can do this.",
        bid_amount=Decimal(bid),
        estimated_duration="lt1m",
    )


def test_each_proposal_is_judged_once_with_the_bid_as_the_rate(alice):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    fit = freelancer("cara", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="50", job=job)
    dear = freelancer("eve", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="95", job=job)  # budget is 30-60/hr
    first = proposal_assess(proposal_id=fit.pk)
    assert first.verdict == "strong" and proposal_assess(proposal_id=fit.pk).pk == first.pk
    over = proposal_assess(proposal_id=dear.pk)
    assert over.verdict == "weak" and any("over the budget" in r for r in over.reasons)
    assert "Candidate A" in first.explanation and "Cara" not in first.explanation + " ".join(first.reasons)
    assert AuditRecord.objects.filter(task="candidate_rationale", subject_ids__job=job.pk).count() == 2


def test_best_matches_sorts_by_verdict_and_newest_first_stays(client_for, alice, carol):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    weak = freelancer("eve", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="95", job=job)
    strong = freelancer("cara", jss=96, skills={"Django": 5, "PostgreSQL": 4}, bid="50", job=job)
    page = client_for(alice).get(f"/jobs/{job.pk}/proposals/?order=best").content.decode()
    assert "Uma is reading 2 proposals" in page  # queued for the llm worker
    for proposal in (weak, strong):
        proposal_assess(proposal_id=proposal.pk)
    best = client_for(alice).get(f"/jobs/{job.pk}/proposals/?order=best").content.decode()
    assert best.index("cara here") < best.index("eve here") and "Strong match" in best and "Uma is reading" not in best
    newest = client_for(alice).get(f"/jobs/{job.pk}/proposals/").content.decode()
    assert newest.index("cara here") < newest.index("eve here")  # cara applied last
    assert 'href="?order=best"' in newest and "Weak match" in newest  # verdicts shown in either order
    assert client_for(carol).get(f"/jobs/{job.pk}/proposals/?order=best").status_code == 404
    assert ProposalAssessment.objects.count() == 2


def test_a_proposal_is_judged_by_the_worker_when_it_arrives(alice, celery_worker):
    from tests.helpers import wait_for

    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django"])
    proposal = freelancer("cara", jss=96, skills={"Django": 5}, bid="50", job=job)
    assert wait_for(lambda: ProposalAssessment.objects.filter(proposal=proposal).exists(), 60)


def test_a_polling_page_queues_uma_once_a_minute_not_every_time(client_for, alice, django_capture_on_commit_callbacks):
    from tests.test_queues import llm_waiting

    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django"])
    freelancer("cara", jss=96, skills={"Django": 5}, bid="50", job=job)
    before = llm_waiting()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):  # the page polls every 2 s while a proposal waits
            assert (
                "Uma is reading 1 proposal"
                in client_for(alice).get(f"/jobs/{job.pk}/proposals/?order=best").content.decode()
            )
    assert llm_waiting() - before == 1
