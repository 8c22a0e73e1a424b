"""The pages do what the services do, with clear answers for bad input and illegal moves."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.models import JobPost, Milestone, Notification, PortfolioItem, Proposal, Skill, TimeLog
from marketplace.services import contracts as contract_svc
from marketplace.services import jobs as job_svc
from marketplace.services import profiles as profile_svc
from marketplace.services.profiles import MAX_PORTFOLIO
from tests.factories import JobFactory, fixed_contract, hourly_contract


@pytest.mark.django_db
class TestJobPages:
    def test_client_posts_a_job_and_bad_budgets_are_explained(self, client_for, alice):
        client = client_for(alice)
        form = {
            "title": "Power BI dashboard",
            "description": "Daily sales dashboard over Stripe data.",
            "category": JobFactory._meta.model._meta.get_field("category")
            .related_model.objects.get(slug="data-ai-analytics")
            .pk,
            "contract_type": "hourly",
            "budget_min": "40",
            "budget_max": "30",
            "currency": "USD",
            "duration": "lt1m",
            "weekly_hours": "10",
            "experience_level": "expert",
            "skills": "Power BI, SQL",
            "publish": "on",
        }
        bad = client.post("/jobs/new/", form)
        assert bad.status_code == 400
        assert "can&#x27;t be less than the least" in bad.content.decode()
        assert not JobPost.objects.exists()
        form["budget_max"] = "60"
        good = client.post("/jobs/new/", form)
        job = JobPost.objects.get()
        assert good.status_code == 302 and good.url == f"/jobs/{job.pk}/"
        assert job.status == "open"
        assert sorted(job.skills.values_list("name", flat=True)) == ["Microsoft Power BI", "SQL"]
        many = {**form, "skills": ", ".join(Skill.objects.order_by("pk").values_list("name", flat=True)[:21])}
        too_many = client.post("/jobs/new/", many)  # the API allowed 20, the page any number
        assert too_many.status_code == 400 and "at most 20 skills" in too_many.content.decode()
        assert JobPost.objects.count() == 1

    def test_find_work_searches_text_and_filters(self, client_for, alice, bob):
        org = alice.organizations.get()
        JobFactory(
            organization=org, created_by=alice, title="Airflow pipelines", description="Nightly loads in Airflow."
        )
        JobFactory(
            organization=org,
            created_by=alice,
            title="Logo for a bakery",
            description="A friendly logo.",
            contract_type="fixed",
            budget_min=Decimal(200),
            budget_max=Decimal(300),
        )
        client = client_for(bob)
        body = client.get("/jobs/", {"q": "airflow"}).content.decode()
        assert "Airflow pipelines" in body and "Logo for a bakery" not in body
        fragment = client.get("/jobs/", {"contract_type": "fixed"}, HTTP_HX_REQUEST="true").content.decode()
        assert "Logo for a bakery" in fragment and "Airflow pipelines" not in fragment
        assert "<html" not in fragment  # htmx gets just the results
        unknown = client.get("/jobs/", {"skills": "Klingon"})
        assert unknown.status_code == 400 and "Unknown skill: Klingon" in unknown.content.decode()

    @pytest.mark.parametrize("query", [{"budget_min": "abc"}, {"category": "99999"}, {"contract_type": "barter"}])
    def test_find_work_with_a_filter_that_makes_no_sense_is_a_400_not_every_job(self, client_for, alice, bob, query):
        """It used to answer 200 with every open job, as if the filter had been applied."""
        JobFactory(organization=alice.organizations.get(), created_by=alice, title="Airflow pipelines")
        client = client_for(bob)
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get("/jobs/", query, headers=headers)
            body = response.content.decode()
            assert response.status_code == 400 and 'role="alert"' in body
            assert "Airflow pipelines" not in body

    def test_freelancer_proposes_from_the_job_page(self, client_for, alice, bob):
        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        client = client_for(bob)
        bad = client.post(
            f"/jobs/{job.pk}/propose/", {"cover_letter": "", "bid_amount": "-3", "estimated_duration": "lt1m"}
        )
        assert bad.status_code == 400
        ok = client.post(
            f"/jobs/{job.pk}/propose/",
            {"cover_letter": "I know Django well.", "bid_amount": "45", "estimated_duration": "lt1m"},
        )
        assert ok.status_code == 303
        twice = client.post(
            f"/jobs/{job.pk}/propose/", {"cover_letter": "Again", "bid_amount": "45", "estimated_duration": "lt1m"}
        )
        assert twice.status_code == 409
        assert "already sent a proposal" in twice.content.decode()
        assert Proposal.objects.count() == 1

    def test_proposal_list_stays_within_a_fixed_number_of_queries(
        self, client_for, alice, django_assert_max_num_queries
    ):
        from marketplace.services.jobs import proposal_submit
        from tests.factories import FreelancerFactory

        job = JobFactory(organization=alice.organizations.get(), created_by=alice)
        for _ in range(15):
            proposal_submit(
                job=job,
                freelancer=FreelancerFactory(),
                cover_letter="Hi",
                bid_amount=Decimal(40),
                estimated_duration="lt1m",
            )
        client = client_for(alice)
        with django_assert_max_num_queries(8):
            assert client.get(f"/jobs/{job.pk}/proposals/").status_code == 200


@pytest.mark.django_db
class TestContractRoom:
    def test_submit_with_a_file_then_approve_then_an_illegal_approval_is_409(self, client_for, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        milestone = contract.milestones.get(position=1)
        base = f"/contracts/{contract.pk}/milestones/{milestone.pk}"
        upload = SimpleUploadedFile("notes.txt", b"What changed", content_type="text/plain")
        assert client_for(bob).post(f"{base}/submit/", {"note": "Done", "files": upload}).status_code == 303
        assert client_for(alice).post(f"{base}/approve/").status_code == 303
        again = client_for(alice).post(f"{base}/approve/")
        assert again.status_code == 409
        assert "Cannot approve this milestone" in again.content.decode()
        milestone.refresh_from_db()
        assert milestone.status == Milestone.Status.APPROVED
        room = client_for(alice).get(f"/contracts/{contract.pk}/").content.decode()
        assert "notes.txt" in room and "Release payment" in room

    def test_time_over_the_weekly_limit_is_refused_on_the_page(self, client_for, alice, bob):
        from django.utils import timezone

        contract = hourly_contract(client=alice, freelancer=bob, weekly_limit=5)
        today = timezone.localdate().isoformat()
        response = client_for(bob).post(f"/contracts/{contract.pk}/time/", {"day": today, "hours": "6", "memo": "x"})
        assert response.status_code == 400
        assert "weekly limit" in response.content.decode()
        assert not TimeLog.objects.exists()

    def test_message_over_htmx_returns_the_thread_and_notifies(self, client_for, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        thread = contract.thread
        response = client_for(bob).post(
            f"/messages/{thread.pk}/post/", {"body": "Pushed to staging"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "Pushed to staging" in response.content.decode()
        empty = client_for(bob).post(f"/messages/{thread.pk}/post/", {"body": "  "}, HTTP_HX_REQUEST="true")
        assert empty.status_code == 400 and "Write a message" in empty.content.decode()
        bell = client_for(alice).get("/notifications/bell/").content.decode()
        assert 'data-unread="' in bell

    def test_end_then_feedback_from_the_page(self, client_for, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        client = client_for(alice)
        assert (
            client.post(f"/contracts/{contract.pk}/end/", {"reason": "completed", "note": "Thanks"}).status_code == 303
        )
        assert client.post(f"/contracts/{contract.pk}/feedback/", {"rating": "5", "review": "Great"}).status_code == 303
        contract.refresh_from_db()
        assert contract.status == "ended" and contract.feedback.get().rating == 5
        assert client.post(f"/contracts/{contract.pk}/feedback/", {"rating": "4"}).status_code == 409


@pytest.mark.django_db
class TestProfileAndNotifications:
    def test_a_portfolio_grows_to_its_limit_and_only_its_owner_changes_it(self, client_for, bob, dave):
        client = client_for(bob)
        added = client.post("/profile/portfolio/", {"title": "Shop rebuild", "description": "Django", "url": "x.io/a"})
        assert added.status_code == 303
        item = PortfolioItem.objects.get()
        assert item.url == "https://x.io/a"
        assert "Shop rebuild" in client_for(dave).get(f"/freelancers/{item.profile_id}/").content.decode()
        assert client_for(dave).post(f"/profile/portfolio/{item.pk}/remove/").status_code == 404
        for n in range(MAX_PORTFOLIO - 1):  # a script adding thousands made the profile page and its search text grow
            profile_svc.portfolio_item_add(profile=item.profile, by=bob, title=f"Piece {n}")
        refused = client.post("/profile/portfolio/", {"title": "One more"})
        assert refused.status_code == 400 and f"at most {MAX_PORTFOLIO} pieces" in refused.content.decode()
        assert PortfolioItem.objects.count() == MAX_PORTFOLIO
        assert client.post(f"/profile/portfolio/{item.pk}/remove/").status_code == 303
        assert not PortfolioItem.objects.filter(pk=item.pk).exists()

    def test_profile_editor_saves_skills_by_synonym_and_refuses_bad_timezones(self, client_for, bob):
        client = client_for(bob)
        form = {
            "headline": "Django developer",
            "overview": "Ten years of Django.",
            "hourly_rate": "55",
            "country": "Portugal",
            "timezone": "Mars/Olympus",
            "languages": "English, Portuguese",
            "available_now": "on",
            "weekly_hours_free": "20",
            "skills": "Django:7, ReactJS:4",
        }
        bad = client.post("/profile/", form)
        assert bad.status_code == 400 and "is not a time zone" in bad.content.decode()
        form["timezone"] = "Europe/Lisbon"
        assert client.post("/profile/", form).status_code == 302
        profile = bob.freelancer_profile
        profile.refresh_from_db()
        assert profile.languages == ["English", "Portuguese"]
        assert {ps.skill.name: ps.years for ps in profile.profile_skills.select_related("skill")} == {
            "Django": 7,
            "React": 4,
        }
        public = client_for(bob).get(f"/freelancers/{profile.pk}/").content.decode()
        assert "React · 4y" in public

    def test_notifications_are_read_and_email_preferences_kept(self, client_for, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        contract_svc.contract_end(contract=contract, by=alice, reason="completed")
        client = client_for(bob)
        assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 2
        client.post("/notifications/read/")
        assert not Notification.objects.filter(user=bob, read_at__isnull=True).exists()
        client.post("/settings/notifications/", {"email_enabled": "on", "email_muted_kinds": ["message_received"]})
        assert bob.notification_preference.email_muted_kinds == ["message_received"]

    @pytest.mark.parametrize("odd", ["\u00b2", "9" * 5000, "1" * 19, "abc"])
    def test_an_odd_notification_id_reads_nothing(self, client_for, alice, bob, odd):
        """ "²" passes str.isdigit() and int() refuses it; 5,000 digits pass Python's int limit: both were 500s,
        and an id that was not a number marked every notification read."""
        contract_svc.contract_end(contract=hourly_contract(client=alice, freelancer=bob), by=alice, reason="completed")
        response = client_for(bob).post("/notifications/read/", {"id": odd, "next": "/contracts/"})
        assert response.status_code == 302 and response["Location"] == "/notifications/"
        assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 2

    @pytest.mark.parametrize(
        "target, lands",
        [
            ("/contracts/", "/contracts/"),
            ("/\\evil.example/", "/notifications/"),  # browsers read /\ as //
            ("//evil.example/", "/notifications/"),
            ("/\t/evil.example/", "/notifications/"),
            ("https://evil.example/", "/notifications/"),
        ],
    )
    def test_reading_a_notification_goes_on_only_within_the_site(self, client_for, alice, bob, target, lands):
        contract_svc.contract_end(contract=hourly_contract(client=alice, freelancer=bob), by=alice, reason="completed")
        note = Notification.objects.filter(user=bob).first()
        response = client_for(bob).post("/notifications/read/", {"id": note.pk, "next": target})
        assert response.status_code == 302 and response["Location"] == lands
        assert Notification.objects.get(pk=note.pk).read_at is not None


@pytest.mark.django_db
def test_a_refused_page_action_is_a_4xx_page_that_says_why_and_changes_nothing(client_for, alice, bob):
    """Refusals answered 303 to another page, as if the action had gone through: now the page is shown
    again under the refusal's own status, with the reason, as the forms already were."""
    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    invitation = job_svc.invitation_send(job=job, by=alice, freelancer=bob)
    freelancer, client = client_for(bob), client_for(alice)

    long_reason = freelancer.post(f"/invitations/{invitation.pk}/decline/", {"reason": "x" * 301})
    bad_link = freelancer.post("/profile/portfolio/", {"title": "Shop", "url": "javascript:alert(1)"})
    assert client.post(f"/jobs/{job.pk}/close/").status_code == 303
    closed_twice = client.post(f"/jobs/{job.pk}/close/")

    assert long_reason.status_code == 400 and "300 characters" in long_reason.content.decode()
    assert bad_link.status_code == 400 and 'role="alert"' in bad_link.content.decode()
    assert closed_twice.status_code == 409 and job.title in closed_twice.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "pending" and not PortfolioItem.objects.exists()


