"""Writes the sample events and recruitment offers of data/catalog/ (deterministic, seeded).

`python -m bot.catalog.sample_data` rewrites data/catalog/linked_events.json (60 events in the
Linked Events shape) and data/catalog/tyomarkkinatori.json (80 postings in the
Työmarkkinatori shape), dated from SAMPLE_REFERENCE_DATE; the loader moves the dates to the
load day (bot/catalog/samples.py). Every record is marked as a sample in its source field.
Employers are invented names: sample postings must not pass for real vacancies of real
companies.
"""
from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bot.config import HELSINKI

SAMPLE_REFERENCE_DATE = date(2026, 11, 30)
API = "https://api.espoo.fi/events/v1"  # Espoo's own Linked Events instance
NS = uuid.UUID("5b7f1c2e-0a51-4c43-9d2b-7f3f0b7e2a10")

PLACES = [
    ({"fi": "A Grid", "sv": "A Grid", "en": "A Grid"}, {"fi": "Otaniementie 14, Espoo", "sv": "Otnäsvägen 14, Esbo"}),
    ({"fi": "Dipoli", "sv": "Dipoli", "en": "Dipoli"}, {"fi": "Otakaari 24, Espoo", "sv": "Otsvängen 24, Esbo"}),
    ({"fi": "Espoon kulttuurikeskus", "sv": "Esbo kulturcentrum", "en": "Espoo Cultural Centre"},
     {"fi": "Kulttuuriaukio 2, Espoo", "sv": "Kulturtorget 2, Esbo"}),
    ({"fi": "Sellosali", "sv": "Sellosalen", "en": "Sellosali"}, {"fi": "Soittoniekanaukio 1 A, Espoo", "sv": "Spelmansplan 1 A, Esbo"}),
    ({"fi": "Ison Omenan kirjasto", "sv": "Iso Omena bibliotek", "en": "Iso Omena Library"},
     {"fi": "Piispansilta 11, Espoo", "sv": "Biskopsbron 11, Esbo"}),
    ({"fi": "Entressen kirjasto", "sv": "Entresse bibliotek", "en": "Entresse Library"}, {"fi": "Siltakatu 11, Espoo", "sv": "Brogatan 11, Esbo"}),
    ({"fi": "Business Espoo, Kera", "sv": "Business Espoo, Kera", "en": "Business Espoo, Kera"},
     {"fi": "Kerakuja 5, Espoo", "sv": "Kerabacken 5, Esbo"}),
    ({"fi": "Verkossa (Teams)", "sv": "Online (Teams)", "en": "Online (Teams)"}, {}),
]

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

