"""Bias measured, not only tested: the impact ratio (four-fifths rule) of shortlist inclusion and of
"strong" verdicts over matched pools, and the masking that makes it 1.0."""

from __future__ import annotations

import numpy as np

from marketplace.models import FreelancerProfile, User
from marketplace.services.profiles import profile_skills_set
from recruiter.fairness import impact_ratios, rules_judge
from recruiter.services.embeddings import embeddings_refresh_batch
from tests.factories import FreelancerFactory
from uma.fairness import impact_ratio


def test_the_impact_ratio_is_the_lower_rate_over_the_higher():
    assert impact_ratio({"women": 8, "men": 10}, {"women": 20, "men": 20}) == 0.8
    assert impact_ratio({"a": 3, "b": 3}, {"a": 10, "b": 10}) == 1.0
    assert impact_ratio({}, {"a": 10, "b": 10}) is None  # nobody chosen: nothing to compare


def test_profiles_that_differ_only_in_name_gender_or_age_are_embedded_alike(db):
    """Retrieval sees the person's work, not who they are (the vectors differed before the masking)."""
    texts = {
        ("Maria", "Lopez"): "Maria Lopez here. As a mother of two, she ships Django apps. I am 27 years old.",
        ("James", "Miller"): "James Miller here. As a father of two, he ships Django apps. I am 58 years old.",
    }
    for (first, last), overview in texts.items():
        user = FreelancerFactory(first_name=first, last_name=last)
        FreelancerProfile.objects.filter(user=user).update(headline="Django developer", overview=overview)
        profile_skills_set(profile=user.freelancer_profile, by=user, skills={"Django": 5})
    embeddings_refresh_batch(kind="profile")
    first, second = (np.array(p.embedding) for p in FreelancerProfile.objects.order_by("pk"))
    assert float(first @ second) > 0.9999


def test_matched_pools_give_both_ratios_and_leave_nothing_behind(market):
    users = User.objects.count()
    results = impact_ratios(contracts=1, pool=2, size=1, say=lambda _: None)
    assert set(results) == {"gender", "age"}
    for attribute in results.values():
        assert sum(attribute["pool"].values()) == 4  # cara and dan, each as both groups' person
        assert attribute["inclusion_ratio"] == 1.0 and attribute["strong_ratio"] == 1.0
    assert User.objects.count() == users  # the copies were rolled back


def test_a_judge_that_reads_names_is_caught(market):
    """The measure can fail: a judge that favours one group's names gets a ratio under the target."""

    def biased(inputs: list[dict]) -> list[str]:
        fair = rules_judge(inputs)
        return [
            "weak" if {"Maria", "Aisha", "Emily", "Mei"} & set(i["candidate"]["names"]) else v
            for i, v in zip(inputs, fair, strict=True)
        ]

    results = impact_ratios(contracts=1, pool=2, size=1, judge=biased, say=lambda _: None)
    assert results["gender"]["strong"] == {"women": 0, "men": 1}  # cara's copies; dan is "possible"
    assert results["gender"]["strong_ratio"] == 0.0 and results["age"]["strong_ratio"] == 1.0
