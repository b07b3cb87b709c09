"""Workbook ids and actor kinds for data that comes from other publishers (CPSV-AP, PTV),
which name things by IRI or UUID and do not say polku's actor kinds."""

from __future__ import annotations

import re
import unicodedata

#: words in an organisation's Finnish name -> the actor kind they say (first match wins)
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("kuntayhtymä", "joint-authority"),
    ("yhtymä", "joint-authority"),
    ("hyvinvointialue", "wellbeing-county"),
    ("työllisyysalue", "employment-area"),
    ("kansaneläkelaitos", "kela"),
    ("kela", "kela"),
    ("kaupunki", "municipality"),
    ("kaupungin", "municipality"),
    ("kunnan", "municipality"),
    ("kunta", "municipality"),
    ("opisto", "education"),
    ("koulutus", "education"),
    ("yliopisto", "education"),
    ("ministeriö", "state"),
    ("keskus", "state"),
    ("virasto", "state"),
    ("yhdistys", "third-sector"),
    ("säätiö", "third-sector"),
    ("ry", "third-sector"),
)


def slug(text: str, fallback: str = "x") -> str:
    """A workbook id made of a name: lower case, ä → a, ö → o, other marks dropped, words
    joined by ``-``.

    >>> slug("Nettilukio aikuisille"), slug("Mikkelin kaupungin liikelaitos Otavia")
    ('nettilukio-aikuisille', 'mikkelin-kaupungin-liikelaitos-otavia')
    >>> slug("Ääneen!"), slug("…", "ptv")
    ('aaneen', 'ptv')
    """
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return plain[:60].rstrip("-") or fallback


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken yet; it is taken then."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def guess_kind(name: str, public: bool | None = None) -> str:
    """polku's actor kind from an organisation's name (``other`` when nothing says).

    >>> guess_kind("Liperin kunta"), guess_kind("Työttömien yhdistys ry"), guess_kind("X Oy")
    ('municipality', 'third-sector', 'other')
    >>> guess_kind("Keski-Uudenmaan koulutuskuntayhtymä"), guess_kind("HUS-yhtymä")
    ('joint-authority', 'joint-authority')
    """
    words = re.findall(r"\w+", name.lower())
    for word, kind in KIND_WORDS:
        if any(w == word or (len(word) > 4 and w.endswith(word)) for w in words):
            return kind
    return "state" if public else "other"
