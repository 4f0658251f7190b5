"""The training data page, /console/studio/training: browse, search, add, edit, move and delete examples.

Forms work without the script (a save with warnings comes back with them and a "save anyway" box);
studio_training.js checks the sentence as it is typed (POST …/check).
"""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import parse_qsl, urlencode

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.config import LANGUAGES
from bot.console.paging import pages_of
from bot.console.guard import actor, base_context, form_data, guarded, page_language, settings_of, see_other, \
    unit_of_work
from bot.console.naming import intent_label, intent_options
from bot.content.intents import ALL_INTENTS
from bot.content.question_examples import normalised
from bot.handoff.models import ROLE_EDITOR
from bot.studio import overlap, training
from bot.web.keys import JINJA_KEY

PAGE_SIZE = 100
MAX_TEXT = 300
PATH = "/console/studio/training"
DONE = ("added", "changed", "deleted", "not_found")


def clean_text(value: Any) -> str:
    """One line of text with single spaces ("" when it is not a text or too long)."""
    text = " ".join(str(value or "").split())
    return text if len(text) <= MAX_TEXT else ""


def _choice(value: Any, allowed: Sequence[str], default: str = "") -> str:
    return value if value in allowed else default


def _filters(source: Any, language: str) -> Dict[str, str]:
    return {"lang": _choice(source.get("lang"), LANGUAGES, language), "intent": _choice(source.get("intent"), ALL_INTENTS),
            "q": " ".join(str(source.get("q", "")).split())[:100], "page": str(source.get("page", "1"))}


folded = functools.lru_cache(maxsize=65536)(normalised)  # the same examples are searched again and again


def _selected(examples: List[training.Example], filters: Dict[str, str]) -> List[training.Example]:
    wanted = normalised(filters["q"])
    return [e for e in examples if e.language == filters["lang"] and (not filters["intent"] or e.intent == filters["intent"])
            and (not wanted or wanted in folded(e.text))]


def warning_texts(language: str, found: Sequence[overlap.Warning]) -> List[Dict[str, str]]:
    """The warnings as the page shows them, in the console's language."""
    return [{"kind": w.kind, "message": locale.text(language, f"studio.training_warn_{w.kind}",
                                                   intent=intent_label(language, w.intent), text=w.text)}
            for w in found]


async def check(request: web.Request, session: Any, language: str, intent: str, text: str,
                ignore: Optional[str] = None) -> List[overlap.Warning]:
    """The warnings for `text` as an example of `intent` (the similarity off the event loop)."""
    examples = [(e.id, e.intent, e.text) for e in await training.effective_examples(session, _folder(request))
                if e.language == language]
    root = settings_of(request).project_root
    return await asyncio.to_thread(overlap.warnings, root, examples, intent, text, ignore)


def _folder(request: web.Request):  # type: ignore[no-untyped-def]
    return training.nlu_folder(settings_of(request))


async def _render(request: web.Request, filters: Dict[str, str], *, status: int = 200, form: Optional[Dict] = None,
                  warnings: Sequence[overlap.Warning] = (), notice: str = "") -> web.Response:
    language = page_language(request)
    async with unit_of_work(request) as session:
        examples = await training.effective_examples(session, _folder(request))
    shown = await asyncio.to_thread(_selected, examples, filters)
    counts: Dict[str, int] = {}
    for example in examples:
        if example.language == filters["lang"]:
            counts[example.intent] = counts.get(example.intent, 0) + 1
    pages = pages_of(len(shown), filters["page"], PAGE_SIZE)
    context = base_context(
        request, page="studio", s=locale.texts(language, "studio"), filters=filters, total=len(shown),
        plural_studio=lambda key, count: locale.plural(language, f"studio.{key}", count),
        examples=pages.items(shown), page_number=pages.number, pages=pages.count,
        **pages.links(lambda number: f"{PATH}?{urlencode({**filters, 'page': number})}#examples"),
        intents=intent_options(language), counts=counts, label=lambda name: intent_label(language, name),
        edit=request.query.get("edit", ""), form=form or {}, warnings=warning_texts(language, warnings),
        notice=notice, back=urlencode(filters), js={"studio": locale.texts(language, "studio")},
    )
    response = aiohttp_jinja2.render_template("studio_training.html", request, context, app_key=JINJA_KEY)
    response.set_status(status)
    return response


