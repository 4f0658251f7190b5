"""The words a look-up message uses around what it asks for, and the label of a date range.

GENERIC words say that the user looks for jobs or events at all ("töitä", "lediga jobb",
"tapahtumia", "branschen"): they are neither a topic nor a free word. `when_label` names a
date range as the answer's "searched for" line does: "joulukuu", "vecka 50", "Fri 4 Dec".
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Dict, Optional, Tuple

from bot.catalog.dates import MONTHS
from bot.catalog.search import STOPWORDS, fold, term_key
from bot.config import HELSINKI
from bot.formatting import format_day

GENERIC = frozenset(fold(w) for w in (
    # jobs
    "job jobs jobb jobbet work vacancy vacancies opening openings position positions career careers hiring "
    "työ työt töitä työtä työpaikka työpaikat työpaikkoja työpaikkaa työpaikkoja paikka paikat paikkoja "
    "avoin avoimet avoimia avoimista duuni duunia duuneja homma hommia rekry haku haussa tarjolla "
    "ledig lediga ledigt tjänst tjänster tjänsterna platser plats arbete arbeten anställning "
    # sectors as such
    "ala alan alalla alalta alat aloilla bransch branschen branscher sektor sektorn industry sector field "
    # events
    "event events happening happenings meetup meetups tapahtuma tapahtumat tapahtumia tapahtumaa tapahtumiin "
    "tapahtumista tilaisuus tilaisuudet tilaisuuksia tilaisuuksista evenemang evenemanget evenemangen "
    "träff träffar program ohjelma ohjelmaa "
    # business as such, and chat
    "yritys yritykset yrityksille yritysten business businesses company companies företag företagen "
    "firma firmat onks onko löytyykö löytyisikö olisiko ois mitäs mitä mikä millaisia millaista "
    "minkälaisia vilka vilket finns fanns inom kring nära near around close going coming upcoming tulevia "
    "tulevat tuleva tulossa lähiaikoina pian järjestetään järjestettävät kommande framöver ordnas arrangeras snart här händer hända sker gång happening happens what's whats up soon ahead coming espoolaisia espoolaisille lähellä lähistöllä kiinnostaa kiinnostaisi "
    "etsiä etsii hakea hakee haen söka söker letar looking find finding get got have has there's there is "
    "listaa lista list näytä visa show tell kerro berätta jotain nåt något any anything some pls please "
    "som as kiitos tack thanks jos om if sellaisia sådana such hi hei moi hej also myös också"
).split())

LINKING: Dict[str, Tuple[str, ...]] = {"fi": ("",), "sv": ("", "s"), "en": ("",)}

_WEEK = {"fi": "viikko {n}", "sv": "vecka {n}", "en": "week {n}"}
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


@lru_cache(maxsize=None)
def generic_keys(language: str) -> frozenset:
    """The search keys of the GENERIC words in `language` ("företags" and "företag" share one)."""
    return frozenset(term_key(word, language) for word in GENERIC)


def is_generic(word: str) -> bool:
    """Whether a folded word only frames the request (a stop word, a job or event word)."""
    return (len(word) < 2 or word in GENERIC or any(word in stop for stop in STOPWORDS.values())
            or word.isdigit())


def _month_name(month: int, language: str) -> str:
    return _EN_MONTHS[month - 1] if language == "en" else MONTHS[language][month - 1]


def when_label(found: Optional[Tuple[datetime, datetime]], language: str) -> str:
    """A date range [start, end) as the answer names it: a month, a week, a day or "1.–7.12."."""
    if not found:
        return ""
    first = found[0].astimezone(HELSINKI).date()
    last = (found[1].astimezone(HELSINKI) - timedelta(seconds=1)).date()
    following = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    if first.month == last.month and first.year == last.year and last + timedelta(days=1) == following:
        return _month_name(first.month, language)
    if first == last:
        return format_day(datetime.combine(first, datetime.min.time()), language)
    if first.weekday() == 0 and (last - first).days == 6:
        return _WEEK.get(language, _WEEK["fi"]).format(n=first.isocalendar()[1])
    if language == "en":
        return f"{format_day(datetime.combine(first, datetime.min.time()), language)} – " \
               f"{format_day(datetime.combine(last, datetime.min.time()), language)}"
    return f"{first.day}.{first.month}.–{last.day}.{last.month}."
