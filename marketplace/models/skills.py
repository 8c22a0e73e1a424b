"""The skills taxonomy: categories, skills, and the synonyms that map onto one skill."""

from __future__ import annotations

import re

from django.db import models
from pgvector.django import HnswIndex

# all-MiniLM-L6-v2 (Uma's default embedding model) gives 384 numbers per text.
EMBEDDING_DIMENSIONS = 384


def embedding_index(name: str) -> HnswIndex:
    """The HNSW index an `embedding` column is searched through, by cosine distance."""
    return HnswIndex(name=name, fields=["embedding"], m=16, ef_construction=64, opclasses=["vector_cosine_ops"])


def skill_key(text: str) -> str:
    """The form synonyms are matched in: "React.js", "React JS" and "reactjs" are all "reactjs"."""
    return re.sub(r"[\s.\-_/]+", "", text.strip().lower())


class SkillCategory(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill categories"

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SkillAlias(models.Model):
    """Another name for a skill, stored in skill_key() form; the skill's own name has one too."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    key = models.CharField(max_length=80, unique=True)

    class Meta:
        verbose_name_plural = "skill aliases"

    def __str__(self) -> str:
        return f"{self.key} → {self.skill}"
