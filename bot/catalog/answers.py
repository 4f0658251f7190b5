"""Catalogue results written as chat lines in fi, sv and en."""
from __future__ import annotations

from typing import Callable, Dict, Optional, Sequence, Union

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


def link_line(url: Optional[str], language: str) -> Optional[str]:
    """'  https://…' of the result's own page; None when it has none (see results_text)."""
    own = links.own_page(url)
    return f"  {links.localised_page(own, language)}" if own else None


def general_page_line(kind: str, language: str) -> str:
    """The catalogue's general page, labelled, for the results that have no page of their own."""
    return f"{locale.text(language, f'catalog.no_page_{kind}')}: {links.general_page(kind, language)}"


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
    return "\n".join(p for p in (f"• {when}: {_join(name, hit.location, price)}", link_line(hit.url, language)) if p)


def offer_line(hit: OfferHit, language: str) -> str:
    """'• Title – Employer, Espoo', the deadline, then the offer's own page (or the vacancy search's)."""
    where = ", ".join(p for p in (hit.employer, hit.municipality) if p)
    lines = [f"• {_join(titled(hit.title, hit.language, language), where)}"]
    if hit.deadline:
        lines.append(f"  {locale.text(language, 'catalog.apply_by')} {format_date(hit.deadline.date(), language)}.")
    own = link_line(hit.url, language)
    if own:
        lines.append(own)
    return "\n".join(lines)


Hit = Union[ServiceHit, EventHit, OfferHit]
LINES: Dict[str, Callable[..., str]] = {"services": service_line, "events": event_line, "offers": offer_line}
GENERAL_PAGE_KINDS = {"events": links.KIND_EVENTS, "offers": links.KIND_OFFERS}


def results_text(kind: str, hits: Sequence[Hit], language: str) -> str:
    """The lines of one page of results; when some have no page of their own, the catalogue's
    general page once at the end (not after each of them)."""
    lines = [LINES[kind](hit, language) for hit in hits]
    if kind in GENERAL_PAGE_KINDS and any(links.own_page(hit.url) is None for hit in hits):
        lines.append(general_page_line(GENERAL_PAGE_KINDS[kind], language))
    return "\n".join(lines)


def _short(query: str) -> str:
    query = " ".join(query.split())
    if not query or query.startswith("/"):
        return ""
    return query if len(query) <= MAX_QUERY_CHARS else query[: MAX_QUERY_CHARS - 1] + "…"


def criteria(query: str, language: str) -> str:
    """' (haettu: ravintola-ala, Espoo)' etc. for a 'nothing found' answer; '' without a query.

    `query` is what was searched for as the look-up understood it (LookupQuery.label), or
    the words of a plain text search."""
    query = _short(query)
    return locale.text(language, "catalog.criteria", query=query) if query else ""


def searched(query: str, language: str) -> str:
    """'Haettu: ravintola-ala, Espoo, joulukuu' above the results; '' without a query."""
    query = _short(query)
    return locale.text(language, "catalog.searched", query=query) if query else ""
