"""Where: Espoo's districts by postal code, the municipalities around it, and the words of the
sectors users name instead of an occupation ("ravintola-ala", "restaurangbranschen").

The importers index a record's district (from its postal code) so that "jobs in Otaniemi" or
"tapahtumat Tapiolassa" can be searched; the look-up parser (bot/catalog/lookup_query.py)
reads these tables through bot/catalog/vocabulary.py. Names are the official ones of the
city in Finnish and Swedish; English uses the Finnish name.
"""
from __future__ import annotations

from typing import Dict, Mapping, Optional, Tuple

Names = Mapping[str, str]


def _names(fi: str, sv: str, en: Optional[str] = None) -> Dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en or fi}


DISTRICTS: Dict[str, Dict[str, str]] = {
    "tapiola": _names("Tapiola", "Hagalund"),
    "otaniemi": _names("Otaniemi", "Otnäs"),
    "keilaniemi": _names("Keilaniemi", "Kägeludden"),
    "westend": _names("Westend", "Westend"),
    "haukilahti": _names("Haukilahti", "Gäddvik"),
    "niittykumpu": _names("Niittykumpu", "Ängskulla"),
    "olari": _names("Olari", "Olars"),
    "matinkyla": _names("Matinkylä", "Mattby"),
    "espoonlahti": _names("Espoonlahti", "Esboviken"),
    "kivenlahti": _names("Kivenlahti", "Stensvik"),
    "soukka": _names("Soukka", "Sökö"),
    "leppavaara": _names("Leppävaara", "Alberga"),
    "kilo": _names("Kilo", "Kilo"),
    "kera": _names("Kera", "Kera"),
    "espoon_keskus": _names("Espoon keskus", "Esbo centrum", "Espoo Centre"),
    "kauklahti": _names("Kauklahti", "Köklax"),
    "nuuksio": _names("Nuuksio", "Noux"),
    "suurpelto": _names("Suurpelto", "Storåkern"),
    "kalajarvi": _names("Kalajärvi", "Kalajärvi"),
}

# Postal codes of Espoo and the district each belongs to (Posti's postal code areas).
POSTCODES: Dict[str, str] = {
    "02100": "tapiola", "02110": "tapiola", "02120": "tapiola", "02130": "tapiola", "02140": "tapiola",
    "02150": "otaniemi", "02160": "westend", "02170": "haukilahti", "02200": "niittykumpu", "02210": "olari",
    "02230": "matinkyla", "02320": "espoonlahti", "02360": "soukka", "02600": "leppavaara", "02610": "kilo",
    "02650": "leppavaara", "02770": "espoon_keskus", "02780": "kauklahti", "02820": "nuuksio", "02970": "kalajarvi",
}

MUNICIPALITIES: Dict[str, Dict[str, str]] = {
    "espoo": _names("Espoo", "Esbo"),
    "helsinki": _names("Helsinki", "Helsingfors"),
    "vantaa": _names("Vantaa", "Vanda"),
    "kauniainen": _names("Kauniainen", "Grankulla"),
}

# Sectors users name instead of an occupation, and the occupation words (in any language)
# that belong to each: a posting whose title holds one of them is in the sector.
SECTORS: Dict[str, Tuple[Dict[str, Tuple[str, ...]], Tuple[str, ...]]] = {
    "restaurant": ({"fi": ("ravintola-ala", "ravintolat", "ravintola", "ravintolatyö"),
                    "sv": ("restaurangbranschen", "restaurang", "restauranger"),
                    "en": ("restaurant industry", "restaurants", "restaurant", "hospitality")},
                   ("kokki", "cook", "kock", "tarjoilija", "servitör", "waiter", "ravintola", "restaurang",
                    "restaurant")),
    "it": ({"fi": ("IT-ala", "ohjelmistoala", "IT"), "sv": ("IT-branschen", "IT"),
            "en": ("IT sector", "software industry", "IT", "tech")},
           ("ohjelmistokehittäjä", "software", "data-analyytikko", "data", "ux")),
    "care": ({"fi": ("hoitoala", "sote-ala", "terveydenhuolto", "hoiva-ala"), "sv": ("vårdbranschen", "vård"),
              "en": ("healthcare", "care work", "nursing")},
             ("hoitaja", "sairaanhoitaja", "lähihoitaja", "hammashoitaja", "sjukskötare", "närvårdare",
              "tandskötare", "nurse")),
    "construction": ({"fi": ("rakennusala", "rakentaminen"), "sv": ("byggbranschen", "bygg"),
                      "en": ("construction",)},
                     ("rakentaminen", "construction", "sähköasentaja", "elektriker", "electrician")),
    "logistics": ({"fi": ("logistiikka", "logistiikka-ala"), "sv": ("logistik", "logistikbranschen"),
                   "en": ("logistics",)},
                  ("varastotyöntekijä", "warehouse", "lagerarbetare")),
    "education": ({"fi": ("varhaiskasvatus", "opetusala"), "sv": ("småbarnspedagogik",),
                   "en": ("early childhood education", "education")},
                  ("varhaiskasvatuksen", "småbarnspedagogik", "early childhood")),
    "sales": ({"fi": ("myynti", "myyntityö"), "sv": ("försäljning",), "en": ("sales",)},
              ("myyntipäällikkö", "försäljningschef", "sales")),
    "customer_service": ({"fi": ("asiakaspalvelu", "asiakaspalvelutyö"), "sv": ("kundtjänst", "kundservice"),
                          "en": ("customer service",)},
                         ("asiakaspalvelija", "kundtjänstmedarbetare", "customer service")),
    "tourism": ({"fi": ("matkailu", "matkailuala", "luontomatkailu"), "sv": ("turism", "naturturism"),
                 "en": ("tourism", "nature tourism")},
                ("opas", "guide", "matkailu", "turism", "tourism")),
}
SECTOR_LABELS: Dict[str, Dict[str, str]] = {
    "restaurant": _names("ravintola-ala", "restaurangbranschen", "restaurant industry"),
    "it": _names("IT-ala", "IT-branschen", "IT sector"),
    "care": _names("hoitoala", "vårdbranschen", "healthcare"),
    "construction": _names("rakennusala", "byggbranschen", "construction"),
    "logistics": _names("logistiikka", "logistik", "logistics"),
    "education": _names("varhaiskasvatus", "småbarnspedagogik", "early childhood education"),
    "sales": _names("myynti", "försäljning", "sales"),
    "customer_service": _names("asiakaspalvelu", "kundtjänst", "customer service"),
    "tourism": _names("matkailu", "turism", "tourism"),
}


def district_of(postcode: Optional[str]) -> Optional[str]:
    """The district key of an Espoo postal code ("02150" -> "otaniemi"), None when unknown."""
    return POSTCODES.get((postcode or "").strip()[:5]) if postcode else None


def district_names(postcode: Optional[str]) -> Dict[str, str]:
    """{language: district name} of a postal code, for the search index; {} when unknown."""
    key = district_of(postcode)
    return dict(DISTRICTS[key]) if key else {}
