"""`python -m bot studio export-nlu [--to DIR]` and `import-nlu [--from DIR]`: the training data between
the app's database (DATABASE_URL) and Rasa's YAML files, in data/nlu/'s layout.

export-nlu writes the effective training data (data/nlu with the staff's edits, bot/studio/training.py);
into the repository's data/nlu (the default) the edits are then part of the files and are cleared, so that
a developer can commit what staff changed. import-nlu makes the staff's edits the difference between DIR
and the repository's data/nlu (from data/nlu itself: no edits). Both are audited (actor cli:<user>).
"""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any, Optional

from bot.config import Settings, load_settings


NLU_COMMANDS = ("export-nlu", "import-nlu")


def add_commands(sub: Any) -> None:
    """The training data subcommands, on the studio's subparsers (bot/studio/cli.py)."""
    export = sub.add_parser("export-nlu", help="write the training data with the staff's edits as Rasa YAML")
    export.add_argument("--to", type=Path, default=None, help="a folder (default: the repository's data/nlu)")
    imported = sub.add_parser("import-nlu", help="make the staff's edits what DIR changes in data/nlu")
    imported.add_argument("--from", dest="source", type=Path, default=None, help="a folder in data/nlu's layout")


async def export_nlu(factory, folder: Path, target: Path, actor_name: str) -> list:  # type: ignore[no-untyped-def]
    """Write the effective data into `target`; into the repository's `folder` the edits are cleared."""
    from bot.console.audit import Actor
    from bot.db import session_scope
    from bot.studio.training import replace_edits, write_training_data

    async with session_scope(factory) as session:
        written = await write_training_data(session, target, folder)
        if target.resolve() == folder.resolve():
            await replace_edits(session, Actor(None, actor_name), [], "training.export", str(target))
    return written


async def import_nlu(factory, folder: Path, source: Path, actor_name: str) -> int:  # type: ignore[no-untyped-def]
    """Replace the staff's edits with the differences of `source` from the repository's `folder`."""
    from bot.console.audit import Actor
    from bot.db import session_scope
    from bot.studio.nlu_files import read_folder
    from bot.studio.training import differences, replace_edits

    base, wanted = await asyncio.to_thread(read_folder, folder), await asyncio.to_thread(read_folder, source)
    async with session_scope(factory) as session:
        return await replace_edits(session, Actor(None, actor_name), differences(base, wanted), "training.import",
                                   str(source))


async def _run(settings: Settings, command: str, path: Optional[Path]) -> str:
    from bot.console.audit import command_line
    from bot.db import make_engine, make_sessionmaker, migrate
    from bot.studio.training import nlu_folder

    engine = make_engine(settings.database_url)
    folder, actor_name = nlu_folder(settings), command_line().username
    try:
        await migrate(engine)
        factory = make_sessionmaker(engine)
        if command == "export-nlu":
            written = await export_nlu(factory, folder, path or folder, actor_name)
            return f"{len(written)} files written to {path or folder}" + "".join(f"\n  {name}" for name in written)
        return f"{await import_nlu(factory, folder, path or folder, actor_name)} edits from {path or folder}"
    finally:
        await engine.dispose()


def run_nlu(args: argparse.Namespace) -> int:
    """Run a training data subcommand; 0 on success."""
    path = args.to if args.studio_command == "export-nlu" else args.source
    print(asyncio.run(_run(load_settings(), args.studio_command, path)))
    return 0
