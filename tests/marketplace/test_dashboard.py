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

    def test_dashboard_query_count_is_small(self, client_for, alice, django_assert_max_num_queries):
        client = client_for(alice)
        with django_assert_max_num_queries(6):
            client.get(reverse("dashboard"))
