"""The embeddable widget (GET /widget.js) and its demo page (GET /demo?lang=fi|sv|en)."""
from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from string import Template
from typing import Dict

from aiohttp import web

from bot.web import chat
from bot.config import LANGUAGES, Settings
from bot.language import normalise_language
from bot.ui_text import UI_TEXT

HERE = Path(__file__).parent
WIDGET_PARTS = HERE / "static" / "widget"  # 1-setup.js, 2-view.js, 3-connection.js
DEMO_TEMPLATE = HERE / "templates" / "demo.html"
CONFIG_PLACEHOLDER = "/*WIDGET_CONFIG*/null"
# The UI strings the widget uses; the rest of UI_TEXT stays on the server.
WIDGET_TEXT_KEYS = (
    "heading", "bot_notice", "privacy_link", "input_label", "send", "new_conversation", "you",
    "assistant", "adviser", "widget_open", "widget_close", "typing", "sending", "not_sent",
    "send_again", "connecting", "offline", "opens_new_tab", "quick_replies_label",
    "error_too_long", "error_empty", "error_malformed", "error_unknown_conversation",
    "error_unavailable", "error_rate_limited", "error_too_many_connections", "error_delayed",
    "error_not_processed", "error_history_unavailable",
)

DEMO_TEXT: Dict[str, Dict[str, str]] = {
    "fi": {
        "title": "Business Espoo – yrityspalvelut Espoossa",
        "skip": "Siirry sisältöön",
        "nav_label": "Päävalikko",
        "nav": "Aloita yritys|Rahoitus|Rekrytointi|Tapahtumat|Yhteystiedot",
        "heading": "Yrityspalvelut Espoossa",
        "lead": "Business Espoo auttaa yrityksiä perustamisesta kasvuun ja kansainvälistymiseen. Neuvonta on maksutonta ja luottamuksellista.",
        "cards": "Aloita yritys|Liikeidea, liiketoimintasuunnitelma ja yritysmuodon valinta yritysneuvojan kanssa.#"
                 "Rahoitus|Starttiraha, Business Finlandin ja Finnveran palvelut sekä kehittämisavustukset.#"
                 "Rekrytointi|Palkkatuki, kansainväliset osaajat ja apu ensimmäisen työntekijän palkkaamiseen.",
        "chat_hint": "Kysy virtuaaliavustajalta oikean alakulman chatista.",
        "footer": "Espoon kaupunki · Business Espoo (esittelysivu)",
    },
    "sv": {
        "title": "Business Esbo – företagstjänster i Esbo",
        "skip": "Hoppa till innehållet",
        "nav_label": "Huvudmeny",
        "nav": "Starta företag|Finansiering|Rekrytering|Evenemang|Kontakt",
        "heading": "Företagstjänster i Esbo",
        "lead": "Business Esbo hjälper företag från start till tillväxt och internationalisering. Rådgivningen är avgiftsfri och konfidentiell.",
        "cards": "Starta företag|Affärsidé, affärsplan och val av företagsform tillsammans med en företagsrådgivare.#"
                 "Finansiering|Startpeng, Business Finlands och Finnveras tjänster samt utvecklingsbidrag.#"
                 "Rekrytering|Lönesubvention, internationella experter och hjälp att anställa den första medarbetaren.",
        "chat_hint": "Fråga den virtuella assistenten i chatten i nedre högra hörnet.",
        "footer": "Esbo stad · Business Esbo (demosida)",
    },
    "en": {
        "title": "Business Espoo – business services in Espoo",
        "skip": "Skip to content",
        "nav_label": "Main menu",
        "nav": "Start a business|Funding|Recruitment|Events|Contact",
        "heading": "Business services in Espoo",
        "lead": "Business Espoo helps companies from starting up to growth and going international. The advice is free and confidential.",
        "cards": "Start a business|Business idea, business plan and the choice of company form with a business adviser.#"
                 "Funding|Startup grant, the services of Business Finland and Finnvera, and development grants.#"
                 "Recruitment|Pay subsidy, international talent and help with hiring your first employee.",
        "chat_hint": "Ask the virtual assistant in the chat in the bottom right corner.",
        "footer": "City of Espoo · Business Espoo (demo page)",
    },
}
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def widget_config(settings: Settings) -> Dict[str, object]:
    """What widget.js needs besides its code: texts, limits, the privacy notice."""
    return {
        "languages": list(LANGUAGES),
        "defaultLanguage": settings.default_language,
        "maxChars": settings.max_message_chars,
        "privacyUrl": settings.privacy_notice_url,
        "texts": {lang: {k: UI_TEXT[lang][k] for k in WIDGET_TEXT_KEYS} for lang in LANGUAGES},
    }


@functools.lru_cache(maxsize=1)
def widget_source() -> str:
    """The widget's parts in order, in one function so that nothing leaks into the page (read once)."""
    parts = [part.read_text(encoding="utf-8") for part in sorted(WIDGET_PARTS.glob("*.js"))]
    return "(function () {\n" + "\n".join(parts) + "})();\n"


@functools.lru_cache(maxsize=4)
def render_widget_script(settings: Settings) -> str:
    """widget.js with its configuration filled in (JSON is a valid JavaScript expression)."""
    source = widget_source()
    config = json.dumps(widget_config(settings), ensure_ascii=True).replace("</", "<\\/")
    return source.replace(CONFIG_PLACEHOLDER, config, 1)


async def widget_script(request: web.Request) -> web.Response:
    """GET /widget.js: the script that a page includes to get the chat."""
    response = web.Response(
        text=render_widget_script(request.app[chat.SETTINGS_KEY]),
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
    text = DEMO_TEXT[language]
    nav = "".join(f'<li><a href="#main">{html.escape(item)}</a></li>' for item in text["nav"].split("|"))
    cards = ""
    for card in text["cards"].split("#"):
        title, body = card.split("|")
        cards += f"<article class=\"card\"><h2>{html.escape(title)}</h2><p>{html.escape(body)}</p></article>"
    current = ' aria-current="page"'
    languages = "".join(
        f'<a href="/demo?lang={code}" lang="{code}" hreflang="{code}"'
        f'{current if code == language else ""}>{LANGUAGE_NAMES[code]}</a>'
        for code in LANGUAGES
    )
    values = {key: html.escape(value) for key, value in text.items() if key not in ("nav", "cards")}
    return _demo_template().substitute(
        lang=language, nav=nav, cards=cards, languages=languages, **values
    )


async def demo_page(request: web.Request) -> web.Response:
    """GET /demo: the widget on a page like the Business Espoo site."""
    settings = request.app[chat.SETTINGS_KEY]
    language = normalise_language(request.query.get("lang")) or settings.default_language
    # Its Content-Security-Policy comes from bot/web/headers.py, like every page's.
    return web.Response(text=render_demo_page(language), content_type="text/html")


def setup(app: web.Application) -> None:
    """Add /widget.js and /demo to the public app."""
    app.router.add_get("/widget.js", widget_script)
    app.router.add_get("/demo", demo_page)
