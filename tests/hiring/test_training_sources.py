"""Synthetic data for the hiring tasks comes from real rows and fits each task's schema."""

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from tests.factories import JobFactory
from tests.hiring.test_best_matches import freelancer
from uma.llm.runner import task_spec


@pytest.mark.parametrize(
    "task", ["job_post_questions", "job_post_draft", "interview_questions", "interview_assessment"]
)
def test_each_source_gives_valid_inputs_the_rules_can_answer(alice, task):
    job = JobFactory(organization=alice.organizations.get(), created_by=alice, skills=["Django", "PostgreSQL"])
    freelancer("cara", jss=96, skills={"Django": 5}, bid="50", job=job)
    spec = task_spec(task)
    made = list(import_string(settings.UMA_TRAINING_SOURCES[task])(limit=6, seed=1))
    assert made and all(entity.split(":")[0] in {"job", "freelancer"} for entity, _ in made)
    for _, data in made:
        inputs = spec.input_model.model_validate(data)
        assert spec.ground(inputs, (spec.teach or spec.fallback)(inputs)).grounded


@pytest.mark.parametrize(
    ("title", "inside"),
    [
        ("Fix our Shopify checkout", "fix our Shopify checkout"),
        ("SEO Writing expert: a launch email series", "SEO Writing expert: a launch email series"),
        ("PHP expert", "PHP expert"),
        ("ESP32 firmware", "ESP32 firmware"),
    ],
)
def test_a_synthetic_request_keeps_a_skills_capitals(title, inside):
    """Found by uma_eval: "need someone to help with sEO Writing expert" taught the model to title a post
    "ESEO Writing expert"."""
    from hiring.training import _lowered

    assert _lowered(title) == inside
