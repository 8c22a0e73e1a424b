"""Small helpers shared by test modules."""

from django.test import Client


def as_(world, who: str) -> Client:
    """A client signed in as a member of the cast in `world["users"]` (or none, for "anonymous")."""
    client = Client()
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client