def test_read_receipts_show_when_the_other_side_has_seen_a_message(client_for, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    thread = contract.thread
    client_for(bob).post(f"/messages/{thread.pk}/post/", {"body": "Ready for review"})
    fragment = client_for(bob).get(f"/messages/{thread.pk}/fragment/").content.decode()
    assert "Sent" in fragment and "Seen" not in fragment
    client_for(alice).get(f"/contracts/{contract.pk}/")  # alice opens the room
    assert "Seen" in client_for(bob).get(f"/messages/{thread.pk}/fragment/").content.decode()


LISTS = [
    "/contracts/",
    "/proposals/",
    "/invitations/",
    "/notifications/",
    "/jobs/",
    "/api/v1/contracts/",
    "/api/v1/proposals/",
    "/api/v1/jobs/",
    "/api/v1/invitations/",
    "/api/v1/notifications/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_list_pages_use_a_fixed_number_of_queries(client_for, alice, bob, url, django_assert_max_num_queries):
    """The same bound with 2 rows as with 20: nothing is fetched per row."""

    def grow(n, start):
        for i in range(start, start + n):
            job = JobFactory(organization=alice.organizations.get(), created_by=alice, title=f"Job {i}")
            job_svc.proposal_submit(
                job=job, freelancer=bob, cover_letter="Hi", bid_amount=Decimal(40), estimated_duration="lt1m"
            )
            job_svc.invitation_send(job=job, by=alice, freelancer=bob)
            fixed_contract(client=alice, freelancer=bob, ref=f"r{i}")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = {"bob": client_for(bob), "alice": client_for(alice)}

    def measure() -> dict[str, int]:
        counts = {}
        for who, client in clients.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[who] = len(queries)
        return counts

    grow(2, 0)
    few = measure()
    grow(18, 2)
    many = measure()
    assert few == many, f"{url}: {few} queries with few rows, {many} with many"
    counts = list(many.values())
    assert max(counts) <= 12


@pytest.mark.django_db
def test_a_conversation_before_hire_is_only_for_people_involved(client_for, alice, bob, dave, carol):

    job = JobFactory(organization=alice.organizations.get(), created_by=alice)
    job_svc.proposal_submit(
        job=job, freelancer=bob, cover_letter="Hi", bid_amount=Decimal(40), estimated_duration="lt1m"
    )
    opened = client_for(alice).post(f"/jobs/{job.pk}/conversation/{bob.pk}/")
    assert opened.status_code == 302
    assert client_for(bob).get(opened.url).status_code == 200
    assert client_for(carol).post(f"/jobs/{job.pk}/conversation/{bob.pk}/").status_code == 404
    assert client_for(alice).post(f"/jobs/{job.pk}/conversation/{dave.pk}/").status_code == 404  # not involved
    assert client_for(dave).get(opened.url).status_code == 404


@pytest.mark.django_db
def test_a_payment_needs_its_confirmation_and_tells_the_freelancer(client_for, alice, bob):
    contract = fixed_contract(client=alice, freelancer=bob)
    milestone = contract.milestones.get(position=1)
    base = f"/contracts/{contract.pk}/milestones/{milestone.pk}"
    client_for(bob).post(f"{base}/submit/", {"note": "Done"})
    client_for(alice).post(f"{base}/approve/")
    unconfirmed = client_for(alice).post(f"{base}/pay/")
    assert unconfirmed.status_code == 400 and "Confirm the payment first" in unconfirmed.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.APPROVED
    assert client_for(alice).post(f"{base}/pay/", {"confirm": "yes"}).status_code == 303
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PAID
    from marketplace.models import Notification

    paid = Notification.objects.get(user=bob, kind="payment_released")
    assert "USD 300.00" in paid.title and "Design" in paid.title


@pytest.mark.django_db
def test_a_contract_that_starts_next_week_says_it_starts(client_for, alice, bob):
    from datetime import timedelta

    from django.utils import timezone

    later = fixed_contract(client=alice, freelancer=bob, start=timezone.localdate() + timedelta(days=7))
    page = client_for(bob).get(f"/contracts/{later.pk}/").content.decode()
    assert f"starts {later.start_date:%-d %b %Y}" in page and "started" not in page
    earlier = fixed_contract(client=alice, freelancer=bob)
    assert (
        f"started {earlier.start_date:%-d %b %Y}" in client_for(bob).get(f"/contracts/{earlier.pk}/").content.decode()
    )