# (fi, sv or None, en or None, keywords, summary fi, summary en)
EVENTS: List[Tuple[str, Any, Any, Tuple[str, ...], str, str]] = [
    ("Yrittäjien aamukahvit", "Företagarnas morgonkaffe", "Entrepreneurs' morning coffee", ("networking", "entrepreneurship"),
     "Tapaa muita espoolaisia yrittäjiä ja Business Espoon neuvojia aamukahvin äärellä.", "Meet other Espoo entrepreneurs and Business Espoo advisers over morning coffee."),
    ("Rahoitusinfo kasvuyrityksille", "Finansieringsinfo för tillväxtföretag", "Funding info for growth companies", ("funding", "startups"),
     "Business Finland, Finnvera ja ELY-keskus kertovat rahoitusmahdollisuuksista.", "Business Finland, Finnvera and the ELY Centre present funding options."),
    ("Rekrytointitapahtuma: osaajat ja yritykset", "Rekryteringsevenemang: experter och företag", "Recruitment fair: talent meets companies", ("recruitment", "networking"),
     "Espoolaiset yritykset esittäytyvät ja haastattelevat työnhakijoita paikan päällä.", "Espoo companies present themselves and interview job seekers on site."),
    ("Vientiklinikka: ensimmäiset askeleet kansainvälisille markkinoille", None, "Export clinic: first steps to international markets", ("export", "training"),
     "Asiantuntijat auttavat vientisuunnitelman laatimisessa.", "Experts help you draft your export plan."),
    ("Kestävä liiketoiminta pk-yrityksissä", "Hållbar affärsverksamhet i små och medelstora företag", "Sustainable business in SMEs", ("sustainability", "training"),
     "Käytännön keinoja hiilijalanjäljen pienentämiseen ja kiertotalouteen.", "Practical ways to cut the carbon footprint and move to a circular economy."),
    ("Startup-ilta: pitchaa ideasi", "Startupkväll: pitcha din idé", "Startup evening: pitch your idea", ("startups", "networking", "funding"),
     "Kolmen minuutin pitchit sijoittajille ja mentoreille.", "Three-minute pitches to investors and mentors."),
    ("Tekoäly pienyrityksen arjessa", None, "AI in a small business's everyday work", ("ai", "training"),
     "Miten tekoälytyökalut säästävät aikaa myynnissä ja asiakaspalvelussa.", "How AI tools save time in sales and customer service."),
    ("Aloittavan yrittäjän starttipaja", "Startverkstad för nya företagare", "Workshop for new entrepreneurs", ("entrepreneurship", "training"),
     "Yrityksen perustaminen, liiketoimintasuunnitelma ja starttiraha.", "Starting a company, the business plan and the start-up grant."),
    ("Kansainvälisten osaajien rekrytointi", "Att rekrytera internationella talanger", "Recruiting international talent", ("recruitment", "export"),
     "Työlupa, perehdytys ja Talent Boost -palvelut työnantajille.", "Work permits, onboarding and Talent Boost services for employers."),
    ("Vastuullisuusraportointi tutuksi", None, "Getting started with sustainability reporting", ("sustainability",),
     "Mitä CSRD tarkoittaa alihankkijana toimivalle yritykselle.", "What the CSRD means for a company that is a subcontractor."),
    ("Espoon yritysverkoston joulutapaaminen", "Esbo företagsnätverks julträff", "Espoo business network holiday meetup", ("networking",),
     "Vapaamuotoinen verkostoitumisilta yrittäjille ja kumppaneille.", "An informal networking evening for entrepreneurs and partners."),
    ("Kasvurahoitus ja sijoittajat", None, "Growth funding and investors", ("funding", "startups"),
     "Enkelisijoittajat ja pääomasijoittajat kertovat, mitä he etsivät.", "Angel and venture investors tell what they look for."),
    ("Kuvataidenäyttely: Espoon valo", "Konstutställning: Esbos ljus", "Art exhibition: The light of Espoo", ("culture",),
     "Espoolaisten taiteilijoiden näyttely kulttuurikeskuksessa.", "An exhibition of Espoo artists at the Cultural Centre."),
    ("Digimarkkinoinnin perusteet", "Grunderna i digital marknadsföring", "Digital marketing basics", ("training", "entrepreneurship"),
     "Somemainonta, hakukoneoptimointi ja verkkokaupan markkinointi.", "Social media ads, search engine optimisation and marketing an online shop."),
    ("Vientiverkosto Aasiaan", None, "Export network for Asia", ("export", "networking"),
     "Kokemuksia Japanin, Korean ja Singaporen markkinoilta.", "Experiences from the Japanese, Korean and Singaporean markets."),
]


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _event(index: int, rng: random.Random) -> Dict[str, Any]:
    fi, sv, en, topics, summary_fi, summary_en = EVENTS[index % len(EVENTS)]
    round_no = index // len(EVENTS)
    day = SAMPLE_REFERENCE_DATE + timedelta(days=2 + (index * 151) // 60 + rng.randint(0, 2))
    while day.weekday() >= 5 and "culture" not in topics:
        day += timedelta(days=1)
    hour = rng.choice((8, 9, 13, 15, 17))
    start = datetime.combine(day, time(hour, 0 if hour != 8 else 30), HELSINKI)
    end = start + timedelta(hours=rng.choice((1.5, 2, 3)))
    if "culture" in topics:
        start = datetime.combine(SAMPLE_REFERENCE_DATE - timedelta(days=10) + timedelta(days=40 * round_no), time(10), HELSINKI)
        end = start + timedelta(days=35, hours=8)
    suffix = {0: "", 1: " II", 2: " III", 3: " IV"}[round_no]
    name = {"fi": fi + suffix}
    summary = {"fi": summary_fi}
    if en and index % 11 != 5:
        name["en"] = en + suffix
        summary["en"] = summary_en
    if sv and index % 3 != 2:
        name["sv"] = sv + suffix
    place, street = PLACES[(index * 5) % len(PLACES)]
    slug = f"sample-event-{index + 1:03d}"
    free = "funding" not in topics or index % 2 == 0
    return {
        "id": f"sample:{slug}",
        "data_source": "sample",
        "publisher": "sample:business-espoo",
        "name": name,
        "short_description": summary,
        "description": {k: f"<p>{v}</p>" for k, v in summary.items()},
        "start_time": _iso(start),
        "end_time": _iso(end),
        "location": {"@id": f"{API}/place/sample:{(index * 5) % len(PLACES)}/", "id": f"sample:{(index * 5) % len(PLACES)}",
                     "name": place, "street_address": street, "address_locality": {"fi": "Espoo", "sv": "Esbo"}},
        "keywords": [{"@id": f"{API}/keyword/{KEYWORDS[t][0]}/", "id": KEYWORDS[t][0], "name": KEYWORDS[t][1]} for t in topics],
        "offers": [{"is_free": free, "price": None if free else {"fi": "20 €", "sv": "20 €", "en": "€20"},
                    "info_url": None, "description": None}],
        # Samples are invented: they have no page of their own (a real event of Espoo's
        # instance, "espooevents:...", has one on espoo.fi; see bot/catalog/links.py).
        "info_url": None,
        "event_status": "EventScheduled",
        "last_modified_time": _iso(datetime.combine(SAMPLE_REFERENCE_DATE, time(9), HELSINKI)),
        "@id": f"{API}/event/sample:{slug}/",
    }


def events_document(count: int = 60) -> Dict[str, Any]:
    """The Linked Events page of the sample events."""
    rng = random.Random(2026)
    data = [_event(i, rng) for i in range(count)]
    data.sort(key=lambda e: e["start_time"])
    return {"meta": {"count": len(data), "next": None, "previous": None,
                     "sample_reference_date": SAMPLE_REFERENCE_DATE.isoformat()}, "data": data}


EMPLOYERS = [
    "Otaniemen Robotiikka Oy", "Keilaranta Software Oy", "Leppävaaran Leipomo Oy", "Matinkylän Hammaslääkärit Oy",
    "Espoonlahden Kiinteistöhuolto Oy", "Tapiolan Tilitoimisto Oy", "Kivenlahden Sähkö Oy", "Nuuksio Outdoor Oy",
    "Suurpellon Päiväkodit Oy", "Karamalmi Logistics Oy", "Perkkaan Kotihoito Oy", "Westend Marine Oy",
    "Niittykumpu Cafe & Bistro Oy", "Olari Clean Tech Oy", "Kauklahden Rakennus Oy", "Espoo Game Studio Oy",
]
# (fi title, en title or None, sv title or None, fi summary, en summary)
JOBS: List[Tuple[str, Any, Any, str, str]] = [
    ("Ohjelmistokehittäjä", "Software developer", None, "Kehität pilvipalveluja Python- ja TypeScript-tiimissä.", "You build cloud services in a Python and TypeScript team."),
    ("Myyntipäällikkö", "Sales manager", "Försäljningschef", "Vastaat B2B-myynnistä ja asiakassuhteista Suomessa.", "You lead B2B sales and customer relations in Finland."),
    ("Sairaanhoitaja", None, "Sjukskötare", "Kotihoidon sairaanhoitajan tehtävä Espoon alueella.", "A home care nurse position in the Espoo area."),
    ("Kirjanpitäjä", "Accountant", "Bokförare", "Hoidat asiakasyritysten kirjanpidon ja palkanlaskennan.", "You keep the books and run payroll for client companies."),
    ("Sähköasentaja", None, None, "Asennus- ja huoltotöitä uudiskohteissa pääkaupunkiseudulla.", "Installation and service work in new buildings."),
    ("Varhaiskasvatuksen opettaja", None, "Lärare inom småbarnspedagogik", "Suunnittelet ja toteutat varhaiskasvatusta päiväkodissa.", "You plan and run early childhood education."),
    ("Leipuri", None, None, "Aamuvuoroihin leipomoon, leivontakokemus eduksi.", "Morning shifts at a bakery; baking experience helps."),
    ("Varastotyöntekijä", "Warehouse worker", None, "Keräily- ja trukkitöitä logistiikkakeskuksessa.", "Picking and forklift work at a logistics centre."),
    ("Data-analyytikko", "Data analyst", None, "Analysoit tuotedataa ja rakennat raportteja johdolle.", "You analyse product data and build reports for management."),
    ("Kokki", "Cook", None, "Lounasravintolan kokki, työ arkisin.", "Cook for a lunch restaurant, weekdays."),
    ("Hammashoitaja", None, "Tandskötare", "Avustat hammaslääkäriä vastaanotolla ja hoidat välinehuoltoa.", "You assist the dentist and look after instruments."),
    ("Kiinteistönhoitaja", None, None, "Kiinteistöjen huolto, piha- ja talvityöt.", "Property maintenance, outdoor and winter work."),
    ("UX-suunnittelija", "UX designer", None, "Suunnittelet pelien käyttöliittymiä ja teet käyttäjätestejä.", "You design game user interfaces and run user tests."),
    ("Projektipäällikkö, rakentaminen", "Project manager, construction", None, "Johdat asuntorakennuskohteita suunnittelusta luovutukseen.", "You lead housing projects from design to handover."),
    ("Asiakaspalvelija", "Customer service agent", "Kundtjänstmedarbetare", "Palvelet asiakkaita puhelimessa ja chatissa suomeksi ja ruotsiksi.", "You serve customers by phone and chat in Finnish and Swedish."),
    ("Venemekaanikko", "Boat mechanic", None, "Moottoreiden huolto ja korjaus venetelakalla.", "Engine service and repair at a boatyard."),
    ("Robotiikkainsinööri", "Robotics engineer", None, "Kehität mobiilirobottien ohjausjärjestelmiä.", "You develop control systems for mobile robots."),
    ("Lähihoitaja", None, "Närvårdare", "Kotihoidon lähihoitaja, vuorotyö.", "Practical nurse in home care, shift work."),
    ("Siivooja", "Cleaner", None, "Toimistosiivousta aamuisin.", "Office cleaning in the mornings."),
    ("Opas, luontomatkailu", "Nature tourism guide", "Guide, naturturism", "Opastat retkiä Nuuksion kansallispuistossa.", "You guide hikes in Nuuksio National Park."),
]

# Each job is posted four times, as four different vacancies: (title suffix per language, working
# time 01 full-time / 02 part-time, continuity 01 permanent / 02 fixed-term).
VARIANTS: List[Dict[str, str]] = [
    {"fi": "", "sv": "", "en": "", "tyoAika": "01", "tyonJatkuvuus": "01"},
    {"fi": " (osa-aikainen)", "sv": " (deltid)", "en": " (part-time)", "tyoAika": "02", "tyonJatkuvuus": "01"},
    {"fi": " (määräaikainen)", "sv": " (visstid)", "en": " (fixed-term)", "tyoAika": "01", "tyonJatkuvuus": "02"},
    {"fi": " (sijaisuus)", "sv": " (vikariat)", "en": " (substitute)", "tyoAika": "01", "tyonJatkuvuus": "02"},
]

# which EMPLOYERS plausibly post each of JOBS
JOB_EMPLOYERS: List[Tuple[int, ...]] = [
    (1, 15, 0), (1, 11, 5), (10,), (5,), (6, 14), (8,), (2,), (9,), (1, 15), (12, 2), (3,), (4,), (15,),
    (14,), (1, 9, 11), (11,), (0,), (10,), (4, 13), (7,),
]


def _localised(texts: Dict[str, str]) -> List[Dict[str, str]]:
    return [{"kieliKoodi": k, "arvo": v} for k, v in texts.items()]


def _posting(index: int, rng: random.Random) -> Dict[str, Any]:
    base, en, sv, summary_fi, summary_en = JOBS[index % len(JOBS)]
    choices = JOB_EMPLOYERS[index % len(JOBS)]
    variant = VARIANTS[(index // len(JOBS)) % len(VARIANTS)]  # no two postings are the same job
    fi, en, sv = (title + variant[k] if title else None for k, title in (("fi", base), ("en", en), ("sv", sv)))
    employer = EMPLOYERS[choices[(index // len(JOBS)) % len(choices)]]
    languages = ["fi"] if index % 4 else ["fi", "en"]
    if en and index % 10 == 3:
        languages = ["en"]
    if sv and index % 5 == 1:
        languages = ["fi", "sv"]
    titles = {"fi": fi, "en": en, "sv": sv}
    languages = [k for k in languages if titles[k]] or ["fi"]
    summaries = {"fi": summary_fi, "en": summary_en, "sv": summary_fi}
    published = datetime.combine(SAMPLE_REFERENCE_DATE - timedelta(days=rng.randint(0, 30)),
                                 time(rng.randint(8, 15), 0), HELSINKI)
    deadline = None if index % 9 == 4 else datetime.combine(
        SAMPLE_REFERENCE_DATE + timedelta(days=rng.randint(7, 60)), time(16, 0), HELSINKI)
    if index in (17, 58):
        deadline = datetime.combine(SAMPLE_REFERENCE_DATE - timedelta(days=2), time(16, 0), HELSINKI)
    posting_id = str(uuid.uuid5(NS, f"posting-{index}"))
    postcode, district = rng.choice((("02150", "Espoo"), ("02600", "Espoo"), ("02230", "Espoo"), ("02320", "Espoo"),
                                     ("02770", "Espoo"), ("02100", "Espoo"), ("00510", "Helsinki")))
    return {
        "ilmoituksenID": posting_id,
        "lahde": "sample",
        "ilmoittajanNimi": [{"kieliKoodi": "fi", "arvo": employer}],
        "ilmoittajanYTunnus": f"{3100000 + index * 17:07d}-{index % 10}",
        "ilmoituksenKielet": languages,
        "perustiedot": {
            "tyonOtsikko": _localised({k: titles[k] for k in languages}),
            "tyonTiivistelma": _localised({k: summaries[k] for k in languages}),
            "tyonKuvaus": _localised({k: summaries[k] + " " + employer + "." for k in languages}),
            "tyoAika": variant["tyoAika"],
            "tyonJatkuvuus": variant["tyonJatkuvuus"],
            "paikkojenMaara": 1 + index % 3,
            "tyoAlkaaPvm": (SAMPLE_REFERENCE_DATE + timedelta(days=30)).isoformat(),
        },
        "osaamisvaatimukset": {"ammatit": [{"luokiteltuArvo": f"http://data.europa.eu/esco/occupation/{uuid.uuid5(NS, base)}",
                                            "luokittelunNimi": "ESCO"}]},
        "sijainti": {"toimipaikka": {"postinumero": postcode, "postitoimipaikka": district,
                                     "postiosoite": f"Esimerkkitie {index + 1}",
                                     "toimipaikanNimi": [{"kieliKoodi": "fi", "arvo": employer}]},
                     "kunta": ["049" if district == "Espoo" else "091"], "maakunta": ["01"], "maa": ["FI"],
                     "sijaintiJoustava": index % 6 == 0},
        "hakeminen": {"hakuaikaPaattyy": deadline.isoformat() if deadline else None,
                      # Samples are invented: no application page (a real posting has its own page
                      # on tyomarkkinatori.fi; see bot/catalog/links.py).
                      "hakemuksenUrl": None,
                      "hakuohjeet": _localised({"fi": "Hae sähköisellä lomakkeella."}),
                      "ilmoittajanYhteystiedot": {"puhelinNro": "+358 9 000 0000", "sposti": "rekry@example.fi"}},
        "julkaisupvm": published.isoformat(),
        "muokattupvm": published.isoformat(),
    }


def offers_document(count: int = 80) -> Dict[str, Any]:
    """The Työmarkkinatori result of the sample postings."""
    rng = random.Random(80)
    postings = [_posting(i, rng) for i in range(count)]
    return {"ilmoituksienMaara": len(postings), "ilmoitukset": postings, "sivutus": {"sivu": 0, "maara": len(postings)},
            "sample_reference_date": SAMPLE_REFERENCE_DATE.isoformat()}


def write(directory: Path) -> None:
    """Write both sample files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, document in (("linked_events.json", events_document()), ("tyomarkkinatori.json", offers_document())):
        (directory / name).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    from bot.config import load_settings

    write(load_settings().catalog_dir)
