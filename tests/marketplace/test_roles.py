import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from marketplace.services.accounts import RECRUITERS_GROUP, recruiters_group_sync


@pytest.mark.django_db
class TestRecruiters:
    def test_group_has_exactly_the_declared_permissions(self):
        group = Group.objects.get(name=RECRUITERS_GROUP)  # made by migrate's post_migrate
        codenames = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert codenames == {
            "marketplace.view_user",
            "marketplace.view_organization",
            "marketplace.view_membership",
            "marketplace.view_freelancerprofile",
            "uma.view_auditrecord",
            "uma.view_modelversion",
            "uma.view_promotion",
            "offers.view_offer",
            "offers.view_offerversion",
            "offers.view_safetyflag",
            "offers.change_safetyflag",
            "recruiter.view_riskcase",
            "recruiter.change_riskcase",
            "recruiter.view_shortlistentry",
            "recruiter.view_caseevent",
            "recruiter.view_contractconcern",
        }

    def test_sync_removes_permissions_nobody_declared(self):
        from django.contrib.auth.models import Permission

        group = recruiters_group_sync()
        group.permissions.add(Permission.objects.get(codename="delete_user"))
        recruiters_group_sync()
        assert not group.permissions.filter(codename="delete_user").exists()

    def test_recruiter_can_view_but_not_change_people(self, client_for, rita, bob):
        client = client_for(rita)
        assert client.get(reverse("admin:marketplace_user_changelist")).status_code == 200
        url = reverse("admin:marketplace_user_change", args=[bob.pk])
        assert client.get(url).status_code == 200  # read-only view
        response = client.post(url, {"email": "hacked@example.test", "kind": "client"})
        assert response.status_code == 403
        bob.refresh_from_db()
        assert bob.email == "bob@tandem.test"
        assert client.get(reverse("admin:auth_group_changelist")).status_code == 403

    def test_recruiter_reads_umas_model_versions_but_cannot_promote(self, client_for, rita):
        """Rita used to get 403 here, and the admin index did not list them."""
        client = client_for(rita)
        assert "Model versions" in client.get(reverse("admin:index")).content.decode()
        page = client.get(reverse("admin:uma_modelversion_changelist"))
        assert page.status_code == 200
        assert client.get(reverse("admin:uma_promotion_changelist")).status_code == 200
        # Promotion and rollback stay with admins: the actions are not offered to her.
        assert 'value="promote"' not in page.content.decode() and 'value="roll_back"' not in page.content.decode()

    @pytest.mark.parametrize("who", ["alice", "bob"])
    def test_clients_and_freelancers_are_kept_out_of_the_admin(self, request, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_seeding_the_cast_is_idempotent():
    from django.core.management import call_command

    from marketplace.models import Organization, User

    call_command("seed_demo", "--cast-only")
    call_command("seed_demo", "--cast-only")
    assert set(User.objects.values_list("email", flat=True)) == {
        f"{key}@tandem.test" for key in ["alice", "carol", "bob", "dave", "rita"]
    }
    assert Organization.objects.count() == 2
    assert User.objects.get(email="rita@tandem.test").groups.filter(name=RECRUITERS_GROUP).exists()


@pytest.mark.django_db
def test_recruiters_read_the_ai_audit_trail_but_nobody_edits_it(client_for, rita):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root@tandem.test", "x" * 12)
    assert client_for(rita).get(reverse("admin:uma_auditrecord_changelist")).status_code == 200
    assert client_for(admin_user).get(reverse("admin:uma_auditrecord_add")).status_code == 403
