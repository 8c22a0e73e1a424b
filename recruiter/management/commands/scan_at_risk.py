from django.core.management.base import BaseCommand
from tqdm import tqdm

from marketplace.models import Contract
from recruiter.services.cases import contracts_scan_batch


class Command(BaseCommand):
    help = (
        "Assess every active contract for risk (overdue milestones, unanswered clients, no time logged, repeated "
        "revisions, client concerns, slower replies) and open a case for each at-risk contract without one. "
        "--dry-run lists what it would open and why, changing nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would open, open nothing")
        parser.add_argument("--batch", type=int, default=None, help="contracts per batch (RECRUITER_SCAN_BATCH)")

    def handle(self, *args, **options) -> None:
        total = Contract.objects.filter(status=Contract.Status.ACTIVE).count()
        at_risk, opened, after = [], [], 0
        with tqdm(total=total, desc="scanning contracts", unit="contract", file=self.stderr._out) as bar:
            while True:
                batch = contracts_scan_batch(after_id=after, limit=options["batch"], dry_run=options["dry_run"])
                at_risk.extend(batch.at_risk)
                opened.extend(batch.opened)
                bar.update(batch.seen)
                if batch.last_id is None:
                    break
                after = batch.last_id
        for a in at_risk:
            self.stdout.write(f"contract {a.contract.pk} “{a.contract.title}” risk {a.score}: {a.reasons}")
        verb = "would open cases for" if options["dry_run"] else f"opened {len(opened)} new cases;"
        self.stdout.write(f"{total} active contracts, {len(at_risk)} at risk; {verb} those without a live case")
