"""`python -m bot privacy delete --conversation ID | --email X | --phone X [--dry-run]`: one person's data.

Deletes the conversation(s) from Rasa's tracker store (TRACKER_DB) and every handoff row of them
(queue, review notes, tags and rating, contact requests and drafts) from DATABASE_URL, and writes an
audit row without personal data (bot/handoff/privacy.py). Prints the rows deleted per table.
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from bot.config import Settings, load_settings
from bot.handoff.privacy import Outcome


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The privacy subcommands."""
    sub = parser.add_subparsers(dest="privacy_command", required=True)
    delete = sub.add_parser("delete", help="delete every trace of one person's conversations")
    which = delete.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", help="a conversation id (Rasa's sender id)")
    which.add_argument("--email", help="the e-mail address of a contact request")
    which.add_argument("--phone", help="the phone number of a contact request")
    delete.add_argument("--dry-run", action="store_true", help="only count what would be deleted")


async def delete(settings: Settings, selector: str, value: str, dry_run: bool) -> Outcome:
    """Migrate DATABASE_URL, then delete (or count) the person's data."""
    from bot.db import make_engine, make_sessionmaker, migrate
    from bot.handoff.privacy import erase
    from bot.tokens import load_or_create_secret

    salt = load_or_create_secret(settings.secret_key, settings.project_root / "var" / "secret.key")
    engine, tracker = make_engine(settings.database_url), make_engine(settings.tracker_url)
    try:
        await migrate(engine)
        return await erase(make_sessionmaker(engine), make_sessionmaker(tracker), selector, value,
                           actor=f"cli:{getpass.getuser()}", salt=salt, dry_run=dry_run)
    finally:
        await engine.dispose()
        await tracker.dispose()


def run(args: argparse.Namespace) -> int:
    """Run a privacy subcommand; 0 on success, 2 when the value is not a conversation, e-mail or phone."""
    from bot.handoff.privacy import NotFound

    selector = next(s for s in ("conversation", "email", "phone") if getattr(args, s) is not None)
    try:
        outcome = asyncio.run(delete(load_settings(), selector, getattr(args, selector), args.dry_run))
    except NotFound:
        print(f"not a valid {selector}", file=sys.stderr)
        return 2
    verb = "would delete" if args.dry_run else "deleted"
    found = len(outcome.conversations)
    print(f"{found} conversation{'' if found == 1 else 's'}; {verb} {outcome.total} row{'' if outcome.total == 1 else 's'}")
    for table, count in outcome.counts.items():
        print(f"  {table}: {count}")
    return 0
