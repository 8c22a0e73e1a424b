"""The work under demo contracts: milestones, time logs, feedback and messages with realistic timing."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from marketplace.demo import text
from marketplace.models import Contract, Feedback, JobPost, Message, Milestone, Thread, TimeLog


def job_contract(job: JobPost, **terms: object) -> Contract:
    """A demo contract for a job: its organisation, client, title and scope; `terms` give the rest."""
    return Contract(
        organization_id=job.organization_id,
        client=job.created_by,
        job=job,
        title=job.title,
        scope=job.description[:600],
        **terms,
    )


class ContractWork:
    """Mixed into the world builder: needs rng, today, now, reply_hours and trouble."""

    rng: random.Random
    today: date
    now: datetime
    reply_hours: dict[int, float]
    trouble: dict[str, int]

    def _milestones(self, c: Contract, *, overdue: bool) -> list[Milestone]:
        n = self.rng.choice([1, 2, 2, 3, 4])
        total = c.fixed_amount or Decimal(100)
        amounts = [(total / n).quantize(Decimal("1.00")) for _ in range(n)]
        amounts[-1] = total - sum(amounts[:-1])
        span = max(7, ((c.ended_at.date() if c.ended_at else self.today + timedelta(days=30)) - c.start_date).days)
        rows = []
        for k, amount in enumerate(amounts, start=1):
            due = c.start_date + timedelta(days=span * k // n)
            if c.status == "ended":
                status = "paid" if c.end_reason in ("completed", "not_needed") or k < n else "active"
            elif c.status == "cancelled":
                status = "paid" if k == 1 and self.rng.random() < 0.3 else "active"
            elif due < self.today:
                status = self.rng.choice(["paid", "paid", "approved", "submitted"])
            else:
                status = "active"
            rows.append(
                Milestone(
                    contract=c,
                    position=k,
                    title=self._milestone_title(k, n),
                    amount=amount,
                    due_date=due,
                    status=status,
                )
            )
        if overdue:
            target = next((m for m in rows if m.status != "paid"), rows[-1])
            target.status, target.due_date = "active", self.today - timedelta(days=self.rng.randint(2, 10))
            self.trouble["overdue"] += 1
        return rows

    def _milestone_title(self, k: int, n: int) -> str:
        names = [
            "Discovery and plan",
            "First working version",
            "Checkout page",
            "Integrations",
            "Testing and fixes",
            "Launch and handover",
            "Design mockups",
            "Data model and API",
        ]
        return names[(k * 3 + n) % len(names)] if n > 1 else "Complete the work"

    def _time_logs(self, c: Contract) -> list[TimeLog]:
        end = c.ended_at.date() if c.ended_at else self.today - timedelta(days=1)
        rows: list[TimeLog] = []
        day = c.start_date
        limit = c.weekly_limit or 20
        silent_from = (
            end - timedelta(days=self.rng.randint(5, 12)) if c.status == "active" and self.rng.random() < 0.05 else None
        )
        while day <= end and len(rows) < 60:
            week_hours = 0.0
            for offset in range(5):
                d = day + timedelta(days=offset)
                if d > end or (silent_from and d >= silent_from):
                    break
                hours = round(self.rng.uniform(1, limit / 4) * 4) / 4
                if week_hours + hours > limit:
                    break
                week_hours += hours
                rows.append(
                    TimeLog(
                        contract=c,
                        date=d,
                        hours=Decimal(str(hours)),
                        memo=self.rng.choice(
                            [
                                "API endpoints",
                                "Bug fixes",
                                "Code review and tests",
                                "Call with the client",
                                "Deployment",
                            ]
                        ),
                    )
                )
            day += timedelta(days=7)
        return rows

    def _feedback(self, c: Contract, rng: random.Random | None = None) -> list[Feedback]:
        rng = rng or self.rng
        by_reason = {
            "completed": [5, 5, 5, 4, 4],
            "not_needed": [5, 4, 4],
            "quality": [2, 3],
            "unresponsive": [1, 2],
            "other": [3, 4],
        }
        rows = []
        if rng.random() < 0.85:
            rating = rng.choice(by_reason.get(c.end_reason, [4]))
            rows.append(
                Feedback(
                    contract=c,
                    author_id=c.client_id,
                    recipient_id=c.freelancer_id,
                    rating=rating,
                    review=rng.choice(text.REVIEWS[rating]),
                )
            )
        if rng.random() < 0.7:
            rows.append(
                Feedback(
                    contract=c,
                    author_id=c.freelancer_id,
                    recipient_id=c.client_id,
                    rating=rng.choice([4, 5, 5]),
                    review="Clear brief and quick payments.",
                )
            )
        return rows

    def _messages(self, thread: Thread, c: Contract, *, silent: bool) -> list[Message]:
        start = datetime.combine(c.start_date, datetime.min.time(), tzinfo=self.now.tzinfo) + timedelta(hours=9)
        end = c.ended_at or self.now
        rows: list[Message] = []
        at = start
        delay = self.reply_hours.get(c.freelancer_id, 6.0)
        for _ in range(self.rng.randint(2, 6)):
            at += timedelta(hours=self.rng.uniform(6, 72))
            if at >= end:
                break
            rows.append(
                Message(thread=thread, sender_id=c.client_id, body=self.rng.choice(text.CLIENT_LINES), created_at=at)
            )
            reply = at + timedelta(hours=self.rng.lognormvariate(0, 0.6) * delay)
            if reply >= end:
                break
            rows.append(
                Message(
                    thread=thread,
                    sender_id=c.freelancer_id,
                    body=self.rng.choice(text.FREELANCER_LINES),
                    created_at=reply,
                )
            )
            at = reply
        if silent:  # the client keeps asking; no answer for days
            first = self.now - timedelta(days=self.rng.uniform(3, 7))
            rows = [m for m in rows if m.created_at < first]
            for k in range(self.rng.randint(2, 3)):
                rows.append(
                    Message(
                        thread=thread,
                        sender_id=c.client_id,
                        created_at=first + timedelta(hours=20 * k),
                        body=self.rng.choice(
                            [
                                "Hi, any update?",
                                "Are you still working on this?",
                                "Please reply when you can, we have a deadline.",
                            ]
                        ),
                    )
                )
        return rows
