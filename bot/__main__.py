"""Command line: `python -m bot {run,serve,model,responses,catalog,console,privacy}`."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import List, Optional

from bot.config import load_settings
from bot.logsafe import configure_logging


def _cmd_serve(args: argparse.Namespace) -> int:
    from bot.tokens import with_tokens
    from bot.web.app import serve

    asyncio.run(serve(with_tokens(load_settings())))
    return 0


def _cmd_actions(args: argparse.Namespace) -> int:
    from bot.rasa.action_server import run
    from bot.tokens import with_tokens

    run(with_tokens(load_settings()))
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
    from bot import supervisor
    from bot.tokens import with_tokens

    os.umask(0o077)  # the databases, logs and tokens under var/ are the owner's only
    settings = with_tokens(load_settings())
    model = models.ensure_model(settings.project_root, settings.models_dir)
    print(f"model: {model}", flush=True)
    asyncio.run(_migrate(settings.database_url))
    specs = supervisor.default_processes(settings, model)
    public_url = f"http://localhost:{settings.port}/"
    return asyncio.run(supervisor.run(specs, settings.project_root, public_url))


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


def main(argv: Optional[List[str]] = None) -> int:
    configure_logging()  # user input in a message cannot start a log line of its own
    parser = argparse.ArgumentParser(prog="python -m bot", description="Business Espoo assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="train if needed and start Rasa, the action server and the web app").set_defaults(
        func=_cmd_run
    )
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
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
