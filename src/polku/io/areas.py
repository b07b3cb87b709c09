"""Areas as the standards name them: Finnish municipalities, regions (maakunnat) and
wellbeing services counties from Statistics Finland's classifications (the JHS code lists on
uri.suomi.fi; the table, transcribed, is :mod:`polku.io.area_classification`), and
countries from the EU authority tables.

CPSV-AP asks every public organisation for a ``dct:spatial`` location. The workbook says an
actor's region in free text (``Keski-Uusimaa``, ``Hyvinkää``, ``Vasa``, ``koko maa``);
:func:`locations` turns such text into the code-list IRIs, so that two graphs that say
``Hyvinkää`` (or ``Hyvinge``) point at the same resource. An area is known by its Finnish or
its Swedish name, in any case. A list of areas (``Vaasa; Mustasaari``, an employment
area's) is an area each: each gets its own code and its own name in the reader's language.
Text polku does not recognise gives no location, and :func:`unknown_areas` names the parts
it did not know (a CPSV-AP export says them in a note, then falls back to the graph's
region, and last to Finland); a reader sees it as written.
"""

from __future__ import annotations

import unicodedata
from typing import Mapping

from polku.io.area_classification import (COUNTY_ROWS, COUNTY_SHORT_ROWS, MUNICIPALITY_ROWS,
                                          REGION_ROWS)

MUNICIPALITY = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
REGION = "http://uri.suomi.fi/codelist/jhs/maakunta_1_20230101/code/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
FINLAND = COUNTRY + "FIN"

LANGUAGES = ("fi", "sv", "en")


def _municipality_rows() -> list[tuple[str, str, str, str]]:
    """(code, Finnish, Swedish, region code) of every municipality in the classification."""
    rows = []
    for region, block in MUNICIPALITY_ROWS.items():
        for line in block.splitlines():
            code, _, names = line.strip().partition(" ")
            fi, _, sv = (n.strip() for n in names.partition("|"))
            rows.append((code, fi, sv or fi, region))
    return rows


_ROWS = _municipality_rows()
#: an area's names by language, keyed by its lower-case Finnish name: every municipality,
#: region and wellbeing services county (English uses a municipality's Finnish name)
_AREAS: dict[str, dict[str, str]] = {
    **{fi.lower(): {"fi": fi, "sv": sv, "en": fi} for _, fi, sv, _ in _ROWS},
    **{fi.lower(): {"fi": fi, "sv": sv, "en": en} for _, fi, sv, en in REGION_ROWS},
    **{fi.lower(): {"fi": fi, "sv": sv, "en": en} for fi, sv, en, _ in COUNTY_ROWS},
    **{fi.lower(): {"fi": fi, "sv": sv, "en": en} for fi, sv, en, _ in COUNTY_SHORT_ROWS},
}

#: municipality name (Finnish, lower case) -> its code in the JHS municipality code list
#: (Statistics Finland's municipality classification)
MUNICIPALITIES: dict[str, str] = {fi.lower(): code for code, fi, _, _ in _ROWS}
#: region (maakunta) name (Finnish, lower case) -> its code in the JHS region code list
REGIONS: dict[str, str] = {fi.lower(): code for code, fi, _, _ in REGION_ROWS}
#: a wellbeing services county that is its region's area -> the region's code
_COUNTY_REGIONS: dict[str, str] = {fi.lower(): area for fi, _, _, area in COUNTY_ROWS
                                   if isinstance(area, str)}
#: areas that are groups of municipalities (Uusimaa's wellbeing services counties, by their
#: names and their short names) -> the lower-case Finnish names of their municipalities
GROUPS: dict[str, tuple[str, ...]] = {
    fi.lower(): tuple(m.lower() for m in area) for fi, _, _, area in COUNTY_ROWS
    if not isinstance(area, str)}
GROUPS.update({short.lower(): GROUPS[county.lower()]
               for short, _, _, county in COUNTY_SHORT_ROWS})
NATIONWIDE = {"koko maa", "suomi", "finland", "hela landet", "nationwide", "valtakunnallinen"}

