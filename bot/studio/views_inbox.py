"""The NLU inbox page, /console/studio/inbox: open messages in groups of similar ones; confirm, correct or
dismiss one (its own buttons) or the selected ones (the bulk bar), with or without the script.

studio_training.js adds the keyboard (see the page's shortcut list) and posts the same form with
Accept: application/json, so that the page stays where it is and the focus moves to the next message.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, urlencode

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.config import LANGUAGES
from bot.console.guard import actor, base_context, form_data, guarded, page_language, see_other, settings_of, \
    unit_of_work, wants_json
from bot.console.naming import intent_label, intent_options
from bot.content.intents import ALL_INTENTS
from bot.handoff.models import ROLE_EDITOR
from bot.studio import inbox
from bot.studio.inbox_job import LOW_CONFIDENCE, NOT_UNDERSTOOD, TAGGED, THUMBS_DOWN
from bot.studio.training import nlu_folder
from bot.web.keys import JINJA_KEY

PATH = "/console/studio/inbox"
REASONS = (NOT_UNDERSTOOD, LOW_CONFIDENCE, THUMBS_DOWN, TAGGED)


def _filters(source: Any) -> Dict[str, str]:
    language = source.get("lang", "")
    reason = source.get("reason", "")
    return {"lang": language if language in LANGUAGES else "", "reason": reason if reason in REASONS else ""}


@guarded(role=ROLE_EDITOR)
async def inbox_page(request: web.Request) -> web.StreamResponse:
    """GET /console/studio/inbox?lang=&reason=&done=N&held=N."""
    language = page_language(request)
    filters = _filters(request.query)
    async with unit_of_work(request) as session:
        groups = await inbox.grouped(session, filters["lang"], filters["reason"])
        total = await inbox.open_count(session)
    notices = []
    for key, name in (("done", "inbox_done"), ("held", "inbox_held_out")):
        value = request.query.get(key, "")
        if value.isdigit() and int(value):
            notices.append(locale.plural(language, f"studio.{name}", int(value)))
    context = base_context(
        request, page="studio", s=locale.texts(language, "studio"), filters=filters, groups=groups, total=total,
        reasons=REASONS, intents=intent_options(language), label=lambda name: intent_label(language, name),
        plural_studio=lambda key, count: locale.plural(language, f"studio.{key}", count),
        notices=notices, back=urlencode(filters), js={"studio": locale.texts(language, "studio")},
    )
    return aiohttp_jinja2.render_template("studio_inbox.html", request, context, app_key=JINJA_KEY)


def _request(form: Dict[str, Any], multi: Any) -> Tuple[Optional[str], List[int], Optional[str]]:
    """(action, ids, intent) of the form: one message's button (`one` = action:id, its own intent list
    intent-<id>) or the bulk bar (action, ids, intent)."""
    one = str(form.get("one", ""))
    if ":" in one:
        action, _, item = one.partition(":")
        if not item.isdigit():
            return None, [], None
        return action, [int(item)], form.get(f"intent-{item}") or None
    ids = [int(value) for value in multi.getall("ids", []) if str(value).isdigit()]
    return str(form.get("action", "")) or None, ids, form.get("intent") or None


@guarded(role=ROLE_EDITOR)
async def resolve(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/inbox/resolve: confirm, correct or dismiss messages."""
    form = await form_data(request)
    multi = await request.post()
    action, ids, intent = _request(form, multi)
    language = page_language(request)
    error = ""
    if action not in inbox.ACTIONS or not ids:
        error = "inbox_nothing_selected"
    elif action == "correct" and intent not in ALL_INTENTS:
        error = "inbox_choose_intent"
    if error:
        message = locale.text(language, f"studio.{error}")
        if wants_json(request):
            return web.json_response({"error": error, "message": message}, status=400)
        return web.Response(status=400, text=message, content_type="text/plain", charset="utf-8")
    settings = settings_of(request)
    async with unit_of_work(request) as session:
        outcome = await inbox.resolve(session, actor(request), settings.project_root, nlu_folder(settings), ids,
                                      str(action), intent)
    if wants_json(request):
        async with unit_of_work(request) as session:
            total = await inbox.open_count(session)
        notices = [locale.plural(language, f"studio.{name}", len(found)) for name, found in
                   (("inbox_done", outcome.done), ("inbox_held_out", outcome.held_out)) if found]
        return web.json_response({"done": outcome.done, "held_out": outcome.held_out, "open": total,
                                  "open_text": locale.plural(language, "studio.inbox_open", total),
                                  "message": " ".join(notices)})
    back = _filters(dict(parse_qsl(str(form.get("back", "")))))
    return see_other(f"{PATH}?{urlencode({**back, 'done': len(outcome.done), 'held': len(outcome.held_out)})}")


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, inbox_page)
    app.router.add_post(f"{PATH}/resolve", resolve)
