"""Catalogue results written as chat lines in fi, sv and en."""
from __future__ import annotations

from typing import Dict, Optional

from bot.catalog.hits import EventHit, OfferHit, ServiceHit
from bot.formatting import format_date, format_event_time

LABELS: Dict[str, Dict[str, str]] = {
    "fi": {"open": "avoinna nyt", "closed": "suljettu nyt", "free": "maksuton",
           "apply_by": "Haku päättyy", "criteria": " haulla ”{query}”"},
    "sv": {"open": "öppet nu", "closed": "stängt nu", "free": "avgiftsfritt",
           "apply_by": "Ansök senast", "criteria": " för ”{query}”"},
    "en": {"open": "open now", "closed": "closed now", "free": "free",
           "apply_by": "Apply by", "criteria": " for “{query}”"},
}
MAX_QUERY_CHARS = 60


def _labels(language: str) -> Dict[str, str]:
    return LABELS.get(language, LABELS["fi"])


def _join(*parts: Optional[str]) -> str:
    return " – ".join(p for p in parts if p)


def service_line(hit: ServiceHit, language: str) -> str:
    """'• Name – Provider' then the summary and the link with whether it is open now."""
    labels = _labels(language)
    lines = [f"• {_join(hit.name, hit.provider)}"]
    if hit.summary:
        lines.append(f"  {hit.summary}")
    status = {True: labels["open"], False: labels["closed"]}.get(hit.open_now)  # type: ignore[arg-type]
    tail = " ".join(p for p in (hit.url, f"({status})" if status else None) if p)
    if tail:
        lines.append(f"  {tail}")
    return "\n".join(lines)


def event_line(hit: EventHit, language: str) -> str:
    """'• ti 15.6. klo 14.00–16.00: Name – Place' then the link."""
    labels = _labels(language)
    when = format_event_time(hit.start, hit.end, language)
    price = labels["free"] if hit.is_free else hit.price
    lines = [f"• {when}: {_join(hit.name, hit.location, price)}"]
    if hit.url:
        lines.append(f"  {hit.url}")
    return "\n".join(lines)


def offer_line(hit: OfferHit, language: str) -> str:
    """'• Title – Employer, Espoo' then the deadline and the link."""
    labels = _labels(language)
    where = ", ".join(p for p in (hit.employer, hit.municipality) if p)
    lines = [f"• {_join(hit.title, where)}"]
    tail = []
    if hit.deadline:
        tail.append(f"{labels['apply_by']} {format_date(hit.deadline.date(), language)}.")
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
    return _labels(language)["criteria"].format(query=query)
