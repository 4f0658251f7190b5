"""Fixtures of the handoff tests (see support.py)."""
from tests.handoff.support import database_urls, db_url, engine, factory, rasa  # noqa: F401
