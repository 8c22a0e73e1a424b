from django.core.management.base import BaseCommand

from marketplace.demo import DEMO_PASSWORD, seed_cast


class Command(BaseCommand):
    help = "Load the demo cast (clients alice and carol, freelancers bob and dave, recruiter rita). Idempotent."

    def handle(self, *args, **options) -> None:
        for person, created in seed_cast():
            state = "created" if created else "already there"
            self.stdout.write(f"  {person.email:<22} {person.kind:<10} {state}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins use the password: {DEMO_PASSWORD}"))
