"""The taxonomy widened for everyday work clients ask for in their own words (a lawyer, an accountant, a
copywriter, a video editor or YouTube videos, transcription, animation, 3D models, voice-overs, Zendesk,
product descriptions, business plans, a logo, Instagram): marketplace/data/skills.txt synced again, by the
loader of 0003."""

from importlib import import_module

from django.db import migrations

load = import_module("marketplace.migrations.0003_skills_taxonomy").load


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0019_idempotent_requests")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
