"""Command line: `python -m bot {run,serve,model,responses,catalog,console,privacy}`."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

from bot.config import Settings, load_settings
from bot.logsafe import configure_logging

# Commands whose output is a log file of `run` (their console is that file): logging at BOT_LOG_LEVEL.
CHILD_COMMANDS = ("serve", "actions")


def _cmd_serve(args: argparse.Namespace) -> int:
    from bot.services import ServiceUnreachable
    from bot.tokens import with_tokens
    from bot.web.app import serve

    try:
        asyncio.run(serve(with_tokens(load_settings())))
    except ServiceUnreachable as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    return 0


def _cmd_actions(args: argparse.Namespace) -> int:
    from bot.rasa.action_server import run
    from bot.services import ServiceUnreachable, check_database_sync
    from bot.tokens import with_tokens

    settings = with_tokens(load_settings())
    try:
        if not settings.database_url.startswith("sqlite"):
            check_database_sync(settings.database_url, "DATABASE_URL")
    except ServiceUnreachable as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    run(settings)
    return 0


async def _migrate(url: str) -> None:
    """Bring the database to the newest schema before the processes start."""
    from bot.db import make_engine, migrate

    engine = make_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


def _cmd_run(args: argparse.Namespace) -> int:
    from bot.rasa import models
    from bot import ports, startlog, supervisor
    from bot.tokens import with_tokens

    settings = with_tokens(_settings(args))
    taken = ports.taken_ports(settings)
    if taken:
        print("cannot start:\n  " + "\n  ".join(taken), file=sys.stderr, flush=True)
        return 1
    model = models.ensure_model(settings.project_root, settings.models_dir)
    asyncio.run(_migrate(settings.database_url))
    specs = supervisor.default_processes(settings, model)
    names = [spec.name for spec in specs]
    print("\n".join(startlog.start_summary(settings, model, names, models.installed_rasa_version())), flush=True)
    print("Starting Rasa (it loads the model: about half a minute), the action server and the web app...",
          flush=True)
    public_url = f"http://localhost:{settings.port}/"
    log_dir = None if settings.verbose else settings.log_dir
    return asyncio.run(supervisor.run(specs, settings.project_root, public_url, log_dir=log_dir))


def _cmd_cluster(args: argparse.Namespace) -> int:
    from bot.cluster.start import cluster_settings, run

    settings = cluster_settings()
    return run(dataclasses.replace(settings, verbose=True) if getattr(args, "verbose", False) else settings)


def _cmd_model(args: argparse.Namespace) -> int:
    from bot.rasa import models

    settings = load_settings()
    if args.action == "ensure":
        print(models.ensure_model(settings.project_root, settings.models_dir))
    elif args.action == "path":
        print(models.model_path_for(settings.project_root, settings.models_dir))
    else:
        path = models.model_path_for(settings.project_root, settings.models_dir)
        models.check_model(path)
        print(f"{path} was trained by this Rasa")
    return 0


def question_problems(root: Path) -> List[str]:
    """What is wrong with the specific answers and their examples."""
    from bot.content.question_examples import problems
    from bot.content.questions import QuestionFileError, load_question_book

    try:
        book = load_question_book(root / "data" / "responses")
    except (QuestionFileError, ValueError) as exc:
        return [str(exc)]
    try:
        return problems(root, book)
    except ValueError as exc:
        return [str(exc)]


def _cmd_responses(args: argparse.Namespace) -> int:
    from bot.rasa import domain_sync

    settings = load_settings()
    if args.action == "sync-domain":
        changed = domain_sync.write_domain_responses(settings.project_root)
        print("domain.yml updated" if changed else "domain.yml already in step")
        return 0
    problems = domain_sync.problems(settings.project_root)
    problems += question_problems(settings.project_root)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _cmd_catalog(args: argparse.Namespace) -> int:
    from bot.catalog.cli import run

    return run(args)


def _cmd_console(args: argparse.Namespace) -> int:
    from bot.console.cli import run

    return run(args)


def _cmd_privacy(args: argparse.Namespace) -> int:
    from bot.handoff.privacy_cli import run

    return run(args)


def _cmd_insights(args: argparse.Namespace) -> int:
    from bot.insights.cli import run

    return run(args)


def _cmd_studio(args: argparse.Namespace) -> int:
    from bot.studio.cli import run

    return run(args)


def _settings(args: argparse.Namespace) -> Settings:
    """The settings, verbose when -v was given."""
    settings = load_settings()
    return dataclasses.replace(settings, verbose=True) if getattr(args, "verbose", False) else settings


def _configure_logging(args: argparse.Namespace) -> None:
    """Logging of this process: user input in a message cannot start a log line of its own.

    The children of `run` log at BOT_LOG_LEVEL (their console is their log file). `run` itself
    writes its detail (migrations...) to its own log file and shows warnings only; other
    commands show warnings only. -v (BOT_VERBOSE) shows the detail on the console.
    """
    settings = _settings(args)
    level = getattr(logging, settings.log_level.upper())
    if args.command in CHILD_COMMANDS or settings.verbose:
        configure_logging(level)
    elif args.command in ("run", "cluster"):
        from bot.startlog import fresh_log, log_path

        log_file = fresh_log(log_path(settings.log_dir, args.command))
        configure_logging(level, console_level=logging.WARNING, log_file=log_file)
    else:
        configure_logging(level, console_level=logging.WARNING)


def main(argv: Optional[List[str]] = None) -> int:
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                         help="show the detail (every process's log) on the console")
    parser = argparse.ArgumentParser(prog="python -m bot", description="Business Espoo assistant", parents=[verbose])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="train if needed and start Rasa, the action server and the web app", parents=[verbose]
    ).set_defaults(func=_cmd_run)
    sub.add_parser(
        "cluster", help="the production layout on this machine: HAProxy, two of each process, PostgreSQL, Redis",
        parents=[verbose],
    ).set_defaults(func=_cmd_cluster)
    sub.add_parser("serve", help="start the web app only").set_defaults(func=_cmd_serve)
    sub.add_parser("actions", help="start the action server only (loopback, token)").set_defaults(
        func=_cmd_actions
    )
    model = sub.add_parser("model", help="the trained model of the current data")
    model.add_argument("action", choices=["ensure", "path", "check"])
    model.set_defaults(func=_cmd_model)
    responses = sub.add_parser("responses", help="the answers in data/responses/")
    responses.add_argument("action", choices=["check", "sync-domain"])
    responses.set_defaults(func=_cmd_responses)
    from bot.catalog.cli import add_arguments as add_catalog_arguments

    catalog = sub.add_parser("catalog", help="the catalogue: migrate, load-samples, import, stats, search")
    add_catalog_arguments(catalog)
    catalog.set_defaults(func=_cmd_catalog)
    from bot.console.cli import add_arguments as add_console_arguments

    console = sub.add_parser("console", help="the adviser console: create-admin, unlock")
    add_console_arguments(console)
    console.set_defaults(func=_cmd_console)
    from bot.handoff.privacy_cli import add_arguments as add_privacy_arguments

    privacy = sub.add_parser("privacy", help="delete one person's data: privacy delete --conversation/--email/--phone")
    add_privacy_arguments(privacy)
    privacy.set_defaults(func=_cmd_privacy)
    from bot.insights.cli import add_arguments as add_insights_arguments

    insights = sub.add_parser("insights", help="the console's insights: aggregate once, generate a demo year")
    add_insights_arguments(insights)
    insights.set_defaults(func=_cmd_insights)
    from bot.studio.cli import add_arguments as add_studio_arguments

    studio = sub.add_parser("studio", help="the studio's content and the repository: export-answers, import-answers, export-nlu, import-nlu")
    add_studio_arguments(studio)
    studio.set_defaults(func=_cmd_studio)
    args = parser.parse_args(argv)
    if args.command in ("run", "cluster"):
        os.umask(0o077)  # the databases, logs and tokens under var/ are the owner's only
    _configure_logging(args)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
