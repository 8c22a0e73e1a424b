from importlib import import_module

from django.db import migrations

# Pasted text read as its writer meant it (marketplace/services/pasted_text.py, held equal to this by a
# test): a run of broken encoding ("â€¢", "â€™", "Â·": UTF-8 read as Windows-1252) is a space, and a
# lower-case word run into a capital followed by a lower-case letter or two more capitals is read as
# itself and as its two words ("24 monthsAWS", "toolsAutoCAD": a list pasted without its line breaks;
# "devOps" still finds DevOps). Then 0016's rules, as before.
MOJIBAKE = (
    r"(?:[\u00c2\u00c3\u00e2]{1,3}[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u200b]+)+"
)
JOINED = r"\m([a-z]{2,})([A-Z](?:[a-z]|[A-Z]{2})\w*)"


def mended(sql: str) -> str:
    """The SQL text with the two new rules applied."""
    return f"regexp_replace(regexp_replace({sql}, '{MOJIBAKE}', ' ', 'g'), '{JOINED}', '\\1\\2 \\1 \\2', 'g')"


SEARCH_TEXT = rf"""
CREATE OR REPLACE FUNCTION tandem_search_text(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace({mended("$1")},
        '(\w)/(?=\w)', '\1 ', 'g'),
        '\mc\+\+', ' cplusplus ', 'gi'),
        '\m([cf])#', ' \1sharp ', 'gi'),
        '\.net\M', ' dotnet ', 'gi'),
        '(\w\w)\.(?=[[:upper:]][[:lower:]])', '\1. ', 'g')
$$
"""
# The function as 0016 made it: what reversing this migration goes back to.
BEFORE = import_module("marketplace.migrations.0016_search_text_words").SEARCH_TEXT


def _changed(column: str) -> str:
    return f"{mended(column)} IS DISTINCT FROM {column}"


# Only the rows whose text the new rules read differently are indexed again, as an edit indexes them
# (their term counts move with them): a full reindex rewrites every row, each a new entry in the terms'
# HNSW graph, which at 100k profiles is many minutes.
PROFILES = f"""
SELECT p.id FROM marketplace_freelancerprofile p
WHERE {_changed("p.headline")} OR {_changed("p.overview")}
   OR EXISTS (SELECT 1 FROM marketplace_portfolioitem i WHERE i.profile_id = p.id
              AND ({_changed("i.title")} OR {_changed("i.description")}))
   OR EXISTS (SELECT 1 FROM marketplace_profileskill ps JOIN marketplace_skill s ON s.id = ps.skill_id
              WHERE ps.profile_id = p.id AND {_changed("s.name")})
ORDER BY p.id
"""
JOBS = f"""
SELECT j.id FROM marketplace_jobpost j
WHERE {_changed("j.title")} OR {_changed("j.description")}
   OR EXISTS (SELECT 1 FROM marketplace_jobpost_skills js JOIN marketplace_skill s ON s.id = js.skill_id
              WHERE js.jobpost_id = j.id AND {_changed("s.name")})
ORDER BY j.id
"""
BATCH = 500


def reindex_pasted(apps, schema_editor):
    from marketplace.services.search_index import jobs_reindex, profiles_reindex

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PROFILES)
        profiles = [row[0] for row in cursor.fetchall()]
        cursor.execute(JOBS)
        jobs = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(profiles), BATCH):
        profiles_reindex(ids=profiles[start : start + BATCH])
    jobs_reindex(ids=jobs)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0022_weights_average_length"),
    ]

    # Reversed, the function goes back first and then the same rows are indexed again.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, reindex_pasted),
        migrations.RunSQL(SEARCH_TEXT, BEFORE),
        migrations.RunPython(reindex_pasted, migrations.RunPython.noop),
    ]
