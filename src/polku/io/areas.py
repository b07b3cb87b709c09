"""Areas as the standards name them: Finnish municipalities and regions (maakunnat) from the
JHS code lists on uri.suomi.fi, and countries from the EU authority tables.

CPSV-AP asks every public organisation for a ``dct:spatial`` location. The workbook says an
actor's region in free text (``Keski-Uusimaa``, ``Hyvinkää``, ``koko maa``);
:func:`locations` turns such text into the code-list IRIs, so that two graphs that say
``Hyvinkää`` point at the same resource. A list of municipalities (``Jyväskylä; Muurame``,
an employment area's) gives each its own code. Only the areas below are known; text polku
does not recognise gives no location, and :func:`unknown_areas` names the parts it did not
know (a CPSV-AP export says them in a note, then falls back to the graph's region, and last
to Finland).
"""

from __future__ import annotations

MUNICIPALITY = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
REGION = "http://uri.suomi.fi/codelist/jhs/maakunta_1_20230101/code/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
FINLAND = COUNTRY + "FIN"

#: municipality name (Finnish, lower case) -> its code in the JHS municipality code list
#: (Statistics Finland's municipality classification, kunta 2023, the codes uri.suomi.fi's
#: kunta_1_20230101 publishes): the example regions' municipalities, and those of the
#: Central Finland employment areas the Keski-Suomi example names (the southern area
#: includes Mänttä-Vilppula, a Pirkanmaa municipality)
MUNICIPALITIES: dict[str, str] = {
    "hyvinkää": "106", "järvenpää": "186", "kerava": "245", "mäntsälä": "505",
    "nurmijärvi": "543", "pornainen": "611", "tuusula": "858", "helsinki": "091",
    "vantaa": "092", "espoo": "049", "jyväskylä": "179", "jämsä": "182", "laukaa": "410",
    "muurame": "500", "äänekoski": "992", "keuruu": "249", "mikkeli": "491",
    "liperi": "426", "joensuu": "167",
    # Keski-Suomi's employment areas (Statistics Finland, kunta 2023)
    "hankasalmi": "077", "joutsa": "172", "kannonkoski": "216", "karstula": "226",
    "kinnula": "256", "kivijärvi": "265", "konnevesi": "275", "kyyjärvi": "312",
    "luhanka": "435", "multia": "495", "mänttä-vilppula": "508", "petäjävesi": "592",
    "pihtipudas": "601", "saarijärvi": "729", "toivakka": "850", "uurainen": "892",
    "viitasaari": "931",
}
#: region (maakunta) name -> its code in the JHS region code list
REGIONS: dict[str, str] = {
    "uusimaa": "01", "keski-suomi": "13", "pohjois-karjala": "12", "etelä-savo": "10",
    "pirkanmaa": "06",
}
#: areas that are groups of municipalities (a wellbeing services county's area)
GROUPS: dict[str, tuple[str, ...]] = {
    # Keusote: Hyvinkää, Järvenpää, Mäntsälä, Nurmijärvi, Pornainen and Tuusula
    "keski-uusimaa": ("hyvinkää", "järvenpää", "mäntsälä", "nurmijärvi", "pornainen",
                      "tuusula"),
}
NATIONWIDE = {"koko maa", "suomi", "finland", "hela landet", "nationwide", "valtakunnallinen"}

