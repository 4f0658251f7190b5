"""The answer editor's pages under /console/studio/answers (editors and up).

GET  /console/studio/answers                 the list, searched by name and text (?q=, ?kind=, ?edited=1, ?page=)
GET  /console/studio/answers/edit/{name}     fi, sv and en side by side, the preview, the problems
POST /console/studio/answers/edit/{name}     save (a new version, live in the NLG within a poll)
POST /console/studio/answers/check/{name}    the problems of the posted form as JSON (the live check)
GET  /console/studio/answers/history/{name}  every version with what it changed, word by word
POST /console/studio/answers/revert/{name}   the chosen version saved again as the newest
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.config import LANGUAGES, Settings
from bot.console.guard import actor, base_context, error_response, form_data, guarded, page_language, see_other
from bot.console.guard import settings_of, unit_of_work
from bot.console.paging import pages_of
from bot.content.figures import Figure
from bot.handoff.models import ROLE_EDITOR
from bot.studio import answer_store
from bot.studio.answer_check import Problem, check, messages
from bot.studio.answer_diff import diff
from bot.studio.answer_docs import Doc, base_answers, build_catalog, is_question, question_key
from bot.studio.answer_form import doc_from_form, preview_config, rows
from bot.web.keys import JINJA_KEY

NAME = r"utter_[a-z0-9_]+(?:/[a-z0-9_]+)?"
BASE = "/console/studio/answers"
PAGE_SIZE = 50


async def _base(request: web.Request) -> Tuple[Dict[str, Doc], Optional[Dict[str, Figure]]]:
    """The files' answers and figures (read in a worker thread: YAML, and stat() of every file)."""
    return await asyncio.to_thread(base_answers(settings_of(request).responses_dir).load)


def _name(request: web.Request, base: Dict[str, Doc]) -> str:
    name = request.match_info["name"]
    if name not in base:
        raise web.HTTPNotFound(text="not found")
    return name


def _problems_now(settings: Settings, name: str, doc: Doc, base: Dict[str, Doc],
                  figures: Optional[Dict[str, Figure]]) -> List[Problem]:
    found = check(name, doc, domain_file=settings.project_root / "domain.yml", figures=figures)
    if not found:
        try:
            build_catalog({**base, name: doc}, figures, settings.default_language)
        except ValueError:
            found = [Problem("invalid")]
    return found


async def _problems(request: web.Request, name: str, doc: Doc, base: Dict[str, Doc],
                    figures: Optional[Dict[str, Figure]]) -> List[Problem]:
    """The check's problems; when there are none, the whole catalogue must still build with `doc`
    (in a worker thread: the build takes tens of milliseconds)."""
    return await asyncio.to_thread(_problems_now, settings_of(request), name, doc, base, figures)


def _render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    """A studio page: the console's context, the studio's texts as `st`, a `notice` of ?msg=answers_…"""
    texts = locale.texts(page_language(request), "studio")
    message = request.query.get("msg", "")
    notice = texts.get(message, "") if message.startswith("answers_") else ""
    context = base_context(request, page="studio", st=texts, notice=notice, **values)
    response = aiohttp_jinja2.render_template(template, request, context, app_key=JINJA_KEY)
    response.set_status(status)
    return response


def _matches(name: str, doc: Doc, query: str) -> bool:
    if not query:
        return True
    haystack = [name]
    for part in doc["languages"].values():
        for item in part if isinstance(part, list) else [part]:
            haystack += [item.get("text", ""), item.get("title", "")]
            haystack += [b["title"] for b in item.get("buttons") or []]
    return query.casefold() in " ".join(haystack).casefold()


def _summary(doc: Doc, language: str) -> str:
    part = doc["languages"].get(language)
    text = (part[0].get("text", "") if part else "") if isinstance(part, list) else (part or {}).get("text", "")
    return text if len(text) <= 140 else text[:139].rstrip() + "…"


@guarded(role=ROLE_EDITOR)
async def answer_list(request: web.Request) -> web.StreamResponse:
    """The answers, searched and filtered."""
    base, _ = await _base(request)
    query, kind = request.query.get("q", "").strip()[:200], request.query.get("kind", "")
    edited_only = request.query.get("edited") == "1"
    async with unit_of_work(request) as session:
        saved = await answer_store.latest(session)
    language = page_language(request)
    found = []
    for name, doc in base.items():
        current = saved[name].doc if name in saved else doc
        if (kind == "topic" and is_question(name)) or (kind == "specific" and not is_question(name)):
            continue
        if (edited_only and name not in saved) or not _matches(name, current, query):
            continue
        found.append({"name": name, "specific": is_question(name), "summary": _summary(current, language),
                      "saved": saved.get(name)})
    shown = {"q": query, "kind": kind, "edited": edited_only}
    pages = pages_of(len(found), request.query.get("page", ""), PAGE_SIZE)
    link = lambda number: f"{BASE}?{urlencode({**shown, 'edited': '1' if edited_only else '', 'page': number})}"  # noqa: E731
    return _render(request, "studio_answers.html", answers=pages.items(found), found=len(found), total=len(base),
                   query=shown, page_number=pages.number, pages=pages.count, **pages.links(link))


