import json

from django.core.management.base import BaseCommand

from offers.selectors import offers_metrics

ROWS = [
    ("offers", "Offers to hire"),
    ("acceptance_rate_7d", "Accepted within 7 days"),
    ("countered_share", "Countered by the freelancer"),
    ("rounds_to_agreement_mean", "Versions to agreement (mean)"),
    ("rounds_to_agreement_median", "Versions to agreement (median)"),
    ("expiry_rate", "Expired (of decided)"),
    ("median_days_first_offer_to_start", "Days from first offer to start (median)"),
]


def _show(key: str, value: object) -> str:
    if value is None:
        return "—"
    if key in {"acceptance_rate_7d", "countered_share", "expiry_rate"}:
        return f"{float(value):.0%}"  # type: ignore[arg-type]
    return str(value)


class Command(BaseCommand):
    help = (
        "Negotiation metrics, overall and by client plan: 7-day acceptance rate, share of offers countered, "
        "versions to agreement, withdrawal reasons, expiry rate, median days from first offer to contract start."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, **options) -> None:
        metrics = offers_metrics()
        if options["json"]:
            self.stdout.write(json.dumps(metrics, indent=2))
            return
        columns = {"overall": metrics["overall"], **metrics["by_plan"]}
        width = max(len(label) for _, label in ROWS) + 2
        self.stdout.write("".ljust(width) + "".join(name.ljust(16) for name in columns))
        for key, label in ROWS:
            self.stdout.write(label.ljust(width) + "".join(_show(key, c[key]).ljust(16) for c in columns.values()))
        self.stdout.write("Withdrawal reasons".ljust(width))
        for reason in metrics["overall"]["withdrawal_reasons"]:
            counts = "".join(str(c["withdrawal_reasons"][reason]).ljust(16) for c in columns.values())
            self.stdout.write(f"  {reason}".ljust(width) + counts)
