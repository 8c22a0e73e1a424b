"""The demo marketplace's past: finished contracts from the last two years, so freelancers have records.

A real marketplace is not a crowd of newcomers: a minority of established freelancers did most of the
past work (and, having survived, mostly did it well), many did a job or two, and about half have no
record yet. Without a past, every job success score would rest on the few contracts of the last months
and almost no one would have the three completed jobs the recruiting policy calls a proven record.

Past contracts are fixed-price with one paid milestone and the client's feedback; they carry no
messages or time, so they change records and nothing that is live. They use their own random stream,
so the rest of the world is the same as without them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import accumulate

from marketplace.demo.sampling import money, pick
from marketplace.demo.work import job_contract
from marketplace.models import Contract, Feedback, JobPost, Milestone, User

# Share of freelancers, how much of the past work comes their way (relative), how their jobs ended.
TIERS = {
    "established": (0.2, 8.0),
    "occasional": (0.3, 2.0),
    "new": (0.5, 0.25),
}
ENDINGS = {"completed": 0.7, "not_needed": 0.1, "quality": 0.07, "unresponsive": 0.08, "other": 0.05}
ENDINGS_ESTABLISHED = {"completed": 0.86, "not_needed": 0.08, "quality": 0.02, "unresponsive": 0.02, "other": 0.02}
DAYS_BACK = (60, 700)  # inside the job success score's 24-month window


class PastWork:
    """Mixed into the world builder: needs today, now, the freelancers by family and the feedback maker."""

    today: date
    now: datetime
    by_family: dict[str, list[User]]
    family_of_job: dict[int, str]

    _feedback: Callable[[Contract, random.Random], list[Feedback]]

    def past_contracts(self, jobs: list[JobPost], *, count: int, seed: int) -> list[Contract]:
        rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        tiers = {name: share for name, (share, _) in TIERS.items()}
        tier_of = {user.pk: pick(rng, tiers) for people in self.by_family.values() for user in people}
        jobs_by_family: dict[str, list[JobPost]] = {}
        for job in jobs:
            if job.status != "draft":
                jobs_by_family.setdefault(self.family_of_job[job.pk], []).append(job)
        families = [f for f in self.by_family if f in jobs_by_family]
        if not families:
            return []
        cumulative = {f: list(accumulate(TIERS[tier_of[u.pk]][1] for u in self.by_family[f])) for f in families}
        weights = [cumulative[f][-1] for f in families]  # each family's share of the past work
        contracts, milestones, feedback = [], [], []
        for i in range(count):
            family = rng.choices(families, weights=weights)[0]
            freelancer = rng.choices(self.by_family[family], cum_weights=cumulative[family])[0]
            job = rng.choice(jobs_by_family[family])
            endings = ENDINGS_ESTABLISHED if tier_of[freelancer.pk] == "established" else ENDINGS
            start = self.today - timedelta(days=rng.randint(*DAYS_BACK))
            ended = datetime.combine(start + timedelta(days=rng.randint(7, 50)), datetime.min.time(), self.now.tzinfo)
            low = float(job.budget_min or 100) * (10 if job.contract_type == "hourly" else 0.8)
            contract = job_contract(
                job,
                freelancer=freelancer,
                contract_type="fixed",
                fixed_amount=money(rng.uniform(low, low * 2.5), 50, step=5),
                start_date=start,
                status=Contract.Status.ENDED,
                end_reason=pick(rng, endings),
                ended_at=ended,
                ended_by=job.created_by,
                source_ref=f"demo:past:{i}",
            )
            contracts.append(contract)
        Contract.objects.bulk_create(contracts)
        for c in contracts:
            paid = c.end_reason in Contract.GOOD_ENDINGS
            milestones.append(
                Milestone(
                    contract=c,
                    position=1,
                    title="Complete the work",
                    amount=c.fixed_amount,
                    due_date=c.ended_at.date(),  # type: ignore[union-attr]
                    status="paid" if paid else "active",
                )
            )
            feedback.extend(self._feedback(c, rng))
        Milestone.objects.bulk_create(milestones)
        Feedback.objects.bulk_create(feedback)
        return contracts
