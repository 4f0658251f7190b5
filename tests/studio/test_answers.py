"""The answer editor on the real web app (SQLite and PostgreSQL): a save is live in the NLG of every
instance within 2 s, problems are explained in the editor's language, history, revert, audit log."""
from __future__ import annotations

import asyncio
import json
import re

import aiohttp

from sqlalchemy import select

from bot.console.audit import AuditEntry
from bot.db import session_scope
from bot.insights.links import GO_PATH, LinkSigner
from bot.insights.models import DailyCount
from bot.studio.answer_store import AnswerVersion
from tests.console.support import make_adviser
from tests.handoff.support import app_settings
from tests.studio.answers_support import RunningNlg, form_of, until_said

EDIT = "/console/studio/answers/edit/utter_start_business"


async def _editor(app, clients, factory, language: str = "en"):
    await make_adviser(factory, "eeva", role="editor", language=language)
    editor = clients()
    await editor.login("eeva")
    return editor


async def test_a_save_is_live_in_the_nlg_of_two_instances_within_two_seconds(app, clients, factory, db_url, rasa):
    editor = await _editor(app, clients, factory)
    settings = app_settings(db_url, rasa.url)
    async with RunningNlg(settings) as one, RunningNlg(settings) as two:
        assert "Business Espoo's business advisers" in (await one.say("utter_start_business"))["text"]
        _, page = await editor.get(EDIT)
        form = form_of(page)
        form["text.en.0"] = "Start here: our advisers help you for free. https://www.suomi.fi/company"
        for lang, title in (("fi", "Rahoitus"), ("sv", "Finansiering"), ("en", "Funding")):
            form[f"button.{lang}.0.3.title"], form[f"button.{lang}.0.3.payload"] = title, "/funding"
        response, _ = await editor.post(EDIT, form, csrf=None)
        assert response.status == 303 and "msg=answers_saved" in response.headers["Location"]
        seconds = await asyncio.gather(*(until_said(nlg, "utter_start_business", "en", "Start here") for nlg in (one, two)))
        assert max(seconds) < 2.0
        said = await two.say("utter_start_business")
        assert [b["payload"] for b in said["buttons"]][-1] == "/funding"
        assert "Business Espoon yritysneuvojat" in (await one.say("utter_start_business", "fi"))["text"]  # fi kept


async def test_a_link_added_in_the_studio_goes_through_go_and_counts_its_click(app, clients, factory, db_url, rasa):
    editor = await _editor(app, clients, factory)
    added = "https://www.suomi.fi/company/starting-a-business"  # in no file of data/responses
    async with RunningNlg(app_settings(db_url, rasa.url)) as nlg, aiohttp.ClientSession() as http:
        _, page = await editor.get(EDIT)
        form = form_of(page)
        form["text.en.0"] = f"Start here: {added}"
        response, _ = await editor.post(EDIT, form, csrf=None)
        assert response.status == 303
        await until_said(nlg, "utter_start_business", "en", added)
        go = (await nlg.say("utter_start_business"))["custom"]["links"][added]
        async with http.get(app.url + go, allow_redirects=False) as clicked:
            assert clicked.status == 302 and clicked.headers["Location"] == added
        signer = LinkSigner(app.settings.secret_key, app.settings.responses_dir)
        for url in ("https://evil.example/", "https://www.suomi.fi/company/other"):  # signed, in no answer
            async with http.get(app.url + GO_PATH + signer.token("utter_start_business", "en", url),
                                allow_redirects=False) as refused:
                assert refused.status == 404
        form = form_of((await editor.get(EDIT))[1])  # the form of the version just saved
        form["text.en.0"] = "Start here: no link any more."
        assert (await editor.post(EDIT, form, csrf=None))[0].status == 303
        async with http.get(app.url + go, allow_redirects=False) as gone:
            assert gone.status == 404  # the saved answer no longer has the link
    async with session_scope(factory) as session:
        clicks = (await session.execute(select(DailyCount.value).where(
            DailyCount.metric == "click", DailyCount.key == "utter_start_business"))).scalars().all()
    assert clicks == [1]


async def test_a_specific_answer_is_edited_with_its_figures_and_link(app, clients, factory, db_url, rasa):
    editor = await _editor(app, clients, factory)
    path = "/console/studio/answers/edit/utter_funding/finnvera_loans"
    async with RunningNlg(app_settings(db_url, rasa.url)) as nlg:
        _, page = await editor.get(path)
        form = form_of(page)
        assert form["checked"] == "2026-11-30" and "{finnvera_guarantee_share}" in form["text.en"]
        form["text.en"] = "Finnvera guarantees up to {finnvera_guarantee_share} of a bank loan."
        form["link_url.en"] = "https://www.finnvera.fi/eng"
        response, _ = await editor.post(path, form, csrf=None)
        assert response.status == 303
        await until_said(nlg, "utter_funding/finnvera_loans", "en", "Finnvera guarantees up to 80%")
        assert "https://www.finnvera.fi/eng" in (await nlg.say("utter_funding/finnvera_loans"))["text"]


