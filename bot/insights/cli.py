"""`python -m bot insights aggregate`: run the aggregation once (DATABASE_URL, TRACKER_DB);
`python -m bot insights generate --conversations N`: add a made-up year of traffic (a demo or a
benchmark database only: it writes into the tracker store and the handoff tables)."""
from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timezone

from bot.config import Settings, load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The insights subcommands."""
    sub = parser.add_subparsers(dest="insights_command", required=True)
    sub.add_parser("aggregate", help="count the new tracker events and the handoff tables into the daily figures")
    generate = sub.add_parser("generate", help="write a made-up year of traffic (never into a live database)")
    generate.add_argument("--conversations", type=int, default=40_000)
    generate.add_argument("--days", type=int, default=365)
    generate.add_argument("--seed", type=int, default=1)


async def _run(settings: Settings, args: argparse.Namespace) -> str:
    from bot.content.responses import ResponseCatalog
    from bot.db import make_engine, make_sessionmaker, migrate
    from bot.insights.generator import Generator, write
    from bot.insights.job import aggregate_once
    from bot.insights.store import local_day
    from bot.tokens import load_or_create_secret

    engine, tracker = make_engine(settings.database_url), make_engine(settings.tracker_url)
    try:
        await migrate(engine)
        factory, tracker_factory = make_sessionmaker(engine), make_sessionmaker(tracker)
        if args.insights_command == "generate":
            names = ResponseCatalog.from_directory(settings.responses_dir).names(settings.default_language)
            made = Generator(names, seed=args.seed).year(local_day(datetime.now(timezone.utc)), args.conversations,
                                                          args.days)
            return f"{await write(made, factory, tracker_factory)} conversations written"
        secret = load_or_create_secret(settings.secret_key, settings.project_root / "var" / "secret.key")
        summary = await aggregate_once(factory, tracker_factory, settings, secret)
        return f"{summary.events} events of {summary.conversations} conversations, {summary.handoff_rows} handoff rows"
    finally:
        await engine.dispose()
        await tracker.dispose()


def run(args: argparse.Namespace) -> int:
    """Run an insights subcommand; 0 on success."""
    print(asyncio.run(_run(load_settings(), args)))
    return 0
