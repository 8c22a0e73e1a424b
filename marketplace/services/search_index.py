"""Full-text search vectors, refreshed in one set-based UPDATE for any number of rows.

Profiles: headline and skills (A), overview (B), portfolio (C). Jobs: title and skills (A), description (B).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

PROFILES_SQL = """
UPDATE marketplace_freelancerprofile p SET search_vector =
    setweight(to_tsvector('english', coalesce(p.headline, '') || ' ' || coalesce(s.names, '')), 'A')
 || setweight(to_tsvector('english', coalesce(p.overview, '')), 'B')
 || setweight(to_tsvector('english', coalesce(f.portfolio, '')), 'C')
FROM marketplace_freelancerprofile p2
LEFT JOIN (SELECT ps.profile_id, string_agg(sk.name, ' ') AS names
           FROM marketplace_profileskill ps JOIN marketplace_skill sk ON sk.id = ps.skill_id
           WHERE ps.profile_id = ANY(%(ids)s) GROUP BY ps.profile_id) s ON s.profile_id = p2.id
LEFT JOIN (SELECT pi.profile_id, string_agg(pi.title || ' ' || pi.description, ' ') AS portfolio
           FROM marketplace_portfolioitem pi WHERE pi.profile_id = ANY(%(ids)s) GROUP BY pi.profile_id) f
       ON f.profile_id = p2.id
WHERE p.id = p2.id AND p.id = ANY(%(ids)s)
"""

JOBS_SQL = """
UPDATE marketplace_jobpost j SET search_vector =
    setweight(to_tsvector('english', j.title || ' ' || coalesce(s.names, '')), 'A')
 || setweight(to_tsvector('english', j.description), 'B')
FROM marketplace_jobpost j2
LEFT JOIN (SELECT js.jobpost_id, string_agg(sk.name, ' ') AS names
           FROM marketplace_jobpost_skills js JOIN marketplace_skill sk ON sk.id = js.skill_id
           WHERE js.jobpost_id = ANY(%(ids)s) GROUP BY js.jobpost_id) s ON s.jobpost_id = j2.id
WHERE j.id = j2.id AND j.id = ANY(%(ids)s)
"""


def profiles_reindex(*, ids: Sequence[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(PROFILES_SQL, {"ids": list(ids)})


def jobs_reindex(*, ids: Sequence[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(JOBS_SQL, {"ids": list(ids)})
