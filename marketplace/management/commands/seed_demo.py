import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from marketplace.demo import DEMO_PASSWORD, seed_cast
from marketplace.demo.story import cast_story
from marketplace.demo.world import Sizes, build_world, demo_world_delete, demo_world_exists


class Command(BaseCommand):
    help = (
        "Load demo data: the cast (alice, carol, bob, dave, rita) with their own jobs and contracts, and a "
        "believable marketplace around them (organisations, freelancers, jobs, proposals, contracts in every "
        "state, messages, some contracts in trouble). Deterministic with --seed; running it again adds nothing."
    )

    def add_arguments(self, parser) -> None:
        defaults = Sizes()
        parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
        parser.add_argument("--orgs", type=int, default=defaults.orgs)
        parser.add_argument("--freelancers", type=int, default=defaults.freelancers)
        parser.add_argument("--jobs", type=int, default=defaults.jobs)
        parser.add_argument("--contracts", type=int, default=defaults.contracts)
        parser.add_argument(
            "--history", type=int, default=defaults.history, help="finished contracts of the last two years"
        )
        parser.add_argument("--cast-only", action="store_true", help="only the five demo people and their story")
        parser.add_argument("--reset", action="store_true", help="delete the generated marketplace and build it again")

    def handle(self, *args, **options) -> None:
        for person, created in seed_cast():
            self.stdout.write(f"  {person.email:<22} {person.kind:<10} {'created' if created else 'already there'}")
        cast_story()
        if not options["cast_only"]:
            self._world(options)
        self.stdout.write(self.style.SUCCESS(f"Demo logins use the password: {DEMO_PASSWORD}"))

    def _world(self, options: dict) -> None:
        if options["reset"]:
            demo_world_delete()
        if demo_world_exists():
            self.stdout.write("  The demo marketplace is already there (use --reset to rebuild it).")
            return
        sizes = Sizes(
            orgs=options["orgs"],
            freelancers=options["freelancers"],
            jobs=options["jobs"],
            contracts=options["contracts"],
            history=options["history"],
        )
        started = time.monotonic()
        with tqdm(total=10, desc="demo marketplace", unit="step", file=self.stderr._out) as bar:

            def progress(step: str, count: int) -> None:
                bar.set_postfix_str(f"{step}: {count}")
                bar.update(1)

            result = build_world(seed=options["seed"], sizes=sizes, progress=progress)
        trouble = result["trouble"]
        self.stdout.write(
            f"  Built in {time.monotonic() - started:.0f}s: {sizes.orgs} organisations, "
            f"{sizes.freelancers} freelancers, {sizes.jobs} jobs, {sizes.contracts} contracts "
            f"({trouble['overdue']} with an overdue milestone, {trouble['silent']} with a silent freelancer) "
            f"and {sizes.history} finished before them."
        )