async def _editor(request: web.Request, name: str, doc: Doc, number: int, figures: Optional[Dict[str, Figure]],
                  base: Dict[str, Doc], problems: List[Problem], status: int = 200) -> web.Response:
    topic = "utter_" + question_key(name).split("/", 1)[0] if is_question(name) else name
    topic_doc = base.get(topic, {"languages": {}})
    buttons = {lang: (topic_doc["languages"].get(lang) or [{}])[0].get("buttons") or [] for lang in LANGUAGES} \
        if is_question(name) else {}
    async with unit_of_work(request) as session:
        versions = await answer_store.history(session, name)
    return _render(
        request, "studio_answer.html", status, name=name, doc=doc, number=number, rows=rows(doc)
        if doc["kind"] == "response" else [], problems=messages(problems, page_language(request)),
        latest=versions[0] if versions else None, languages=LANGUAGES,
        js={"answers": preview_config(name, doc, figures, buttons)},
    )


@guarded(role=ROLE_EDITOR)
async def answer_edit(request: web.Request) -> web.StreamResponse:
    """The editor of one answer."""
    base, figures = await _base(request)
    name = _name(request, base)
    async with unit_of_work(request) as session:
        now = await answer_store.current(session, name, base[name])
    return await _editor(request, name, now.doc, now.number, figures, base, [])


@guarded(role=ROLE_EDITOR)
async def answer_save(request: web.Request) -> web.StreamResponse:
    """Save the posted answer as a new version, unless it has problems or someone saved meanwhile."""
    base, figures = await _base(request)
    name = _name(request, base)
    form = await form_data(request)
    async with unit_of_work(request) as session:
        now = await answer_store.current(session, name, base[name])
    doc = doc_from_form(form, now.doc)
    problems = await _problems(request, name, doc, base, figures)
    expected = int(form["expected"]) if str(form.get("expected", "")).isdigit() else None
    if not problems:
        try:
            async with unit_of_work(request) as session:
                saved = await answer_store.save(session, actor(request), name, doc, base[name], expected=expected)
        except answer_store.StaleVersion:
            problems = [Problem("stale")]
        else:
            return see_other(f"{BASE}/edit/{name}?msg={'answers_saved' if saved else 'answers_unchanged'}")
    return await _editor(request, name, doc, expected if expected is not None else now.number, figures, base,
                         problems, status=409 if problems[0].code == "stale" else 422)


@guarded(role=ROLE_EDITOR)
async def answer_check(request: web.Request) -> web.StreamResponse:
    """The problems of the posted form, for the editor's live check."""
    base, figures = await _base(request)
    name = _name(request, base)
    doc = doc_from_form(await form_data(request), base[name])
    return web.json_response({"problems": messages(await _problems(request, name, doc, base, figures),
                                                   page_language(request))})


@guarded(role=ROLE_EDITOR)
async def answer_history(request: web.Request) -> web.StreamResponse:
    """Every version of one answer, the newest first, each with its changes from the one before."""
    base, _ = await _base(request)
    name = _name(request, base)
    async with unit_of_work(request) as session:
        versions = await answer_store.history(session, name)
    entries = []
    for index, row in enumerate(versions):
        previous = versions[index + 1].doc if index + 1 < len(versions) else None
        entries.append({"row": row, "changes": diff(previous, row.doc) if previous is not None else None})
    return _render(request, "studio_answer_history.html", name=name, entries=entries,
                   current=versions[0].number if versions else 0)


@guarded(role=ROLE_EDITOR)
async def answer_revert(request: web.Request) -> web.StreamResponse:
    """Save the chosen version again as the newest one (a revert is a version too)."""
    base, figures = await _base(request)
    name = _name(request, base)
    form = await form_data(request)
    number = str(form.get("number", ""))
    async with unit_of_work(request) as session:
        chosen = await answer_store.version(session, name, int(number)) if number.isdigit() else None
        if chosen is None:
            return error_response(request, 404, "not_found")
        if await _problems(request, name, chosen.doc, base, figures):
            raise web.HTTPSeeOther(f"{BASE}/history/{name}?msg=answers_revert_refused")
        await answer_store.save(session, actor(request), name, chosen.doc, base[name], expected=None,
                                source="revert", reverted_from=chosen.number)
    return see_other(f"{BASE}/history/{name}?msg=answers_reverted")


def setup_answers(app: web.Application) -> None:
    """The answer editor's routes (with the studio's front page)."""
    app.router.add_get(BASE, answer_list)
    app.router.add_get(f"{BASE}/edit/{{name:{NAME}}}", answer_edit)
    app.router.add_post(f"{BASE}/edit/{{name:{NAME}}}", answer_save)
    app.router.add_post(f"{BASE}/check/{{name:{NAME}}}", answer_check)
    app.router.add_get(f"{BASE}/history/{{name:{NAME}}}", answer_history)
    app.router.add_post(f"{BASE}/revert/{{name:{NAME}}}", answer_revert)
