"""The skills taxonomy: loading it from marketplace/data/skills.txt and resolving names to skills."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from marketplace.errors import InvalidInput
from marketplace.models import Skill, SkillAlias, SkillCategory, skill_key

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "data" / "skills.txt"

Taxonomy = list[tuple[str, list[tuple[str, list[str]]]]]


# A skill named for its work is also named by who does it, as CV titles and job posts say it:
# "Mechanical Engineering" by "Mechanical Engineer", "Database Administration" by "Database
# Administrator", "Web Design" by "Web Designer" and "Web Designing". Only names of two words or more
# ("Engineer" alone says nothing of the work), and never a name another skill already holds.
WORKERS = {
    "Engineering": ("Engineer",),
    "Development": ("Developer",),
    "Testing": ("Tester",),
    "Management": ("Manager",),
    "Design": ("Designer", "Designing"),
    "Analysis": ("Analyst",),
    "Administration": ("Administrator",),
    "Consulting": ("Consultant",),
    "Writing": ("Writer",),
    "Editing": ("Editor",),
    "Photography": ("Photographer",),
    "Accounting": ("Accountant",),
    "Programming": ("Programmer",),
    "Training": ("Trainer",),
    "Instruction": ("Instructor",),
    "Coaching": ("Coach",),
    "Planning": ("Planner",),
    "Architecture": ("Architect",),
    "Research": ("Researcher",),
}


def worker_names(name: str) -> list[str]:
    """Who does the work a skill's name (or synonym) names: see WORKERS."""
    head, _, last = name.rpartition(" ")
    if not head or re.search(r"&|\band\b", head, re.IGNORECASE):
        return []
    return [f"{head} {worker}" for worker in WORKERS.get(last, ())]


def taxonomy_parse(text: str) -> Taxonomy:
    """[(category, [(skill, [synonyms])])]; refuses a synonym that would name two skills. Each skill's
    synonyms end with the names of who does its work (worker_names) that no other skill holds."""
    taxonomy = _taxonomy_written(text)
    taken = {skill_key(word) for _, skills in taxonomy for name, synonyms in skills for word in (name, *synonyms)}
    for _, skills in taxonomy:
        for name, synonyms in skills:
            workers = {skill_key(w): w for word in (name, *synonyms) for w in worker_names(word)}
            free = {key: worker for key, worker in workers.items() if key not in taken}
            synonyms += free.values()
            taken |= free.keys()
    return taxonomy


def _taxonomy_written(text: str) -> Taxonomy:
    """The file's own categories, skills and synonyms."""
    taxonomy: Taxonomy = []
    owner: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            taxonomy.append((line[3:].strip(), []))
            continue
        if not taxonomy:
            raise ValueError(f"line {number}: a skill before any '## Category' line")
        name, *synonyms = [part.strip() for part in line.split(" | ")]
        for word in [name, *synonyms]:
            key = skill_key(word)
            if owner.get(key, name) != name:
                raise ValueError(f"line {number}: {word!r} already names {owner[key]!r}")
            owner[key] = name
        taxonomy[-1][1].append((name, synonyms))
    return taxonomy


@transaction.atomic
def taxonomy_sync(*, text: str | None = None, models: tuple | None = None) -> int:
    """Create or update every category, skill and synonym in the file. Returns the skill count.

    `models` lets a data migration pass its historical (SkillCategory, Skill, SkillAlias).
    """
    category_model, skill_model, alias_model = models or (SkillCategory, Skill, SkillAlias)
    taxonomy = taxonomy_parse(text if text is not None else TAXONOMY_FILE.read_text())
    if not category_model.objects.exists():
        return _taxonomy_insert(taxonomy, category_model, skill_model, alias_model)
    count = 0
    for category_name, skills in taxonomy:
        category, _ = category_model.objects.update_or_create(
            slug=slugify(category_name), defaults={"name": category_name}
        )
        for name, synonyms in skills:
            skill, _ = skill_model.objects.update_or_create(
                name=name, defaults={"slug": _skill_slug(name), "category": category}
            )
            for word in {name, *synonyms}:
                alias_model.objects.update_or_create(key=skill_key(word), defaults={"skill": skill})
            count += 1
    return count


def _taxonomy_insert(taxonomy: Taxonomy, category_model, skill_model, alias_model) -> int:  # noqa: ANN001
    """An empty database: three bulk inserts (after a migrate, or a test database flush)."""
    categories = category_model.objects.bulk_create(
        [category_model(name=name, slug=slugify(name)) for name, _ in taxonomy]
    )
    skills: list = []
    aliases: list[tuple[object, str]] = []
    for category, (_, entries) in zip(categories, taxonomy, strict=True):
        for name, synonyms in entries:
            skill = skill_model(name=name, slug=_skill_slug(name), category=category)
            skills.append(skill)
            aliases.extend((skill, key) for key in {skill_key(word) for word in (name, *synonyms)})
    skill_model.objects.bulk_create(skills)
    alias_model.objects.bulk_create([alias_model(skill=skill, key=key) for skill, key in aliases])
    return len(skills)


def _skill_slug(name: str) -> str:
    replaced = name.replace("#", " sharp").replace("++", " plus plus").replace(".", " dot ")
    return slugify(replaced) or slugify(name)


def skill_resolve(name: str) -> Skill | None:
    alias = SkillAlias.objects.select_related("skill").filter(key=skill_key(name)).first()
    return alias.skill if alias else None


def skills_by_name(names: Iterable[str]) -> dict[str, Skill]:
    """{name: skill} for each name (synonyms allowed), in one query; unknown names refused."""
    wanted = [name for name in names if name.strip()]
    keys = {skill_key(name): name for name in wanted}
    found = {a.key: a.skill for a in SkillAlias.objects.select_related("skill").filter(key__in=keys)}
    unknown = [name for key, name in keys.items() if key not in found]
    if unknown:
        raise InvalidInput(f"Unknown skill{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.", field="skills")
    return {name: found[skill_key(name)] for name in wanted}


def skills_resolve(names: Iterable[str]) -> list[Skill]:
    """Skills for the names (synonyms allowed), in order, without repeats; unknown names refused."""
    unique: dict[int, Skill] = {}
    for skill in skills_by_name(names).values():
        unique.setdefault(skill.pk, skill)
    return list(unique.values())