@guarded(role=ROLE_EDITOR)
async def training_page(request: web.Request) -> web.StreamResponse:
    """GET /console/studio/training?lang=&intent=&q=&page=&edit=<id>."""
    filters = _filters(request.query, page_language(request))
    done = request.query.get("done", "")
    notice = locale.text(page_language(request), f"studio.training_{done}") if done in DONE else ""
    return await _render(request, filters, notice=notice)


def _back(filters: Dict[str, str], done: str) -> web.Response:
    return see_other(f"{PATH}?{urlencode({**filters, 'done': done})}#examples")


def _invalid(request: web.Request, filters: Dict[str, str], form: Dict[str, Any]) -> Any:
    notice = locale.text(page_language(request), "studio.training_invalid")
    return _render(request, filters, status=400, form=form, notice=notice)


async def _form(request: web.Request) -> Tuple[Dict[str, Any], Dict[str, str]]:
    """The posted form and the list's filters it came from (the hidden field `back`)."""
    form = await form_data(request)
    return form, _filters(dict(parse_qsl(str(form.get("back", "")))), page_language(request))


@guarded(role=ROLE_EDITOR)
async def add(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/training/add: language, intent, text (confirm=1 saves despite warnings)."""
    form, filters = await _form(request)
    language, intent, text = form.get("language"), form.get("intent"), clean_text(form.get("text"))
    if language not in LANGUAGES or intent not in ALL_INTENTS or not text:
        return await _invalid(request, filters, {**form, "mode": "add"})
    async with unit_of_work(request) as session:
        found = await check(request, session, str(language), str(intent), text)
        if found and form.get("confirm") != "1":
            return await _render(request, filters, status=409, form={**form, "text": text, "mode": "add"},
                                 warnings=found)
        await training.add_example(session, actor(request), str(language), str(intent), text)
    return _back({**filters, "lang": str(language), "intent": str(intent)}, "added")


@guarded(role=ROLE_EDITOR)
async def edit(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/training/edit: id, intent (another one moves it), text, confirm."""
    form, filters = await _form(request)
    example_id, intent, text = str(form.get("id", "")), form.get("intent"), clean_text(form.get("text"))
    if intent not in ALL_INTENTS or not text:
        return await _invalid(request, filters, {**form, "mode": "edit"})
    async with unit_of_work(request) as session:
        try:
            old = await training.find(session, _folder(request), example_id)
        except training.NotFound:
            return _back(filters, "not_found")
        found = [w for w in await check(request, session, old.language, str(intent), text, ignore=example_id)]
        if found and form.get("confirm") != "1":
            return await _render(request, filters, status=409, form={**form, "text": text, "mode": "edit"},
                                 warnings=found)
        await training.change_example(session, actor(request), _folder(request), example_id, str(intent), text)
    return _back(filters, "changed")


@guarded(role=ROLE_EDITOR)
async def remove(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/training/delete: id."""
    form, filters = await _form(request)
    async with unit_of_work(request) as session:
        try:
            await training.delete_example(session, actor(request), _folder(request), str(form.get("id", "")))
        except training.NotFound:
            return _back(filters, "not_found")
    return _back(filters, "deleted")


@guarded(role=ROLE_EDITOR)
async def check_api(request: web.Request) -> web.StreamResponse:
    """POST /console/studio/training/check {language, intent, text, id?}: {warnings: [{kind, message}]}."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or body.get("language") not in LANGUAGES or body.get("intent") not in ALL_INTENTS:
        return web.json_response({"error": "invalid"}, status=400)
    text = clean_text(body.get("text"))
    if not text:
        return web.json_response({"warnings": []})
    async with unit_of_work(request) as session:
        found = await check(request, session, body["language"], body["intent"], text, ignore=body.get("id") or None)
    return web.json_response({"warnings": warning_texts(page_language(request), found)})


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, training_page)
    app.router.add_post(f"{PATH}/add", add)
    app.router.add_post(f"{PATH}/edit", edit)
    app.router.add_post(f"{PATH}/delete", remove)
    app.router.add_post(f"{PATH}/check", check_api)
