import json

from django.core.management.base import BaseCommand

from recruiter.fairness import impact_ratios, model_judge, rules_judge
from recruiter.report import recruiter_figures
from uma.fairness import TARGET

LABELS = [
    ("opened", "cases opened"),
    ("live", "live now"),
    ("self_served_share", "served by Uma alone (share)"),
    ("escalated", "escalated to people"),
    ("escalated_share", "escalated (share)"),
    ("escalated_by_policy_share", "  by the escalation policy (share)"),
    ("escalated_by_plan_only", "  only because the plan says so (Enterprise)"),
    ("recruited", "cases the recruiter worked (not alert-only)"),
    ("escalated_of_recruited_share", "  of those, escalated (share)"),
    ("escalated_by_policy_of_recruited_share", "  of those, by the escalation policy (share)"),
    ("hours_to_shortlist", "detection → shortlist (median hours)"),
    ("hours_to_first_invitation", "detection → first invitation (median hours)"),
    ("hours_to_replacement", "detection → replacement (median hours)"),
    ("recovery_rate", "recovered (share of ended cases)"),
]


class Command(BaseCommand):
    help = (
        "The AI recruiter's figures: cases opened, self-served vs escalated, time to shortlist, first invitation "
        "and replacement, recovery rate."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--fairness",
            action="store_true",
            help="also measure the impact ratio (four-fifths rule) of shortlist inclusion and strong verdicts over "
            "matched pools built from live contracts (rolled back afterwards; about 5 s a contract)",
        )
        parser.add_argument("--contracts", type=int, default=6, help="live contracts to build pools from (--fairness)")
        parser.add_argument(
            "--model", action="store_true", help="judge with the served model, not the rules (--fairness)"
        )

    def handle(self, *args, **options) -> None:
        figures = recruiter_figures()
        if options["fairness"]:
            judge = model_judge if options["model"] else rules_judge
            figures["fairness"] = impact_ratios(contracts=options["contracts"], judge=judge, say=lambda _: None)
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        for key, label in LABELS:
            value = figures[key]
            self.stdout.write(f"{label:<46} {'—' if value is None else value}")
        self.stdout.write("cases by state")
        for label, n in figures["by_status"].items():
            self.stdout.write(f"  {label:<44} {n}")
        self.stdout.write("why cases went to people")
        for reason, n in figures["escalation_reasons"].items():
            self.stdout.write(f"  {reason:<44} {n}")
        for attribute, row in figures.get("fairness", {}).items():
            self.stdout.write(
                f"impact ratio, {attribute} ({row['contracts']} contracts, {sum(row['pool'].values())} matched copies; "
                f"target ≥ {TARGET}): shortlist inclusion {row['inclusion_ratio']}, "
                f"strong verdicts {row['strong_ratio']}"
            )
            self.stdout.write(f"  included {row['included']} · strong {row['strong']} · of {row['pool']}")
