"""`python -m bot studio …`: the studio's content between the app's database and the repository.

`export-answers` writes the answers in use (the files with the studio's saves in their place) back to
data/responses/ for a developer to commit (and domain.yml's generated copy of the English answers,
bot/rasa/domain_sync.py; never a retraining: the model ignores responses); `import-answers` makes the
files' answers the ones in use: each saved answer that differs from its file gets the file's version as a
new version (source "import", in the history and the audit log), so a fresh install or a pulled
change starts from the repository. `export-nlu` and `import-nlu` do the same for the training data
(bot/studio/training_cli.py). Every change is in the audit log as cli:<system user>.
"""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import List

from bot.config import Settings, load_settings
from bot.console.audit import command_line
from bot.studio.training_cli import NLU_COMMANDS, add_commands, run_nlu


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The studio subcommands."""
    sub = parser.add_subparsers(dest="studio_command", required=True)
    for name, what in (("export-answers", "write the answers in use to data/responses/ (only what changed)"),
                       ("import-answers", "make the answers of data/responses/ the ones in use")):
        command = sub.add_parser(name, help=what)
        command.add_argument("--dir", type=Path, help="the answers' folder (default: BOT_RESPONSES_DIR)")
    add_commands(sub)  # export-nlu, import-nlu (bot/studio/training_cli.py)


async def export_answers(settings: Settings, directory: Path) -> List[Path]:
    """Write the answers in use into `directory`; the files changed."""
    from bot.db import make_engine, make_sessionmaker, migrate, session_scope
    from bot.rasa.domain_sync import write_domain_responses
    from bot.studio import answer_store
    from bot.studio.answer_docs import read_docs
    from bot.studio.answer_files import write_answers

    engine = make_engine(settings.database_url)
    try:
        await migrate(engine)
        async with session_scope(make_sessionmaker(engine)) as session:
            docs = await answer_store.current_docs(session, await asyncio.to_thread(read_docs, directory))
        written = await asyncio.to_thread(write_answers, directory, docs)
        root = settings.project_root
        if written and directory.resolve() == (root / "data" / "responses").resolve() \
                and await asyncio.to_thread(write_domain_responses, root):
            written.append(root / "domain.yml")  # its copy of the English answers the rules use
        return written
    finally:
        await engine.dispose()


async def import_answers(settings: Settings, directory: Path) -> List[str]:
    """Save the files' version of every saved answer that differs from it; the names saved."""
    from bot.db import make_engine, make_sessionmaker, migrate, session_scope
    from bot.studio import answer_store
    from bot.studio.answer_docs import read_docs

    engine = make_engine(settings.database_url)
    try:
        await migrate(engine)
        files = await asyncio.to_thread(read_docs, directory)
        async with session_scope(make_sessionmaker(engine)) as session:
            imported = []
            for name, row in sorted((await answer_store.latest(session)).items()):
                if name in files and await answer_store.save(session, command_line(), name, files[name], files[name],
                                                             expected=None, source="import"):
                    imported.append(name)
        return imported
    finally:
        await engine.dispose()


def run(args: argparse.Namespace) -> int:
    """Run a studio subcommand; 0 on success."""
    if args.studio_command in NLU_COMMANDS:
        return run_nlu(args)
    settings = load_settings()
    directory = args.dir or settings.responses_dir
    if args.studio_command == "export-answers":
        written = asyncio.run(export_answers(settings, directory))
        print("\n".join(str(path) for path in written) or "the files already hold the answers in use")
    else:
        imported = asyncio.run(import_answers(settings, directory))
        print(f"{len(imported)} answers now as in {directory}" + "".join(f"\n  {name}" for name in imported))
    return 0
