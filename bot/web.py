"""The web app: a public site (chat page and API) and an internal site for Rasa (NLG)."""
from __future__ import annotations

import asyncio
import html
import json
import logging
import signal
from pathlib import Path
from string import Template
from typing import AsyncIterator, Optional

import aiohttp
from aiohttp import web

from bot import chat, gateway, headers, nlg, origins, widget
from bot.config import LANGUAGES, Settings, load_settings
from bot.console import setup_console
from bot.tokens import load_or_create_secret
from bot.language import normalise_language
from bot.quick_replies import QUICK_REPLIES_KEY, QuickReplies
from bot.responses import ResponseCatalog
from bot.ui_text import UI_TEXT

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
PAGE_TEMPLATE = Path(__file__).parent / "templates" / "chat.html"
# The public API accepts small JSON bodies only; longer texts are refused with a clear error.
MAX_BODY_BYTES = 64 * 1024


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def render_chat_page(settings: Settings, language: str) -> str:
    """The chat page in `language`; every inserted value is escaped."""
    texts = UI_TEXT[language]
    config = {
        "language": language,
        "languages": list(LANGUAGES),
        "maxChars": settings.max_message_chars,
        "texts": UI_TEXT,
    }
    return Template(PAGE_TEMPLATE.read_text(encoding="utf-8")).substitute(
        lang=html.escape(language),
        title=html.escape(texts["page_title"]),
        heading=html.escape(texts["heading"]),
        notice=html.escape(texts["bot_notice"]),
        privacy_url=html.escape(settings.privacy_notice_url),
        privacy_link=html.escape(texts["privacy_link"]),
        input_label=html.escape(texts["input_label"]),
        send=html.escape(texts["send"]),
        new_conversation=html.escape(texts["new_conversation"]),
        language_label=html.escape(texts["language_label"]),
        max_chars=settings.max_message_chars,
        config_json=_json_for_script(config),
    )


async def chat_page(request: web.Request) -> web.Response:
    """GET /: the chat page, in ?lang= or the browser's preferred language."""
    settings = request.app[chat.SETTINGS_KEY]
    language = normalise_language(request.query.get("lang"))
    if language is None:
        preferred = request.headers.get("Accept-Language", "").split(",")[0]
        language = normalise_language(preferred) or settings.default_language
    # Its Content-Security-Policy comes from bot/headers.py, like every page's.
    return web.Response(text=render_chat_page(settings, language), content_type="text/html")


async def _http_session(app: web.Application) -> AsyncIterator[None]:
    app[chat.HTTP_KEY] = aiohttp.ClientSession()
    yield
    await app[chat.HTTP_KEY].close()


def create_public_app(settings: Optional[Settings] = None) -> web.Application:
    """The public site: chat page, static files and the chat API."""
    settings = settings or load_settings()
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[origins.api_guard])
    app[chat.SETTINGS_KEY] = settings
    app[chat.SECRET_KEY] = load_or_create_secret(
        settings.secret_key, settings.project_root / "var" / "secret.key"
    )
    app[QUICK_REPLIES_KEY] = QuickReplies()  # shared by the chat API and the gateway
    app.on_response_prepare.append(headers.security_headers)  # every response, /console too
    app.cleanup_ctx.append(_http_session)
    app.router.add_get("/", chat_page)
    app.router.add_get("/health", health)
    app.router.add_post("/api/conversations", chat.start_conversation)
    app.router.add_post("/api/messages", chat.post_message)
    gateway.setup(app)  # the widget's WebSocket /ws (uses the HTTP session above)
    widget.setup(app)  # /widget.js and /demo
    setup_console(app, settings)  # /console: the adviser console (after the gateway: live pushes)
    app.router.add_static("/static", STATIC_DIR)
    return app


def create_internal_app(settings: Optional[Settings] = None) -> web.Application:
    """The internal site Rasa calls on loopback: the NLG endpoint."""
    settings = settings or load_settings()
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[nlg.CATALOG_KEY] = ResponseCatalog.from_directory(
        settings.responses_dir, settings.default_language
    )
    app[nlg.TOKEN_KEY] = settings.nlg_token
    app.router.add_post("/nlg", nlg.handle_nlg)
    app.router.add_get("/health", health)
    return app


async def serve(settings: Optional[Settings] = None) -> None:
    """Run both sites until SIGINT or SIGTERM."""
    settings = settings or load_settings()
    runners = []
    for app, host, port in (
        (create_internal_app(settings), settings.internal_host, settings.internal_port),
        (create_public_app(settings), settings.host, settings.port),
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
