"""`python -m bot catalog ...`: migrate, load the samples, import from the APIs or files, stats, search."""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any, Optional

from bot.config import HELSINKI, LANGUAGES

KINDS = ("ptv", "events", "jobs")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `catalog` subcommands on `parser` (nothing heavy is imported here)."""
    sub = parser.add_subparsers(dest="catalog_command", required=True)
    sub.add_parser("migrate", help="bring the database (DATABASE_URL) to the newest schema")
    samples = sub.add_parser("load-samples", help="migrate and load the sample files of data/catalog/")
    samples.add_argument("--force", action="store_true", help="read the files even if unchanged since the last load")
    imp = sub.add_parser("import", help="import from an API (URL) or a file in its shape")
    imp.add_argument("kind", choices=KINDS, help="ptv: services and channels; events: Linked Events; jobs: Työmarkkinatori")
    source = imp.add_mutually_exclusive_group()
    source.add_argument("--url", help="API address (default: the one in the settings)")
    source.add_argument("--file", type=Path, help="a JSON file in the API's page shape")
    imp.add_argument("--full", action="store_true", help="ignore the last run (no 'modified since')")
    sub.add_parser("stats", help="what the catalogue holds")
    search = sub.add_parser("search", help="try a lookup: services, events or offers")
    search.add_argument("what", choices=("services", "events", "offers"))
    search.add_argument("text", nargs="?", default="")
    search.add_argument("--lang", default="fi", choices=LANGUAGES)
    search.add_argument("--limit", type=int, default=5)


def _progress(report: Any) -> None:
    print(f"  {report.summary()} (page {report.pages})", file=sys.stderr, flush=True)


async def _import(args: argparse.Namespace, settings: Any, factory: Any) -> Any:
    from bot.catalog.importers import jobs, linked_events, ptv
    from bot.catalog.importers.base import HttpOptions

    module = {"ptv": ptv, "events": linked_events, "jobs": jobs}[args.kind]
    if args.file:
        return await module.import_from_file(factory, args.file, progress=_progress)
    headers = {"KIPA-Subscription-Key": settings.catalog_jobs_api_key} if (
        args.kind == "jobs" and settings.catalog_jobs_api_key) else None
    options = HttpOptions.from_settings(settings, headers)
    if args.url:
        urls = [args.url]
    elif args.kind == "ptv":
        urls = [settings.catalog_ptv_channels_url, settings.catalog_ptv_url]
    else:
        urls = [settings.catalog_events_url if args.kind == "events" else settings.catalog_jobs_url]
    report = None
    for url in urls:
        print(f"importing {url}", file=sys.stderr)
        report = await module.import_from_url(factory, url, options, incremental=not args.full, progress=_progress)
    return report


async def _stats(session: Any) -> None:
    from datetime import datetime, timezone

    from sqlalchemy import func, or_, select

    from bot.catalog.models import Event, Offer, Organization, SearchTerm, Service, ServiceChannel

    now = datetime.now(timezone.utc)
    for label, model in (("organisations", Organization), ("services", Service), ("channels", ServiceChannel),
                         ("events", Event), ("offers", Offer)):
        rows = (await session.execute(select(model.source, func.count()).group_by(model.source))).all()
        by_source = ", ".join(f"{source} {count}" for source, count in rows) or "none"
        print(f"{label}: {sum(c for _, c in rows)} ({by_source})")
    upcoming = await session.scalar(select(func.count()).select_from(Event).where(Event.ends_at > now))
    open_offers = await session.scalar(select(func.count()).select_from(Offer).where(
        Offer.published_at <= now, or_(Offer.deadline.is_(None), Offer.deadline > now)))
    terms = await session.scalar(select(func.count()).select_from(SearchTerm))
    print(f"upcoming events: {upcoming}; open offers: {open_offers}; search terms: {terms}")


async def _search(args: argparse.Namespace, session: Any) -> None:
    from datetime import datetime

    from bot.catalog import dates, queries

    if args.what == "services":
        page: Any = await queries.search_services(session, args.text, args.lang, args.limit)
    elif args.what == "events":
        span = dates.parse_date_range(args.text, args.lang, datetime.now(HELSINKI))
        start, end = span if span else (None, None)
        page = await queries.find_events(session, args.lang, args.text, start, end, args.limit)
    else:
        page = await queries.find_offers(session, args.lang, args.text, args.limit)
    for item in page.items:
        print(item)
    print(f"has_more={page.has_more} total={page.total}")


async def _main(args: argparse.Namespace) -> int:
    from bot.db import make_engine, make_sessionmaker, migrate, optimize, session_scope
    from bot.catalog.samples import load_samples, summary_line
    from bot.config import load_settings
    from bot.startlog import masked_url

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        command = args.catalog_command
        if command == "migrate":
            await migrate(engine)
            print("database at the newest schema")
        elif command == "load-samples":
            started = time.monotonic()
            results = await load_samples(engine, settings.catalog_dir, progress=None, force=args.force)
            if getattr(args, "verbose", False) or settings.verbose:
                for result in results:
                    detail = "unchanged since the last load" if result.skipped_unchanged else result.report.summary()
                    print(f"{result.file}: {detail}")
            print(summary_line(results, time.monotonic() - started, masked_url(settings.database_url)))
        else:
            await migrate(engine)
            factory = make_sessionmaker(engine)
            if command == "import":
                report = await _import(args, settings, factory)
                await optimize(engine)
                print(report.summary())
                for record_id, reason in report.problems[:50]:
                    print(f"  skipped {record_id}: {reason}")
            else:
                async with session_scope(factory) as session:
                    await (_stats(session) if command == "stats" else _search(args, session))
    finally:
        await engine.dispose()
    return 0


def run(args: argparse.Namespace) -> int:
    """Run a `catalog` subcommand."""
    return asyncio.run(_main(args))


def main(argv: Optional[list] = None) -> int:
    """`python -m bot.catalog.cli ...` (the same as `python -m bot catalog ...`)."""
    parser = argparse.ArgumentParser(prog="python -m bot catalog")
    add_arguments(parser)
    return run(parser.parse_args(argv))
