"""The sample business events of data/catalog/linked_events.json (written by bot/catalog/sample_data.py).

A plausible season of Business Espoo events from December 2026 to April 2027: each series
at its own time of day (morning coffee in the morning, the Christmas meetup in mid-December,
pitch evenings in the evening), on working days that are not public holidays, recurring under
the same name rather than as numbered clones. Samples are invented and have no page of their
own: the answer names Espoo's events calendar once.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from bot.config import HELSINKI

SAMPLE_REFERENCE_DATE = date(2026, 11, 30)
API = "https://api.espoo.fi/events/v1"  # Espoo's own Linked Events instance
# Finnish public holidays of the season: no business event falls on one.
HOLIDAYS = frozenset(date.fromisoformat(d) for d in (
    "2026-12-06", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31", "2027-01-01", "2027-01-06",
    "2027-03-26", "2027-03-28", "2027-03-29", "2027-05-01"))

# (name, street address, postal code) per language; the last is online.
PLACES = [
    ({"fi": "A Grid", "sv": "A Grid", "en": "A Grid"}, {"fi": "Otaniementie 14, Espoo", "sv": "Otnäsvägen 14, Esbo"}, "02150"),
    ({"fi": "Dipoli", "sv": "Dipoli", "en": "Dipoli"}, {"fi": "Otakaari 24, Espoo", "sv": "Otsvängen 24, Esbo"}, "02150"),
    ({"fi": "Espoon kulttuurikeskus", "sv": "Esbo kulturcentrum", "en": "Espoo Cultural Centre"},
     {"fi": "Kulttuuriaukio 2, Espoo", "sv": "Kulturtorget 2, Esbo"}, "02100"),
    ({"fi": "Sellosali", "sv": "Sellosalen", "en": "Sellosali"},
     {"fi": "Soittoniekanaukio 1 A, Espoo", "sv": "Spelmansplan 1 A, Esbo"}, "02600"),
    ({"fi": "Ison Omenan kirjasto", "sv": "Iso Omena bibliotek", "en": "Iso Omena Library"},
     {"fi": "Piispansilta 11, Espoo", "sv": "Biskopsbron 11, Esbo"}, "02230"),
    ({"fi": "Entressen kirjasto", "sv": "Entresse bibliotek", "en": "Entresse Library"},
     {"fi": "Siltakatu 11, Espoo", "sv": "Brogatan 11, Esbo"}, "02770"),
    ({"fi": "Verkossa (Teams)", "sv": "Online (Teams)", "en": "Online (Teams)"}, {}, None),
]
ONLINE = len(PLACES) - 1

KEYWORDS = {
    "networking": ("yso:p8471", {"fi": "verkostoituminen", "sv": "nätverkande", "en": "networking"}),
    "funding": ("yso:p10183", {"fi": "rahoitus", "sv": "finansiering", "en": "funding"}),
    "recruitment": ("yso:p8317", {"fi": "rekrytointi", "sv": "rekrytering", "en": "recruitment"}),
    "export": ("yso:p4913", {"fi": "vienti", "sv": "export", "en": "export"}),
    "sustainability": ("yso:p8470", {"fi": "kestävä kehitys", "sv": "hållbar utveckling", "en": "sustainability"}),
    "entrepreneurship": ("yso:p1284", {"fi": "yrittäjyys", "sv": "företagande", "en": "entrepreneurship"}),
    "startups": ("yso:p27303", {"fi": "startup-yritykset", "sv": "startupföretag", "en": "startups"}),
    "ai": ("yso:p2616", {"fi": "tekoäly", "sv": "artificiell intelligens", "en": "artificial intelligence"}),
    "culture": ("yso:p360", {"fi": "kulttuuritapahtumat", "sv": "kulturevenemang", "en": "cultural events"}),
    "training": ("yso:p2630", {"fi": "koulutus", "sv": "utbildning", "en": "training"}),
}


class Series(NamedTuple):
    """One event series: names and summaries by language, topics, time of day, places and dates."""

    name: Dict[str, str]
    summary: Dict[str, str]
    topics: Tuple[str, ...]
    starts: time
    hours: float
    places: Tuple[int, ...]
    dates: Tuple[str, ...]
    free: bool = True


def _t(fi: str, sv: Optional[str], en: Optional[str]) -> Dict[str, str]:
    return {k: v for k, v in (("fi", fi), ("sv", sv), ("en", en)) if v}


SERIES: List[Series] = [
    Series(_t("Yrittäjien aamukahvit", "Företagarnas morgonkaffe", "Entrepreneurs' morning coffee"),
           _t("Tapaa muita espoolaisia yrittäjiä ja Business Espoon neuvojia aamukahvin äärellä.",
              "Träffa andra företagare i Esbo och rådgivare från Business Espoo över en kopp morgonkaffe.",
              "Meet other Espoo entrepreneurs and Business Espoo advisers over morning coffee."),
           ("networking", "entrepreneurship"), time(8, 30), 1.5, (4, 3, 5, 2, 4),
           ("2026-12-03", "2027-01-07", "2027-02-04", "2027-03-04", "2027-04-08")),
    Series(_t("Rahoitusinfo kasvuyrityksille", "Finansieringsinfo för tillväxtföretag", "Funding info for growth companies"),
           _t("Business Finland, Finnvera ja elinvoimakeskus kertovat rahoitusmahdollisuuksista.",
              "Business Finland, Finnvera och livskraftscentralen berättar om finansieringsmöjligheterna.",
              "Business Finland, Finnvera and the regional Vitality Centre present funding options."),
           ("funding", "startups"), time(13), 2, (1, ONLINE, 1), ("2026-12-09", "2027-02-10", "2027-04-14")),
    Series(_t("Rekrytointitapahtuma: osaajat ja yritykset", "Rekryteringsevenemang: experter och företag",
              "Recruitment fair: talent meets companies"),
           _t("Espoolaiset yritykset esittäytyvät ja haastattelevat työnhakijoita paikan päällä.",
              "Företag i Esbo presenterar sig och intervjuar arbetssökande på plats.",
              "Espoo companies present themselves and interview job seekers on site."),
           ("recruitment", "networking"), time(10), 5, (3, 2), ("2027-01-27", "2027-03-17")),
    Series(_t("Vientiklinikka: ensimmäiset askeleet kansainvälisille markkinoille", None,
              "Export clinic: first steps to international markets"),
           _t("Asiantuntijat auttavat vientisuunnitelman laatimisessa.", None, "Experts help you draft your export plan."),
           ("export", "training"), time(9), 2, (0, ONLINE, 0), ("2026-12-15", "2027-01-19", "2027-03-09")),
    Series(_t("Kestävä liiketoiminta pk-yrityksissä", "Hållbar affärsverksamhet i små och medelstora företag",
              "Sustainable business in SMEs"),
           _t("Käytännön keinoja hiilijalanjäljen pienentämiseen ja kiertotalouteen.",
              "Praktiska sätt att minska koldioxidavtrycket och gå över till cirkulär ekonomi.",
              "Practical ways to cut the carbon footprint and move to a circular economy."),
           ("sustainability", "training"), time(13), 3, (5, 2), ("2027-01-21", "2027-04-20")),
    Series(_t("Startup-ilta: pitchaa ideasi", "Startupkväll: pitcha din idé", "Startup evening: pitch your idea"),
           _t("Kolmen minuutin pitchit sijoittajille ja mentoreille.", "Tre minuters pitchar för investerare och mentorer.",
              "Three-minute pitches to investors and mentors."),
           ("startups", "networking", "funding"), time(17), 3, (0, 1, 0), ("2026-12-10", "2027-02-18", "2027-04-15")),
    Series(_t("Tekoäly pienyrityksen arjessa", None, "AI in a small business's everyday work"),
           _t("Miten tekoälytyökalut säästävät aikaa myynnissä ja asiakaspalvelussa.", None,
              "How AI tools save time in sales and customer service."),
           ("ai", "training"), time(9), 2.5, (4, ONLINE, 3), ("2026-12-08", "2027-01-26", "2027-03-23")),
    Series(_t("Aloittavan yrittäjän starttipaja", "Startverkstad för nya företagare", "Workshop for new entrepreneurs"),
           _t("Yrityksen perustaminen, liiketoimintasuunnitelma ja starttiraha.",
              "Att starta företag, affärsplanen och startpengen.", "Starting a company, the business plan and the start-up grant."),
           ("entrepreneurship", "training"), time(9), 6, (5, 4, 3, 5, 4),
           ("2026-12-02", "2027-01-13", "2027-02-09", "2027-03-10", "2027-04-13")),
    Series(_t("Kansainvälisten osaajien rekrytointi", "Att rekrytera internationella talanger", "Recruiting international talent"),
           _t("Työlupa, perehdytys ja Talent Boost -palvelut työnantajille.",
              "Arbetstillstånd, introduktion och Talent Boost-tjänster för arbetsgivare.",
              "Work permits, onboarding and Talent Boost services for employers."),
           ("recruitment", "export"), time(13), 2, (1, ONLINE), ("2027-01-14", "2027-03-11")),
    Series(_t("Vastuullisuusraportointi tutuksi", None, "Getting started with sustainability reporting"),
           _t("Mitä kestävyysraportointi tarkoittaa alihankkijana toimivalle yritykselle.", None,
              "What sustainability reporting means for a company that is a subcontractor."),
           ("sustainability",), time(9), 2, (ONLINE, ONLINE), ("2026-12-16", "2027-02-23")),
    Series(_t("Espoon yritysverkoston joulutapaaminen", "Esbo företagsnätverks julträff", "Espoo business network Christmas meetup"),
           _t("Vapaamuotoinen verkostoitumisilta yrittäjille ja kumppaneille ennen joulua.",
              "En informell nätverkskväll för företagare och partner före jul.",
              "An informal networking evening for entrepreneurs and partners before Christmas."),
           ("networking",), time(17), 3, (2,), ("2026-12-17",)),
    Series(_t("Kasvurahoitus ja sijoittajat", None, "Growth funding and investors"),
           _t("Enkelisijoittajat ja pääomasijoittajat kertovat, mitä he etsivät.", None,
              "Angel and venture investors tell what they look for."),
           ("funding", "startups"), time(15), 2, (0, 1), ("2027-01-20", "2027-03-24"), free=False),
    Series(_t("Kuvataidenäyttely: Espoon valo", "Konstutställning: Esbos ljus", "Art exhibition: The light of Espoo"),
           _t("Espoolaisten taiteilijoiden näyttely kulttuurikeskuksessa.", "En utställning med konstnärer från Esbo i kulturcentrum.",
              "An exhibition of Espoo artists at the Cultural Centre."),
           ("culture",), time(10), 8, (2,), ("2026-11-20",)),
    Series(_t("Digimarkkinoinnin perusteet", "Grunderna i digital marknadsföring", "Digital marketing basics"),
           _t("Somemainonta, hakukoneoptimointi ja verkkokaupan markkinointi.",
              "Annonsering i sociala medier, sökmotoroptimering och marknadsföring av webbutiken.",
              "Social media ads, search engine optimisation and marketing an online shop."),
           ("training", "entrepreneurship"), time(9), 3, (3, ONLINE, 5), ("2026-12-11", "2027-02-12", "2027-04-09")),
    Series(_t("Vientiverkosto Aasiaan", None, "Export network for Asia"),
           _t("Kokemuksia Japanin, Korean ja Singaporen markkinoilta.", None,
              "Experiences from the Japanese, Korean and Singaporean markets."),
           ("export", "networking"), time(15), 2, (1, 0), ("2027-01-28", "2027-03-18"), free=False),
]
EXHIBITION_DAYS = 51  # the exhibition runs from 20 November to 10 January


def _location(index: int) -> Dict[str, Any]:
    name, street, postcode = PLACES[index]
    place: Dict[str, Any] = {"@id": f"{API}/place/sample:{index}/", "id": f"sample:{index}", "name": name}
    if street:
        place.update(street_address=street, postal_code=postcode, address_locality={"fi": "Espoo", "sv": "Esbo"})
    return place


def _event(series: Series, number: int, day: date, place: int, serial: int) -> Dict[str, Any]:
    start = datetime.combine(day, series.starts, HELSINKI)
    end = start + timedelta(hours=series.hours)
    if "culture" in series.topics:
        end = datetime.combine(day + timedelta(days=EXHIBITION_DAYS), time(18), HELSINKI)
    slug = f"sample-event-{serial:03d}"
    return {
        "id": f"sample:{slug}", "data_source": "sample", "publisher": "sample:business-espoo",
        "name": dict(series.name), "short_description": dict(series.summary),
        "description": {k: f"<p>{v}</p>" for k, v in series.summary.items()},
        "start_time": start.isoformat(), "end_time": end.isoformat(), "location": _location(place),
        "keywords": [{"@id": f"{API}/keyword/{KEYWORDS[t][0]}/", "id": KEYWORDS[t][0], "name": KEYWORDS[t][1]}
                     for t in series.topics],
        "offers": [{"is_free": series.free, "price": None if series.free else {"fi": "20 €", "sv": "20 €", "en": "€20"},
                    "info_url": None, "description": None}],
        # Samples are invented: no page of their own (see bot/catalog/links.py).
        "info_url": None, "event_status": "EventScheduled",
        "last_modified_time": datetime.combine(SAMPLE_REFERENCE_DATE, time(9), HELSINKI).isoformat(),
        "@id": f"{API}/event/sample:{slug}/", "super_event": None,
    }


def sample_events() -> List[Dict[str, Any]]:
    """Every sample event, in start order."""
    found = []
    for number, series in enumerate(SERIES):
        for position, text in enumerate(series.dates):
            day = date.fromisoformat(text)
            found.append((day, series, number, series.places[position % len(series.places)]))
    found.sort(key=lambda item: (item[0], item[1].starts, item[2]))
    return [_event(series, number, day, place, serial + 1) for serial, (day, series, number, place) in enumerate(found)]


def events_document() -> Dict[str, Any]:
    """The Linked Events page of the sample events."""
    data = sample_events()
    return {"meta": {"count": len(data), "next": None, "previous": None,
                     "sample_reference_date": SAMPLE_REFERENCE_DATE.isoformat()}, "data": data}
