"""The web app: a public site (chat page and API) and an internal site for Rasa (NLG).

The public app owns its resources (bot/web/keys.py): the HTTP client session, the database
engines and the Redis client (REDIS_URL; with the live bus) live in its cleanup contexts, a
database or Redis it cannot reach stops its start (bot/services.py), and each package that
needs background work starts it from its own setup function (bot/handoff/setup.py).
"""
from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from typing import AsyncIterator, Optional

import aiohttp
from aiohttp import web

from bot.web import body_guard, chat, gateway, headers, origins, page, widget
from bot.rasa import nlg
from bot.config import Settings, load_settings
from bot.console import setup_console
from bot.db import make_engine, make_sessionmaker
from bot.handoff.live_bus import live_bus
from bot.handoff.setup import setup_handoff
from bot.insights.links import LinkSigner
from bot.insights.setup import setup_insights
from bot.studio.model_server import setup_model_server
from bot.studio.setup import setup_studio
from bot.services import check_database, check_redis, redis_client
from bot.tokens import load_or_create_secret
from bot.rasa.nlg_hours import AdviceHours
from bot.web.keys import (
    ADVICE_HOURS_KEY, ANSWER_LANGUAGES_KEY, DB_KEY, GO_LINKS_KEY, HTTP_KEY, LIVE_BUS_KEY, NLG_CATALOG_KEY,
    NLG_TOKEN_KEY, QUICK_REPLIES_KEY, REDIS_KEY, SECRET_KEY, SETTINGS_KEY, TRACKER_DB_KEY,
)
from bot.web.quick_replies import QuickReplies
from bot.web.answer_languages import AnswerLanguages
from bot.studio.answer_live import LiveCatalog, follow_saved_answers

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
    """The app's engines: its own database (DATABASE_URL) and Rasa's tracker store (TRACKER_STORE_URL:
    retention and privacy deletions only); checked and made at start (a server database's connections
    are pinged before use, so they survive its restart), disposed at shutdown."""
    settings = app[SETTINGS_KEY]
    for url, setting, what in ((settings.database_url, "DATABASE_URL", "the database"),
                               (settings.tracker_url, "TRACKER_STORE_URL", "Rasa's tracker store")):
        if not url.startswith("sqlite"):
            await check_database(url, setting, what)
    engine = make_engine(settings.database_url, pool_pre_ping=True)
    tracker = make_engine(settings.tracker_url, pool_pre_ping=True)
    app[DB_KEY] = make_sessionmaker(engine)
    app[TRACKER_DB_KEY] = make_sessionmaker(tracker)
    yield
    await engine.dispose()
    await tracker.dispose()


async def _redis(app: web.Application) -> AsyncIterator[None]:
    """The one Redis client (REDIS_URL, checked at start) and the live bus on it; without REDIS_URL
    no client, and the bus stays in this process."""
    settings = app[SETTINGS_KEY]
    client = redis_client(settings.redis_url) if settings.redis_url else None
    if client is not None:
        try:
            await check_redis(client, settings.redis_url)
        except Exception:
            await client.close()
            raise
    app[REDIS_KEY] = client
    app[LIVE_BUS_KEY] = live_bus(client, settings.redis_prefix)
    yield
    if client is not None:
        await client.close()


def create_public_app(settings: Optional[Settings] = None, *, console: bool = True,
                      answer_languages: Optional[AnswerLanguages] = None) -> web.Application:
    """The public site: chat page and API, widget, handoff background work, static files, and the
    adviser console under /console unless `console` is False."""
    settings = settings or load_settings()
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[body_guard.encoded_body_guard, origins.api_guard])
    app[SETTINGS_KEY] = settings
    app[SECRET_KEY] = load_or_create_secret(
        settings.secret_key, settings.project_root / "var" / "secret.key"
    )
    app[QUICK_REPLIES_KEY] = QuickReplies()  # shared by the chat API and the gateway
    app[ANSWER_LANGUAGES_KEY] = answer_languages or AnswerLanguages()
    app.on_response_prepare.append(headers.security_headers)  # every response, /console too
    app.cleanup_ctx.append(_http_session)
    app.cleanup_ctx.append(_databases)
    app.cleanup_ctx.append(_redis)
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
    setup_studio(app, settings)  # /console/studio (with the console): answers, training data, models
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
    """The internal site Rasa calls on loopback: the NLG endpoint (answers' links signed for /go/), its
    answers those saved in the studio, and the published model (bot/studio/model_server.py)."""
    settings = settings or load_settings()
    app = web.Application(client_max_size=16 * 1024 * 1024, middlewares=[body_guard.encoded_body_guard])
    app[SETTINGS_KEY] = settings
    app[ANSWER_LANGUAGES_KEY] = answer_languages or AnswerLanguages()
    app.cleanup_ctx.append(_advice_hours)
    # The answers as saved in the studio, followed by a poll of the database (bot/studio/answer_live.py).
    live = app[NLG_CATALOG_KEY] = LiveCatalog(settings.responses_dir, settings.default_language)
    app.cleanup_ctx.append(follow_saved_answers)
    app[NLG_TOKEN_KEY] = settings.nlg_token
    # The answers' links go through the public app's /go/ (one secret: BOT_SECRET_KEY or var/secret.key).
    app[GO_LINKS_KEY] = LinkSigner(
        load_or_create_secret(settings.secret_key, settings.project_root / "var" / "secret.key"), settings.responses_dir,
        lambda: live.saved_links,
    )
    app.router.add_post("/nlg", nlg.handle_nlg)
    app.router.add_get("/health", health)
    setup_model_server(app)  # GET /model: the published model for Rasa's model server pulls
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
