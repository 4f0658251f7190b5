"""The NLG's catalogue follows the saved answers on every web app instance, without a restart.

Each internal app (bot/web/app.py) holds a `LiveCatalog` under NLG_CATALOG_KEY. A background task
of its cleanup context asks the database for the answers' revision (the newest version's id, one
indexed MAX) every ANSWERS_POLL_SECONDS (0.5 s by default); when it moved, it reads the newest
versions, builds the catalogue in a worker thread (the YAML of the files is cached, the build
takes milliseconds but never runs on the event loop) and swaps it in with one assignment. A save
is thus live on every instance sharing the database within one poll and one build. A database
that cannot be reached keeps the last catalogue and is asked again at the next poll.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import AsyncIterator, FrozenSet, Optional

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.content.responses import ResponseCatalog
from bot.db import session_scope
from bot.insights.links import answer_links, doc_links
from bot.studio import answer_store
from bot.studio.answer_docs import base_answers, build_catalog
from bot.web.keys import DB_KEY, NLG_CATALOG_KEY, SETTINGS_KEY

logger = logging.getLogger(__name__)


class LiveCatalog:
    """The catalogue the NLG answers from (`current`), the files' until an answer is saved."""

    def __init__(self, responses_dir: Path, default_language: str = "fi") -> None:
        self.responses_dir = responses_dir
        self.default_language = default_language
        self.revision = 0
        self.current: ResponseCatalog = self._build({})  # the files' answers, read once (base_answers' cache)
        self.saved_links: FrozenSet[str] = frozenset()  # the links of the saved answers (for /go/ links)

    def _build(self, saved: dict) -> ResponseCatalog:
        base, figures = base_answers(self.responses_dir).load()
        for name, doc in saved.items():
            if name in base:
                base[name] = doc
        return build_catalog(base, figures, self.default_language)

    async def refresh(self, factory: "sessionmaker[AsyncSession]") -> bool:
        """Take in the saves since the last refresh; True when the catalogue changed."""
        async with session_scope(factory) as session:
            revision = await answer_store.revision(session)
            if revision == self.revision:
                return False
            saved = {name: row.doc for name, row in (await answer_store.latest(session)).items()}
        catalog = await asyncio.to_thread(self._build, saved)
        self.current, self.revision = catalog, revision
        self.saved_links = frozenset().union(*(doc_links(doc) for doc in saved.values()))
        return True


async def _follow(live: LiveCatalog, factory: "sessionmaker[AsyncSession]", every: float) -> None:
    failing = False
    while True:
        await asyncio.sleep(every)
        try:
            await live.refresh(factory)
            failing = False
        except asyncio.CancelledError:
            raise
        except Exception:  # the database is away or a save cannot be built: keep the last catalogue
            if not failing:
                logger.warning("the answers could not be refreshed; the NLG keeps its last catalogue", exc_info=True)
            failing = True


async def follow_saved_answers(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context of the internal app (after the one that sets DB_KEY): the first refresh at
    start, then the poll in the background until the app stops."""
    live: LiveCatalog = app[NLG_CATALOG_KEY]
    settings = app[SETTINGS_KEY]
    factory = app[DB_KEY]
    # The answers' links (bot/insights/links.py) read now, not at the first answer; the files' YAML was
    # read when the catalogue was made.
    await asyncio.to_thread(answer_links, live.responses_dir)
    try:
        await live.refresh(factory)
    except Exception:  # not migrated yet or not reachable: the files until the poll succeeds
        logger.warning("the saved answers could not be read at start; answering from data/responses")
    task: Optional[asyncio.Task] = None
    if settings.answers_poll_seconds > 0:
        task = asyncio.create_task(_follow(live, factory, settings.answers_poll_seconds))
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
