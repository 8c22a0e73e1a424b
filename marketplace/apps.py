from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"
    # What internal recruiters may see in the admin (see marketplace.services.accounts).
    recruiter_permissions = (
        "marketplace.view_user",
        "marketplace.view_organization",
        "marketplace.view_membership",
        "marketplace.view_freelancerprofile",
    )

    def ready(self) -> None:
        post_migrate.connect(_sync_recruiters_group, sender=self, dispatch_uid="marketplace.recruiters_group")


def _sync_recruiters_group(sender, using="default", **kwargs) -> None:
    # Permissions are made per app after it migrates; make them all now so that every app's
    # recruiter permissions exist, then bring the group to exactly that list. Reference data
    # (the skills taxonomy) comes back after a flush the same way.
    from django.contrib.auth.management import create_permissions

    from marketplace.models import SkillCategory
    from marketplace.services.accounts import recruiters_group_sync
    from marketplace.services.skills import taxonomy_sync

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    recruiters_group_sync()
    if not SkillCategory.objects.exists():  # a flushed database (tests) gets its taxonomy back
        taxonomy_sync()
