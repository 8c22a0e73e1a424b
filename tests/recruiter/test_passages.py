"""Long profiles are also embedded passage by passage, so what they say past the encoder's first 256
tokens is found (max-sim over passages in recruiter.retrieval.semantic)."""

from __future__ import annotations

import numpy as np
import pytest

from marketplace.models import FreelancerProfile, ProfilePassage
from recruiter.retrieval import semantic
from recruiter.services.embeddings import PASSAGE_STEP, PASSAGE_WORDS, embeddings_refresh_batch, passages
from tests.recruiter.conftest import need_for, replacement
from uma.embeddings import embed

pytestmark = pytest.mark.django_db

ROUTINE = (
    "I plan the work with the team, keep the board tidy, write clear notes after every call and report "
    "progress to the people who pay for it every Friday. "
)
DEEP = (
    "Most of my work is SAP ABAP development: custom ABAP reports, Fiori apps, BAPI interfaces and "
    "S/4HANA migrations for manufacturers. "
)


def test_a_long_text_is_cut_into_overlapping_passages_each_led_by_its_beginning():
    words = [f"w{i}" for i in range(300)]
    cut = passages(" ".join(words))
    assert len(cut) == len(range(0, 300, PASSAGE_STEP))
    assert cut[0].split() == words[:PASSAGE_WORDS]
    assert cut[1].split()[:20] == words[:20] and cut[1].split()[20] == words[PASSAGE_STEP]
    assert passages(" ".join(words[:PASSAGE_WORDS])) == []  # the encoder reads it all at once


def test_a_long_profile_gets_passages_once_and_loses_them_when_it_gets_short():
    long = replacement("lena", {}, "40", True, 90, 5, 3.0, "Consultant")
    short = replacement("sam", {}, "40", True, 90, 5, 3.0, "Consultant")
    FreelancerProfile.objects.filter(user=long).update(overview=ROUTINE * 12 + DEEP)
    embeddings_refresh_batch(kind="profile")
    stored = list(ProfilePassage.objects.filter(profile__user=long).order_by("number"))
    assert len(stored) >= 3 and [p.number for p in stored] == list(range(len(stored)))
    assert not ProfilePassage.objects.filter(profile__user=short).exists()
    assert embeddings_refresh_batch(kind="profile").embedded == 0  # run twice: nothing changes
    assert list(ProfilePassage.objects.filter(profile__user=long).order_by("number")) == stored
    FreelancerProfile.objects.filter(user=long).update(overview=DEEP)
    assert embeddings_refresh_batch(kind="profile").embedded == 1
    assert not ProfilePassage.objects.filter(profile__user=long).exists()


def test_what_a_long_profile_says_past_its_first_256_tokens_is_found():
    deep = replacement("lena", {}, "40", True, 90, 5, 3.0, "Consultant")
    FreelancerProfile.objects.filter(user=deep).update(overview=ROUTINE * 12 + DEEP * 2)
    others = [
        replacement(name, {}, "40", True, 90, 5, 3.0, headline)
        for name, headline in [
            ("omar", "Oracle ERP consultant: finance and supply chain modules"),
            ("pia", "Java developer: Spring services and REST interfaces"),
            ("quin", "Project manager for software teams"),
            ("rosa", "Salesforce administrator and report builder"),
        ]
    ]
    embeddings_refresh_batch(kind="profile")
    title, text = "SAP ABAP developer", "Custom ABAP reports and Fiori apps on S/4HANA."
    need = need_for(title=title, text=text, skills=[], skill_ids=[], budget_max=None)
    need.vector = embed([f"{title}\n{text}"])[0]
    target = deep.freelancer_profile.pk
    vectors = dict(FreelancerProfile.objects.filter(embedding__isnull=False).values_list("pk", "embedding"))
    by_embedding_alone = sorted(vectors, key=lambda pk: -float(np.dot(vectors[pk], need.vector)))
    assert by_embedding_alone[0] != target  # its first 256 tokens are about something else
    assert [pk for pk, _ in semantic(need, limit=10)][0] == target
    assert len(semantic(need, limit=10)) == len(others) + 1
