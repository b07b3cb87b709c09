"""Workbook ids (:data:`ID_RE`), the graph's own id among them, and actor kinds: ids made
of names for data that comes from other publishers (CPSV-AP, PTV), which name things by IRI
or UUID and do not say polku's actor kinds, and of the file or folder name of a workbook
that has no graph sheet."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable

import networkx as nx

from polku.errors import PolkuError
from polku.words import N_

#: a workbook id: a node's, a designed path's and the graph's own, from which every
#: resource IRI is built (``docs/workbook.md``, *Conventions*)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

#: legal forms that make an organisation an association or a foundation (ry, rf: a
#: registered association; säätiö, sr, stiftelse: a foundation): third sector, whatever else
#: its name says ('Uusyrityskeskus ry' is no state agency for its 'keskus')
NONPROFIT_FORMS = frozenset({"ry", "rf", "säätiö", "sr", "stiftelse", "stiftelsen"})
#: legal forms of a company or a cooperative (Oy, Oyj, Ab, Abp, osk/osuuskunta, Ky, Kb):
#: never a public body, whatever else its name says
COMPANY_FORMS = frozenset({"oy", "oyj", "ab", "abp", "osk", "osuuskunta", "ky", "kb"})
#: the kinds a company's own words may still say: its field (``Hyria koulutus Oy``)
COMPANY_KINDS = frozenset({"education", "occupational-health", "research", "employer"})
#: ``r.y.``, ``r.f.``: the legal form written with points, read as ``ry``, ``rf``
_DOTTED_FORM = re.compile(r"\br\.\s?([yf])\b\.?")

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


def _has(words: list[str], word: str) -> bool:
    """``word`` is one of ``words``, or ends one (a compound, ``Takuusäätiö``) when it is
    long enough to say something on its own."""
    return any(w == word or (len(word) > 4 and w.endswith(word)) for w in words)


def kind_in_name(name: str) -> str | None:
    """The actor kind an organisation's name says by its own words, None when it says none.
    A legal form decides first: an association or a foundation is ``third-sector``; a
    company or cooperative is never a public body (its own words may say its field,
    :data:`COMPANY_KINDS`; else ``other``); then the words of :data:`KIND_WORDS`.

    >>> kind_in_name("Keski-Uudenmaan Uusyrityskeskus ry"), kind_in_name("Keusoten työkykytiimi")
    ('third-sector', None)
    >>> kind_in_name("Kuntoutuskeskus Oy"), kind_in_name("Hyria koulutus Oy")
    ('other', 'education')
    """
    words = re.findall(r"\w+", _DOTTED_FORM.sub(r"r\1", name.lower()))
    if any(_has(words, form) for form in NONPROFIT_FORMS):
        return "third-sector"
    said = next((kind for word, kind in KIND_WORDS if _has(words, word)), None)
    if any(w in COMPANY_FORMS for w in words):
        return said if said in COMPANY_KINDS else "other"
    return said


def guess_kind(name: str, public: bool | None = None) -> str:
    """polku's actor kind from an organisation's name (:func:`kind_in_name`); when the name
    says none, ``state`` for a public organisation, else ``other``.

    >>> guess_kind("Liperin kunta"), guess_kind("Työttömien yhdistys ry"), guess_kind("X Oy")
    ('municipality', 'third-sector', 'other')
    >>> guess_kind("Keski-Uudenmaan koulutuskuntayhtymä"), guess_kind("HUS-yhtymä")
    ('joint-authority', 'joint-authority')
    >>> guess_kind("Keski-Uudenmaan Uusyrityskeskus ry", False), guess_kind("KEHA-keskus")
    ('third-sector', 'state')
    """
    return kind_in_name(name) or ("state" if public else "other")


def kinds_from_parents(g: nx.MultiDiGraph, unsaid: Iterable[str]) -> None:
    """Give each actor of ``unsaid`` (its kind a guess: its name said none) its parent's
    kind (``part_of``; the parent's own, taken the same way, up the chain): a unit of a
    wellbeing county (``Keusoten työkykytiimi``) is the county's, not a state agency. An
    actor with no parent keeps its guess.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("k", type="actor", kind="wellbeing-county")
    >>> for n in ("t", "u"): g.add_node(n, type="actor", kind="state")
    >>> add_edge(g, "t", "k", "part_of"); add_edge(g, "u", "t", "part_of")
    >>> kinds_from_parents(g, {"t", "u"}); g.nodes["u"]["kind"], g.nodes["t"]["kind"]
    ('wellbeing-county', 'wellbeing-county')
    """
    unsaid = set(unsaid)

    def parent(node: str) -> str | None:
        return next((v for _, v, k in g.out_edges(node, data="kind") if k == "part_of"), None)

    def kind(node: str, seen: frozenset[str]) -> object:
        up = parent(node)
        if node not in unsaid or up is None or up in seen:  # a cycle keeps its guesses
            return g.nodes[node].get("kind")
        return kind(up, seen | {node})

    kinds = {node: kind(node, frozenset()) for node in sorted(unsaid) if node in g}
    for node, k in kinds.items():
        if k:
            g.nodes[node]["kind"] = k
