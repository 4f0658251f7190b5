"""The chat page (GET /): the whole chat in one page, in the visitor's language, and its icon.

The page has the Business Espoo brand (text and our own inline mark), greets the visitor in
its language (chat.js; the greeting is not sent to Rasa) and shows each message's time.
/favicon.ico, which browsers ask for by themselves, answers with the SVG icon the page links.
"""
from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from string import Template

from aiohttp import web

from bot.config import LANGUAGES, Settings
from bot.language import normalise_language
from bot import locale
from bot.web.keys import SETTINGS_KEY

PAGE_TEMPLATE = Path(__file__).parent / "templates" / "chat.html"
FAVICON = Path(__file__).parent / "static" / "favicon.svg"
CURRENT = ' aria-current="page"'
PAGE_GROUPS = ("chat", "page", "feedback")  # the locale groups the page and chat.js use


@functools.lru_cache(maxsize=1)
def _template() -> Template:
    """The page's template, read once per process."""
    return Template(PAGE_TEMPLATE.read_text(encoding="utf-8"))


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


@functools.lru_cache(maxsize=2 * len(LANGUAGES))
def render_chat_page(settings: Settings, language: str) -> str:
    """The chat page in `language`, rendered once per process and language; every inserted value is escaped."""
    texts = locale.texts(language, *PAGE_GROUPS)
    config = {
        "language": language,
        "languages": list(LANGUAGES),
        "maxChars": settings.max_message_chars,
        "texts": {code: locale.texts(code, *PAGE_GROUPS) for code in LANGUAGES},
    }
    return _template().substitute(
        lang=html.escape(language),
        title=html.escape(texts["page_title"]),
        brand=html.escape(texts["brand"]),
        tagline=html.escape(texts["brand_tagline"]),
        heading=html.escape(texts["heading"]),
        notice=html.escape(texts["bot_notice"]),
        privacy_url=html.escape(settings.privacy_notice_url),
        privacy_link=html.escape(texts["privacy_link"]),
        input_label=html.escape(texts["input_label"]),
        send=html.escape(texts["send"]),
        new_conversation=html.escape(texts["new_conversation"]),
        language_label=html.escape(texts["language_label"]),
        language_links="\n      ".join(
            f'<a href="/?lang={code}" lang="{code}" hreflang="{code}"{CURRENT if code == language else ""}>'
            f'{html.escape(name)}</a>'
            for code, name in locale.language_names().items()
        ),
        max_chars=settings.max_message_chars,
        config_json=_json_for_script(config),
    )


async def chat_page(request: web.Request) -> web.Response:
    """GET /: the chat page, in ?lang= or the browser's preferred language."""
    settings = request.app[SETTINGS_KEY]
    language = normalise_language(request.query.get("lang"))
    if language is None:
        preferred = request.headers.get("Accept-Language", "").split(",")[0]
        language = normalise_language(preferred) or settings.default_language
    # Its Content-Security-Policy comes from bot/web/headers.py, like every page's.
    return web.Response(text=render_chat_page(settings, language), content_type="text/html")


@functools.lru_cache(maxsize=1)
def _favicon() -> bytes:
    return FAVICON.read_bytes()


async def favicon(request: web.Request) -> web.Response:
    """GET /favicon.ico: the site's SVG icon (the page links /static/favicon.svg)."""
    return web.Response(body=_favicon(), content_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})
