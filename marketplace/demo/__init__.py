"""Demo data: the cast (cast.py) and a believable marketplace around it (world.py, text.py)."""

from marketplace.demo.cast import CAST, DEMO_PASSWORD, Person, seed_cast

__all__ = ["CAST", "DEMO_PASSWORD", "Person", "seed_cast"]
