import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestDashboard:
    def test_anonymous_is_sent_to_log_in(self, anonymous):
        response = anonymous.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_client_sees_only_her_own_organisation(self, client_for, alice, carol):
        body = client_for(alice).get(reverse("dashboard")).content.decode()
        assert "Acme Robotics" in body
        assert "Business Plus" in body
        assert "Bright Studio" not in body

    def test_other_client_sees_hers(self, client_for, alice, carol):
        body = client_for(carol).get(reverse("dashboard")).content.decode()
        assert "Bright Studio" in body
        assert "Acme Robotics" not in body

    @pytest.mark.parametrize("who", ["bob", "dave"])
    def test_freelancers_see_their_profile(self, request, client_for, who):
        user = request.getfixturevalue(who)
        body = client_for(user).get(reverse("dashboard")).content.decode()
        assert user.freelancer_profile.headline in body
        assert "Plan:" not in body

    def test_recruiter_is_pointed_to_the_admin(self, client_for, rita):
        body = client_for(rita).get(reverse("dashboard")).content.decode()
        assert "Recruiter desk" in body

    def test_home_sends_signed_in_people_to_their_dashboard(self, client_for, anonymous, bob):
        assert anonymous.get(reverse("home")).status_code == 200
        assert client_for(bob).get(reverse("home")).url == reverse("dashboard")

    @pytest.mark.parametrize("size", [1, 12])
    def test_query_count_does_not_grow_with_data(self, client_for, alice, bob, size, django_assert_max_num_queries):
        from decimal import Decimal

        from marketplace.services.jobs import proposal_submit
        from tests.factories import FreelancerFactory, JobFactory, fixed_contract, hourly_contract

        org = alice.organizations.get()
        for i in range(size):
            job = JobFactory(organization=org, created_by=alice, title=f"Job {i}")
            proposal_submit(
                job=job,
                freelancer=FreelancerFactory(),
                cover_letter="Hi",
                bid_amount=Decimal(30),
                estimated_duration="lt1m",
            )
            hourly_contract(client=alice, freelancer=bob, ref=f"h{i}")
            fixed_contract(client=alice, freelancer=bob, ref=f"f{i}")
        client = client_for(alice)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        freelancer = client_for(bob)
        with django_assert_max_num_queries(10):
            assert freelancer.get(reverse("dashboard")).status_code == 200
