"""`python -m bot console create-admin --username NAME --password-stdin`: the first admin."""
from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import LANGUAGES, load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The console subcommands."""
    sub = parser.add_subparsers(dest="console_command", required=True)
    admin = sub.add_parser("create-admin", help="create an admin account of the adviser console")
    admin.add_argument("--username", required=True)
    admin.add_argument("--display-name", default="")
    admin.add_argument("--language", choices=LANGUAGES, default="fi")
    admin.add_argument("--password-stdin", action="store_true", required=True,
                       help="read the password from standard input (never from the command line)")


async def create_admin(database_url: str, username: str, display_name: str, password: str, language: str) -> int:
    """Migrate the database, then create the admin; the new account's id."""
    from bot.catalog.db import make_engine, make_sessionmaker, migrate
    from bot.console.accounts import create_adviser
    from bot.handoff.models import ROLE_ADMIN

    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with make_sessionmaker(engine)() as session:
            adviser = await create_adviser(session, username, display_name, password, ROLE_ADMIN, language)
            return int(adviser.id)
    finally:
        await engine.dispose()


def run(args: argparse.Namespace) -> int:
    """Run a console subcommand; 0 on success, 1 with a message on stderr otherwise."""
    from bot.console.accounts import AccountError
    from bot.console.texts import text

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        adviser_id = asyncio.run(create_admin(
            load_settings().database_url, args.username, args.display_name, password, args.language
        ))
    except AccountError as error:
        print(text("en", error.key), file=sys.stderr)
        return 1
    print(f"admin {args.username.strip().lower()} created (id {adviser_id})")
    return 0
