"""The taxonomy widened beyond software (HR, finance, legal, operations, testing, SAP, trades, healthcare,
education, hospitality, retail and media, agriculture): marketplace/data/skills.txt synced again."""

from django.db import migrations


def load(apps, schema_editor):
    from marketplace.services.skills import taxonomy_sync

    models = tuple(apps.get_model("marketplace", name) for name in ("SkillCategory", "Skill", "SkillAlias"))
    taxonomy_sync(models=models)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0011_search_terms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
