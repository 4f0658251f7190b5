"""Catalogue results written as chat lines in fi, sv and en."""
from __future__ import annotations

from typing import Optional

from bot import locale
from bot.catalog.hits import EventHit, OfferHit, ServiceHit
from bot.formatting import format_date, format_event_time

MAX_QUERY_CHARS = 60


def _join(*parts: Optional[str]) -> str:
    return " – ".join(p for p in parts if p)


def service_line(hit: ServiceHit, language: str) -> str:
    """'• Name – Provider' then the summary and the link with whether it is open now."""
    lines = [f"• {_join(hit.name, hit.provider)}"]
    if hit.summary:
        lines.append(f"  {hit.summary}")
    status = None
    if hit.open_now is not None:
        status = locale.text(language, "catalog.open" if hit.open_now else "catalog.closed")
    tail = " ".join(p for p in (hit.url, f"({status})" if status else None) if p)
    if tail:
        lines.append(f"  {tail}")
    return "\n".join(lines)


def event_line(hit: EventHit, language: str) -> str:
    """'• ti 15.6. klo 14.00–16.00: Name – Place' then the link."""
    when = format_event_time(hit.start, hit.end, language)
    price = locale.text(language, "catalog.free") if hit.is_free else hit.price
    lines = [f"• {when}: {_join(hit.name, hit.location, price)}"]
    if hit.url:
        lines.append(f"  {hit.url}")
    return "\n".join(lines)


def offer_line(hit: OfferHit, language: str) -> str:
    """'• Title – Employer, Espoo' then the deadline and the link."""
    where = ", ".join(p for p in (hit.employer, hit.municipality) if p)
    lines = [f"• {_join(hit.title, where)}"]
    tail = []
    if hit.deadline:
        tail.append(f"{locale.text(language, 'catalog.apply_by')} {format_date(hit.deadline.date(), language)}.")
    if hit.url:
        tail.append(hit.url)
    if tail:
        lines.append("  " + " ".join(tail))
    return "\n".join(lines)


def criteria(query: str, language: str) -> str:
    """' haulla ”…”' etc. for a 'nothing found' answer; '' without a query."""
    query = " ".join(query.split())
    if not query or query.startswith("/"):
        return ""
    if len(query) > MAX_QUERY_CHARS:
        query = query[: MAX_QUERY_CHARS - 1] + "…"
    return locale.text(language, "catalog.criteria", query=query)
