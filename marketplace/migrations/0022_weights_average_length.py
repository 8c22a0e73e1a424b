"""The average length every profile's BM25 weights are made with, stored (see SearchStats.avgdl): the
nightly rebuild no longer rewrites every profile when nothing moved."""

from importlib import import_module

from django.db import migrations, models

# 0011's reindex, with the schema today's code needs.
SEARCH_TERMS = import_module("marketplace.migrations.0011_search_terms")


def reindex_if_never_indexed(apps, schema_editor):
    """A database migrating from before 0011 skipped its reindex and 0016's (their code needs this
    column): index it now. One already indexed is left as it is (a reindex at 100k profiles is minutes)."""
    profiles = apps.get_model("marketplace", "FreelancerProfile").objects
    if profiles.filter(term_vector__isnull=True).exists():
        SEARCH_TERMS.reindex(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0021_denser_terms_graph'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchstats',
            name='avgdl',
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.RunPython(reindex_if_never_indexed, migrations.RunPython.noop),
    ]
