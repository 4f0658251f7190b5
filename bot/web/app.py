"""The web app: a public site (chat page and API) and an internal site for Rasa (NLG).

The public app owns its resources (bot/web/keys.py): the HTTP client session and the database
engines live in its cleanup contexts, and each package that needs background work starts it
from its own setup function (bot/handoff/setup.py).
"""
from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from typing import AsyncIterator, Optional

import aiohttp
from aiohttp import web

from bot.web import chat, gateway, headers, origins, page, widget
from bot.rasa import nlg
from bot.config import Settings, load_settings
from bot.console import setup_console
from bot.db import make_engine, make_sessionmaker
from bot.handoff.setup import setup_handoff
from bot.insights.links import LinkSigner
from bot.insights.setup import setup_insights
from bot.tokens import load_or_create_secret
from bot.rasa.nlg_hours import AdviceHours
from bot.web.keys import (
    ADVICE_HOURS_KEY, ANSWER_LANGUAGES_KEY, DB_KEY, GO_LINKS_KEY, HTTP_KEY, NLG_CATALOG_KEY, NLG_TOKEN_KEY, QUICK_REPLIES_KEY,
    SECRET_KEY, SETTINGS_KEY, TRACKER_DB_KEY,
)
from bot.web.quick_replies import QuickReplies
from bot.web.answer_languages import AnswerLanguages
from bot.content.responses import ResponseCatalog

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
# The public API accepts small JSON bodies only; longer texts are refused with a clear error.
MAX_BODY_BYTES = 64 * 1024


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _http_session(app: web.Application) -> AsyncIterator[None]:
    app[HTTP_KEY] = aiohttp.ClientSession()
    yield
    await app[HTTP_KEY].close()


async def _databases(app: web.Application) -> AsyncIterator[None]:
    """The app's engines: its own database (DATABASE_URL) and Rasa's tracker store (TRACKER_DB:
    retention and privacy deletions only); made at start, disposed at shutdown."""
    settings = app[SETTINGS_KEY]
    engine = make_engine(settings.database_url)
    tracker = make_engine(settings.tracker_url)
    app[DB_KEY] = make_sessionmaker(engine)
    app[TRACKER_DB_KEY] = make_sessionmaker(tracker)
    yield
    await engine.dispose()
    await tracker.dispose()


def create_public_app(settings: Optional[Settings] = None, *, console: bool = True,
                      answer_languages: Optional[AnswerLanguages] = None) -> web.Application:
    """The public site: chat page and API, widget, handoff background work, static files, and the
    adviser console under /console unless `console` is False."""
    settings = settings or load_settings()
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[origins.api_guard])
    app[SETTINGS_KEY] = settings
    app[SECRET_KEY] = load_or_create_secret(
        settings.secret_key, settings.project_root / "var" / "secret.key"
    )
    app[QUICK_REPLIES_KEY] = QuickReplies()  # shared by the chat API and the gateway
    app[ANSWER_LANGUAGES_KEY] = answer_languages or AnswerLanguages()
    app.on_response_prepare.append(headers.security_headers)  # every response, /console too
    app.cleanup_ctx.append(_http_session)
    app.cleanup_ctx.append(_databases)
    app.router.add_get("/", page.chat_page)
    app.router.add_get("/favicon.ico", page.favicon)
    app.router.add_get("/health", health)
    app.router.add_post("/api/conversations", chat.start_conversation)
    app.router.add_post("/api/messages", chat.post_message)
    gateway.setup(app)  # the widget's WebSocket /ws (uses the HTTP session and databases above)
    widget.setup(app)  # /widget.js and /demo
    setup_handoff(app, settings)  # sweeper, retention, live pushes (after the gateway)
    if console:
        setup_console(app, settings)  # /console: the adviser console
    setup_insights(app, settings)  # /console/insights (with the console) and the aggregation job
    app.router.add_static("/static", STATIC_DIR)
    return app


async def _advice_hours(app: web.Application) -> AsyncIterator[None]:
    """The opening hours the NLG writes into answers, from the app's database (DATABASE_URL, or
    the DB_KEY given before start); nothing is opened until an answer needs them."""
    settings = app[SETTINGS_KEY]
    engine = None
    if DB_KEY not in app:
        engine = make_engine(settings.database_url)
        app[DB_KEY] = make_sessionmaker(engine)
    app[ADVICE_HOURS_KEY] = AdviceHours(
        app[DB_KEY], settings.advice_hours_channel_id, settings.advice_hours_cache_seconds
    )
    yield
    if engine is not None:
        await engine.dispose()


def create_internal_app(settings: Optional[Settings] = None, *,
                        answer_languages: Optional[AnswerLanguages] = None) -> web.Application:
    """The internal site Rasa calls on loopback: the NLG endpoint (answers' links signed for /go/)."""
    settings = settings or load_settings()
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[SETTINGS_KEY] = settings
    app[ANSWER_LANGUAGES_KEY] = answer_languages or AnswerLanguages()
    app.cleanup_ctx.append(_advice_hours)
    app[NLG_CATALOG_KEY] = ResponseCatalog.from_directory(
        settings.responses_dir, settings.default_language
    )
    app[NLG_TOKEN_KEY] = settings.nlg_token
    # The answers' links go through the public app's /go/ (one secret: BOT_SECRET_KEY or var/secret.key).
    app[GO_LINKS_KEY] = LinkSigner(
        load_or_create_secret(settings.secret_key, settings.project_root / "var" / "secret.key"), settings.responses_dir
    )
    app.router.add_post("/nlg", nlg.handle_nlg)
    app.router.add_get("/health", health)
    return app


async def serve(settings: Optional[Settings] = None) -> None:
    """Run both sites until SIGINT or SIGTERM."""
    settings = settings or load_settings()
    runners = []
    answer_languages = AnswerLanguages()  # the NLG notes each answer's language for the gateway
    for app, host, port in (
        (create_internal_app(settings, answer_languages=answer_languages), settings.internal_host,
         settings.internal_port),
        (create_public_app(settings, answer_languages=answer_languages), settings.host, settings.port),
    ):
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        runners.append(runner)
    logger.info("web app on http://%s:%s/ (NLG on %s:%s)", settings.host, settings.port,
                settings.internal_host, settings.internal_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for runner in reversed(runners):
            await runner.cleanup()
