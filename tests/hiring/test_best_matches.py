""" "Best matches" on a job's proposals: Uma's verdict and reasons per proposal (the record and skills
against the job, the bid against the budget), made once and audited; the date order stays one click away."""

from decimal import Decimal

import pytest

from hiring.models import ProposalAssessment
from hiring.services.proposal_reading import read
from hiring.services.proposals import proposal_assess
from marketplace.models import FreelancerProfile
from marketplace.services import jobs as job_svc
from marketplace.services.profiles import profile_skills_set
from tests.factories import FreelancerFactory, JobFactory
from uma.models import AuditRecord


def freelancer(name: str, *, jss: int, skills: dict, bid: str, job, letter: str = "I can do this."):  # noqa: ANN001, ANN201
    user = FreelancerFactory(email=f"{name}@example.com", first_name=name.title(), last_name="Test")
    FreelancerProfile.objects.filter(user=user).update(
        job_success_score=jss, job_success_basis={"contracts": 12}, response_hours=3, weekly_hours_free=30
    )
    profile_skills_set(profile=FreelancerProfile.objects.get(user=user), by=user, skills=skills)
    return job_svc.proposal_submit(
        job=job,
        freelancer=user,
        cover_letter=f"{name} here: {letter}",
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


@pytest.mark.parametrize(
    ("contract", "budget", "bid", "said", "over"),
    [
        ("hourly", ("30", "60"), "50", "Bid USD 50.00/hr, inside the budget of USD 30.00 to USD 60.00/hr.", False),
        ("hourly", ("30", "60"), "75", "Bid USD 75.00/hr, 25% above the budget's top of USD 60.00/hr.", True),
        ("fixed", ("500", "900"), "400", "Bid USD 400.00, below the budget's floor of USD 500.00.", False),
    ],
)
def test_tandem_reads_the_bid_against_the_budget(alice, contract, budget, bid, said, over):
    job = JobFactory(
        organization=alice.organizations.get(),
        created_by=alice,
        contract_type=contract,
        budget_min=budget[0],
        budget_max=budget[1],
    )
    job.refresh_from_db()  # the budget as stored
    reading = read(freelancer("cara", jss=96, skills={}, bid=bid, job=job), [])
    assert (reading.bid, reading.over_budget) == (said, over)


def test_tandem_reads_which_skills_the_cover_letter_shows(alice):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    letter = "I have built Django shops for six years. I have not used PostgreSQL yet, only MySQL."
    reading = read(
        freelancer("cara", jss=96, skills={}, bid="50", job=job, letter=letter), ["Django", "PostgreSQL", "Redis"]
    )
    assert reading.named == ["Django"]
    assert reading.letter == "The cover letter speaks to Django; it says PostgreSQL is new to them."


def test_among_equal_verdicts_a_bid_in_budget_and_a_letter_on_the_skills_come_first(client_for, alice):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    skills = {"Django": 5, "PostgreSQL": 4}
    plain = freelancer("dan", jss=96, skills=skills, bid="50", job=job)
    apt = freelancer(
        "cara", jss=96, skills=skills, bid="50", job=job, letter="Django and PostgreSQL are my daily work."
    )
    for proposal in (plain, apt):
        proposal_assess(proposal_id=proposal.pk)
    assert {a.verdict for a in ProposalAssessment.objects.all()} == {"strong"}
    best = client_for(alice).get(f"/jobs/{job.pk}/proposals/?order=best").content.decode()
    assert best.index("cara here") < best.index("dan here")
    assert "The cover letter speaks to Django, PostgreSQL." in best and "inside the budget of" in best
    newest = client_for(alice).get(f"/jobs/{job.pk}/proposals/").content.decode()
    assert "The cover letter speaks to" not in newest  # Tandem's reading belongs to "Best matches"
