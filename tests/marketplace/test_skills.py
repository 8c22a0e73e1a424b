import pytest

from marketplace.errors import InvalidInput
from marketplace.models import Skill, SkillCategory
from marketplace.services.skills import skill_resolve, skills_resolve, taxonomy_parse, taxonomy_sync


@pytest.mark.django_db
class TestTaxonomy:
    def test_loaded_by_migration_with_real_categories(self):
        names = set(SkillCategory.objects.values_list("name", flat=True))
        assert {"Design & creative", "Writing & translation", "Sales & marketing", "Admin & support"} <= names
        assert Skill.objects.count() > 150

    @pytest.mark.parametrize("spelling", ["React", "ReactJS", "react.js", "React JS", " REACTJS "])
    def test_synonyms_are_one_skill(self, spelling):
        assert skill_resolve(spelling).name == "React"

    def test_resolving_keeps_order_and_drops_repeats(self):
        assert [s.name for s in skills_resolve(["Golang", "Postgres", "Go"])] == ["Go", "PostgreSQL"]

    def test_unknown_skills_are_named(self):
        with pytest.raises(InvalidInput, match="Unknown skills: Klingon, Basket weaving"):
            skills_resolve(["Python", "Klingon", "Basket weaving"])

    def test_sync_is_idempotent(self):
        before = (Skill.objects.count(), SkillCategory.objects.count())
        taxonomy_sync()
        assert (Skill.objects.count(), SkillCategory.objects.count()) == before

    def test_a_synonym_naming_two_skills_is_refused(self):
        with pytest.raises(ValueError, match="already names"):
            taxonomy_parse("## Software\nReact | RJS\nRuby | R.JS\n")

    @pytest.mark.parametrize(
        ("title", "skill"),
        [
            ("Civil Engineer", "Civil Engineering"),
            ("database administrator", "Database Administration"),
            ("Web Designing", "Web Design"),
            ("Supply Chain Manager", "Supply Chain Management"),
        ],
    )
    def test_who_does_the_work_names_the_skill(self, title, skill):
        assert skill_resolve(title).name == skill

    def test_who_does_the_work_never_takes_another_skills_name(self):
        taxonomy = taxonomy_parse(
            "## Data\nData Analysis | Data Analytics\nAnalyst Tools | Data Analyst\n"
            "Engineering\nHR & Payroll Management\nWeb Design\n"
        )
        assert taxonomy == [
            (
                "Data",
                [
                    ("Data Analysis", ["Data Analytics"]),
                    ("Analyst Tools", ["Data Analyst"]),
                    ("Engineering", []),
                    ("HR & Payroll Management", []),
                    ("Web Design", ["Web Designer", "Web Designing"]),
                ],
            )
        ]
