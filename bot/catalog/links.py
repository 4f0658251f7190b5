"""Links of catalogue results: a result's own page, or the catalogue's general page said so.

Only https links are shown. A record's own page is its source's link (Linked Events
`info_url`, a posting's application URL) or, failing that, the page its publisher shows it on
(an event of Espoo's Linked Events on espoo.fi, a Työmarkkinatori posting on
tyomarkkinatori.fi). A link that is only a catalogue's general page (the events calendar, the
vacancy search) is not a result's own page: the answer then names that page as what it is.
"""
from __future__ import annotations

from typing import Dict, Mapping, Optional
from urllib.parse import quote, urlsplit

KIND_EVENTS = "events"
KIND_OFFERS = "offers"

# The general page of each catalogue, per language.
GENERAL_PAGES: Dict[str, Dict[str, str]] = {
    KIND_EVENTS: {
        "fi": "https://www.espoo.fi/fi/tapahtumat",
        "sv": "https://www.espoo.fi/sv/evenemang",
        "en": "https://www.espoo.fi/en/events",
    },
    KIND_OFFERS: {
        "fi": "https://tyomarkkinatori.fi/henkiloasiakkaat/avoimet-tyopaikat",
        "sv": "https://tyomarkkinatori.fi/sv/privatkunder/lediga-jobb",
        "en": "https://tyomarkkinatori.fi/en/personal-customers/vacancies",
    },
}
# Espoo's calendar shows every event of Espoo's own Linked Events (api.espoo.fi/events/v1,
# ids "espooevents:...") on a page of its own.
ESPOO_EVENT_SOURCES = ("espooevents",)
ESPOO_EVENT_PAGES = {language: page + "/{id}" for language, page in GENERAL_PAGES[KIND_EVENTS].items()}
POSTING_PAGE = "https://tyomarkkinatori.fi/henkiloasiakkaat/avoimet-tyopaikat/{id}"


def https_url(value: object) -> Optional[str]:
    """`value` when it is an absolute https URL with a host (no spaces, no user name), else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or "@" in parts.netloc:
        return None
    return url


def https_texts(texts: Mapping[str, object]) -> Dict[str, str]:
    """The https URLs of a {language: URL} mapping; the others are dropped."""
    found = {language: https_url(url) for language, url in texts.items()}
    return {language: url for language, url in found.items() if url}


def _normal(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower()


_GENERAL = frozenset(_normal(url) for pages in GENERAL_PAGES.values() for url in pages.values()) | frozenset(
    _normal(url) for url in ("https://www.espoo.fi", "https://tyomarkkinatori.fi", "https://www.businessespoo.fi",
                             "https://www.espoo.fi/fi", "https://www.espoo.fi/sv", "https://www.espoo.fi/en",
                             "https://tyomarkkinatori.fi/en", "https://tyomarkkinatori.fi/sv"))


def own_page(url: Optional[str]) -> Optional[str]:
    """`url` when it is an https page of one result, None for none, http or a general page."""
    found = https_url(url)
    if found is None or _normal(found) in _GENERAL or urlsplit(found).query.startswith("q="):
        return None
    return found


def general_page(kind: str, language: str) -> str:
    """The catalogue's general page (events calendar, vacancy search) in `language`."""
    pages = GENERAL_PAGES[kind]
    return pages.get(language) or pages["fi"]


def espoo_event_pages(external_id: str) -> Dict[str, str]:
    """An event's own pages on espoo.fi when it comes from Espoo's Linked Events, else {}."""
    source, _, local = external_id.partition(":")
    if source not in ESPOO_EVENT_SOURCES or not local:
        return {}
    quoted = quote(external_id, safe="")
    return {language: page.format(id=quoted) for language, page in ESPOO_EVENT_PAGES.items()}


def posting_page(external_id: str) -> str:
    """A Työmarkkinatori posting's own page."""
    return POSTING_PAGE.format(id=quote(external_id, safe=""))


def localised_page(url: str, language: str) -> str:
    """A Työmarkkinatori posting's page in `language` (its site has one per language); other URLs as they are."""
    prefix = POSTING_PAGE.partition("{id}")[0]
    if not url.startswith(prefix) or language == "fi":
        return url
    return general_page(KIND_OFFERS, language) + "/" + url[len(prefix):]
