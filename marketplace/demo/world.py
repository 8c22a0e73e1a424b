"""A believable marketplace for demos and for the AI recruiter to work on, built in bulk.

Deterministic for a given --seed (dates are relative to today); running it again adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from marketplace.demo import text
from marketplace.demo.cast import DEMO_PASSWORD
from marketplace.demo.facts import market_facts
from marketplace.demo.history import PastWork
from marketplace.demo.sampling import Quantiles
from marketplace.demo.sampling import money as _money
from marketplace.demo.sampling import pick as _pick
from marketplace.demo.vocab import (
    CATEGORY_OF,
    COMPANIES,
    COUNTRY_TZ,
    EXTRA_SKILLS,
    FAMILY_OF,
    FIRST_NAMES,
    LANGUAGES,
    LAST_NAMES,
)
from marketplace.demo.work import ContractWork, job_contract
from marketplace.models import (
    Contract,
    Feedback,
    FreelancerProfile,
    Invitation,
    JobPost,
    Membership,
    Message,
    Milestone,
    Organization,
    ProfileSkill,
    Proposal,
    Skill,
    SkillCategory,
    Thread,
    TimeLog,
    User,
)
from marketplace.services.search_index import jobs_reindex, profiles_reindex
from marketplace.services.skills import skill_resolve
from marketplace.services.stats import freelancer_stats_refresh

DEMO_DOMAIN = "demo.tandem.test"
STACK_SIZE = 6  # skills that go together (a stack): as many as a job lists at most, so a job fits in one
Progress = Callable[[str, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Sizes:
    orgs: int = 40
    freelancers: int = 2000
    jobs: int = 600
    contracts: int = 800
    history: int = 2400  # finished contracts of the last two years (marketplace/demo/history.py)


def stacks_of(pool: list[T], size: int = STACK_SIZE) -> list[list[T]]:
    """The pool cut into stacks of `size`, the last one filled up from the pool's start: no stack is a
    fragment of one or two skills that no job or person could be built from."""
    if len(pool) <= size:
        return [list(pool)]
    return [[pool[(i + j) % len(pool)] for j in range(size)] for i in range(0, len(pool), size)]


def demo_world_exists() -> bool:
    return User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()


@transaction.atomic
def demo_world_delete() -> None:
    demo_orgs = Organization.objects.filter(memberships__user__email__endswith=f"@{DEMO_DOMAIN}").distinct()
    Contract.objects.filter(source_ref__startswith="demo:").exclude(source_ref__startswith="demo:cast:").delete()
    JobPost.objects.filter(organization__in=demo_orgs).delete()
    Contract.objects.filter(freelancer__email__endswith=f"@{DEMO_DOMAIN}").delete()
    Proposal.objects.filter(freelancer__email__endswith=f"@{DEMO_DOMAIN}").delete()
    demo_orgs.delete()
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()


class Builder(ContractWork, PastWork):
    def __init__(self, *, seed: int, sizes: Sizes, progress: Progress) -> None:
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.sizes = sizes
        self.progress = progress
        self.facts = market_facts()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.password = make_password(DEMO_PASSWORD)
        self.skills_by_family = self._skill_pools()
        self.stacks = {family: stacks_of(pool) for family, pool in self.skills_by_family.items()}
        self.categories = {c.name: c for c in SkillCategory.objects.all()}
        self.family_share = self._family_share()

    # --- calibration -------------------------------------------------------------------------
    def _skill_pools(self) -> dict[str, list[Skill]]:
        """Per family: core skills first (the family's own list), then what the market pairs with them."""
        pools: dict[str, dict[int, Skill]] = {family: {} for family in EXTRA_SKILLS}
        top = self.facts.get("top_skills_by_category", {})
        for family, names in EXTRA_SKILLS.items():
            for name in names:
                if skill := skill_resolve(name):
                    pools[family].setdefault(skill.pk, skill)
        for market_category, family in FAMILY_OF.items():
            for name in top.get(market_category, [])[:8]:
                if skill := skill_resolve(name.replace("&amp;", "&")):
                    pools[family].setdefault(skill.pk, skill)
        return {family: list(skills.values()) for family, skills in pools.items()}

    def _choose_skills(self, family: str, low: int, high: int) -> list[Skill]:
        """Skills from one stack of the family (people and jobs work in stacks, like Django + React +
        PostgreSQL), then, for profiles wider than a stack, others of the family."""
        pool = self.skills_by_family[family]
        stack = self.rng.choice(self.stacks[family])
        want = self.rng.randint(low, high)
        own = self.rng.sample(stack, k=min(len(stack), want))
        rest = [s for s in pool if s not in own]
        return own + self.rng.sample(rest, k=min(len(rest), want - len(own)))

    def _family_share(self) -> dict[str, float]:
        share: dict[str, float] = {}
        for market_category, value in self.facts["job_categories_share"].items():
            family = FAMILY_OF.get(market_category)
            if family:
                share[family] = share.get(family, 0) + value
        share["writing"] = 0.02
        return share

    # --- people ------------------------------------------------------------------------------
    def organizations(self) -> list[Organization]:
        plans = {"basic": 0.5, "business_plus": 0.35, "enterprise": 0.15}
        orgs, members = [], []
        for i in range(self.sizes.orgs):
            name = COMPANIES[i % len(COMPANIES)] + (f" {i // len(COMPANIES) + 1}" if i >= len(COMPANIES) else "")
            orgs.append(Organization(name=name, plan=_pick(self.rng, plans), payment_verified=self.rng.random() < 0.8))
        Organization.objects.bulk_create(orgs)
        users = []
        for i, org in enumerate(orgs):
            for j in range(self.rng.choice([1, 1, 2, 3])):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                users.append(
                    (
                        org,
                        User(
                            email=f"client{i:03d}{j}@{DEMO_DOMAIN}",
                            first_name=first,
                            last_name=last,
                            kind=User.Kind.CLIENT,
                            password=self.password,
                        ),
                    )
                )
        User.objects.bulk_create([u for _, u in users])
        members = [
            Membership(organization=org, user=u, role="owner" if u.email.endswith(f"0@{DEMO_DOMAIN}") else "member")
            for org, u in users
        ]
        Membership.objects.bulk_create(members)
        self.org_members: dict[int, list[User]] = {}
        for org, user in users:
            self.org_members.setdefault(org.pk, []).append(user)
        self.progress("organisations", len(orgs))
        return orgs

    def freelancers(self) -> list[FreelancerProfile]:
        countries = self.facts["freelancer_hourly_rate_usd_by_country"]
        country_weights = {c: v["n"] for c, v in countries.items() if c in COUNTRY_TZ}
        users, profiles, skills_rows = [], [], []
        self.family_of_user: dict[int, str] = {}
        self.reply_hours: dict[int, float] = {}
        for i in range(self.sizes.freelancers):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            users.append(
                User(
                    email=f"freelancer{i:04d}@{DEMO_DOMAIN}",
                    first_name=first,
                    last_name=last,
                    kind=User.Kind.FREELANCER,
                    password=self.password,
                )
            )
        User.objects.bulk_create(users)
        for user in users:
            family = _pick(self.rng, self.family_share)
            country = _pick(self.rng, country_weights)
            q = countries[country]
            rate = Quantiles({"p25": q["p25"], "p50": q["p50"], "p75": q["p75"]}).sample(self.rng)
            chosen = self._choose_skills(family, 5, 12)  # profiles list up to 15
            years = self.rng.randint(1, 15)
            headline, overview = text.profile_text(self.rng, family, [s.name for s in chosen], years)
            availability = self.rng.random()
            profiles.append(
                FreelancerProfile(
                    user=user,
                    headline=headline,
                    overview=overview,
                    hourly_rate=_money(rate, 8),
                    country=country,
                    timezone=COUNTRY_TZ[country],
                    languages=LANGUAGES[country],
                    available_now=availability < 0.6,
                    available_from=self.today + timedelta(days=self.rng.randint(1, 45))
                    if 0.6 <= availability < 0.85
                    else None,
                    weekly_hours_free=self.rng.choice([10, 20, 20, 30, 40, 40]),
                )
            )
            self.family_of_user[user.pk] = family
            persona = self.rng.random()
            self.reply_hours[user.pk] = (
                self.rng.uniform(0.5, 4)
                if persona < 0.5
                else (self.rng.uniform(4, 12) if persona < 0.85 else self.rng.uniform(12, 48))
            )
            skills_rows.append((user.pk, [(s, max(1, years - self.rng.randint(0, years))) for s in chosen]))
        FreelancerProfile.objects.bulk_create(profiles)
        by_user = {p.user_id: p for p in profiles}
        ProfileSkill.objects.bulk_create(
            [ProfileSkill(profile=by_user[uid], skill=s, years=y) for uid, rows in skills_rows for s, y in rows]
        )
        self.profiles = profiles
        self.by_family: dict[str, list[User]] = {}
        for user in users:
            self.by_family.setdefault(self.family_of_user[user.pk], []).append(user)
        self.skills_of_user = {uid: [s for s, _ in rows] for uid, rows in skills_rows}
        self.progress("freelancers", len(profiles))
        return profiles

    # --- jobs and proposals --------------------------------------------------------------------
    def jobs(self, orgs: list[Organization]) -> list[JobPost]:
        shares = self.facts["job_categories_share"]
        hourly_min = Quantiles(self.facts["hourly_range_min_usd"])
        hourly_max = Quantiles(self.facts["hourly_range_max_usd"])
        fixed = Quantiles(self.facts["fixed_price_budget_usd"])
        chars = Quantiles(self.facts["job_description_chars"])
        levels = {
            "intermediate": self.facts["experience_level_share"].get("Intermediate", 0.64),
            "expert": self.facts["experience_level_share"].get("Expert", 0.31),
            "entry": self.facts["experience_level_share"].get("Entry Level", 0.05),
        }
        hourly_share = self.facts["contract_type_share"].get("Hourly", 0.59)
        jobs, job_skills, job_families = [], [], []
        self.family_of_job: dict[int, str] = {}
        for _ in range(self.sizes.jobs):
            market_category = _pick(self.rng, {k: v for k, v in shares.items() if k in FAMILY_OF})
            family = FAMILY_OF[market_category] if self.rng.random() > 0.02 else "writing"
            org = self.rng.choice(orgs)
            chosen = self._choose_skills(family, 3, STACK_SIZE)  # a job's skills fit in one stack
            title, description = text.job_text(
                self.rng, family, org.name, [s.name for s in chosen], int(chars.sample(self.rng))
            )
            if self.rng.random() < hourly_share:
                low = hourly_min.sample(self.rng)
                budget = (_money(low), _money(max(hourly_max.sample(self.rng), low + 5)))
                contract_type = "hourly"
            else:
                total = fixed.sample(self.rng) * self.rng.choice([1, 1, 2, 4])
                budget = (_money(total * 0.7, 20, step=5), _money(total, 25, step=5))
                contract_type = "fixed"
            status = _pick(self.rng, {"open": 0.7, "draft": 0.1, "closed": 0.1, "filled": 0.1})
            published = self.now - timedelta(days=self.rng.uniform(0, 60)) if status != "draft" else None
            job = JobPost(
                organization=org,
                created_by=self.rng.choice(self.org_members[org.pk]),
                title=title,
                description=description,
                category=self.categories[CATEGORY_OF[family]],
                contract_type=contract_type,
                budget_min=budget[0],
                budget_max=budget[1],
                duration=self.rng.choice(JobPost.Duration.values),
                weekly_hours=self.rng.choice([10, 20, 30, 40]),
                experience_level=_pick(self.rng, levels),
                status=status,
                published_at=published,
            )
            jobs.append(job)
            job_skills.append(chosen)
            job_families.append(family)
        JobPost.objects.bulk_create(jobs)
        through = JobPost.skills.through
        through.objects.bulk_create(
            [
                through(jobpost_id=job.pk, skill_id=s.pk)
                for job, skills in zip(jobs, job_skills, strict=True)
                for s in skills
            ]
        )
        for job, family in zip(jobs, job_families, strict=True):
            self.family_of_job[job.pk] = family
        self.progress("jobs", len(jobs))
        return jobs

    def proposals(self, jobs: list[JobPost]) -> dict[int, list[Proposal]]:
        rows, seen = [], set()
        for job in jobs:
            if job.status == "draft":
                continue
            family = self.family_of_job[job.pk]
            candidates = self.by_family.get(family) or self.by_family["web"]
            for freelancer in self.rng.sample(candidates, k=min(len(candidates), self.rng.randint(2, 10))):
                if (job.pk, freelancer.pk) in seen:
                    continue
                seen.add((job.pk, freelancer.pk))
                bid = float(job.budget_min) + self.rng.random() * float(job.budget_max - job.budget_min)
                rows.append(
                    Proposal(
                        job=job,
                        freelancer=freelancer,
                        bid_amount=_money(bid, 5),
                        estimated_duration=job.duration,
                        cover_letter=text.cover_letter(
                            self.rng,
                            freelancer.get_full_name(),
                            [s.name for s in self.skills_of_user[freelancer.pk]],
                            job.title,
                        ),
                        status=_pick(
                            self.rng, {"submitted": 0.6, "shortlisted": 0.15, "declined": 0.2, "withdrawn": 0.05}
                        ),
                    )
                )
        Proposal.objects.bulk_create(rows)
        by_job: dict[int, list[Proposal]] = {}
        for p in rows:
            by_job.setdefault(p.job_id, []).append(p)
        self.progress("proposals", len(rows))
        return by_job

    def invitations(self, jobs: list[JobPost]) -> None:
        rows = []
        for job in [j for j in jobs if j.status == "open"][::3]:
            candidates = self.by_family.get(self.family_of_job[job.pk]) or self.by_family["web"]
            for freelancer in self.rng.sample(candidates, k=min(2, len(candidates))):
                rows.append(
                    Invitation(
                        job=job,
                        freelancer=freelancer,
                        invited_by=job.created_by,
                        message=f"Hi {freelancer.first_name}, your profile looks like a good fit for this.",
                        status=_pick(self.rng, {"pending": 0.6, "accepted": 0.2, "declined": 0.2}),
                    )
                )
        Invitation.objects.bulk_create(rows, ignore_conflicts=True)
        self.progress("invitations", len(rows))

    # --- contracts ---------------------------------------------------------------------------------
    def contracts(self, jobs: list[JobPost], proposals: dict[int, list[Proposal]]) -> list[Contract]:
        hireable = [j for j in jobs if j.status != "draft"]
        states = {"active": 0.35, "paused": 0.05, "ended": 0.5, "cancelled": 0.1}
        reasons = {"completed": 0.7, "not_needed": 0.1, "quality": 0.07, "unresponsive": 0.08, "other": 0.05}
        contracts, hired = [], []
        for i in range(self.sizes.contracts):
            job = self.rng.choice(hireable)
            offered = [p for p in proposals.get(job.pk, []) if p.status in ("submitted", "shortlisted")]
            if offered:
                proposal = self.rng.choice(offered)
                proposal.status = "hired"
                hired.append(proposal)
                freelancer_id, rate = proposal.freelancer_id, proposal.bid_amount
            else:
                pool = self.by_family.get(self.family_of_job[job.pk]) or self.by_family["web"]
                freelancer_id, rate = self.rng.choice(pool).pk, job.budget_max
            status = _pick(self.rng, states)
            start = self.today - timedelta(days=self.rng.randint(3, 300))
            ended_at = None
            if status in ("ended", "cancelled"):
                length = self.rng.randint(3, max(4, (self.today - start).days))
                ended_at = datetime.combine(start + timedelta(days=length), datetime.min.time(), tzinfo=self.now.tzinfo)
            reason = _pick(self.rng, reasons) if status == "ended" else ("not_needed" if status == "cancelled" else "")
            hourly = job.contract_type == "hourly"
            contracts.append(
                job_contract(
                    job,
                    freelancer_id=freelancer_id,
                    contract_type=job.contract_type,
                    hourly_rate=_money(float(rate), 8) if hourly else None,
                    fixed_amount=None if hourly else _money(float(rate), 25),
                    weekly_limit=self.rng.choice([10, 20, 30, 40]) if hourly else None,
                    start_date=start,
                    status=status,
                    end_reason=reason,
                    ended_at=ended_at,
                    ended_by=job.created_by if ended_at else None,
                    source_ref=f"demo:{i}",
                )
            )
        Contract.objects.bulk_create(contracts)
        Proposal.objects.bulk_update(hired, ["status"])
        self.progress("contracts", len(contracts))
        return contracts

    def work(self, contracts: list[Contract]) -> None:
        milestones, logs, threads, feedback = [], [], [], []
        self.trouble = {"overdue": 0, "silent": 0}
        silent: set[int] = set()
        for c in contracts:
            live = c.status in ("active", "paused")
            if c.contract_type == "fixed":
                milestones.extend(
                    self._milestones(c, overdue=live and c.status == "active" and self.rng.random() < 0.08)
                )
            else:
                logs.extend(self._time_logs(c))
            threads.append(Thread(contract=c, organization_id=c.organization_id, freelancer_id=c.freelancer_id))
            if c.status == "active" and self.rng.random() < 0.07:
                silent.add(c.pk)
            if c.ended_at and c.status == "ended":
                feedback.extend(self._feedback(c))
        Milestone.objects.bulk_create(milestones)
        TimeLog.objects.bulk_create(logs)
        Thread.objects.bulk_create(threads)
        Feedback.objects.bulk_create(feedback)
        messages = []
        for thread, c in zip(threads, contracts, strict=True):
            messages.extend(self._messages(thread, c, silent=c.pk in silent))
        Message.objects.bulk_create(messages)
        last: dict[int, datetime] = {}
        for m in messages:
            last[m.thread_id] = max(last.get(m.thread_id, m.created_at), m.created_at)
        for thread in threads:
            thread.last_message_at = last.get(thread.pk)
        Thread.objects.bulk_update(threads, ["last_message_at"])
        self.trouble["silent"] = len(silent)
        self.progress(
            "milestones, time, messages, feedback", len(milestones) + len(logs) + len(messages) + len(feedback)
        )

    def finish(self) -> None:
        profiles_reindex(ids=[p.pk for p in self.profiles])
        jobs_reindex(
            ids=list(
                JobPost.objects.filter(organization__memberships__user__email__endswith=f"@{DEMO_DOMAIN}")
                .values_list("pk", flat=True)
                .distinct()
            )
        )
        self.progress("search index", len(self.profiles))
        with_contracts = set(
            Contract.objects.filter(source_ref__startswith="demo:").values_list("freelancer_id", flat=True)
        )
        for user_id in with_contracts:
            freelancer_stats_refresh(user_id=user_id, now=self.now)
        self.progress("freelancer statistics", len(with_contracts))


def build_world(*, seed: int = 7, sizes: Sizes | None = None, progress: Progress | None = None) -> dict:
    builder = Builder(seed=seed, sizes=sizes or Sizes(), progress=progress or (lambda step, n: None))
    with transaction.atomic():
        orgs = builder.organizations()
        builder.freelancers()
        jobs = builder.jobs(orgs)
        proposals = builder.proposals(jobs)
        builder.invitations(jobs)
        contracts = builder.contracts(jobs, proposals)
        builder.work(contracts)
        past = builder.past_contracts(jobs, count=builder.sizes.history, seed=builder.seed + 1)
        builder.progress("past contracts", len(past))
        # Fresh planner statistics before the set-based reads below (autovacuum would be too late,
        # and can't see rows an enclosing transaction has not committed).
        with connection.cursor() as cursor:
            for table in ANALYZED:
                cursor.execute(f"ANALYZE {table}")
        builder.finish()
    return {"trouble": builder.trouble}


ANALYZED = [
    f"marketplace_{name}"
    for name in (
        "user",
        "organization",
        "membership",
        "freelancerprofile",
        "profileskill",
        "jobpost",
        "jobpost_skills",
        "proposal",
        "invitation",
        "contract",
        "milestone",
        "timelog",
        "thread",
        "message",
        "feedback",
    )
]


__all__ = ["Sizes", "build_world", "demo_world_delete", "demo_world_exists"]
