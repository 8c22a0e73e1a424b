"""Skills read from free text: one matcher for pasted CVs, overviews and job posts, offered as suggestions
(page and API) and used for the shortlist's need. Prose is not a skills list, so it must not invent one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.models import Contract, FreelancerProfile, Skill
from marketplace.models.text import LONG
from marketplace.services.profiles import profile_skills_set, profile_update
from marketplace.services.skill_matcher import mentions, skills_in_text, suggestions
from recruiter.retrieval import eligible, need_of, start_by
from tests.factories import FreelancerFactory, JobFactory


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Built React Native apps, then plain React.", ["React Native", "React"]),
        ("reactjs, React.js and react js: one skill", ["React"]),
        ("C# and ASP.NET services, C++ for the engine, Node.js tools", ["C#", ".NET", "C++", "Node.js"]),
        ("UI/UX work in Figma; CI/CD pipelines.", ["UX/UI Design", "Figma", "CI/CD"]),
        ("Eight years of Java.Company Details: Infosys. Tableau.Education: B.Tech", ["Java", "Tableau"]),
        # a skills list pasted without its line breaks or with its encoding broken (pasted_text)
        ("Python- Exprience - 24 monthsDocker- Exprience - 12 monthsKubernetes", ["Python", "Docker", "Kubernetes"]),
        ("Drafting toolsAutoCAD, Revitâ€¢SolidWorks", ["AutoCAD", "Autodesk Revit", "SolidWorks"]),
        ("Ran devOps for our wordPress shops", ["DevOps", "WordPress"]),
        ("ASP.Net MVC, then Node.js services", [".NET", "Node.js"]),
        ("HR generalist: payroll, onboarding and benefits administration in SAP HR.", None),
        ("Month-end close, account reconciliations and journal entries in QuickBooks.", None),
        # technical work CVs name (migration 0017): big data, ETL suites, Java EE, test tools, networks, PLCs
        ("Hadoop, Hive, Sqoop and HBase on a Cloudera cluster", ["Hadoop", "Apache Hive", "Apache Sqoop", "HBase"]),
        ("ETL in Informatica PowerCenter and Talend into Teradata", ["ETL Pipeline", "Informatica", "Talend"]),
        ("Core Java, J2EE, JSP, Servlets, Hibernate", ["Java", "Java EE", "JSP", "Java Servlets", "Hibernate"]),
        ("Selenium WebDriver with TestNG; Appium; QTP", ["Selenium", "TestNG", "Appium", "Micro Focus UFT"]),
        ("Cisco routers, firewalls and VPN; CCNA", ["Cisco Networking", "Firewalls", "VPN"]),
        ("PLC programming and SCADA; CATIA, ANSYS", ["PLC Programming", "SCADA", "CATIA", "ANSYS"]),
        ("PMO lead, PMP, MS Project, Agile and Scrum", ["Program Management", "Project Management Professional"]),
        # everyday marketplace work as clients write it (migration 0020): the people and the verbs, not only the field
        ("need a lawyer to review our NDA", ["Legal Consulting"]),
        ("translate our website to German, then localization of the app", ["Translation"]),
        ("a copywriter and a video editor for our launch", ["Copywriting", "Video Editing"]),
        ("edit 10 YouTube videos a month for our cooking channel", ["Video Editing"]),
        ("an accountant for our books", ["Bookkeeping"]),
        ("transcribe 5 hours of interviews", ["Transcription"]),
        ("animate our mascot, then a 3D model of a chair", ["Animation", "3D Modeling"]),
        ("a voice-over for our ad, support tickets in Zendesk", ["Voice Over", "Zendesk"]),
        ("product descriptions and a business plan", ["Product Descriptions", "Business Plan Writing"]),
        ("a logo for my coffee shop, then someone to manage our Instagram", ["Logo Design", "Instagram Marketing"]),
        # who does the work names it as its skill does, as CV titles say it (migration 0024)
        ("Mechanical engineer: SolidWorks and HVAC", ["Mechanical Engineering", "SolidWorks", "HVAC"]),
        ("Automation tester with Selenium", ["Automated Testing", "Selenium"]),
        ("Database administrator, then a web designing course", ["Database Administration", "Web Design"]),
        # work the public resumes showed missing (migration 0025)
        ("Wrote Spark jobs in Scala, then functional testing", ["Apache Spark", "Scala", "Software Testing"]),
        ("A dietitian; a choreographer and music teacher", ["Nutrition", "Choreography", "Music Instruction"]),
        ("Legal documentation and pleadings for a musician", ["Legal Drafting", "Music Production"]),
    ],
)
def test_names_synonyms_and_technical_tokens_are_found(text, found):
    names = skills_in_text(text)
    if found is not None:
        assert names[: len(found)] == found
    else:
        assert len(names) >= 3, names  # beyond software: HR, finance, SAP all resolve


def test_words_that_are_also_skill_names_are_not_invented():
    cv = (
        "Go to market plans for retail. Richmond, VA 23220. Meetings at 3 PM. Security guard at night.\n"
        "I excel at customer care, and the rest of the team relies on me."
    )
    assert "Go" not in skills_in_text(cv)
    assert {"Virtual Assistance", "Project Management", "Information Security"}.isdisjoint(skills_in_text(cv))
    assert {"Microsoft Excel", "REST API"}.isdisjoint(skills_in_text(cv))
    assert "Go" in skills_in_text("Services written in Go and Python.")
    # A rate is not HR, and an SEO audit is not financial auditing.
    assert skills_in_text("React developer, $40-60/hr, or 50 per hr") == ["React"]
    assert "Auditing" not in skills_in_text("An SEO audit for our online store")
    assert "Human Resources" in skills_in_text("An HR generalist") and "Auditing" in skills_in_text("Internal audit")
    # a company's PLC is not a controller, a beehive not Hadoop's Hive, a party not a shell
    assert skills_in_text("Store manager at Tesco PLC. We kept bees; each hive gave 20 kg. A birthday bash.") == []


def test_most_named_comes_first_and_each_says_how_it_was_written():
    found = mentions("Payroll, payroll and more payroll; some Excel.")
    assert [(m.skill, m.count) for m in found] == [("Payroll", 3), ("Microsoft Excel", 1)]
    assert found[1].written == "Excel"


def test_a_skill_written_run_together_is_counted_once():
    # "devOps" is also read as "dev Ops" (pasted_text): both spell DevOps, which is named once here
    found = mentions("Ran devOps for our wordPress shops; 24 monthsAWS")
    assert [(m.skill, m.count) for m in found] == [("DevOps", 1), ("WordPress", 1), ("Amazon Web Services", 1)]
    assert [m.written for m in found] == ["devOps", "wordPress", "AWS"]


@pytest.mark.parametrize("text", ["", "   ", "Необходим разработчик для интернет-магазина", "x" * 200_000])
def test_empty_foreign_or_huge_text_gives_a_clear_empty_answer(text):
    assert skills_in_text(text) == []


@pytest.mark.django_db
def test_suggestions_leave_out_what_is_listed_even_by_a_synonym():
    found = suggestions("Django, PostgreSQL and ReactJS", listed=["React.js", "Django"])
    assert [m.skill for m in found] == ["PostgreSQL"]


@pytest.mark.django_db
def test_the_page_suggests_from_what_is_being_typed(client, bob):
    client.force_login(bob)
    response = client.post(
        "/skills/suggest/", {"overview": "I build Django and PostgreSQL apps <b>fast</b>", "skills": "Django:5"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-add-skill="PostgreSQL"' in body and 'data-add-skill="Django"' not in body
    assert "<b>" not in body


@pytest.mark.django_db
def test_the_suggestion_page_needs_a_login_and_a_post(client, bob):
    assert client.post("/skills/suggest/", {"overview": "Django"}).status_code == 302
    client.force_login(bob)
    assert client.get("/skills/suggest/").status_code == 405


@pytest.mark.django_db
def test_the_api_suggests_and_names_the_field_of_bad_input(bob):
    from rest_framework.test import APIClient

    api = APIClient()
    assert api.post("/api/v1/skills/suggest/", {"text": "Django"}, format="json").status_code in (401, 403)
    api.force_authenticate(bob)
    ok = api.post("/api/v1/skills/suggest/", {"text": "Shopify checkout drops orders", "skills": []}, format="json")
    assert ok.status_code == 200
    assert ok.json()["skills"][0] == {"name": "Shopify", "written": "Shopify", "count": 1}
    huge = api.post("/api/v1/skills/suggest/", {"text": "x" * (LONG + 1)}, format="json")
    assert huge.status_code == 400 and "10000 characters" in huge.json()["text"][0]
    missing = api.post("/api/v1/skills/suggest/", {}, format="json")
    assert missing.status_code == 400 and "text" in missing.json()


@pytest.mark.django_db
def test_a_job_in_prose_gives_the_need_its_skills(alice, bob):
    job = JobFactory(
        organization=alice.organizations.get(),
        created_by=alice,
        title="Fix our Shopify checkout",
        description="It drops orders since we added Stripe. Some Google Analytics tracking too.",
    )
    job.skills.clear()  # a post written in prose, no skills listed
    contract = Contract(job=job, contract_type="hourly", hourly_rate=Decimal(50), title=job.title, scope="")
    contract.freelancer_id = bob.pk
    need = need_of(contract, start=start_by(), exclude=set())
    assert need.skills[:3] == ["Shopify", "Stripe", "Google Analytics"]
    assert need.skill_ids[0] == Skill.objects.get(name="Shopify").pk
    assert need.required == []  # read, not chosen: they widen the search, the re-ranker doesn't hold them
    job.skills.set([Skill.objects.get(name="Stripe")])
    need = need_of(contract, start=start_by(), exclude=set())
    assert need.skills[:2] == ["Stripe", "Shopify"] and need.required == ["Stripe"]


@pytest.mark.django_db
def test_skills_only_read_from_the_post_filter_nobody_but_chosen_ones_do(bob):
    """An exact-skill filter on skills read from a post dropped relevant people who named theirs
    differently; one of the same kind still dropped 18% of the relevant public resumes. The text
    decides instead. Skills the client chose still filter."""
    writer = FreelancerFactory(email="writer@example.com")
    profile_update(profile=writer.freelancer_profile, by=writer, overview="Shopify stores since 2015.")
    other = FreelancerFactory(email="other@example.com")
    profile_skills_set(profile=other.freelancer_profile, by=other, skills={"Figma": 3})
    kin = FreelancerFactory(email="kin@example.com")
    profile_skills_set(profile=kin.freelancer_profile, by=kin, skills={"WooCommerce": 4})
    shopify = Skill.objects.get(name="Shopify")
    from tests.recruiter.conftest import need_for

    read = need_for(skills=["Shopify"], skill_ids=[shopify.pk], budget_max=None, listed=0)
    found = set(FreelancerProfile.objects.filter(eligible(read)).values_list("user__email", flat=True))
    assert found >= {"writer@example.com", "kin@example.com", "other@example.com"}  # judged by their text
    chosen = need_for(skills=["Shopify"], skill_ids=[shopify.pk], budget_max=None, listed=1)
    found = set(FreelancerProfile.objects.filter(eligible(chosen)).values_list("user__email", flat=True))
    assert "writer@example.com" in found  # lists nothing: judged by the text
    assert not found & {"kin@example.com", "other@example.com"}  # the client chose Shopify
