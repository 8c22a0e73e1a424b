"""The taxonomy widened beyond software (HR, finance, legal, operations, testing, SAP, trades, healthcare,
education, hospitality, retail and media, agriculture): marketplace/data/skills.txt synced again, by the
loader of 0003."""

from importlib import import_module

from django.db import migrations

load = import_module("marketplace.migrations.0003_skills_taxonomy").load


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0011_search_terms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
