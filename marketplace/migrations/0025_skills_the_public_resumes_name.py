"""Work the public resumes and probes of CV-style text showed missing (Scala, functional testing, a
dietitian, legal drafting, music production and lessons, choreography): marketplace/data/skills.txt
synced again, by the loader of 0003."""

from importlib import import_module

from django.db import migrations

load = import_module("marketplace.migrations.0003_skills_taxonomy").load


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0024_skills_named_by_who_does_them")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
