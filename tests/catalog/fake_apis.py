"""A local aiohttp server on loopback that answers like Linked Events, PTV v11 and Työmarkkinatori.

Each API serves records from a list the test controls, pages them the API's own way, and
can be told to fail (`failures[path]`: statuses to answer first, in order) or to be slow
(`delays[path]`: seconds to sleep before the next answers).
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import HELSINKI

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalog"
BASE = datetime(2026, 11, 27, 14, 0, tzinfo=HELSINKI)


def event(index: int, *, name: Optional[Dict[str, str]] = None, days: int = 1, hours: float = 2,
          modified: str = "2026-11-01T10:00:00+00:00", keywords: Optional[List[Dict[str, str]]] = None,
          **extra: Any) -> Dict[str, Any]:
    """A Linked Events event `days` after 27 Nov 2026 14:00."""
    start = BASE + timedelta(days=days)
    record = {
        "id": f"espoo:test{index:04d}", "data_source": "espoo",
        "name": name if name is not None else {"fi": f"Tapahtuma {index}", "en": f"Event {index}"},
        "short_description": {"fi": "Lyhyt kuvaus", "en": "Short description"},
        "start_time": start.isoformat(), "end_time": (start + timedelta(hours=hours)).isoformat(),
        "location": {"@id": "https://api.example/place/tprek:1/", "name": {"fi": "Sello", "sv": "Sello"}},
        "keywords": [{"@id": "https://api.example/keyword/yso:1/", "name": k} for k in keywords or []],
        "offers": [{"is_free": True, "price": None, "info_url": None}],
        "info_url": {"fi": f"https://example.fi/e/{index}"},
        "event_status": "EventScheduled", "last_modified_time": modified,
    }
    record.update(extra)
    return record


def posting(index: int, *, title: Optional[Dict[str, str]] = None, published_days_ago: int = 1,
            deadline_days: Optional[int] = 20, modified: str = "2026-11-01T10:00:00+00:00", **extra: Any) -> Dict[str, Any]:
    """A Työmarkkinatori posting published `published_days_ago` before 27 Nov 2026."""
    titles = title if title is not None else {"fi": f"Työ {index}"}
    published = BASE - timedelta(days=published_days_ago)
    record = {
        "ilmoituksenID": f"00000000-0000-4000-8000-{index:012d}",
        "ilmoittajanNimi": [{"kieliKoodi": "fi", "arvo": "Testi Oy"}],
        "perustiedot": {"tyonOtsikko": [{"kieliKoodi": k, "arvo": v} for k, v in titles.items()],
                        "tyonKuvaus": [{"kieliKoodi": "fi", "arvo": "Kuvaus."}], "tyoAika": "01"},
        "sijainti": {"toimipaikka": {"postinumero": "02100", "postitoimipaikka": "Espoo"}, "kunta": ["049"]},
        "hakeminen": {"hakuaikaPaattyy": (BASE + timedelta(days=deadline_days)).isoformat() if deadline_days is not None else None,
                      "hakemuksenUrl": f"https://example.fi/job/{index}"},
        "julkaisupvm": published.isoformat(), "muokattupvm": modified,
    }
    record.update(extra)
    return record


@dataclass
class FakeApis:
    """State of the fake APIs; `requests` logs (path, query) of every request."""

    events: List[Dict[str, Any]] = field(default_factory=list)
    postings: List[Dict[str, Any]] = field(default_factory=list)
    services: List[Dict[str, Any]] = field(default_factory=list)
    failures: Dict[str, List[int]] = field(default_factory=dict)
    delays: Dict[str, List[float]] = field(default_factory=dict)
    requests: List[tuple] = field(default_factory=list)
    page_size: int = 10

    async def _gate(self, request: web.Request) -> Optional[web.Response]:
        key = request.path + ("?page=" + request.query["page"] if "page" in request.query else "") + (
            "?sivu=" + request.query["sivu"] if "sivu" in request.query else "")
        self.requests.append((request.path, dict(request.query)))
        delays = self.delays.get(key) or self.delays.get(request.path)
        if delays:
            await asyncio.sleep(delays.pop(0))
        failures = self.failures.get(key) or self.failures.get(request.path)
        if failures:
            status = failures.pop(0)
            return web.Response(status=status, text="try again", headers={"Retry-After": "0"} if status == 429 else {})
        return None

    async def linked_events(self, request: web.Request) -> web.Response:
        failed = await self._gate(request)
        if failed is not None:
            return failed
        items = self.events
        since = request.query.get("last_modified_since")
        if since:
            items = [e for e in items if datetime.fromisoformat(e["last_modified_time"]) > datetime.fromisoformat(since)]
        size = int(request.query.get("page_size", self.page_size))
        page = int(request.query.get("page", 1))
        chunk = items[(page - 1) * size: page * size]
        more = page * size < len(items)
        query = dict(request.query, page=str(page + 1))
        next_url = f"http://{request.host}{request.path}?{urlencode(query)}" if more else None
        return web.json_response({"meta": {"count": len(items), "next": next_url, "previous": None}, "data": chunk})

    async def jobs(self, request: web.Request) -> web.Response:
        failed = await self._gate(request)
        if failed is not None:
            return failed
        page, size = int(request.query["sivu"]), int(request.query["maara"])
        chunk = self.postings[page * size: (page + 1) * size]
        return web.json_response({"ilmoituksienMaara": len(self.postings), "ilmoitukset": chunk,
                                  "sivutus": {"sivu": page, "maara": size}})

    async def ptv_guids(self, request: web.Request) -> web.Response:
        failed = await self._gate(request)
        if failed is not None:
            return failed
        page = int(request.query.get("page", 1))
        size = 2
        chunk = self.services[(page - 1) * size: page * size]
        count = max(1, -(-len(self.services) // size))
        return web.json_response({"pageNumber": page, "pageSize": size, "pageCount": count,
                                  "itemList": [{"id": s["id"], "name": "x"} for s in chunk]})

    async def ptv_details(self, request: web.Request) -> web.Response:
        failed = await self._gate(request)
        if failed is not None:
            return failed
        wanted = request.query["guids"].split(",")
        return web.json_response([s for s in self.services if s["id"] in wanted])

    async def ptv_channels(self, request: web.Request) -> web.Response:
        failed = await self._gate(request)
        if failed is not None:
            return failed
        document = json.loads((FIXTURES / "ptv_channels.json").read_text(encoding="utf-8"))
        return web.json_response(document)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/linkedevents/v1/event/", self.linked_events)
        app.router.add_get("/tmt/jobpostings", self.jobs)
        app.router.add_get("/ptv/api/v11/Service", self.ptv_guids)
        app.router.add_get("/ptv/api/v11/Service/list", self.ptv_details)
        app.router.add_get("/ptv/api/v11/ServiceChannel/list/organization", self.ptv_channels)
        return app


async def start(apis: FakeApis) -> TestServer:
    """The fake APIs served on 127.0.0.1 (a free port)."""
    server = TestServer(apis.app(), host="127.0.0.1")
    await server.start_server()
    return server
