"""Freelancer profiles: what they do, what they charge, when they are free, and how they have done."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from pgvector.django import HnswIndex, SparseVectorField, VectorField

from marketplace.models.accounts import User
from marketplace.models.money import rate_field
from marketplace.models.search import TERM_DIMENSIONS
from marketplace.models.skills import EMBEDDING_DIMENSIONS, Skill, embedding_index
from marketplace.models.text import MEDIUM, SHORT, LineField, long_text

# Written only by marketplace.services.search_index and embedding_store, in SQL.
INDEX_KEPT = frozenset(
    {"search_vector", "term_vector", "terms", "term_length", "embedding", "embedding_hash", "embedding_model"}
)


class FreelancerProfile(models.Model):
    """A freelancer's public profile. Figures under "derived" are kept by services, never typed in."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="freelancer_profile")
    headline = LineField(max_length=200, blank=True)
    overview = long_text(MEDIUM, blank=True)
    hourly_rate = rate_field(null=True, blank=True)
    country = models.CharField(max_length=64, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    skills = models.ManyToManyField(Skill, through="ProfileSkill", related_name="profiles")
    # Availability
    available_now = models.BooleanField(default=True)
    available_from = models.DateField(null=True, blank=True)
    weekly_hours_free = models.PositiveSmallIntegerField(default=40, validators=[MaxValueValidator(80)])
    # Derived (marketplace.services.stats); each *_basis says how its figure was computed.
    job_success_score = models.PositiveSmallIntegerField(null=True, blank=True)
    job_success_basis = models.JSONField(default=dict, blank=True)
    response_hours = models.FloatField(null=True, blank=True, help_text="median hours to reply, last 90 days")
    response_basis = models.JSONField(default=dict, blank=True)
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    total_hours = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_earnings = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    stats_updated_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Words as written (not stemmed), their BM25 weights and weighted count (marketplace.services.search_index).
    term_vector = SearchVectorField(null=True, editable=False)
    terms = SparseVectorField(dimensions=TERM_DIMENSIONS, null=True, editable=False)
    term_length = models.PositiveIntegerField(default=0, editable=False)
    # Uma's embedding of embedding_text(); hash and model say what it was built from.
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True, editable=False)
    embedding_hash = models.CharField(max_length=64, blank=True, editable=False)
    embedding_model = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="profile_search_gin"),
            GinIndex(fields=["term_vector"], name="profile_terms_gin"),  # holders of terms (the keyword fallback)
            models.Index(fields=["available_now", "hourly_rate"], name="profile_avail_rate"),
            embedding_index("profile_embedding_hnsw"),
            # BM25: the best inner products with a query's IDF weights, under filters (iterative scan).
            # Denser than the embeddings' graph: at 100k profiles m 24 / ef_construction 128 found the
            # keyword top 10 (recall 0.992 at ef_search 200) in less time than m 16 / 64 needed (ef_search
            # 600-800 for 0.998); m 32 cost more per step (bench/README.md).
            HnswIndex(
                name="profile_terms_hnsw", fields=["terms"], m=24, ef_construction=128, opclasses=["sparsevec_ip_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.headline or 'freelancer'}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Saving a loaded profile never writes the columns the index keeps (SQL in search_index and
        embedding_store): a copy loaded before they were refreshed would put back stale ones, and the
        term counts behind keyword search, worked out from the old vectors, would drift."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in INDEX_KEPT
            ]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("freelancer_public", args=[self.pk])

    def is_available_by(self, day: date) -> bool:
        """Free now, or from a day no later than `day` (recruiter.retrieval.available_by is its query)."""
        return self.available_now or (self.available_from is not None and self.available_from <= day)

    @property
    def completed_jobs(self) -> int:
        """The ended contracts the job success score rests on (last 24 months)."""
        return int((self.job_success_basis or {}).get("contracts", 0))


class ProfilePassage(models.Model):
    """One passage of a long profile, embedded on its own: the encoder reads a profile's first 256
    tokens, so what a long overview says further on is found through its passages (max-sim,
    recruiter.retrieval.semantic). Written only by embedding_store, with the profile's embedding."""

    profile = models.ForeignKey(FreelancerProfile, on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveSmallIntegerField()
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "number"], name="profile_passage_unique")]
        indexes = [
            embedding_index("passage_embedding_hnsw"),
        ]

    def __str__(self) -> str:
        return f"passage {self.number} of profile {self.profile_id}"


class ProfileSkill(models.Model):
    profile = models.ForeignKey(FreelancerProfile, on_delete=models.CASCADE, related_name="profile_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    years = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(0), MaxValueValidator(50)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="profile_skill_unique")]

    def __str__(self) -> str:
        return f"{self.skill} ({self.years}y)"


class PortfolioItem(models.Model):
    profile = models.ForeignKey(FreelancerProfile, on_delete=models.CASCADE, related_name="portfolio")
    title = LineField(max_length=200)
    description = long_text(SHORT, blank=True)
    url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
