from django.db import migrations


def load(apps, schema_editor):
    from marketplace.services.skills import taxonomy_sync

    models = tuple(apps.get_model("marketplace", name) for name in ("SkillCategory", "Skill", "SkillAlias"))
    taxonomy_sync(models=models)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_marketplace_core")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
