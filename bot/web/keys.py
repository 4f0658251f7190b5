"""Every typed key of the web app's shared state (`app[KEY]`), in one place.

Who sets each one (bot/web/app.py unless said otherwise):

- SETTINGS_KEY, SECRET_KEY, QUICK_REPLIES_KEY: the app factory.
- ANSWER_LANGUAGES_KEY: both app factories (`serve` gives them one shared AnswerLanguages).
- HTTP_KEY: the HTTP client session's cleanup context.
- DB_KEY, TRACKER_DB_KEY: the database cleanup context (the engines live as long as the app).
- REDIS_KEY: the Redis cleanup context (None without REDIS_URL); LIVE_BUS_KEY: the live bus's context.
- LIMITS_KEY, GATEWAY_KEY: bot.web.gateway.setup's cleanup contexts.
- JINJA_KEY: bot.console.setup_console.
- NLG_CATALOG_KEY, NLG_TOKEN_KEY, GO_LINKS_KEY: the internal app (create_internal_app).
- ADVICE_HOURS_KEY (and DB_KEY when not given): the internal app's catalogue cleanup context.
- TRAINING_KEY: bot.studio.setup's cleanup context (the training runs this process watches).

This module imports no other module of the web app, so any of them can import it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import aiohttp
import jinja2
from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.config import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.handoff.live_bus import LiveBus
    from bot.insights.links import LinkSigner
    from bot.web.answer_languages import AnswerLanguages
    from bot.rasa.nlg_hours import AdviceHours
    from bot.studio.answer_live import LiveCatalog
    from bot.studio.training_runs import TrainingJobs
    from bot.web.gateway import Gateway
    from bot.web.limits import Limits
    from bot.web.quick_replies import QuickReplies

SETTINGS_KEY = web.AppKey("settings", Settings)
SECRET_KEY = web.AppKey("conversation_secret", str)  # BOT_SECRET_KEY or var/secret.key
HTTP_KEY = web.AppKey("http_session", aiohttp.ClientSession)
DB_KEY = web.AppKey("database", sessionmaker)  # the application's database (DATABASE_URL)
TRACKER_DB_KEY = web.AppKey("tracker_database", sessionmaker)  # Rasa's tracker store (retention, privacy)
JINJA_KEY = web.AppKey("console_jinja", jinja2.Environment)
GATEWAY_KEY: "web.AppKey[Gateway]" = web.AppKey("gateway")
LIMITS_KEY: "web.AppKey[Limits]" = web.AppKey("limits")
QUICK_REPLIES_KEY: "web.AppKey[QuickReplies]" = web.AppKey("quick_replies")
NLG_CATALOG_KEY: "web.AppKey[LiveCatalog]" = web.AppKey("response_catalog")  # .current: the answers now
NLG_TOKEN_KEY = web.AppKey("nlg_token", str)
GO_LINKS_KEY: "web.AppKey[LinkSigner]" = web.AppKey("go_links")  # the answers' links through /go/ (bot/insights/links.py)
ADVICE_HOURS_KEY: "web.AppKey[AdviceHours]" = web.AppKey("advice_hours")
ANSWER_LANGUAGES_KEY: "web.AppKey[AnswerLanguages]" = web.AppKey("answer_languages")
REDIS_KEY: "web.AppKey[Optional[Redis]]" = web.AppKey("redis")  # REDIS_URL's one client, None when embedded
LIVE_BUS_KEY: "web.AppKey[LiveBus]" = web.AppKey("live_bus")  # wakes the live pushes of every instance
TRAINING_KEY: "web.AppKey[TrainingJobs]" = web.AppKey("training_jobs")  # bot/studio/training_runs.py
