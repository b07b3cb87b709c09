"""Areas as the standards name them: Finnish municipalities and regions (maakunnat) from the
JHS code lists on uri.suomi.fi, and countries from the EU authority tables.

CPSV-AP asks every public organisation for a ``dct:spatial`` location. The workbook says an
actor's region in free text (``Keski-Uusimaa``, ``Hyvinkää``, ``koko maa``);
:func:`locations` turns such text into the code-list IRIs, so that two graphs that say
``Hyvinkää`` point at the same resource. Only the areas below are known; text polku does
not recognise gives no location (the caller then falls back to the graph's region, and
last to Finland).
"""

from __future__ import annotations

MUNICIPALITY = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
REGION = "http://uri.suomi.fi/codelist/jhs/maakunta_1_20230101/code/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
FINLAND = COUNTRY + "FIN"

#: municipality name (Finnish, lower case) -> its code in the JHS municipality code list
MUNICIPALITIES: dict[str, str] = {
    "hyvinkää": "106", "järvenpää": "186", "kerava": "245", "mäntsälä": "505",
    "nurmijärvi": "543", "pornainen": "611", "tuusula": "858", "helsinki": "091",
    "vantaa": "092", "espoo": "049", "jyväskylä": "179", "jämsä": "182", "laukaa": "410",
    "muurame": "500", "äänekoski": "992", "keuruu": "249", "mikkeli": "491",
    "liperi": "426", "joensuu": "167",
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


def locations(text: str | None) -> list[str]:
    """The code-list IRIs of the area named by ``text``, or ``[]`` when polku does not know it.

    >>> locations("Hyvinkää")
    ['http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/106']
    >>> len(locations("Keski-Uusimaa")), locations("koko maa")
    (6, ['http://publications.europa.eu/resource/authority/country/FIN'])
    >>> locations("Atlantis")
    []
    """
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
