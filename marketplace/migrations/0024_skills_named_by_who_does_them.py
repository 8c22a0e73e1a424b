"""A skill named for its work is also named by who does it ("Civil Engineer", "Database Administrator",
"Web Designer", "Supply Chain Manager": marketplace.services.skills.worker_names), so a typed title
resolves as the matcher reads it: marketplace/data/skills.txt synced again, by the loader of 0003."""

from importlib import import_module

from django.db import migrations

load = import_module("marketplace.migrations.0003_skills_taxonomy").load


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0023_search_text_pasted")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
