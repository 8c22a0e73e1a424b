"""The taxonomy widened for technical work that CVs name and it lacked (Hadoop and its tools, ETL
suites, Java EE, .NET's libraries, test tools, network security, PLC and engineering software, PMO,
Agile): marketplace/data/skills.txt synced again, by the loader of 0003."""

from importlib import import_module

from django.db import migrations

load = import_module("marketplace.migrations.0003_skills_taxonomy").load


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0016_search_text_words")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