#: IRI -> its name (Finnish), for the labels of the locations written
NAMES: dict[str, str] = {
    **{MUNICIPALITY + code: fi for code, fi, _, _ in _ROWS},
    **{REGION + code: fi for code, fi, _, _ in REGION_ROWS},
    FINLAND: "Suomi",
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
    return _AREAS[key]


#: every name polku knows an area by (Finnish, Swedish or English, lower case) -> its key.
#: A name is one area's: no Swedish name of one area is another's Finnish name
#: (tests/test_area_names.py holds the table to that).
_KNOWN: dict[str, str] = {}
for _key in (*_AREAS, *NATIONWIDE):
    for _name in _names_of(_key).values():
        _KNOWN.setdefault(_name.lower(), _key)
    _KNOWN[_key] = _key


def area_key(text: str | None) -> str | None:
    """The one key an area is known by whichever of its names ``text`` gives (its
    lower-case Finnish name), ``None`` for text polku does not know: ``Vasa`` and
    ``VAASA`` are one area.

    >>> area_key("Vasa"), area_key(" VAASA "), area_key("Kirkonkylä")
    ('vaasa', 'vaasa', None)
    """
    return _KNOWN.get((text or "").strip().lower())


#: the letters Finnish and Swedish put after z (in their order), and ü, filed as y
AFTER_Z = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"}


def alphabet_key(text: str, after_z: Mapping[str, str] = AFTER_Z) -> tuple[str, str]:
    """A sort key that puts names in alphabetical order, case aside: by default the
    Finnish (and Swedish) alphabet's, å, ä and ö after z, ü as y (:data:`AFTER_Z`), the
    order of the primary names an analysis lists (:func:`polku.analyses.describe.describe`'s
    areas); another accented letter with its plain one (é with e; every one where
    ``after_z`` is empty, as English files them); the text itself parts two names that
    differ only in case or accent. The reader's order is
    :func:`polku.present.i18n.alphabetical`.

    >>> sorted(["Uusimaa", "koko maa", "Keski-Uusimaa", "Åland"], key=alphabet_key)
    ['Keski-Uusimaa', 'koko maa', 'Uusimaa', 'Åland']
    """
    out = []
    for ch in text.casefold():
        if ch in after_z:
            out.append(after_z[ch])
        else:  # é → e
            out.append("".join(c for c in unicodedata.normalize("NFD", ch)
                               if not unicodedata.combining(c)))
    return "".join(out), text


def area_parts(text: str | None) -> list[str]:
    """The areas a region text names, each once: one, or a list separated by semicolons,
    an area named twice (``Vaasa; Vasa``) kept as first written.

    >>> area_parts("Vaasa; Mustasaari; Vasa"), area_parts(" ; "), area_parts(None)
    (['Vaasa', 'Mustasaari'], [], [])
    """
    out: dict[str, str] = {}
    for part in _parts(text):
        out.setdefault(area_key(part) or part, part)
    return list(out.values())


def area_names(text: str | None) -> dict[str, str]:
    """The names of an area given in free text (a region column: ``Keski-Uusimaa``,
    ``koko maa``, ``Hyvinge``) in Finnish, Swedish and English, by Statistics Finland's
    classifications; ``{}`` for text polku does not recognise. A list of areas names each
    area, a part polku does not know as written. The reader's language picks one at the
    edge (:func:`polku.present.i18n.area_name`).

    >>> area_names("Keski-Uusimaa")["sv"], area_names("koko maa")["en"], area_names("Hyvinge")
    ('Mellersta Nyland', 'whole country', {'fi': 'Hyvinkää', 'sv': 'Hyvinge', 'en': 'Hyvinkää'})
    >>> area_names("Vaasa; Mustasaari")["sv"], area_names("Korsholm; Kirkonkylä")["fi"]
    ('Vasa; Korsholm', 'Mustasaari; Kirkonkylä')
    >>> area_names("Kirkonkylä"), area_names(None)
    ({}, {})
    """
    parts = _parts(text)
    if len(parts) > 1:  # a list of areas: each named, joined as the text joins them
        each = [area_names(p) for p in parts]
        if not any(each):
            return {}
        return {lang: "; ".join(n.get(lang, p) for n, p in zip(each, parts))
                for lang in LANGUAGES}
    key = area_key(text)
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
    >>> [iri[-3:] for iri in locations("Vasa; Mustasaari")], locations("Pohjanmaa")[0][-2:]
    (['905', '499'], '15')
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
    """The code-list IRIs of one area's name, Finnish or Swedish (a wellbeing services
    county outside Uusimaa is its region's area)."""
    key = area_key(text) or ""
    if key in MUNICIPALITIES:
        return [MUNICIPALITY + MUNICIPALITIES[key]]
    if key in REGIONS:
        return [REGION + REGIONS[key]]
    if key in _COUNTY_REGIONS:
        return [REGION + _COUNTY_REGIONS[key]]
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
