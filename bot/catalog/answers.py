"""Catalogue results written as chat lines in fi, sv and en."""
from __future__ import annotations

from typing import Optional

from bot import locale
from bot.catalog import links
from bot.catalog.hits import EventHit, OfferHit, ServiceHit
from bot.formatting import format_date, format_event_time

MAX_QUERY_CHARS = 60


def _join(*parts: Optional[str]) -> str:
    return " – ".join(p for p in parts if p)


def titled(title: str, hit_language: str, language: str) -> str:
    """`title`, marked "(in Finnish)" etc. in `language` when it is in another language."""
    if hit_language == language or hit_language not in ("fi", "sv", "en"):
        return title
    return f"{title} {locale.text(language, f'catalog.in_{hit_language}')}"


def link_line(url: Optional[str], kind: str, language: str) -> str:
    """'  https://…' of the result's own page, else the catalogue's general page, labelled as such."""
    own = links.own_page(url)
    if own:
        return f"  {links.localised_page(own, language)}"
    label = locale.text(language, f"catalog.no_page_{kind}")
    return f"  {label}: {links.general_page(kind, language)}"


def service_line(hit: ServiceHit, language: str) -> str:
    """'• Name – Provider' then the summary and the link with whether it is open now."""
    lines = [f"• {_join(titled(hit.name, hit.language, language), hit.provider)}"]
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
    """'• ti 15.6. klo 14.00–16.00: Name – Place' then the event's own page (or the calendar's)."""
    when = format_event_time(hit.start, hit.end, language)
    price = locale.text(language, "catalog.free") if hit.is_free else hit.price
    name = titled(hit.name, hit.language, language)
    return f"• {when}: {_join(name, hit.location, price)}\n{link_line(hit.url, links.KIND_EVENTS, language)}"


def offer_line(hit: OfferHit, language: str) -> str:
    """'• Title – Employer, Espoo', the deadline, then the offer's own page (or the vacancy search's)."""
    where = ", ".join(p for p in (hit.employer, hit.municipality) if p)
    lines = [f"• {_join(titled(hit.title, hit.language, language), where)}"]
    if hit.deadline:
        lines.append(f"  {locale.text(language, 'catalog.apply_by')} {format_date(hit.deadline.date(), language)}.")
    lines.append(link_line(hit.url, links.KIND_OFFERS, language))
    return "\n".join(lines)


def criteria(query: str, language: str) -> str:
    """' haulla ”…”' etc. for a 'nothing found' answer; '' without a query."""
    query = " ".join(query.split())
    if not query or query.startswith("/"):
        return ""
    if len(query) > MAX_QUERY_CHARS:
        query = query[: MAX_QUERY_CHARS - 1] + "…"
    return locale.text(language, "catalog.criteria", query=query)
