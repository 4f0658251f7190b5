"""Writes the sample events and recruitment offers of data/catalog/ (deterministic).

`python -m bot.catalog.sample_data` rewrites data/catalog/linked_events.json (the events of
bot/catalog/sample_events.py in the Linked Events shape) and data/catalog/tyomarkkinatori.json
(postings in the Työmarkkinatori shape), dated from SAMPLE_REFERENCE_DATE; the loader moves
the dates to the load day (bot/catalog/samples.py). Every record is marked as a sample in its
source field. Employers are invented names with a valid-looking business ID (its check digit
right, bot/validation.py) and an address in the district their name says: sample postings
must not pass for real vacancies of real companies. Each posting is a distinct vacancy (one
occupation at one employer).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from bot.catalog.sample_events import SAMPLE_REFERENCE_DATE, events_document
from bot.config import HELSINKI
from bot.validation import business_id_check_digit

NS = uuid.UUID("5b7f1c2e-0a51-4c43-9d2b-7f3f0b7e2a10")

# (name, postal code, post office): the address is in the district the name says.
EMPLOYERS: List[Tuple[str, str, str]] = [
    ("Otaniemen Robotiikka Oy", "02150", "Espoo"), ("Keilaranta Software Oy", "02150", "Espoo"),
    ("Leppävaaran Leipomo Oy", "02600", "Espoo"), ("Matinkylän Hammaslääkärit Oy", "02230", "Espoo"),
    ("Espoonlahden Kiinteistöhuolto Oy", "02320", "Espoo"), ("Tapiolan Tilitoimisto Oy", "02100", "Espoo"),
    ("Kivenlahden Sähkö Oy", "02320", "Espoo"), ("Nuuksio Outdoor Oy", "02820", "Espoo"),
    ("Olarin Päiväkodit Oy", "02210", "Espoo"), ("Kauklahden Logistiikka Oy", "02780", "Espoo"),
    ("Leppävaaran Kotihoito Oy", "02600", "Espoo"), ("Westend Marine Oy", "02160", "Espoo"),
    ("Niittykumpu Cafe & Bistro Oy", "02200", "Espoo"), ("Olari Clean Tech Oy", "02210", "Espoo"),
    ("Kauklahden Rakennus Oy", "02780", "Espoo"), ("Espoo Game Studio Oy", "02150", "Espoo"),
    ("Tapiolan Lounasravintola Oy", "02100", "Espoo"), ("Kallion Siivouspalvelu Oy", "00510", "Helsinki"),
]


class Job(NamedTuple):
    """An occupation: its title and summary in fi, sv and en, and the employers that post it."""

    title: Dict[str, str]
    summary: Dict[str, str]
    employers: Tuple[int, ...]


def _job(titles: Tuple[str, str, str], summaries: Tuple[str, str, str], employers: Tuple[int, ...]) -> Job:
    return Job(dict(zip(("fi", "sv", "en"), titles)), dict(zip(("fi", "sv", "en"), summaries)), employers)


JOBS: List[Job] = [
    _job(("Ohjelmistokehittäjä", "Mjukvaruutvecklare", "Software developer"),
         ("Kehität pilvipalveluja Python- ja TypeScript-tiimissä.", "Du utvecklar molntjänster i ett team som arbetar med Python och TypeScript.",
          "You build cloud services in a Python and TypeScript team."), (1, 15, 0)),
    _job(("Myyntipäällikkö", "Försäljningschef", "Sales manager"),
         ("Vastaat B2B-myynnistä ja asiakassuhteista Suomessa.", "Du ansvarar för B2B-försäljningen och kundrelationerna i Finland.",
          "You lead B2B sales and customer relations in Finland."), (1, 11, 5)),
    _job(("Sairaanhoitaja", "Sjukskötare", "Nurse"),
         ("Kotihoidon sairaanhoitajan tehtävä Espoon alueella.", "Sjukskötare inom hemvården i Esbo.",
          "A home care nurse position in the Espoo area."), (10,)),
    _job(("Kirjanpitäjä", "Bokförare", "Accountant"),
         ("Hoidat asiakasyritysten kirjanpidon ja palkanlaskennan.", "Du sköter bokföringen och löneräkningen för kundföretag.",
          "You keep the books and run payroll for client companies."), (5,)),
    _job(("Sähköasentaja", "Elmontör", "Electrician"),
         ("Asennus- ja huoltotöitä uudiskohteissa pääkaupunkiseudulla.", "Installations- och servicearbeten i nybyggen i huvudstadsregionen.",
          "Installation and service work in new buildings in the capital region."), (6, 14)),
    _job(("Varhaiskasvatuksen opettaja", "Lärare inom småbarnspedagogik", "Early childhood education teacher"),
         ("Suunnittelet ja toteutat varhaiskasvatusta päiväkodissa.", "Du planerar och genomför småbarnspedagogik på ett daghem.",
          "You plan and run early childhood education at a day-care centre."), (8,)),
    _job(("Leipuri", "Bagare", "Baker"),
         ("Aamuvuoroihin leipomoon, leivontakokemus eduksi.", "Morgonskift på ett bageri; erfarenhet av bakning är en fördel.",
          "Morning shifts at a bakery; baking experience helps."), (2,)),
    _job(("Varastotyöntekijä", "Lagerarbetare", "Warehouse worker"),
         ("Keräily- ja trukkitöitä logistiikkakeskuksessa.", "Plock- och truckarbete på en logistikcentral.",
          "Picking and forklift work at a logistics centre."), (9,)),
    _job(("Data-analyytikko", "Dataanalytiker", "Data analyst"),
         ("Analysoit tuotedataa ja rakennat raportteja johdolle.", "Du analyserar produktdata och bygger rapporter för ledningen.",
          "You analyse product data and build reports for management."), (1, 15)),
    _job(("Kokki", "Kock", "Cook"),
         ("Lounasravintolan kokki, työ arkisin.", "Kock på en lunchrestaurang, arbete på vardagar.",
          "Cook for a lunch restaurant, weekdays."), (12, 16, 2)),
    _job(("Tarjoilija", "Servitör", "Waiter"),
         ("Asiakaspalvelua ravintolasalissa ilta- ja viikonloppuvuoroissa.", "Kundservice i restaurangen på kvälls- och helgskift.",
          "Serving guests in the restaurant on evening and weekend shifts."), (12, 16)),
    _job(("Hammashoitaja", "Tandskötare", "Dental nurse"),
         ("Avustat hammaslääkäriä vastaanotolla ja hoidat välinehuoltoa.", "Du assisterar tandläkaren på mottagningen och sköter instrumentvården.",
          "You assist the dentist and look after instruments."), (3,)),
    _job(("Kiinteistönhoitaja", "Fastighetsskötare", "Property caretaker"),
         ("Kiinteistöjen huolto, piha- ja talvityöt.", "Fastighetsskötsel, gårds- och vinterarbeten.",
          "Property maintenance, outdoor and winter work."), (4,)),
    _job(("UX-suunnittelija", "UX-designer", "UX designer"),
         ("Suunnittelet pelien käyttöliittymiä ja teet käyttäjätestejä.", "Du designar användargränssnitt för spel och gör användartester.",
          "You design game user interfaces and run user tests."), (15,)),
    _job(("Projektipäällikkö, rakentaminen", "Projektchef, byggande", "Project manager, construction"),
         ("Johdat asuntorakennuskohteita suunnittelusta luovutukseen.", "Du leder bostadsbyggen från planering till överlåtelse.",
          "You lead housing projects from design to handover."), (14,)),
    _job(("Asiakaspalvelija", "Kundtjänstmedarbetare", "Customer service agent"),
         ("Palvelet asiakkaita puhelimessa ja chatissa suomeksi ja ruotsiksi.", "Du betjänar kunder per telefon och i chatten på finska och svenska.",
          "You serve customers by phone and chat in Finnish and Swedish."), (1, 9, 11)),
    _job(("Venemekaanikko", "Båtmekaniker", "Boat mechanic"),
         ("Moottoreiden huolto ja korjaus venetelakalla.", "Service och reparation av motorer på ett båtvarv.",
          "Engine service and repair at a boatyard."), (11,)),
    _job(("Robotiikkainsinööri", "Robotikingenjör", "Robotics engineer"),
         ("Kehität mobiilirobottien ohjausjärjestelmiä.", "Du utvecklar styrsystem för mobila robotar.",
          "You develop control systems for mobile robots."), (0,)),
    _job(("Lähihoitaja", "Närvårdare", "Practical nurse"),
         ("Kotihoidon lähihoitaja, vuorotyö.", "Närvårdare inom hemvården, skiftarbete.", "Practical nurse in home care, shift work."), (10,)),
    _job(("Siivooja", "Städare", "Cleaner"),
         ("Toimistosiivousta aamuisin.", "Kontorsstädning på morgnarna.", "Office cleaning in the mornings."), (4, 13, 17)),
    _job(("Opas, luontomatkailu", "Guide, naturturism", "Nature tourism guide"),
         ("Opastat retkiä Nuuksion kansallispuistossa.", "Du guidar utflykter i Noux nationalpark.",
          "You guide hikes in Nuuksio National Park."), (7,)),
]
# working time 01 full-time / 02 part-time, continuity 01 permanent / 02 fixed-term
TERMS = (("01", "01"), ("02", "01"), ("01", "02"))


def business_id(number: int) -> str:
    """A business ID with a right check digit (bot/validation.py), distinct per `number`."""
    body = 2600000 + number * 7919
    while business_id_check_digit(f"{body:07d}") is None:
        body += 1
    return f"{body:07d}-{business_id_check_digit(f'{body:07d}')}"


def _localised(texts: Dict[str, str]) -> List[Dict[str, str]]:
    return [{"kieliKoodi": k, "arvo": v} for k, v in texts.items()]


def _languages(job: Job, index: int, first: bool, employer: int) -> List[str]:
    if first:
        return ["fi", "sv", "en"]
    if employer in (1, 15):  # international teams advertise in English first
        return ["en", "fi"]
    return ["fi"] + (["sv"] if index % 3 == 0 else []) + (["en"] if index % 2 == 0 else [])


def _posting(index: int, job: Job, employer: int, first: bool) -> Dict[str, Any]:
    name, postcode, town = EMPLOYERS[employer]
    languages = _languages(job, index, first, employer)
    working_time, continuity = TERMS[index % len(TERMS)]
    published = datetime.combine(SAMPLE_REFERENCE_DATE - timedelta(days=(index * 7) % 29), time(8 + index % 8), HELSINKI)
    deadline: Optional[datetime] = None if index % 9 == 4 else datetime.combine(
        SAMPLE_REFERENCE_DATE + timedelta(days=14 + (index * 11) % 45), time(16), HELSINKI)
    if index in (5, 25):  # two postings whose application time has ended
        published = datetime.combine(SAMPLE_REFERENCE_DATE - timedelta(days=24), time(9), HELSINKI)
        deadline = datetime.combine(SAMPLE_REFERENCE_DATE - timedelta(days=2), time(16), HELSINKI)
    return {
        "ilmoituksenID": str(uuid.uuid5(NS, f"posting-{job.title['fi']}-{name}")),
        "lahde": "sample",
        "ilmoittajanNimi": [{"kieliKoodi": "fi", "arvo": name}],
        "ilmoittajanYTunnus": business_id(employer),
        "ilmoituksenKielet": languages,
        "perustiedot": {
            "tyonOtsikko": _localised({k: job.title[k] for k in languages}),
            "tyonTiivistelma": _localised({k: job.summary[k] for k in languages}),
            "tyonKuvaus": _localised({k: f"{job.summary[k]} {name}." for k in languages}),
            "tyoAika": working_time, "tyonJatkuvuus": continuity, "paikkojenMaara": 1 + index % 2,
            "tyoAlkaaPvm": (SAMPLE_REFERENCE_DATE + timedelta(days=30)).isoformat(),
        },
        "osaamisvaatimukset": {"ammatit": [{"luokiteltuArvo": f"http://data.europa.eu/esco/occupation/{uuid.uuid5(NS, job.title['fi'])}",
                                            "luokittelunNimi": "ESCO"}]},
        "sijainti": {"toimipaikka": {"postinumero": postcode, "postitoimipaikka": town,
                                     "postiosoite": f"Esimerkkitie {employer + 1}",
                                     "toimipaikanNimi": [{"kieliKoodi": "fi", "arvo": name}]},
                     "kunta": ["049" if town == "Espoo" else "091"], "maakunta": ["01"], "maa": ["FI"],
                     "sijaintiJoustava": employer in (1, 15)},
        "hakeminen": {"hakuaikaPaattyy": deadline.isoformat() if deadline else None,
                      # Samples are invented: no application page (see bot/catalog/links.py).
                      "hakemuksenUrl": None,
                      "hakuohjeet": _localised({"fi": "Hae sähköisellä lomakkeella."}),
                      "ilmoittajanYhteystiedot": {"puhelinNro": "+358 9 000 0000", "sposti": "rekry@example.fi"}},
        "julkaisupvm": published.isoformat(),
        "muokattupvm": published.isoformat(),
    }


def offers_document() -> Dict[str, Any]:
    """The Työmarkkinatori result of the sample postings: each occupation once per employer that posts it."""
    pairs = [(job, employer, position == 0) for job in JOBS for position, employer in enumerate(job.employers)]
    postings = [_posting(index, job, employer, first) for index, (job, employer, first) in enumerate(pairs)]
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
