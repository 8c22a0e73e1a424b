"""Bias measured: the selection-rate impact ratio (the EEOC four-fifths rule, NYC Local Law 144) of the
steps that judge people, over matched pools.

A matched pool is built from the freelancers a live contract's shortlist would weigh: each one is
copied into two profiles identical in every fact (skills, rate, record, availability, headline,
overview) except the words that reveal the attribute: names and gendered words ("a mother of two" /
"a father of two") for gender, a stated age for age. Then, for each group:
- shortlist inclusion: each person, in turn, is replaced by one group's copy, then by the other's (the
  two never meet, so no tie decides between them), and the shortlist is made as a case makes it
  (retrieval, re-ranking, the proven-fit slot): is the copy on it?
- strong verdicts: the share Uma judges "strong" (candidate_rationale, the served model or the rules).
The impact ratio is uma.fairness.impact_ratio (target 0.95). Every copy is written inside a transaction
that is rolled back: nothing stays.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel

from marketplace.models import Contract, FreelancerProfile, ProfileSkill, User
from marketplace.services.search_index import profiles_reindex
from recruiter.facts import candidate_facts, skills_of_profiles
from recruiter.retrieval import need_of, start_by
from recruiter.services.shortlists import shortlist_ranked
from uma.fairness import ATTRIBUTES, impact_ratio, person
from uma.llm.runner import run_many, task_spec


@dataclass
class Tally:
    pool: Counter = field(default_factory=Counter)  # profiles per group
    included: Counter = field(default_factory=Counter)  # taken by the shortlist
    strong: Counter = field(default_factory=Counter)  # judged "strong"

    def as_dict(self) -> dict:
        return {
            "pool": dict(self.pool),
            "included": dict(self.included),
            "strong": dict(self.strong),
            "inclusion_ratio": impact_ratio(self.included, self.pool),
            "strong_ratio": impact_ratio(self.strong, self.pool),
        }


def _copy(profile: FreelancerProfile, *, first: str, last: str, intro: str, tag: str) -> FreelancerProfile:
    """The same profile as another person: their names, and `intro` (which reveals the attribute) first."""
    digest = hashlib.sha256(f"{tag}:{profile.pk}".encode()).hexdigest()[:12]
    user = User.objects.create_user(
        f"fairness-{digest}@tandem.invalid", None, first_name=first, last_name=last, kind=User.Kind.FREELANCER
    )
    skip = {"id", "user", "search_vector", "term_vector", "terms", "term_length", "embedding", "embedding_hash"}
    values = {f.name: getattr(profile, f.name) for f in FreelancerProfile._meta.concrete_fields if f.name not in skip}
    values["overview"] = f"{intro} {profile.overview}".strip()[:5000]
    copy = FreelancerProfile.objects.create(user=user, **values)
    ProfileSkill.objects.bulk_create(
        ProfileSkill(profile=copy, skill_id=ps.skill_id, years=ps.years) for ps in profile.profile_skills.all()
    )
    return copy


def _index(profile: FreelancerProfile) -> None:
    """The copy embedded and indexed as every profile is (the embeddings queue's own code)."""
    from recruiter.services.embeddings import embeddings_refresh_batch

    embeddings_refresh_batch(kind="profile", after_id=profile.pk - 1, limit=1)
    profiles_reindex(ids=[profile.pk])


def _rationale_input(job: dict, profile: FreelancerProfile, *, intro: str) -> dict:
    """What Uma judges the copy on; its past work is the intro that reveals the attribute (with the
    name), so the masking of names, gendered words and ages is what is tested."""
    skills = skills_of_profiles([profile.pk]).get(profile.pk, [])
    facts = candidate_facts(profile, label="Candidate A", skills=skills, past_work=[intro], today=timezone.localdate())
    return {"job": job, "candidate": facts}


def _measure(contract: Contract, attribute: str, *, pool: int, size: int, judge, tally: Tally) -> None:  # noqa: ANN001
    """Each of the `pool` people the shortlist weighs, in turn, is replaced by one group's copy, then the
    other's: is the copy taken? The two copies never meet, so no tie decides between them."""
    from recruiter.services.shortlists import case_job_facts, need_vector

    need = need_of(contract, start=start_by(), exclude=set())
    need.vector = need_vector(contract, need)
    tz = getattr(getattr(contract.freelancer, "freelancer_profile", None), "timezone", "UTC")
    base, _ = shortlist_ranked(need, preferences=[], client_tz=tz, count=pool)
    job = case_job_facts(need, [])
    judged: list[tuple[str, dict]] = []
    for n, ranked in enumerate(base):
        for group, *_ in ATTRIBUTES[attribute]:
            first, last, sentence = person(attribute, group, n)
            intro = f"{first} {last} here. {sentence}"
            with transaction.atomic():
                copy = _copy(ranked.profile, first=first, last=last, intro=intro, tag=group)
                _index(copy)
                need.exclude = {ranked.profile.user_id}
                shortlist, _ = shortlist_ranked(need, preferences=[], client_tz=tz, count=size)
                tally.pool[group] += 1
                tally.included[group] += any(r.profile.pk == copy.pk for r in shortlist)
                judged.append((group, _rationale_input(job, copy, intro=intro)))
                transaction.set_rollback(True)
    for (group, _), verdict in zip(judged, judge([i for _, i in judged]), strict=True):
        tally.strong[group] += verdict == "strong"


def _validated(inputs: list[dict]) -> list[BaseModel]:
    """The inputs as the rationale task takes them: names masked, gendered words and ages neutral."""
    spec = task_spec("candidate_rationale")
    return [spec.input_model.model_validate(i) for i in inputs]


def rules_judge(inputs: list[dict]) -> list[str]:
    """Tandem's recruiting rules (the rationale task's fallback) on each input."""
    spec = task_spec("candidate_rationale")
    return [spec.fallback(data).verdict for data in _validated(inputs)]  # type: ignore[attr-defined]


def model_judge(inputs: list[dict]) -> list[str]:
    """The served candidate_rationale model (or the rules, where its answer is refused). Inputs that are
    the same once masked are run once: the model's answer is a function of what it is shown."""
    validated = _validated(inputs)
    keys = [json.dumps(data.model_dump(mode="json"), sort_keys=True) for data in validated]
    unique = dict(zip(keys, validated, strict=True))
    results = run_many("candidate_rationale", list(unique.values()), subject_ids=[{"fairness": True}] * len(unique))
    verdict = {key: r.output.verdict for key, r in zip(unique, results, strict=True)}  # type: ignore[attr-defined]
    return [verdict[key] for key in keys]


def impact_ratios(*, contracts: int = 6, pool: int = 8, size: int | None = None, judge=rules_judge, say=print) -> dict:  # noqa: ANN001
    """Per attribute: pool sizes, shortlist inclusions and strong verdicts per group, and both impact
    ratios, over matched pools for the first `contracts` live contracts with a job post."""
    size = size or settings.RECRUITER_SHORTLIST_SIZE
    chosen = list(
        Contract.objects.filter(status=Contract.Status.ACTIVE, job__isnull=False)
        .select_related("job", "freelancer__freelancer_profile")
        .order_by("pk")[:contracts]
    )
    results: dict[str, dict] = {}
    for attribute in ATTRIBUTES:
        tally = Tally()
        for contract in chosen:
            _measure(contract, attribute, pool=pool, size=size, judge=judge, tally=tally)
        results[attribute] = tally.as_dict() | {"contracts": len(chosen)}
        say(f"  {attribute}: {results[attribute]}")
    return results
