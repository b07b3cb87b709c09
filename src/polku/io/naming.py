"""Workbook ids (:data:`ID_RE`), the graph's own id among them, and actor kinds: ids made
of names for data that comes from other publishers (CPSV-AP, PTV), which name things by IRI
or UUID and do not say polku's actor kinds, and of the file or folder name of a workbook
that has no graph sheet."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from polku.errors import PolkuError
from polku.words import N_

#: a workbook id: a node's, a designed path's and the graph's own, from which every
#: resource IRI is built (``docs/workbook.md``, *Conventions*)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

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


def graph_id(text: str, fallback: str = "graph") -> str:
    """``text`` as a graph id: itself when it is one already (``keski_uusimaa`` stays), else
    :func:`slug` of it. A graph named after a file or folder gets its id so, never a name
    with a space, which would travel into every IRI (``…/id/Oma%20Alue/…``) and come back
    from a workbook export as an id the import refuses.

    >>> graph_id("keski_uusimaa"), graph_id("Oma Alue"), graph_id("Alue 2026 (v2)")
    ('keski_uusimaa', 'oma-alue', 'alue-2026-v2')
    >>> graph_id("Östra Nyland – Åboland"), graph_id("  ")
    ('ostra-nyland-aboland', 'graph')
    """
    return text if ID_RE.match(text) else slug(text, fallback)


def graph_name_of(path: Path) -> tuple[str, str | None]:
    """The graph id a workbook or graph file without a name of its own takes from ``path``
    (a folder's name, a file's name without its suffix), and that name as the graph's title
    when the id had to change it (None when it is the id already).

    >>> graph_name_of(Path("x/Oma Alue")), graph_name_of(Path("Alue 2026 (v2).xlsx"))
    (('oma-alue', 'Oma Alue'), ('alue-2026-v2', 'Alue 2026 (v2)'))
    >>> graph_name_of(Path("graphs/keski-uusimaa.ttl"))
    ('keski-uusimaa', None)
    """
    text = path.name if path.is_dir() else path.stem
    if not text:  # "." or "/": the folder's own name
        text = path.resolve().name
    name = graph_id(text)
    return name, (text if name != text and text.strip() else None)


def check_graph_id(name: str, option: str = "name") -> str:
    """``name`` when it is a valid graph id; else an error about ``option`` (its ``field``:
    the command line says ``--name: …``) that offers the id it could be.

    >>> check_graph_id("my-region")
    'my-region'
    >>> check_graph_id("Oma Alue")
    Traceback (most recent call last):
    polku.errors.PolkuError: 'Oma Alue' is not a valid graph id (only the letters a–z without å, ä and ö, digits, '-' and '_', starting with a letter or digit): write, for example, 'oma-alue'
    """
    if not ID_RE.match(name):
        raise PolkuError(N_("'{name}' is not a valid graph id (only the letters a–z "
                            "without å, ä and ö, digits, '-' and '_', starting with a letter "
                            "or digit): write, for example, '{id}'"),
                         params={"name": name, "id": graph_id(name)},
                         field=option)
    return name


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
