"""`python -m bot console create-admin --username NAME --password-stdin`: the first admin.

`python -m bot console unlock NAME` clears the log-in delays of an account from every address;
`--address ADDR` clears what an address has used up (its rate and its delays), or with NAME only
that address's delay of that account (bot/console/throttle.py).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, Awaitable, Callable, Optional, TypeVar

from bot.config import LANGUAGES, load_settings

T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The console subcommands."""
    sub = parser.add_subparsers(dest="console_command", required=True)
    admin = sub.add_parser("create-admin", help="create an admin account of the adviser console")
    admin.add_argument("--username", required=True)
    admin.add_argument("--display-name", default="")
    admin.add_argument("--language", choices=LANGUAGES, help="the console's language (default: BOT_DEFAULT_LANGUAGE)")
    admin.add_argument("--password-stdin", action="store_true", required=True,
                       help="read the password from standard input (never from the command line)")
    unlock = sub.add_parser("unlock", help="clear the log-in delays of an account (every address) or of an address")
    unlock.add_argument("username", nargs="?", help="the account whose delays to clear")
    unlock.add_argument("--address", help="the client address (IPv6: any address of its /64) to clear")


async def _with_session(database_url: str, work: Callable[[Any], Awaitable[T]]) -> T:
    """Migrate the database, then run `work` in one unit of work (committed when it succeeds)."""
    from bot.db import make_engine, make_sessionmaker, migrate, session_scope

    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with session_scope(make_sessionmaker(engine)) as session:
            return await work(session)
    finally:
        await engine.dispose()


async def create_admin(database_url: str, username: str, display_name: str, password: str, language: str) -> int:
    """Migrate the database, then create the admin; the new account's id."""
    from bot.console import audit
    from bot.console.accounts import account_fields, create_adviser
    from bot.handoff.models import ROLE_ADMIN

    async def work(session: Any) -> int:
        adviser = await create_adviser(session, username, display_name, password, ROLE_ADMIN, language)
        await audit.record(session, audit.command_line(), "account.create", adviser.username, None, account_fields(adviser))
        return int(adviser.id)

    return await _with_session(database_url, work)


async def unlock(database_url: str, username: Optional[str], address: Optional[str]) -> int:
    """Clear the log-in throttling of `username` and/or `address`; the number of entries cleared."""
    from bot.console import throttle

    return await _with_session(database_url, lambda session: throttle.clear(session, username=username,
                                                                             address=address))


def _run_unlock(args: argparse.Namespace) -> int:
    from bot.console.accounts import normalise_username

    username = normalise_username(args.username) if args.username else None
    if not username and not args.address:
        print("name an account, --address or both", file=sys.stderr)
        return 2
    cleared = asyncio.run(unlock(load_settings().database_url, username, args.address))
    what = " from ".join(part for part in (username, args.address) if part)
    print(f"unlocked {what}: {cleared} throttling entries cleared")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run a console subcommand; 0 on success, 1 with a message on stderr otherwise."""
    from bot.console.accounts import AccountError
    from bot import locale

    if args.console_command == "unlock":
        return _run_unlock(args)
    password = sys.stdin.readline().rstrip("\r\n")
    settings = load_settings()
    try:
        adviser_id = asyncio.run(create_admin(
            settings.database_url, args.username, args.display_name, password,
            args.language or settings.default_language,
        ))
    except AccountError as error:
        print(locale.text("en", f"console.{error.key}"), file=sys.stderr)
        return 1
    print(f"admin {args.username.strip().lower()} created (id {adviser_id})")
    return 0