async def test_problems_are_explained_in_the_editors_language_and_nothing_is_saved(app, clients, factory):
    editor = await _editor(app, clients, factory, language="fi")
    _, page = await editor.get(EDIT)
    form = form_of(page)
    form["text.sv.0"] = ""
    form["text.en.0"] = "See http://example.com and {vat_treshold}. " + "x" * 1300
    form["button.fi.0.0.payload"] = "/no_such_intent"
    response, body = await editor.post(EDIT, form, csrf=None)
    assert response.status == 422
    for expected in ("Svenska: teksti puuttuu.", "English: linkki http://example.com ei ala https://.",
                     "English: {vat_treshold} ei ole luku", "English: vastauksessa on 1",
                     "Suomi: pikavastauksen aihe /no_such_intent ei ole avustajan tuntema."):
        assert expected in body, expected
    async with session_scope(factory) as session:
        assert (await session.scalars(select(AnswerVersion))).all() == []
    # the live check gives the same problems as JSON
    response, body = await editor.post("/console/studio/answers/check/utter_start_business", form, csrf=None,
                                       headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"})
    codes = {p["code"] for p in json.loads(body)["problems"]}
    assert codes == {"missing_language", "not_https", "unknown_placeholder", "too_long", "unknown_intent",
                     "buttons_differ"}


async def test_history_shows_the_words_changed_and_a_revert_is_a_new_version(app, clients, factory):
    editor = await _editor(app, clients, factory)
    _, page = await editor.get(EDIT)
    form = form_of(page)
    original = form["text.en.0"]
    form["text.en.0"] = original.replace("free of charge", "at no cost")
    assert (await editor.post(EDIT, form, csrf=None))[0].status == 303
    _, history = await editor.get("/console/studio/answers/history/utter_start_business")
    assert "<del>free of charge</del><ins>at no cost</ins>" in history
    assert "Version 2" in history and "From the repository" in history
    response, _ = await editor.post("/console/studio/answers/revert/utter_start_business", {"number": "1"})
    assert response.status == 303 and "answers_reverted" in response.headers["Location"]
    async with session_scope(factory) as session:
        rows = (await session.scalars(select(AnswerVersion).order_by(AnswerVersion.number))).all()
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(r.number, r.source, r.reverted_from) for r in rows] == [(1, "repository", None), (2, "edit", None),
                                                                     (3, "revert", 1)]
    assert rows[2].doc == rows[0].doc and rows[2].actor == "eeva"
    assert [(e.action, e.target, e.actor) for e in entries] == [("answer.save", "utter_start_business", "eeva"),
                                                                ("answer.revert", "utter_start_business", "eeva")]
    assert "at no cost" in entries[0].after and "free of charge" in entries[0].before
    _, page = await editor.get(EDIT)
    assert form_of(page)["text.en.0"] == original


async def test_a_save_over_someone_elses_is_refused_and_an_unchanged_one_writes_nothing(app, clients, factory):
    editor = await _editor(app, clients, factory)
    _, page = await editor.get(EDIT)
    stale = form_of(page)
    response, _ = await editor.post(EDIT, stale, csrf=None)
    assert "msg=answers_unchanged" in response.headers["Location"]
    fresh = dict(stale, **{"text.en.0": "First editor's words."})
    assert (await editor.post(EDIT, fresh, csrf=None))[0].status == 303
    response, body = await editor.post(EDIT, dict(stale, **{"text.en.0": "Second editor's words."}), csrf=None)
    assert response.status == 409 and "Someone saved this answer after you opened it" in body


async def test_the_list_searches_every_language_and_the_page_escapes_what_it_shows(app, clients, factory):
    editor = await _editor(app, clients, factory)
    _, page = await editor.get("/console/studio/answers?q=starttiraha&kind=topic")
    assert 'href="/console/studio/answers/edit/utter_startup_grant"' in page
    assert "utter_startup_grant/" not in page  # specific answers filtered out
    _, page = await editor.get(EDIT)
    form = form_of(page)
    form["text.en.0"] = 'Hello <script>alert("x")</script>'
    assert (await editor.post(EDIT, form, csrf=None))[0].status == 303
    _, page = await editor.get(EDIT)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    _, page = await editor.get("/console/studio/answers?edited=1")
    assert page.count('href="/console/studio/answers/edit/') == 1


async def test_the_list_comes_in_pages_of_fifty_that_keep_the_search(app, clients, factory):
    editor = await _editor(app, clients, factory)
    names = set()
    _, page = await editor.get("/console/studio/answers?kind=specific")
    total = int(re.search(r"(\d+) of \d+ answers", page).group(1))
    pages = -(-total // 50)
    assert total > 100 and f"Page 1 of {pages}" in page and 'rel="prev"' not in page
    for number in range(1, pages + 1):
        _, page = await editor.get(f"/console/studio/answers?kind=specific&page={number}")
        shown = set(re.findall(r'href="/console/studio/answers/edit/(utter_[a-z0-9_/]+)"', page))
        assert len(shown) == (50 if number < pages else total - 50 * (pages - 1))
        assert all("/" in name for name in shown) and not names & shown
        names |= shown
        if number < pages:
            assert f'href="/console/studio/answers?q=&amp;kind=specific&amp;edited=&amp;page={number + 1}" rel="next"' in page
    assert len(names) == total
    for wrong in ("0", "999", "x", "-1"):  # kept within the pages
        assert (await editor.get(f"/console/studio/answers?kind=specific&page={wrong}"))[0].status == 200
