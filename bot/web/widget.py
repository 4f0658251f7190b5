"""The embeddable widget (GET /widget.js) and its demo page (GET /demo?lang=fi|sv|en)."""
from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from string import Template
from typing import Dict

from aiohttp import web

from bot.config import LANGUAGES, Settings
from bot.language import normalise_language
from bot import locale
from bot.web.keys import SETTINGS_KEY

HERE = Path(__file__).parent
WIDGET_PARTS = HERE / "static" / "widget"  # 1-setup.js, 2-view.js, 3-connection.js
SHARED_LINKS = HERE / "static" / "links.js"  # the texts' links, shared with the chat page and the studio
DEMO_TEMPLATE = HERE / "templates" / "demo.html"
CONFIG_PLACEHOLDER = "/*WIDGET_CONFIG*/null"
WIDGET_GROUPS = ("chat", "widget", "feedback")  # the locale groups widget.js uses


def widget_config(settings: Settings) -> Dict[str, object]:
    """What widget.js needs besides its code: texts, limits, the privacy notice."""
    return {
        "languages": list(LANGUAGES),
        "defaultLanguage": settings.default_language,
        "maxChars": settings.max_message_chars,
        "privacyUrl": settings.privacy_notice_url,
        "texts": {lang: locale.texts(lang, *WIDGET_GROUPS) for lang in LANGUAGES},
    }


@functools.lru_cache(maxsize=1)
def widget_source() -> str:
    """The shared links.js and the widget's parts in order, in one strict function so that nothing leaks
    into the page (read once)."""
    files = [SHARED_LINKS, *sorted(WIDGET_PARTS.glob("*.js"))]
    parts = [part.read_text(encoding="utf-8") for part in files]
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"


@functools.lru_cache(maxsize=4)
def render_widget_script(settings: Settings) -> str:
    """widget.js with its configuration filled in (JSON is a valid JavaScript expression)."""
    source = widget_source()
    config = json.dumps(widget_config(settings), ensure_ascii=True).replace("</", "<\\/")
    return source.replace(CONFIG_PLACEHOLDER, config, 1)


async def widget_script(request: web.Request) -> web.Response:
    """GET /widget.js: the script that a page includes to get the chat."""
    response = web.Response(
        text=render_widget_script(request.app[SETTINGS_KEY]),
        content_type="application/javascript", charset="utf-8",
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@functools.lru_cache(maxsize=1)
def _demo_template() -> Template:
    """The demo page's template, read once per process."""
    return Template(DEMO_TEMPLATE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=len(LANGUAGES))
def render_demo_page(language: str) -> str:
    """A Business-Espoo-like page in `language` with the widget; every value is escaped."""
    text = locale.texts(language, "demo")
    names = locale.language_names()
    nav = "".join(f'<li><a href="#main">{html.escape(item)}</a></li>' for item in text["nav"].split("|"))
    cards = ""
    for card in text["cards"].split("#"):
        title, body = card.split("|")
        cards += f"<article class=\"card\"><h2>{html.escape(title)}</h2><p>{html.escape(body)}</p></article>"
    current = ' aria-current="page"'
    languages = "".join(
        f'<a href="/demo?lang={code}" lang="{code}" hreflang="{code}"'
        f'{current if code == language else ""}>{names[code]}</a>'
        for code in LANGUAGES
    )
    values = {key: html.escape(value) for key, value in text.items() if key not in ("nav", "cards")}
    return _demo_template().substitute(
        lang=language, nav=nav, cards=cards, languages=languages, **values
    )


async def demo_page(request: web.Request) -> web.Response:
    """GET /demo: the widget on a page like the Business Espoo site."""
    settings = request.app[SETTINGS_KEY]
    language = normalise_language(request.query.get("lang")) or settings.default_language
    # Its Content-Security-Policy comes from bot/web/headers.py, like every page's.
    return web.Response(text=render_demo_page(language), content_type="text/html")


def setup(app: web.Application) -> None:
    """Add /widget.js and /demo to the public app."""
    app.router.add_get("/widget.js", widget_script)
    app.router.add_get("/demo", demo_page)
