from django.core.management.base import BaseCommand

from offers.demo import cast_offers


class Command(BaseCommand):
    help = "Add the cast's demo negotiation (carol's offer to dave, countered by him). Running it again adds nothing."

    def handle(self, *args, **options) -> None:
        offer = cast_offers()
        if offer is None:
            self.stdout.write("  The demo negotiation is already there (or run seed_demo first).")
        else:
            self.stdout.write(self.style.SUCCESS(f"  carol → dave offer with a counter: /offers/{offer.pk}/"))