#: IRI -> its name, for the labels of the locations written
def _proper(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


NAMES: dict[str, str] = {
    **{MUNICIPALITY + code: _proper(name) for name, code in MUNICIPALITIES.items()},
    **{REGION + code: _proper(name) for name, code in REGIONS.items()},
    FINLAND: "Suomi",
}


#: the Swedish and English names of the areas above where they differ from the Finnish one
#: (Statistics Finland's classifications: municipalities, regions; a wellbeing services
#: county's area as the county names it). Keyed by the lower-case Finnish name.
TRANSLATED: dict[str, dict[str, str]] = {
    # municipalities (English uses the Finnish name)
    "hyvinkää": {"sv": "Hyvinge"}, "järvenpää": {"sv": "Träskända"}, "kerava": {"sv": "Kervo"},
    "pornainen": {"sv": "Borgnäs"}, "tuusula": {"sv": "Tusby"},
    "helsinki": {"sv": "Helsingfors"}, "vantaa": {"sv": "Vanda"}, "espoo": {"sv": "Esbo"},
    "laukaa": {"sv": "Laukas"}, "mikkeli": {"sv": "S:t Michel"}, "liperi": {"sv": "Libelits"},
    # regions (maakunnat)
    "uusimaa": {"sv": "Nyland"},
    "keski-suomi": {"sv": "Mellersta Finland", "en": "Central Finland"},
    "pohjois-karjala": {"sv": "Norra Karelen", "en": "North Karelia"},
    "etelä-savo": {"sv": "Södra Savolax", "en": "South Savo"},
    "pirkanmaa": {"sv": "Birkaland"},
    # groups of municipalities
    "keski-uusimaa": {"sv": "Mellersta Nyland", "en": "Central Uusimaa"},
}
#: the whole country and Finland, in each language
WHOLE_COUNTRY = {"fi": "koko maa", "sv": "hela landet", "en": "whole country"}
FINLAND_NAMES = {"fi": "Suomi", "sv": "Finland", "en": "Finland"}


def _names_of(key: str) -> dict[str, str]:
    """An area's names by language, keyed by its lower-case Finnish name."""
    if key in ("suomi", "finland"):
        return FINLAND_NAMES
    if key in NATIONWIDE:
        return WHOLE_COUNTRY
    fi = _proper(key)
    return {"fi": fi, "sv": fi, "en": fi, **TRANSLATED.get(key, {})}


#: every name polku knows an area by (in any of its languages, lower case) -> its Finnish key
_KNOWN: dict[str, str] = {}
for _key in (*MUNICIPALITIES, *REGIONS, *GROUPS, *NATIONWIDE):
    for _name in _names_of(_key).values():
        _KNOWN.setdefault(_name.lower(), _key)
    _KNOWN[_key] = _key


def area_names(text: str | None) -> dict[str, str]:
    """The names of an area given in free text (a region column: ``Keski-Uusimaa``,
    ``koko maa``, ``Hyvinge``) in Finnish, Swedish and English, by Statistics Finland's
    classifications; ``{}`` for text polku does not recognise. The reader's language picks
    one at the edge (:func:`polku.present.i18n.area_name`).

    >>> area_names("Keski-Uusimaa")["sv"], area_names("koko maa")["en"], area_names("Hyvinge")
    ('Mellersta Nyland', 'whole country', {'fi': 'Hyvinkää', 'sv': 'Hyvinge', 'en': 'Hyvinkää'})
    >>> area_names("Jyväskylä; Laukaa")["sv"]
    'Jyväskylä; Laukas'
    >>> area_names("Kirkonkylä"), area_names(None)
    ({}, {})
    """
    parts = _parts(text)
    if len(parts) > 1:  # a list of areas: each named, joined as the text joins them
        each = [area_names(p) for p in parts]
        return {lang: "; ".join(n[lang] for n in each) for lang in ("fi", "sv", "en")} \
            if all(each) else {}
    key = _KNOWN.get((text or "").strip().lower())
    return dict(_names_of(key)) if key is not None else {}


def _parts(text: str | None) -> list[str]:
    """The areas a region text names: one, or a list separated by semicolons."""
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def locations(text: str | None) -> list[str]:
    """The code-list IRIs of the area named by ``text``, or ``[]`` when polku does not know it;
    a list of areas (``Jyväskylä; Muurame``) gives each known one's, in order.

    >>> locations("Hyvinkää")
    ['http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/106']
    >>> len(locations("Keski-Uusimaa")), locations("koko maa")
    (6, ['http://publications.europa.eu/resource/authority/country/FIN'])
    >>> [iri[-3:] for iri in locations("Jyväskylä; Muurame")]
    ['179', '500']
    >>> locations("Atlantis")
    []
    """
    parts = _parts(text)
    if len(parts) > 1:
        out: list[str] = []
        for part in parts:
            out += [iri for iri in _one(part) if iri not in out]
        return out
    return _one(text)


def unknown_areas(text: str | None) -> list[str]:
    """The parts of a region text polku knows no area by (a typo, a village, a municipality
    not in :data:`MUNICIPALITIES`): what an export says it could not place.

    >>> unknown_areas("Jyväskylä; Kirkonkylä"), unknown_areas("Hyvinkää"), unknown_areas("")
    (['Kirkonkylä'], [], [])
    """
    return [p for p in _parts(text) if not _one(p)]


def _one(text: str | None) -> list[str]:
    """The code-list IRIs of one area's name."""
    key = (text or "").strip().lower()
    if key in MUNICIPALITIES:
        return [MUNICIPALITY + MUNICIPALITIES[key]]
    if key in REGIONS:
        return [REGION + REGIONS[key]]
    if key in GROUPS:
        return [MUNICIPALITY + MUNICIPALITIES[m] for m in GROUPS[key]]
    if key in NATIONWIDE:
        return [FINLAND]
    return []


def municipality(code: str) -> str:
    """The IRI of a municipality by its three-digit code (PTV gives codes).

    >>> municipality("91")
    'http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/091'
    """
    return MUNICIPALITY + code.strip().zfill(3)
