"""Keyword search also through an HNSW index on the BM25 weights (inner product).

pgvector's HNSW takes sparse vectors of at most 1,000 non-zero terms; WEIGHTS_SQL now keeps a profile's
1,000 heaviest. A profile stored with more (none is expected: the text limits keep a profile well under)
loses its weights here and gets them back, capped, from the nightly search_terms_rebuild.
"""

import pgvector.django.indexes
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0012_skills_beyond_software'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE marketplace_freelancerprofile SET terms = NULL "
            "WHERE array_length(tsvector_to_array(term_vector), 1) > 1000",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='freelancerprofile',
            index=pgvector.django.indexes.HnswIndex(ef_construction=64, fields=['terms'], m=16, name='profile_terms_hnsw', opclasses=['sparsevec_ip_ops']),
        ),
    ]
