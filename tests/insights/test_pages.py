"""The insights pages on the real web app (SQLite and PostgreSQL): the background job fills the
counters from a generated month; advisers see every page in every language, only admins export."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.insights.pages import PAGES
from bot.insights.store import local_day
from tests.console.support import ConsoleClient, make_adviser
from tests.insights.support import generated_app

TODAY = local_day(datetime.now(timezone.utc))


@pytest.fixture
async def app(db_url, rasa, factory, clean, tmp_path: Path):  # noqa: F811
    async with generated_app(db_url, rasa.url, factory, tmp_path) as running:
        yield running


async def client(app, factory, role: str, language: str = "en") -> ConsoleClient:
    username = f"{role}-{language}"
    await make_adviser(factory, username, role=role, language=language)
    made = ConsoleClient(app.url)
    assert (await made.login(username)).status == 303
    return made


async def test_every_page_in_every_language_shows_tables_and_charts(app, factory):
    for language in ("fi", "sv", "en"):
        adviser = await client(app, factory, "adviser", language)
        try:
            for name in PAGES:
                response, body = await adviser.get(f"/console/insights/{name}")
                assert response.status == 200, (language, name)
                assert "<table" in body and "–" in body or "<table" in body
                assert ".csv" not in body  # advisers do not export
            _, traffic = await adviser.get("/console/insights/traffic")
            assert "<svg" in traffic and 'role="img"' in traffic and "https://www.espoo.fi/" in traffic
        finally:
            await adviser.close()


async def test_filters_change_the_figures(app, factory):
    adviser = await client(app, factory, "adviser")
    try:
        start = TODAY.replace(day=1) if TODAY.day > 1 else TODAY
        _, all_languages = await adviser.get(f"/console/insights/traffic?from={TODAY.isoformat()}&to={TODAY.isoformat()}&by=day")
        _, swedish = await adviser.get("/console/insights/traffic?language=sv&by=week")
        assert 'value="sv" selected' in swedish and 'value="week" selected' in swedish
        assert f'value="{TODAY.isoformat()}"' in all_languages and start
        response, _ = await adviser.get("/console/insights/nowhere")
        assert response.status == 404
    finally:
        await adviser.close()


async def test_admins_download_every_table_as_csv_and_advisers_may_not(app, factory):
    admin = await client(app, factory, "admin")
    adviser = await client(app, factory, "adviser")
    try:
        _, page = await admin.get("/console/insights/handoff?by=week")
        assert "/console/insights/handoff/ratings.csv?" in page
        response, body = await admin.get("/console/insights/handoff/ratings.csv?by=week")
        assert response.status == 200 and response.content_type == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        assert rows[0] == ["Rating", "Count", "Share"] and [r[0] for r in rows[1:]] == ["5", "4", "3", "2", "1"]
        assert sum(int(r[1]) for r in rows[1:]) > 0
        for name, table in (("traffic", "periods"), ("understanding", "intents"), ("lookups", "search_none")):
            response, _ = await admin.get(f"/console/insights/{name}/{table}.csv")
            assert response.status == 200, name
        response, _ = await adviser.get("/console/insights/handoff/ratings.csv")
        assert response.status == 403
        response, _ = await admin.get("/console/insights/handoff/nothing.csv")
        assert response.status == 404
    finally:
        await admin.close()
        await adviser.close()


async def test_anonymous_visitors_are_sent_to_log_in(app):
    anonymous = ConsoleClient(app.url)
    try:
        response, _ = await anonymous.get("/console/insights/traffic")
        assert response.status == 302 and "/console/login" in response.headers["Location"]
    finally:
        await anonymous.close()
