"""Fixtures of the studio tests: the console's (the real web app on the test databases, logged-in clients)."""
from tests.console.conftest import app, clients, connect  # noqa: F401
from tests.handoff.support import database_urls, db_url, engine, factory, rasa  # noqa: F401
