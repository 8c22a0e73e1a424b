from importlib import import_module

from django.db import migrations

# Words joined by a slash are read as their words: PostgreSQL's parser takes "JavaScript/JQuery",
# "SAP ABAP/4" or "Hadoop/Hive" for one file path token, so a search for JavaScript, ABAP or Hadoop
# missed the people who wrote them that way (resumes often do). Then, as before, technical tokens the
# parser would break stay whole: C# csharp, F# fsharp, C++ cplusplus, .NET dotnet. Last, a sentence that
# ends without a space before the next ("Deep learning.Education", "Hadoop.Skills", as text pasted
# from a CV often runs) is two words, not one host name; Node.js, B.Tech and salesforce.com stay whole.
SEARCH_TEXT = r"""
CREATE OR REPLACE FUNCTION tandem_search_text(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace($1,
        '(\w)/(?=\w)', '\1 ', 'g'),
        '\mc\+\+', ' cplusplus ', 'gi'),
        '\m([cf])#', ' \1sharp ', 'gi'),
        '\.net\M', ' dotnet ', 'gi'),
        '(\w\w)\.(?=[[:upper:]][[:lower:]])', '\1. ', 'g')
$$
"""
# The function as 0011 made it, and its reindex: what reversing this migration goes back to.
SEARCH_TERMS = import_module("marketplace.migrations.0011_search_terms")
BEFORE, reindex = SEARCH_TERMS.SEARCH_TEXT, SEARCH_TERMS.reindex


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0015_profile_passages"),
    ]

    operations = [
        migrations.RunSQL(SEARCH_TEXT, BEFORE),
        migrations.RunPython(reindex, reindex),
    ]
