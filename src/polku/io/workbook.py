"""The workbook: the spreadsheet format designers fill in (``docs/workbook.md``).

A workbook is a folder of CSV files (``<sheet>.csv``) or one ``.xlsx`` whose sheets carry
the same names. :func:`read_workbook` turns one into the typed graph of :mod:`polku.graph`
and reports every problem it finds with file, sheet, row and column;
:func:`write_workbook` writes a graph back, so that workbook → graph → workbook → graph
loses nothing the sheets can say.

The sheets are declared once, in :data:`SHEETS`; reading, writing and the checks all
follow that table.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence
import networkx as nx

from polku.io import atomic
from polku.io.encodings import HEAD, utf16_codec
from polku.catalogues import words_of
from polku.errors import (CellError, Counted, Figure, NodeTypes, Phrase, PolkuError,
                          PolkuErrors, Said, not_a_choice, os_reason)
from polku.graph import likely_id  # noqa: F401 (the reader's guesses, and its doctests)
from polku.graph import (ACTOR_KINDS, INFORMATION_FLOWS, ORGANISED, ROLES, add_edge, add_edges,
                         add_nodes, new_graph, parent_cycles, repeated_steps, targets)
from polku.followup import STATUS_WORDS, STATUSES, check_key, parse_date, parse_status
from polku.io.naming import ID_RE, graph_name_of, slug
from polku.io.bidi import BIDI_CONTROL, bidi_params, char_code
from polku.io.near_names import meant, named_otherwise
from polku import privacy
from polku.bounds import BOUNDS, Bound
from polku.privacy import HETU_MESSAGE, MIN_CELL, NAME_NOT_SHOWN, PEOPLE_COLUMNS, find_hetu
from polku.progress import Progress, silent
from polku.words import ACTOR_KIND_NAMES, ORGANISED_NAMES, N_, ngettext

#: What a designer may write for a choice, by language, in any case: word -> the code the
#: graph keeps. One table, the same for Finnish, Swedish and English: every word the pages
#: show for a code (the catalogues' ``kyllä``, ``osallistuja``, ``hörs``, ``okänt``) reads
#: back as that code, with the spellings a spreadsheet writes (``TOSI``, ``FALSKT``) and the
#: words people use beside them (``mukana``, ``informerad``). The reader, the edits' row keys
#: and the web forms (which show a stored ``nej`` as the option *no*) all read it; the
#: docs list it whole (tests/test_workbook.py holds them to it).
CHOICE_WORDS: dict[str, dict[str, dict[str, str]]] = {
    "bool": {
        "en": {"yes": "yes", "true": "yes", "no": "no", "false": "no"},
        "fi": {"kyllä": "yes", "kylla": "yes", "tosi": "yes",
               "ei": "no", "epätosi": "no", "epatosi": "no"},
        "sv": {"ja": "yes", "sant": "yes", "nej": "no", "falskt": "no"},
    },
    "role": {
        "en": {"lead": "lead", "participant": "participant", "consulted": "consulted",
               "informed": "informed"},
        "fi": {"päävastuu": "lead", "paavastuu": "lead", "osallistuja": "participant",
               "mukana": "participant", "kuultava": "consulted", "tiedotettava": "informed"},
        "sv": {"huvudansvar": "lead", "deltagare": "participant", "deltar": "participant",
               "hörs": "consulted", "konsulterad": "consulted", "rådfrågad": "consulted",
               "informeras": "informed", "informerad": "informed"},
    },
    # a referral's information flow: a boolean word, or the word for "not known"
    "information_flow": {
        "en": {"unknown": "unknown"},
        "fi": {"ei tiedossa": "unknown", "tuntematon": "unknown"},
        "sv": {"okänt": "unknown", "okänd": "unknown"},
    },
}


#: the choice columns whose words are the words polku shows for their codes, its display
#: names (:mod:`polku.words`) in Finnish, Swedish and English (:mod:`polku.catalogues`): an
#: actor's ``kind`` reads ``kunta``, ``kommun``, ``municipality``, as the pages show it. A
#: name with an explanation in brackets (``järjestö (kolmas sektori)``) reads without it too
SHOWN_CHOICES: dict[str, dict[str, str]] = {"kind": ACTOR_KIND_NAMES,
                                             "organised": ORGANISED_NAMES}


def _shown_words(names: Mapping[str, str]) -> dict[str, str]:
    """Every word of :data:`SHOWN_CHOICES`' ``names``, folded -> its code; a word two codes
    would share (no catalogue has one) is left out, so that no cell is read by a guess."""
    found: dict[str, set[str]] = defaultdict(set)
    for code, name in names.items():
        found[code].add(code)
        for word in words_of(name):
            word = " ".join(word.lower().split())
            found[word].add(code)
            short = re.sub(r"\s*\(.*\)$", "", word)
            if short and short != word:
                found[short].add(code)
    return {w: next(iter(codes)) for w, codes in found.items() if len(codes) == 1}


def choice_words(column: str) -> dict[str, str]:
    """Every word ``column`` (a choice's name in :data:`CHOICE_WORDS`: ``bool``, ``role``,
    ``information_flow``, ``status``; or in :data:`SHOWN_CHOICES`: ``kind``, ``organised``)
    accepts, folded (lower case, single spaces) -> its code; the codes themselves included.

    >>> words = choice_words("role")
    >>> words["huvudansvar"], words["mukana"], words["informed"]
    ('lead', 'participant', 'informed')
    >>> choice_words("information_flow")["nej"], choice_words("status")["pågår"]
    ('no', 'in-progress')
    >>> choice_words("kind")["kuntayhtymä"], choice_words("organised")["separat"]
    ('joint-authority', 'separately')
    """
    if column == "status":
        return {**{s: s for s in STATUSES}, **STATUS_WORDS}
    if column in SHOWN_CHOICES:
        return _shown_words(SHOWN_CHOICES[column])
    own = CHOICE_WORDS[column]
    # a referral's information flow takes every boolean word too
    tables = [*CHOICE_WORDS["bool"].values()] if column == "information_flow" else []
    return {w: code for table in [*tables, *own.values()] for w, code in table.items()}


def choice_code(column: str, text: str) -> str | None:
    """The code ``text`` means in ``column`` (:func:`choice_words`), or None for a word the
    column does not accept; case and spaces do not matter.

    >>> choice_code("bool", " NEJ "), choice_code("role", "Deltagare"), choice_code("bool", "ehkä")
    ('no', 'participant', None)
    """
    return _choice_table(column).get(" ".join(text.strip().lower().split()))


@cache
def _choice_table(column: str) -> dict[str, str]:
    """:func:`choice_words` made once per column: a national workbook asks for some
    10,000 roles and booleans. Read only (the public :func:`choice_words` hands out copies)."""
    return choice_words(column)


#: the Finnish and Swedish words of a role (the reader and the edits' row keys accept them)
ROLE_WORDS = choice_words("role")

#: the longest cell, in characters: a spreadsheet's own limit (Excel keeps 32,767); longer
#: text is no workbook cell, and a CSV field past the csv module's limit (131,072) would make
#: the sheet unreadable for every later reader
MAX_CELL = 32_767
#: the most rows one sheet may have unless ``POLKU_MAX_ROWS`` (or ``max_rows=``) says
#: otherwise: a ceiling that answers a clear error before a huge file eats the memory
MAX_ROWS = 250_000
#: what makes a spreadsheet run a cell as a formula (CSV injection, OWASP)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: the longest column name
MAX_COLUMN_NAME = 100


def row_ceiling(given: int | None = None) -> int:
    """The row ceiling of a sheet: ``given``, else ``POLKU_MAX_ROWS``, else :data:`MAX_ROWS`.

    >>> row_ceiling(10)
    10
    """
    if given is not None:
        return given
    text = os.environ.get("POLKU_MAX_ROWS", "").strip()
    if text:
        try:
            value = int(text)
        except ValueError:
            raise PolkuError(N_("POLKU_MAX_ROWS is '{text}', not a whole number"),
                             params={"text": text}) from None
        if value < 1:
            raise PolkuError(N_("POLKU_MAX_ROWS is {value}: it must be 1 or more"),
                             params={"value": value})
        return value
    return MAX_ROWS


def column_name_problem(name: str) -> str | None:
    """What is wrong with a column name, or None. A name never holds an identity code
    (it would travel as a property name into every export), a separator that breaks the
    CSV header, or a formula start.

    >>> column_name_problem("note_fi") is None
    True
    >>> column_name_problem("=cmd")
    'a column name cannot start with =, +, -, @, a tab or a line break (a spreadsheet would run it as a formula)'
    """
    # catalogued texts (Said, Phrase): the message that quotes one words it at the edge
    if find_hetu(name) is not None:
        return Phrase(N_("the column name {problem}"), problem=Said(HETU_MESSAGE))
    if name.startswith(FORMULA_STARTS):
        return Said(N_("a column name cannot start with =, +, -, @, a tab or a line break "
                       "(a spreadsheet would run it as a formula)"))
    if any(c in name for c in ',"\n\r\t') or _CONTROL.search(name):
        return Said(N_("a column name cannot hold a comma, a quote, a line break, a tab or a "
                       "control character"))
    if len(name) > MAX_COLUMN_NAME:
        return Phrase(N_("a column name has at most {most} characters"), most=MAX_COLUMN_NAME)
    return None


def _shown_name(name: str) -> str | Said:
    """A refused column name as a message may quote it (never an identity code: then
    :data:`polku.privacy.NAME_NOT_SHOWN`, in the reader's language)."""
    if find_hetu(name) is not None:
        return Said(NAME_NOT_SHOWN)
    return repr(name[:40] + ("…" if len(name) > 40 else ""))


class Uncomputed:
    """An .xlsx cell holding a formula whose value was never saved (the file was written by
    a program that does not compute formulas): read as empty, and refused in a typed column
    so that a figure is never silently lost."""

    __slots__ = ("formula",)

    def __init__(self, formula: str = "") -> None:
        self.formula = formula

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"Uncomputed({self.formula!r})"


def neutral(text: str) -> str:
    """A cell's text as a CSV file may carry it: a leading ``'`` before a formula start, as a
    spreadsheet itself writes it, so that opening the file never runs a formula; the reader
    takes the ``'`` away again (numbers stay as they are).

    >>> neutral("=HYPERLINK(1)"), neutral("-5"), neutral("Kela")
    ("'=HYPERLINK(1)", '-5', 'Kela')
    """
    if text and text.startswith(FORMULA_STARTS) and not _NUMBER_RE.fullmatch(text.strip()):
        return "'" + text
    return text


def neutral_rows(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Rows with every cell :func:`neutral` (what every CSV polku writes holds)."""
    return [{k: neutral(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


def unneutral(text: str) -> str:
    """The text :func:`neutral` protected.

    >>> unneutral("'=HYPERLINK(1)"), unneutral("'Kela")
    ('=HYPERLINK(1)', "'Kela")
    """
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def unneutral_row(row: Mapping[str, object]) -> dict[str, object]:
    """A row of sheet cells as the reader reads them: every text :func:`unneutral` (what
    the rows API answers, so a cell has the one value the write, the change log and the
    graph give it).

    >>> unneutral_row({"name": "'=HYPERLINK(1)", "legal_basis": "'@SUM(1)", "size": "3"})
    {'name': '=HYPERLINK(1)', 'legal_basis': '@SUM(1)', 'size': '3'}
    """
    return {k: unneutral(v) if isinstance(v, str) else v for k, v in row.items()}


_NUMBER_RE = re.compile(r"[+-]?(\d[\d \u00a0\u202f]*([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``kind`` says how a cell is read: ``text``, ``id``, ``number``, ``integer``, ``bool``,
    ``ratio`` (a number 0–1), ``enum`` (one of ``choices``), ``ref`` / ``refs`` (one id /
    a ``;`` list of ids of the node types in ``targets``), ``list`` (a ``;`` list of text),
    ``month`` (``YYYY-MM``), ``date`` (``YYYY-MM-DD``), ``business_id`` (a Y-tunnus, check
    digit verified), ``status`` (a follow-up status, :mod:`polku.followup`), ``finding_key``
    (a finding's stable key, :func:`polku.finding.finding_key`).
    ``minimum``: the smallest number allowed (numbers are never negative anyway);
    ``bound``: the figure's range (:data:`polku.bounds.BOUNDS`, which the RDF reader checks
    too): its largest value, and the smallest above 0.
    """
    name: str
    kind: str = "text"
    required: bool = False
    targets: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    #: the range of a figure: a count of people above every person in Finland, a wait of
    #: over ten years is a typo (``1e308`` for ``108``), not a region
    bound: Bound | None = None


def _names() -> list[Column]:
    return [Column("name", required=True), Column("name_sv"), Column("name_en")]


@dataclass(frozen=True)
class Sheet:
    """One sheet: its columns, the node type its rows become, and whether it must exist."""
    name: str
    columns: tuple[Column, ...]
    node_type: str | None = None
    required: bool = False
    #: how the list/reference columns become edges: column -> (edge kind, reversed?)
    edges: dict[str, tuple[str, bool]] = field(default_factory=dict)
    #: columns that hold another node attribute's value: column -> attribute (title -> name)
    attrs: dict[str, str] = field(default_factory=dict)
    #: actor-list columns that become responsibilities on the row: column -> role
    roles: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Column]:
        # looked up for every reference of every row: a dict, made once per sheet
        return {c.name: c for c in reversed(self.columns)}

    @cached_property
    def attribute_of(self) -> dict[str, str | None]:
        """Column -> the node attribute it fills; None for ``id`` and the columns that
        become edges or responsibilities."""
        return {c.name: None if c.name == "id" or c.name in self.edges or c.name in self.roles
                else self.attrs.get(c.name, c.name) for c in self.columns}


SHEETS: dict[str, Sheet] = {s.name: s for s in (
    # one row naming the graph itself: its id is where every resource IRI comes from
    Sheet("graph", (
        Column("id", "id", True), Column("title"), Column("title_sv"), Column("title_en"),
        Column("region"), Column("region_sv"), Column("region_en"),
        Column("illustrative", "bool"), Column("source"),
    )),
    Sheet("actors", (
        Column("id", "id", True), *_names(),
        Column("business_id", "business_id"),
        Column("kind", "enum", True, choices=ACTOR_KINDS),
        Column("parent", "ref", targets=("actor",)),
        Column("region"),
    ), "actor", True, {"parent": ("part_of", False)}),
    Sheet("services", (
        Column("id", "id", True), *_names(),
        Column("providers", "refs", targets=("actor",)),
        Column("capacity_per_month", "number", bound=BOUNDS["capacity_per_month"]),
        Column("places", "integer", minimum=1, bound=BOUNDS["places"]),
        Column("entry", "bool"),
        Column("needs", "refs", targets=("need",)),
        Column("segments", "refs", targets=("segment",)),
        Column("method"), Column("legal_basis"),
        Column("organised", "enum", choices=ORGANISED), Column("description"),
    ), "service", True, {"providers": ("provides", True), "needs": ("addresses", False),
                         "segments": ("for_segment", False)}),
    Sheet("outcomes", (Column("id", "id", True), *_names(), Column("description")), "outcome"),
    Sheet("needs", (Column("id", "id", True), *_names(), Column("factor")), "need"),
    Sheet("segments", (
        Column("id", "id", True), *_names(),
        # people are counted whole (a referral's clients a month are an average)
        Column("size", "integer", bound=BOUNDS["size"]),
        Column("participation_rate", "ratio"),
        Column("needs", "refs", targets=("need",)),
        Column("entry", "refs", targets=("service",)),
        Column("description"),
    ), "segment", False, {"needs": ("has_need", False), "entry": ("entry", False)}),
    Sheet("referrals", (
        Column("id", "id", True),
        Column("from", "ref", True, targets=("service",)),
        Column("to", "ref", True, targets=("service", "outcome")),
        Column("segments", "refs", targets=("segment",)),
        Column("volume_per_month", "number", bound=BOUNDS["volume_per_month"]),
        Column("median_wait_days", "number", bound=BOUNDS["median_wait_days"]),
        Column("owner", "ref", targets=("actor",)),
        Column("information_flow", "enum", choices=INFORMATION_FLOWS),
    ), "referral", False, {"from": ("from", False), "to": ("to", False),
                           "segments": ("for_segment", False), "owner": ("owner", False)}),
    # the plan layer (polku.io.plan): goals, measures and how measures are followed up
    Sheet("goals", (
        Column("id", "id", True), Column("title", required=True), Column("description"),
        Column("subthemes"),
    ), "goal", attrs={"title": "name"}),
    Sheet("measures", (
        Column("id", "id", True),
        Column("goal", "ref", targets=("goal",)),
        Column("title", required=True),
        Column("leads", "refs", targets=("actor",)),
        Column("participants", "refs", targets=("actor",)),
        Column("start", "month"), Column("end", "month"),
        Column("subjects", "refs", targets=("segment", "service", "need", "referral")),
        Column("deferred", "bool"), Column("deferred_text"), Column("description"),
        Column("note"), Column("parts", "list"), Column("actions"), Column("target_groups"),
        Column("outputs"), Column("impacts"),
    ), "measure", False, {"goal": ("in_goal", False), "subjects": ("subject", False)},
        attrs={"title": "name"}, roles={"leads": "lead", "participants": "participant"}),
    Sheet("indicators", (
        Column("id", "id", True), Column("measure", "ref", True, targets=("measure",)),
        Column("name", required=True), Column("part"),
    ), "indicator", False, {"measure": ("has_indicator", True)}),
    Sheet("risks", (
        Column("id", "id", True), Column("measure", "ref", True, targets=("measure",)),
        Column("name", required=True), Column("mitigation"), Column("part"),
    ), "risk", False, {"measure": ("has_risk", True)}),
    Sheet("responsibilities", (
        Column("actor", "ref", True, targets=("actor",)),
        Column("subject", "ref", True, targets=("service", "referral", "segment", "measure")),
        Column("role", "enum", True, choices=ROLES),
        Column("note"),
    )),
    Sheet("paths", (
        Column("path", "text", True),
        Column("segment", "ref", True, targets=("segment",)),
        Column("step", "integer", True),
        Column("node", "ref", True, targets=("service", "outcome")),
        Column("name"), Column("name_sv"), Column("name_en"),
    )),
    # what is being done about each finding (polku.followup); kept as g.graph["followups"]
    Sheet("followups", (
        Column("finding", "finding_key", True),
        Column("status", "status", True, choices=STATUSES),
        Column("owner", "ref", targets=("actor",)),
        Column("due", "date"),
        Column("note"), Column("updated"), Column("by"),
    )),
)}
#: What a designer may write for a column's name in other words: Finnish, Swedish and
#: English names of the column (the header polku reads is the name above, in English, as
#: docs/workbook.md writes it), column -> language -> names, compared as
#: :func:`polku.io.near_names.folded` compares names (case, spaces, hyphens and dots). A
#: header that is one of them is the misspelling it is, not a column of its own: kept as
#: an extra column it would lose every figure of the known one (``storlek`` for ``size``:
#: 0 people in the segments; ``kapacitet`` for ``capacity_per_month``: the over-capacity
#: findings gone). So a count of people's is refused, any other column's is warned about,
#: a required one's is named beside the missing column's error (:func:`column_words`). Only
#: a whole name is one: ``koko_alue`` is a column of its own. A word names one column of a
#: sheet (tests/test_column_words.py).
COLUMN_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "id": {"fi": ("tunnus", "tunniste"), "sv": ("identifierare",), "en": ("identifier",)},
    "name": {"fi": ("nimi",), "sv": ("namn",)},
    "name_sv": {"fi": ("nimi ruotsiksi", "ruotsinkielinen nimi"),
                "sv": ("namn på svenska", "svenskt namn"),
                "en": ("swedish name", "name in swedish")},
    "name_en": {"fi": ("nimi englanniksi", "englanninkielinen nimi"),
                "sv": ("namn på engelska", "engelskt namn"),
                "en": ("english name", "name in english")},
    "title": {"fi": ("otsikko",), "sv": ("titel", "rubrik")},
    "region": {"fi": ("alue",), "sv": ("område",)},
    "illustrative": {"fi": ("esimerkki", "esimerkkiaineisto"), "sv": ("exempel", "exempeldata"),
                     "en": ("example", "example data")},
    "source": {"fi": ("lähde",), "sv": ("källa",)},
    "business_id": {"fi": ("y-tunnus", "ytunnus"), "sv": ("fo-nummer", "fo nummer")},
    "kind": {"fi": ("tyyppi", "laji", "toimijatyyppi"), "sv": ("typ", "aktörstyp"),
             "en": ("type", "actor type")},
    "parent": {"fi": ("yläorganisaatio", "emo-organisaatio", "kuuluu"),
               "sv": ("överordnad", "moderorganisation"),
               "en": ("parent organisation", "parent organization", "part of")},
    "providers": {"fi": ("tuottaja", "tuottajat", "palveluntuottaja", "palveluntuottajat"),
                  "sv": ("producent", "producenter", "tjänsteproducent", "anordnare"),
                  "en": ("provided by",)},
    "capacity_per_month": {"fi": ("kapasiteetti", "kapasiteetti kuukaudessa",
                                  "asiakaspaikat kuukaudessa"),
                           "sv": ("kapacitet", "kapacitet per månad"),
                           "en": ("capacity", "monthly capacity", "capacity a month")},
    "places": {"fi": ("paikat", "paikkoja", "paikkamäärä"), "sv": ("platser", "antal platser"),
               "en": ("seats", "number of places")},
    "entry": {"fi": ("aloituspalvelu", "sisääntulo"), "sv": ("ingång", "ingångstjänst"),
              "en": ("entry point", "entry service")},
    "needs": {"fi": ("tarpeet", "tarve"), "sv": ("behov",)},
    "segments": {"fi": ("asiakasryhmät",), "sv": ("kundgrupper",),
                 "en": ("client segments", "customer segments")},
    "method": {"fi": ("menetelmä", "toimintamalli"), "sv": ("metod", "arbetssätt")},
    "legal_basis": {"fi": ("lakiperusta", "säädösperusta", "lainsäädäntö"),
                    "sv": ("rättslig grund", "lagstiftning", "lagrum"),
                    "en": ("legislation", "legal base")},
    "organised": {"fi": ("järjestäminen", "järjestämistapa"),
                  "sv": ("organisering", "organiserad")},
    "description": {"fi": ("kuvaus", "selite"), "sv": ("beskrivning",)},
    "factor": {"fi": ("tekijä", "osa-alue"), "sv": ("faktor",), "en": ("factor group",)},
    # a count of people: refused, not kept (docs/workbook.md, Privacy)
    "size": {"fi": ("koko", "lukumäärä", "henkilömäärä", "ryhmän koko"),
             "sv": ("storlek", "antal", "antal personer", "gruppens storlek"),
             "en": ("segment size", "group size", "number of people", "headcount")},
    "participation_rate": {"fi": ("työllisyysaste", "osuus työssä", "työssä"),
                           "sv": ("sysselsättningsgrad", "andel i arbete"),
                           "en": ("participation", "employment rate", "share in work")},
    "from": {"fi": ("mistä", "lähettävä palvelu"), "sv": ("från",), "en": ("from service",)},
    "to": {"fi": ("mihin", "vastaanottava palvelu"), "sv": ("till",),
           "en": ("to service", "destination")},
    # a count of people: refused, not kept (docs/workbook.md, Privacy)
    "volume_per_month": {"fi": ("volyymi", "kuukausivolyymi", "volyymi kuukaudessa",
                                "asiakkaita kuukaudessa", "ohjauksia kuukaudessa"),
                         "sv": ("volym", "volym per månad", "antal per månad",
                                "klienter per månad", "hänvisningar per månad"),
                         "en": ("volume", "monthly volume", "clients per month",
                                "referrals per month")},
    "median_wait_days": {"fi": ("odotusaika", "jonotusaika", "odotus", "odotusaika päivinä"),
                         "sv": ("väntetid", "väntetid i dagar"),
                         "en": ("wait", "waiting time", "wait days", "median wait")},
    "owner": {"fi": ("omistaja", "vastuutaho"), "sv": ("ägare",)},
    "information_flow": {"fi": ("tiedonkulku", "tieto siirtyy"),
                         "sv": ("informationsflöde",),
                         "en": ("information", "info flow")},
    "actor": {"fi": ("toimija",), "sv": ("aktör",)},
    "subject": {"fi": ("kohde",), "sv": ("objekt",)},
    "role": {"fi": ("rooli",), "sv": ("roll",)},
    "note": {"fi": ("huomautus", "lisätieto", "muistiinpano"), "sv": ("anmärkning", "kommentar"),
             "en": ("comment",)},
    "path": {"fi": ("polku", "palvelupolku"), "sv": ("stig", "servicestig")},
    "segment": {"fi": ("asiakasryhmä",), "sv": ("kundgrupp",), "en": ("client segment",)},
    "step": {"fi": ("vaihe", "askel"), "sv": ("steg",)},
    "node": {"fi": ("palvelu",), "sv": ("tjänst",), "en": ("service",)},
    "finding": {"fi": ("havainto",), "sv": ("iakttagelse",)},
    "status": {"fi": ("tila",), "en": ("state",)},
    "due": {"fi": ("määräaika", "eräpäivä"), "sv": ("tidsfrist", "förfallodag"),
            "en": ("due date", "deadline")},
    "updated": {"fi": ("päivitetty",), "sv": ("uppdaterad",)},
}


@cache
def column_words(sheet: str) -> dict[str, str]:
    """Every other name of :data:`COLUMN_WORDS` for the columns of ``sheet``, folded ->
    the column's name.

    >>> words = column_words("segments")
    >>> words["storlek"], words["koko"], words["antal_personer"], "kapacitet" in words
    ('size', 'size', 'size', False)
    """
    from polku.io.near_names import folded

    return {folded(word): c.name for c in SHEETS[sheet].columns
            for words in COLUMN_WORDS.get(c.name, {}).values() for word in words}


#: the columns of the ``paths`` sheet that name the path (its first step's row): primary,
#: Swedish and English, as a node's ``name``, ``name_sv``, ``name_en``
PATH_NAMES = ("name", "name_sv", "name_en")


class _Reader:
    """Reads the raw rows of one workbook and collects every problem instead of stopping."""

    def __init__(self, path: Path, max_rows: int | None = None,
                 progress: Progress = silent) -> None:
        self.path = path
        self.max_rows = max_rows
        self.progress = progress
        self.errors: list[PolkuError] = []
        #: sheets that could not be read at all: references to their ids are not reported
        #: again one by one
        self.failed: set[str] = set()
        #: the sheet (or CSV file) names present, for hints about a wrongly spelt one
        self.names: list[str] = []
        #: sheet -> the row below a title row (row 1 naming none of its columns) that
        #: names its required columns: an .xlsx's, whose rows are read only as wide as
        #: row 1 (a CSV sheet's rows are whole: looked at there, :func:`_title_row`)
        self.header_below: dict[str, int | None] = {}
        #: the ids of rows refused whole (a CSV row wider than its header) -> (sheet,
        #: row): their uses are not said again to be unknown, as a refused id's are not
        self.dropped: dict[str, tuple[str, int]] = {}

    def error(self, message: str, *, file: str | None = None, sheet: str | None = None,
              row: int | None = None, column: str | None = None, **params: object) -> None:
        """One problem: ``message`` is a catalogued template of ``params`` that the edge
        words in the reader's language."""
        self.errors.append(PolkuError(message, file=file or str(self.path), sheet=sheet,
                                      row=row, column=column, params=params))

    # -- raw tables -----------------------------------------------------------------
    def tables(self) -> dict[str, tuple[str, list[str], list[tuple[int, list[object]]]]]:
        """sheet name -> (file, header, [(spreadsheet row number, cells)])."""
        if self.path.is_dir():
            self._no_xlsx_alone()
            return self._csv_tables()
        if not self.path.exists():
            raise PolkuError(N_("no such file or folder"), params={}, file=str(self.path))
        if self.path.suffix.lower() in (".xlsx", ".xlsm"):
            return self._xlsx_tables()
        from polku.io.formats import what_to_give

        if (instead := what_to_give(self.path)) is not None:  # an .xls, one CSV sheet
            raise instead
        raise PolkuError(N_("not a workbook: expected a folder of CSV files or an .xlsx file"),
                         params={}, file=str(self.path))

    def _no_xlsx_alone(self) -> None:
        """Refuse a folder that holds no CSV sheet but a workbook file: the .xlsx was
        meant (else every sheet would be said missing, the file not at all)."""
        if csv_sheet_files(self.path):
            return
        books = sorted(p for p in self.path.iterdir() if not p.name.startswith(".")
                       and p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file())
        if books:
            raise PolkuError(N_("the folder holds no CSV sheets but the workbook '{name}': "
                                "give the .xlsx file itself ({path})"),
                             params={"name": books[0].name, "path": str(books[0])},
                             file=str(self.path))

    def _csv_tables(self) -> dict:
        tables = {}
        files = csv_sheet_files(self.path)
        self.names = sorted(files)
        for name in SHEETS:
            file = files.get(name)
            if file is None:
                continue
            # what the file's first bytes say before its text is read: a workbook saved
            # under a sheet's name, a sheet separated by ';' (a Finnish Excel's CSV, in
            # Windows-1252 or UTF-8 alike: said before a byte of it is found no UTF-8)
            try:
                wrong = _csv_head_problem(file)
            except OSError:
                wrong = None  # said below, where the file is read
            if wrong is not None:
                template, params, row = wrong
                self.error(template, file=str(file), sheet=name, row=row, **params)
                self.failed.add(name)
                continue
            # streamed line by line: the file's text is never held whole, and a sheet past
            # the row ceiling stops being read there. Rows are numbered as a spreadsheet
            # shows them, one per record (the header is row 1): a cell with line breaks in
            # it is one row, however many lines of the file it takes
            pending: list[str] = []  # the lines of the record being read (a bad byte's cell)
            reader = csv.reader(_kept(_utf8_lines(file), pending))
            rows: list[list[str]] = []
            line = 1  # the file's line where the record being read starts
            ceiling = row_ceiling(self.max_rows)
            try:
                for record in reader:
                    pending.clear()
                    if len(rows) % 20_000 == 0 and rows:
                        self.progress(Phrase(N_("reading {name}"), name=file.name), len(rows))
                    rows.append(record)
                    if reader.line_num > line and len(record) < len(rows[0]):
                        # a quoted cell ran over lines and the row still came out short: the
                        # classic sign of a missing closing quote, which swallows what follows
                        self.error(N_("a quoted cell runs from line {line} to line {last} "
                                      "and the row has too few cells: is a closing quote (\") "
                                      "missing?"), file=str(file), sheet=name, row=len(rows),
                                   line=line, last=reader.line_num)
                    line = reader.line_num + 1
                    if len(rows) > ceiling + 1:
                        raise _TooManyRows(ceiling)
            except _TooManyRows as e:
                self.error(e.msgid or e.message, file=str(file), sheet=name, **e.params)
                self.failed.add(name)
                continue
            except csv.Error as e:
                template, params = _csv_problem(e)
                self.error(template, file=str(file), sheet=name, row=len(rows) + 1,
                           **params)
                self.failed.add(name)
                continue
            except _NotUtf8 as e:
                self._not_utf8(e, file, name, rows, pending)
                self.failed.add(name)
                continue
            except UnicodeDecodeError:  # a UTF-16 file (utf16_codec) with a broken pair
                self.error(N_("the file is UTF-16 text, but not all of it can be read as "
                              "such: save the workbook as .xlsx and give polku that file, or "
                              "save the sheet again as CSV in UTF-8"), file=str(file),
                           sheet=name, row=len(rows) + 1)
                self.failed.add(name)
                continue
            except OSError as e:  # a folder in the sheet's place, a file that cannot be read
                self.error(N_("cannot read the file ({reason})"), file=str(file), sheet=name,
                           reason=os_reason(e))
                self.failed.add(name)
                continue
            if not rows or not any(c.strip() for c in rows[0]) and \
                    not any(c.strip() for r in rows for c in r):
                self.error(N_("the file is empty: it needs at least a header row"),
                           file=str(file), sheet=name)
                self.failed.add(name)
                continue
            header = [h.strip() for h in rows[0]]
            body = [(n, list(map(str.strip, r))) for n, r in enumerate(rows[1:], start=2)]
            tables[name] = (str(file), header, body)
        return tables

    def _not_utf8(self, e: _NotUtf8, file: Path, name: str, rows: list[list[str]],
                  pending: list[str]) -> None:
        """Say where a byte that is not UTF-8 is, as a spreadsheet shows the sheet: the row
        (the record being read), the column (by its name below the header) and the
        character of the cell; ``pending`` holds the row's lines read before the bad one."""
        index, position = _bad_byte_place("".join(pending) + e.before)
        header = rows[0] if rows else []
        column = header[index].strip() if index < len(header) else ""
        params = {"byte": f"{e.byte:02x}", "position": position}
        if column:
            self.error(_NOT_UTF8, file=str(file), sheet=name, row=len(rows) + 1,
                       column=column, **params)
        else:  # the header itself, or a cell past it
            self.error(_NOT_UTF8_COLUMN, file=str(file), sheet=name, row=len(rows) + 1,
                       number=index + 1, **params)

    def _xlsx_tables(self) -> dict:
        import openpyxl  # imported here: only .xlsx users pay for it

        if self.path.stat().st_size == 0:
            raise PolkuError(N_("the file is empty"), params={}, file=str(self.path))
        with open(self.path, "rb") as f:
            ole2 = f.read(len(OLE2_SIGNATURE)) == OLE2_SIGNATURE
        if ole2:  # no zip: openpyxl would say only that
            raise PolkuError(_PROTECTED if _encrypted(self.path) else _OLD_XLS, params={},
                             file=str(self.path))
        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
            raise PolkuError(N_("not a readable .xlsx file ({detail})"),
                             params={"detail": _xlsx_problem(e)},
                             file=str(self.path)) from None
        tables = {}
        self.names = list(book.sheetnames)
        try:
            for name in SHEETS:
                if name not in book.sheetnames:
                    continue
                ws = book[name]
                first = next(ws.iter_rows(max_row=1, values_only=True), ())
                header = ["" if h is None else str(h).strip() for h in first]
                while header and header[-1] == "":
                    header.pop()
                if not header:
                    self.error(N_("the sheet is empty: it needs at least a header row"),
                               sheet=name)
                    self.failed.add(name)
                    continue
                if not any(SHEETS[name].column(h) for h in header):
                    # a title above the header: where are the columns? (the rows below are
                    # read only as wide as this one)
                    self.header_below[name] = header_row(name, enumerate(ws.iter_rows(
                        min_row=2, max_row=TITLE_ROWS + 1, max_col=MAX_TITLE_WIDTH,
                        values_only=True), start=2))
                # one column past the header, to notice data with no header; a formatted
                # cell far to the right would otherwise make every row 16,384 cells wide
                width = len(header) + 1
                ceiling = row_ceiling(self.max_rows)
                formulas, merges = _sheet_marks(book, ws)
                uncomputed = _uncomputed_cells(book, ws) if formulas else {}
                body: list[tuple[int, list[object]]] = []
                try:
                    self._xlsx_rows(ws, name, width, ceiling, uncomputed, body)
                except ValueError as e:
                    # openpyxl reads a number cell whose text is none (NaN, written by a
                    # program, never by a spreadsheet) with Python's own error: the row
                    # being read is where it is
                    self.error(N_("a cell of the row cannot be read ({detail})"), sheet=name,
                               row=len(body) + 2, detail=str(e))
                    self.failed.add(name)
                if name in self.failed:
                    continue
                for ref in sorted(merges, key=_range_place):  # as a designer reads them
                    self._merged(name, ref, [*first], header, body)
                tables[name] = (str(self.path), header, body)
        finally:
            book.close()
        return tables

    def _merged(self, name: str, ref: str, first: list[object], header: list[str],
                body: list[tuple[int, list[object]]]) -> None:
        """A problem for the merged range ``ref`` (``E2:E3``) of the sheet ``name`` when
        it covers a value in the columns polku reads: a spreadsheet shows the first cell's
        value across the range, openpyxl reads every other cell as empty, and a provider,
        an owner or a list of segments would silently go (an empty ``segments`` even means
        every segment). Refused, not filled in: which rows or columns a merge was meant for
        is the designer's to say, and an edit cannot write into a merged cell."""
        from openpyxl.utils.cell import get_column_letter

        bounds = _bounds(ref)
        if bounds is None:
            return  # not a range of cells: nothing a reader could show merged
        low_col, low_row, high_col, high_row = bounds
        width = len(header) + 1  # the columns read (_xlsx_rows): one past the header
        if low_col > width or low_row > len(body) + 1 or \
                (low_col, low_row) == (high_col, high_row):
            return  # beside what polku reads, or one cell: nothing hidden

        def row(number: int) -> list[object]:  # the body's rows are 2, 3, ... in order
            return first if number == 1 else body[number - 2][1]

        if not any(_text(cells[c - 1])
                   for cells in map(row, range(low_row, min(high_row, len(body) + 1) + 1))
                   for c in range(low_col, min(high_col, width, len(cells)) + 1)):
            return  # merged empty cells: nothing shown, nothing lost

        def named(column: int) -> str:
            known = header[column - 1] if column <= len(header) else ""
            return repr(known) if known else get_column_letter(column)

        # the columns read, by name; a range running past them (to the sheet's edge) so said
        columns = ", ".join(named(c) for c in range(low_col, min(high_col, width) + 1)) + \
            (f" … {get_column_letter(high_col)}" if high_col > width else "")
        if low_col == high_col:
            cells = Phrase(N_("rows {first}–{last} of column {column}"), first=low_row,
                           last=high_row, column=columns)
        elif low_row == high_row:
            cells = Phrase(N_("columns {columns} of row {row}"), columns=columns, row=low_row)
        else:
            cells = Phrase(N_("rows {first}–{last} of columns {columns}"), first=low_row,
                           last=high_row, columns=columns)
        column = header[low_col - 1] if low_col <= len(header) else ""
        self.error(N_("the cells {range} are merged ({cells}): a spreadsheet shows the first "
                      "cell's value in all of them, but the others hold nothing and would be "
                      "read as empty; unmerge the cells and fill each row"),
                   sheet=name, row=low_row, column=column or None, range=ref, cells=cells)

    def _xlsx_rows(self, ws: Any, name: str, width: int, ceiling: int,
                   uncomputed: dict[int, list[int]], body: list[tuple[int, list[object]]]
                   ) -> None:
        """The body rows of the sheet ``ws`` put in ``body`` as (row number, cells), at
        most ``ceiling`` of them (a sheet past it is a problem of its own)."""
        for i, r in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True)):
            if i % 20_000 == 0 and i:
                self.progress(Phrase(N_("reading sheet {name}"), name=name), i)
            if i >= ceiling:
                too_many = _TooManyRows(ceiling)
                self.error(too_many.msgid or "", sheet=name, **too_many.params)
                self.failed.add(name)
                return
            cells = [c.strip() if isinstance(c, str) else c for c in r]
            if uncomputed:
                for col in uncomputed.get(i + 2, ()):
                    if col <= len(cells) and cells[col - 1] is None:
                        cells[col - 1] = Uncomputed()
            body.append((i + 2, cells))


def csv_sheet_files(folder: Path) -> dict[str, Path]:
    """A CSV folder's sheets as the reader names them: each file (or what stands in a
    file's place) whose name ends in ``.csv`` in any case, hidden ones passed over, by its
    name without ``.csv``. A sheet is read from ``<sheet>.csv`` exactly, on every file
    system alike (a case-blind one would open ``segments.CSV`` for it); a name in another
    case is a name of its own (``Segments``, ``segments.CSV``), which the missing sheet's
    error names and the warnings compare with the sheets polku reads.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for n in ("actors.csv", "segments.CSV", "Ohjeet.csv", ".x.csv", "a.txt"):
    ...         _ = (Path(d) / n).write_text("id")
    ...     sorted(csv_sheet_files(Path(d)))
    ['Ohjeet', 'actors', 'segments.CSV']
    """
    out: dict[str, Path] = {}
    for p in folder.iterdir():
        if p.name.startswith(".") or p.suffix.lower() != ".csv":
            continue
        out[p.name[:-4] if p.suffix == ".csv" else p.name] = p
    return out


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _NotUtf8(ValueError):
    """A byte that is not UTF-8: the file's line it is on, the byte, and the text of that
    line before it (where the reader places it: row, column, character)."""

    def __init__(self, line: int, byte: int, before: str) -> None:
        super().__init__(f"line {line}: byte 0x{byte:02x} is not UTF-8")
        self.line = line
        self.byte = byte
        self.before = before


#: what to do about a CSV file that is not UTF-8 (a spreadsheet's default "CSV" is often
#: Windows-1252 or Mac Roman, whose ä and ö are single bytes). Excel's 'CSV UTF-8' is no
#: way out for most designers: in a Finnish or Swedish locale it separates the cells by
#: ';', which polku refuses too; what gives UTF-8 with commas is said instead
_NOT_UTF8 = N_("not UTF-8: byte 0x{byte} at character {position} of the cell (save the file "
               "as UTF-8: in LibreOffice with the character set 'Unicode (UTF-8)' and ',' as "
               "the field delimiter; from Excel, save the workbook as .xlsx and give polku "
               "that file)")
_NOT_UTF8_COLUMN = N_("not UTF-8: byte 0x{byte} in column {number}, at character {position} "
                      "of the cell (save the file as UTF-8: in LibreOffice with the character "
                      "set 'Unicode (UTF-8)' and ',' as the field delimiter; from Excel, save "
                      "the workbook as .xlsx and give polku that file)")


def _bad_byte_place(record: str) -> tuple[int, int]:
    """Where a bad byte is in its row, given the row's text before it (``record``: its
    lines so far, quotes and all): the column's index and the character of the cell (from 1).

    >>> _bad_byte_place('kela,"Kela\\nFPA'), _bad_byte_place(""), _bad_byte_place("a,b,")
    ((1, 9), (0, 1), (2, 1))
    """
    cells = next(csv.reader(io.StringIO(record, newline="")), None) or [""]
    return len(cells) - 1, len(cells[-1]) + 1


def _kept(lines: Iterator[str], pending: list[str]) -> Iterator[str]:
    """``lines`` as they are, each also kept in ``pending`` (which the caller empties at
    each record's end): the text of the record being read when a line cannot be."""
    for text in lines:
        pending.append(text)
        yield text


#: unknown references a read suggests an id for, at most (the rest are refused plainly)
MAX_GUESSES = 100


#: where a lone carriage return ends a line (not the CR of a CRLF)
_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def _utf8_lines(file: Path) -> Iterator[str]:
    """The lines of a UTF-8 CSV file (a byte-order mark dropped), read one at a time; a
    byte that is not UTF-8 raises :class:`_NotUtf8` with its line and the line's text
    before it. A UTF-16 file (:func:`polku.io.encodings.utf16_codec`) is read as UTF-16,
    its byte-order mark dropped alike.

    A line ends at LF, CRLF or a lone CR: a sheet saved with classic Mac line endings, or
    one whose lines were pasted together from files that end them differently, is read as
    its editor shows it (the csv module, handed a line with a CR inside an unquoted cell,
    refuses it as 'new-line character seen in unquoted field')."""
    number = 0
    with open(file, "rb") as f:
        codec = utf16_codec(f.read(HEAD))
        f.seek(0)
        if codec is not None:
            # a UTF-16 sheet (LibreOffice's "Unicode" CSV, Windows PowerShell's output) is
            # read as what it says, as the plan reader reads one; its lines end alike
            # (LF, CRLF or a lone CR: newline="" splits at each, as below)
            for first, text in enumerate(io.TextIOWrapper(f, encoding=codec, newline="")):
                yield text.removeprefix("\ufeff") if first == 0 else text
            return
        for first, whole in enumerate(f):
            if first == 0 and whole.startswith(b"\xef\xbb\xbf"):
                whole = whole[3:]
            for raw in _LONE_CR.split(whole) if b"\r" in whole else (whole,):
                if not raw:
                    continue
                number += 1
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise _NotUtf8(number, raw[e.start],
                                   raw[:e.start].decode("utf-8")) from None
                yield text


#: the first bytes of a workbook file: a zip (.xlsx, .xlsm, .ods) and an OLE2 compound
#: file (.xls, and an .xlsx protected by a password, which Excel saves encrypted in one)
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: a CSV sheet that is a workbook file: what it is (catalogued), by its first bytes
_NOT_CSV_KINDS = ((ZIP_SIGNATURE, N_("a spreadsheet workbook (.xlsx)")),
                  (OLE2_SIGNATURE, N_("an Excel file (.xls, or an .xlsx protected by a "
                                      "password)")))
#: a sheet whose cells are separated otherwise than by commas (a Finnish or Swedish Excel
#: writes ';' in its 'CSV' and its 'CSV UTF-8' alike): what works, in every language
SEPARATED_OTHERWISE = N_("the cells are separated by {separator}, not by commas: save the "
                         "workbook as .xlsx and give polku that file, or save the sheet in "
                         "LibreOffice with ',' as the field delimiter (Excel in a Finnish or "
                         "Swedish locale writes ';' between cells, in 'CSV UTF-8' too)")
#: Excel's line naming a CSV file's separator above its header (``sep=;``)
_SEP_LINE = re.compile(r'"?sep=(.)"?,*')


def _csv_head_problem(file: Path) -> tuple[str, dict[str, object], int | None] | None:
    """What a CSV sheet's first bytes say is wrong before its text is read, as (catalogued
    template, params, row), else None: a workbook file saved under the sheet's name, or a
    header whose cells are separated otherwise than by commas (``;``, a tab, or Excel's
    ``sep=;`` line). The header's separator is told before any byte of the file is found
    to be no UTF-8: a Finnish Excel's CSV is both, and saving it as UTF-8 mends only one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "a.csv").write_bytes("id;name\\nä;x".encode("cp1252"))
    ...     _csv_head_problem(Path(d) / "a.csv")[1:]
    ({'separator': "';'"}, 1)
    """
    with open(file, "rb") as f:
        head = f.read(HEAD)
    for signature, kind in _NOT_CSV_KINDS:
        if head.startswith(signature):
            return (N_("the file is {kind}, not CSV text: save the sheet as CSV, or give "
                       "polku the workbook file itself"), {"kind": Said(kind)}, None)
    codec = utf16_codec(head)
    text = head.decode(codec or "utf-8", errors="replace").removeprefix("\ufeff")
    first = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]
    separator: str | None = None
    if (sep := _SEP_LINE.fullmatch(first.strip())) is not None and sep.group(1) != ",":
        separator = sep.group(1)
    else:
        try:
            cells = next(csv.reader([first]), [])
        except csv.Error:
            cells = []
        if len(cells) == 1:
            separator = next((c for c in ";\t|" if c in cells[0]), None)
    if separator is None:
        return None
    shown: object = Said(N_("a tab")) if separator == "\t" else f"'{separator}'"
    return SEPARATED_OTHERWISE, {"separator": shown}, 1


class _TooManyRows(PolkuError):
    def __init__(self, ceiling: int) -> None:
        super().__init__(N_("the sheet has more than {ceiling} rows, the most this server or "
                            "command takes (POLKU_MAX_ROWS raises the ceiling)"),
                         params={"ceiling": Figure(ceiling)})


#: the name of the stream that holds an encrypted workbook inside its OLE2 file (MS-OFFCRYPTO)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


#: an .xlsx that is an OLE2 file: encrypted with a password, or an old .xls renamed
_PROTECTED = N_("the file is protected by a password (Excel saves such a file encrypted): "
                "remove the password (in Excel: File › Info › Protect Workbook › Encrypt with "
                "Password, empty it) and save the file, or save a copy without it")
_OLD_XLS = N_("the file is an old Excel workbook (.xls, Excel 97–2003) or one protected by a "
              "password, with the ending .xlsx: open it in the spreadsheet program and save "
              "it as an Excel workbook (.xlsx), without a password")


def _encrypted(path: Path) -> bool:
    """Whether an OLE2 file holds a workbook Excel encrypted with a password (its
    ``EncryptedPackage`` stream); else it is an old .xls named .xlsx (or an encrypted one
    whose stream was not found: the message about it says both)."""
    tail = b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            if _ENCRYPTED in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED):]
    return False


def _xlsx_problem(error: Exception) -> object:
    """Why openpyxl could not open a file, as a designer can act on it: the two common
    cases catalogued (the library's own words are English in every language), anything
    else as the library says it.

    >>> _xlsx_problem(zipfile.BadZipFile("File is not a zip file"))
    'it is not a zip archive, as every .xlsx file is: save it again from the spreadsheet'
    """
    from polku.errors import Said

    if isinstance(error, zipfile.BadZipFile):
        return Said(N_("it is not a zip archive, as every .xlsx file is: save it again from "
                       "the spreadsheet"))
    if isinstance(error, KeyError):  # a zip without the parts a workbook has
        return Said(N_("it is a zip archive but holds no Excel workbook"))
    return f"{error.__class__.__name__}: {error}"


def _csv_problem(error: csv.Error) -> tuple[str, dict[str, object]]:
    """A csv module error as a designer can act on it: a catalogued template and its
    parameters."""
    text = str(error)
    if "field larger than field limit" in text:
        return (N_("a cell is longer than {most} characters, the most a cell holds (did a "
                   "quote (\") open a cell that never closes?)"), {"most": Figure(MAX_CELL)})
    if "NUL" in text:
        return N_("the file holds a NUL character: save it again as UTF-8 CSV"), {}
    return N_("the CSV cannot be read here ({detail})"), {"detail": text}


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
#: a merged range of a sheet's XML (``<mergeCell ref="E2:E3"/>``, after its cells)
_MERGE_TAG = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([^"]+)"')


def _sheet_marks(book: object, ws: object) -> tuple[bool, list[str]]:
    """Whether a read-only sheet holds a formula at all, and its merged ranges (``E2:E3``),
    from one pass over its XML: openpyxl's read-only sheets say neither (they have no
    ``merged_cells``), and loading the workbook whole to learn them would cost the memory
    read-only reading saves."""
    archive = getattr(book, "_archive", None)
    part = getattr(ws, "_worksheet_path", None)
    if archive is None or part is None:
        return False, []
    formulas = False
    merges: dict[str, None] = {}
    with archive.open(part) as src:
        tail = b""
        for chunk in iter(lambda: src.read(1 << 20), b""):
            text = tail + chunk
            if not formulas and _FORMULA_TAG.search(text):
                formulas = True
            if b"mergeCell" in text:  # a quick look first: most sheets merge nothing
                merges.update((m.group(1).decode("ascii", "replace"), None)
                              for m in _MERGE_TAG.finditer(text))
            # what a tag cut at the chunk's end needs to be found whole in the next
            tail = chunk[-256:]
    return formulas, list(merges)


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """A range of cells as (first column, first row, last column, last row), from 1; a
    whole column or row (``A:A``, ``2:2``) to the sheet's edge; None for what is no range.

    >>> _bounds("E2:E3"), _bounds("B9"), _bounds("C:C")[1:3], _bounds("E2:")
    ((5, 2, 5, 3), (2, 9, 2, 9), (1, 3), None)
    """
    from openpyxl.utils.cell import range_boundaries

    try:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
    except (TypeError, ValueError):
        return None
    return (low_col or 1, low_row or 1, high_col or 16_384, high_row or 1_048_576)


def _range_place(ref: str) -> tuple[int, int]:
    """Where a range of cells begins, row first (``(0, 0)`` for what is no range).

    >>> _range_place("E2:E3"), _range_place("B9"), _range_place("E2:")
    ((2, 5), (9, 2), (0, 0))
    """
    bounds = _bounds(ref)
    return (0, 0) if bounds is None else (bounds[1], bounds[0])


def _uncomputed_cells(book: object, ws: object) -> dict[int, list[int]]:
    """Row -> columns (1-based) of the cells of a read-only sheet that hold a formula but no
    saved value (the sheet's XML parsed a second time: the reader asks only of a sheet
    that holds a formula, :func:`_sheet_marks`)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple

    archive = getattr(book, "_archive", None)
    part = getattr(ws, "_worksheet_path", None)
    if archive is None or part is None:
        return {}
    found: dict[int, list[int]] = {}
    with archive.open(part) as src:
        for _, elem in iterparse(src):
            if not elem.tag.endswith("}c"):
                if elem.tag.endswith("}row"):
                    elem.clear()
                continue
            children = {child.tag.rsplit("}", 1)[-1]: child for child in elem}
            value = children.get("v")
            if "f" in children and (value is None or not (value.text or "")) \
                    and elem.get("t") != "inlineStr" and elem.get("r"):
                row, col = coordinate_to_tuple(elem.get("r"))
                found.setdefault(row, []).append(col)
    return found


def _case_hint(name: str, present: Iterable[str], listed: bool = False,
               words: Mapping[str, str] | None = None) -> str:
    """What the workbook has instead of a missing sheet or column, as a catalogued phrase
    the edge words: a name that differs only in case or spaces ('ID' for 'id'), else one
    that is the name in other words (``words``, a sheet's :func:`column_words`: 'namn' for
    'name'), else one that is spelt nearly alike, else (``listed``) every name it has.

    >>> str(_case_hint("id", ["ID", "name"]))
    " (found 'ID': names are lower-case)"
    >>> str(_case_hint("services", ["actors", "Services.CSV"], listed=True))
    " (found 'Services.CSV': names are lower-case)"
    >>> str(_case_hint("services", ["actor", "service"]))
    " (found 'service': is it meant?)"
    >>> str(_case_hint("services", ["actors", "palvelut"], listed=True))
    ' (the workbook has: actors, palvelut)'
    """
    import difflib

    present = [p for p in present if p]
    # a CSV file's name is its sheet's with the ending read off; one saved with its
    # ending in capitals (SERVICES.CSV) is a name of its own, in another case
    near = [p for p in present if p.strip().lower() in (name, f"{name}.csv") and p != name]
    if near:
        return Phrase(N_(" (found '{found}': names are lower-case)"), found=near[0])
    otherwise = [p for p in present if named_otherwise(p, words or {}, [name])]
    if otherwise:
        return Phrase(N_(" (found '{found}': is it meant?)"), found=otherwise[0])
    close = difflib.get_close_matches(name, present, n=1, cutoff=0.75)
    if close:
        return Phrase(N_(" (found '{found}': is it meant?)"), found=close[0])
    if listed and present:
        return Phrase(N_(" (the workbook has: {found})"), found=", ".join(present))
    return ""


def _text(value: object, kind: str | None = None) -> str:
    """A cell as text: spreadsheets hand over numbers, booleans and dates as such."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return _date_text(value, kind)
    return str(value).strip()


def _date_text(value: datetime.date, kind: str | None) -> str:
    """A spreadsheet's date as the text a column of ``kind`` reads. An .xlsx has no cell
    of dates alone: a date cell comes as a date and time at midnight, which is its day
    (``2027-03-31``, never ``2027-03-31 00:00:00``, which no date column takes). A month
    column takes the month of any date; a date column the day of a date and time
    (``=NOW()+30``: the day is what a due date says); any other column keeps a time of
    day as the cell shows it."""
    if kind == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime.datetime) and kind != "date" and \
            value.time() != datetime.time(0):
        return str(value)
    return datetime.date(value.year, value.month, value.day).isoformat()


def cell_as_text(value: object, kind: str | None = None) -> str:
    """A cell's value as the text the workbook rules read: numbers and booleans from a
    spreadsheet as they would be typed, a date as its day (``kind``, the column's
    :attr:`Column.kind`: a month column's as its month). Every path reads a cell through
    it (the reader, an edit's sheets, the server's rows), so that a cell is the same text
    to each.

    >>> cell_as_text(40.0), cell_as_text(True), cell_as_text(None)
    ('40', 'yes', '')
    >>> cell_as_text(datetime.datetime(2027, 3, 31)), cell_as_text(datetime.date(2026, 4, 1), "month")
    ('2027-03-31', '2026-04')
    """
    return _text(value, kind)


def row_texts(sheet: str, header: Sequence[str], cells: Sequence[object]) -> list[str]:
    """A row of ``sheet`` as cell text (:func:`cell_as_text`), each cell as its column
    (by ``header``) reads it; a cell past the header, or under a column the sheet does not
    know, as text.

    >>> row_texts("measures", ["id", "start"], ["m1", datetime.datetime(2026, 1, 1), 3.0])
    ['m1', '2026-01', '3']
    """
    kinds = _kinds(sheet, tuple(header))
    return [c if type(c) is str else _text(c, kinds[i] if i < len(kinds) else None)
            for i, c in enumerate(cells)]


@cache
def _kinds(sheet: str, header: tuple[str, ...]) -> tuple[str | None, ...]:
    """The kind of each column of ``header`` in ``sheet`` (None: one it does not know)."""
    spec = SHEETS.get(sheet)
    return tuple((col.kind if (col := spec.column(h)) else None) if spec else None
                 for h in header)


_PLAIN_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INTEGER_RE = re.compile(r"[+-]?\d+")

#: the spaces that may group the thousands: a space, a no-break space (U+00A0, Excel's and
#: LibreOffice's Finnish and Swedish grouping) and a narrow no-break space (U+202F)
GROUP_SPACES = " \u00a0\u202f"
#: a number whose thousands are grouped: one to three digits, then groups of exactly three
#: each after one space, perhaps a decimal mark and decimals (no space after it)
_GROUPED_RE = re.compile(r"[+-]?[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?:[.,][0-9]*)?")
_NO_SPACES = str.maketrans("", "", GROUP_SPACES)
_STRAY_SPACE = N_("'{value}' is not a number: a space may only group the thousands, three "
                  "digits each (1 200 or 1 200 000)")


def ungrouped(text: str) -> str | None:
    """``text`` (stripped) without the spaces that group its thousands (``1 200``,
    ``1 200 000``); None when a space stands anywhere else, for such text is no number.
    Taking every space away read ``1 1 4 0`` as 1140 and ``1 2 3`` as 123: a typo, or three
    figures in one cell, became a count of people. Text without a space is returned as it
    is, number or not. (:func:`polku.privacy.cell_number`, which asks whether a cell the
    public reads is a small count, still takes every space away: there a wrong guess should
    hide a figure, ``0 3`` as 3, never show one.)

    >>> ungrouped(" 12 345 "), ungrouped("1\u00a0200 000,5"), ungrouped("40")
    ('12345', '1200000,5', '40')
    >>> ungrouped("1 2 3"), ungrouped("12 00"), ungrouped("1 200, 5"), ungrouped("3 hlö")
    (None, None, None, None)
    """
    text = text.strip()
    if not any(c in text for c in GROUP_SPACES):
        return text
    if not _GROUPED_RE.fullmatch(text):
        return None
    return text.translate(_NO_SPACES)


def parse_number(text: str) -> int | float:
    """A number with ``.`` or ``,`` as the decimal mark; spaces may group the thousands,
    and do nothing else (:func:`ungrouped`).

    >>> parse_number("0,35"), parse_number("1 200"), parse_number("40")
    (0.35, 1200, 40)
    >>> parse_number("1 2 3")
    Traceback (most recent call last):
    polku.errors.CellError: '1 2 3' is not a number: a space may only group the thousands, three digits each (1 200 or 1 200 000)
    """
    if text.isascii() and text.isdigit():  # the common cell, as the rules below read it
        return int(text)
    cleaned = ungrouped(text)
    if cleaned is None:
        raise CellError(_STRAY_SPACE, value=text)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN_NUMBER_RE.fullmatch(cleaned):
        raise _thousands_hint(text.strip()) or CellError(N_("'{value}' is not a number"),
                                                         value=text)
    if _INTEGER_RE.fullmatch(cleaned):
        return int(cleaned)
    value = float(cleaned)
    if not math.isfinite(value):
        raise CellError(N_("'{value}' is too large a number"), value=text)
    return value


_PLAIN_DECIMAL_RE = re.compile(r"[0-9]+\.[0-9]+")

#: a figure written as a thousand and its hundreds with a decimal mark between them
#: (``1,200``, ``2.500``): a thousands separator to many spreadsheets and people, the
#: decimal mark to polku, so either reading may be the one meant. One to three digits that
#: do not start with 0, then exactly three decimals: ``0,125`` and ``1,2050`` are no
#: thousands, and ``1 200`` says its thousands with a space
_AMBIGUOUS_RE = re.compile(r"([1-9][0-9]{0,2})([.,])([0-9]{3})")
#: a number written with thousands separators that cannot be decimal marks (``1,200,000``,
#: ``1.200,5``, ``1,200.5``): a group mark, groups of three, perhaps the other mark and
#: decimals
_THOUSANDS_RE = re.compile(r"([0-9]{1,3})(?:([.,])[0-9]{3})(?:\2[0-9]{3})*(?:([.,])([0-9]+))?")
#: the kinds of column that hold figures (not shares): the ambiguous thousand is refused there
_FIGURES = ("number", "integer")
_AMBIGUOUS_WHOLE = N_("'{value}' is ambiguous: ',' and '.' are the decimal mark, never a "
                      "thousands separator; for {whole} write {whole} or {spaced}")
_AMBIGUOUS = N_("'{value}' is ambiguous: ',' and '.' are the decimal mark, never a thousands "
                "separator; for {whole} write {whole} or {spaced}, for {read} write {decimal}")
#: a fraction where a whole number belongs (:func:`parse_figure`): a door may say its own words
NOT_WHOLE = N_("'{value}' is not a whole number (',' and '.' are the decimal mark: it reads "
               "{read})")


def number_text(value: float) -> str:
    """A number (not text: a graph's, a JSON body's) as a cell says it so that the rules
    read it back as that number: ``1.125`` with a fourth decimal, which a figure that
    reads two ways (:data:`_AMBIGUOUS_RE`) would otherwise be.

    >>> number_text(1.125), number_text(7.5), number_text(1200.5)
    ('1.1250', '7.5', '1200.5')
    """
    text = repr(value)
    return text + "0" if _AMBIGUOUS_RE.fullmatch(text) else text


def parse_figure(text: str, whole: bool = False) -> int | float:
    """A figure a person typed, as a number column reads it: :func:`parse_number`, but a
    figure that reads two ways (``1,200``: :func:`_ambiguous`) refused naming both, and
    with ``whole`` a whole number however written (``2,0`` is 2; ``2,5`` refused, saying
    how it was read). The workbook's cells and every other door's figures typed as text
    (the what-if's capacity, places and demand: :func:`polku.analyses.queues.queue_changes`)
    are read by it, so ``1,200`` is refused alike wherever it is typed.

    >>> parse_figure("1 200"), parse_figure("2,0", whole=True), parse_figure("0,125")
    (1200, 2, 0.125)
    >>> parse_figure("1,200")
    Traceback (most recent call last):
    polku.errors.CellError: '1,200' is ambiguous: ',' and '.' are the decimal mark, never a thousands separator; for 1200 write 1200 or 1 200, for 1.2 write 1,2
    """
    if (ambiguous := _ambiguous(text.strip(), whole)) is not None:
        raise ambiguous
    value = parse_number(text)
    if whole and isinstance(value, float):
        # 2,0 is the whole number 2, as the number 2.0 of an .xlsx is (_parse_cell)
        if not value.is_integer():
            # a formula's tiny fraction (1200.0000000001) is said as such
            raise _not_whole(text, value) or CellError(NOT_WHOLE, value=text, read=repr(value))
        value = int(value)
    return value


def _ambiguous(text: str, whole: bool = False) -> CellError | None:
    """The refusal of a figure that reads two ways (:data:`_AMBIGUOUS_RE`), saying both
    and how to write each; None for any other text. A whole number (``whole``) is offered
    the thousand alone.

    >>> print(_ambiguous("1,200"))
    '1,200' is ambiguous: ',' and '.' are the decimal mark, never a thousands separator; for 1200 write 1200 or 1 200, for 1.2 write 1,2
    >>> print(_ambiguous("2.500", whole=True))
    '2.500' is ambiguous: ',' and '.' are the decimal mark, never a thousands separator; for 2500 write 2500 or 2 500
    >>> _ambiguous("0,125") is None
    True
    """
    m = _AMBIGUOUS_RE.fullmatch(text)
    if m is None:
        return None
    first, mark, rest = m.groups()
    whole_number, spaced = first + rest, f"{first} {rest}"
    if whole:
        return CellError(_AMBIGUOUS_WHOLE, value=text, whole=whole_number, spaced=spaced)
    decimals = rest.rstrip("0")
    # three decimals would read two ways again: a fourth zero says them (1,2050)
    written = decimals + "0" if len(decimals) == 3 else decimals
    return CellError(_AMBIGUOUS, value=text, whole=whole_number, spaced=spaced,
                     read=f"{first}.{decimals}" if decimals else first,
                     decimal=f"{first}{mark}{written}" if decimals else first)


def _thousands_hint(text: str) -> CellError | None:
    """The refusal of a number written with thousands separators that cannot be decimal
    marks (:data:`_THOUSANDS_RE`), saying how to write it; None for any other text.

    >>> print(_thousands_hint("1,200,000"))
    '1,200,000' is not a number: ',' and '.' are the decimal mark, never a thousands separator; write 1200000 or 1 200 000
    >>> print(_thousands_hint("1.200,5"))
    '1.200,5' is not a number: ',' and '.' are the decimal mark, never a thousands separator; write 1200,5 or 1 200,5
    """
    m = _THOUSANDS_RE.fullmatch(text)
    if m is None:
        return None
    group, other = m[2], m[3]
    # one group alone is the ambiguous thousand (_ambiguous); the same mark twice no number
    if other == group or (other is None and text.count(group) < 2):
        return None
    groups = (text if other is None else text[:m.start(3)]).split(group)
    tail = other + m[4] if other else ""
    return CellError(N_("'{value}' is not a number: ',' and '.' are the decimal mark, never a "
                        "thousands separator; write {plain} or {spaced}"), value=text,
                     plain="".join(groups) + tail, spaced=" ".join(groups) + tail)


def _plain_number(text: str) -> int | float | None:
    """``text`` as :func:`parse_number` reads it when it is written plainly (ASCII digits,
    perhaps with a decimal point between them), else None: the common number cell, read
    without parse_number's cleaning for the uncommon ones.

    >>> _plain_number("40"), _plain_number("16.7"), _plain_number("0,35")
    (40, 16.7, None)
    """
    if not text.isascii():
        return None
    if text.isdigit():
        return int(text)
    if _PLAIN_DECIMAL_RE.fullmatch(text) and not _AMBIGUOUS_RE.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
    return None


def parse_bool(text: str) -> bool:
    """A boolean word of :data:`CHOICE_WORDS` (``yes``/``no``, ``kyllä``/``ei``,
    ``ja``/``nej``, ``true``/``false`` …) in any case.

    >>> parse_bool("Nej"), parse_bool("TOSI")
    (False, True)
    """
    code = choice_code("bool", text)
    if code is None:
        raise not_a_choice("bool", text)
    return code == "yes"


def check_business_id(text: str) -> str:
    """A Finnish business id (Y-tunnus) ``1234567-8`` whose check digit is right, or
    ValueError saying what is wrong. Old six-digit ids gain their leading zero.

    The check digit: weights 7, 9, 10, 5, 8, 4, 2 on the seven digits; remainder 0 gives 0,
    remainder 1 is never issued, otherwise 11 minus the remainder.

    >>> check_business_id("0246246-0")  # Kela
    '0246246-0'
    >>> check_business_id("0246246-1")
    Traceback (most recent call last):
    polku.errors.CellError: '0246246-1' is not a valid business id (Y-tunnus): the check digit should be 0
    """
    m = re.fullmatch(r"(\d{6,7})-(\d)", text.strip())
    if not m:
        raise CellError(N_("'{value}' is not a business id (Y-tunnus): write seven digits, "
                           "a hyphen and the check digit, e.g. 0246246-0"), value=text)
    digits = m.group(1).zfill(7)
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2))) % 11
    if remainder == 1:
        raise CellError(N_("'{value}' is not a valid business id (Y-tunnus): no id has "
                           "these seven digits"), value=text)
    check = 0 if remainder == 0 else 11 - remainder
    if int(m.group(2)) != check:
        raise CellError(N_("'{value}' is not a valid business id (Y-tunnus): the check "
                           "digit should be {check}"), value=text, check=check)
    return f"{digits}-{check}"


_SHEET_OF_TYPE = {s.node_type: s for s in SHEETS.values() if s.node_type}
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(raw: object) -> str:
    """A month cell as ``YYYY-MM``: the text ``2026-04`` or a spreadsheet date.

    >>> parse_month("2026-04"), parse_month("4/2026")
    ('2026-04', '2026-04')
    """
    if hasattr(raw, "year") and hasattr(raw, "month"):
        return f"{raw.year:04d}-{raw.month:02d}"  # type: ignore[attr-defined]
    text = _text(raw).strip()
    m = re.match(r"^(\d{1,2})\s*[/.]\s*(\d{4})$", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    if not MONTH_RE.match(text):
        raise CellError(N_("'{value}' is not a month (write YYYY-MM, e.g. 2026-04)"),
                        value=text)
    return text


#: an id that is no id; the rule names the letters, for ä and ö are lower-case letters too
_BAD_ID = N_("'{value}' is not a valid id (only the letters a–z without å, ä and ö, digits, "
             "'-' and '_', starting with a letter or digit)")
#: the same, offering the id the text makes (:func:`polku.io.naming.slug`)
_BAD_ID_LIKE = N_("'{value}' is not a valid id (only the letters a–z without å, ä and ö, "
                  "digits, '-' and '_', starting with a letter or digit): write, for "
                  "example, '{id}'")


#: an id that is one but for a character nobody sees (a zero-width space pasted with it):
#: the character named by its code, and where it is
_BAD_ID_INVISIBLE = N_("'{value}' is not a valid id: it holds an invisible character, "
                       "{invisible}, at character {position}: delete it (write, for example, "
                       "'{id}')")
#: a cell holding a bidirectional control (polku.io.bidi); the reader adds where
CELL_BIDI = N_("the cell holds a bidirectional control character, {invisible}, at "
               "character {position}: it turns the text shown after it backwards; delete it")
#: every template of an id refused where it is defined
BAD_IDS = (_BAD_ID, _BAD_ID_LIKE, _BAD_ID_INVISIBLE)


def invisible_at(text: str) -> int | None:
    """The index of the first character of ``text`` nobody sees (a format or control
    character: a zero-width space, a soft hyphen, a direction mark), else None.

    >>> invisible_at("valmennus\\u200b"), invisible_at("valmennus")
    (9, None)
    """
    import unicodedata

    if text.isascii():  # the common id: a control character is screened before this
        return None
    return next((i for i, c in enumerate(text) if unicodedata.category(c) in ("Cf", "Cc")),
                None)


def folded_id(text: str) -> str:
    """``text`` as an id it differs from only in case or in invisible characters reads
    (:func:`invisible_at`): what a use of a refused id is compared by.

    >>> folded_id("Valmennus"), folded_id("valmennus\\u200b")
    ('valmennus', 'valmennus')
    """
    while (at := invisible_at(text)) is not None:
        text = text[:at] + text[at + 1:]
    return text.casefold()


def bad_id(text: str) -> tuple[str, dict[str, object]]:
    """Why ``text`` is no id, as ``(catalogued template, params)``, offering the id the
    name makes when it makes one (``järjestö-ä`` → ``jarjesto-a``; ``---`` makes none),
    and naming an invisible character by its code (it cannot be seen in the quote).

    >>> bad_id("Järjestö-Ä")[1]
    {'value': 'Järjestö-Ä', 'id': 'jarjesto-a'}
    >>> bad_id("---") == (_BAD_ID, {'value': '---'})
    True
    >>> bad_id("tyo\\u200b")[1]
    {'value': 'tyo\\u200b', 'invisible': 'U+200B ZERO WIDTH SPACE', 'position': 4, 'id': 'tyo'}
    """
    like = slug(text, "")
    at = invisible_at(text)
    if at is not None and like:
        code = char_code(text[at])
        return _BAD_ID_INVISIBLE, {"value": text, "invisible": code, "position": at + 1,
                                   "id": like}
    if like:
        return _BAD_ID_LIKE, {"value": text, "id": like}
    return _BAD_ID, {"value": text}


def _split_list(text: str) -> list[str]:
    """A ``;`` list cell's items, stripped, empty ones left out."""
    if ";" not in text:
        item = text.strip()
        return [item] if item else []
    items = [t.strip() for t in text.split(";")]
    return [t for t in items if t]


@dataclass(frozen=True)
class LeftOut:
    """A people-count cell that a copy meant for others left out as a small cell, written
    ``<5`` (``<`` and the threshold): the value is not known, and the reader keeps that it
    was left out (the node's ``suppressed``), as the RDF readers do, so a shared file
    turned into a workbook still says "at least" where its totals lack a figure."""
    threshold: int


#: ``<5``: a small cell left out (:class:`LeftOut`), in a column that counts people
LEFT_OUT_RE = privacy.LEFT_OUT_TEXT
#: the columns that count people (:data:`polku.privacy.PEOPLE_COLUMNS`), by name
_PEOPLE_COLUMN_NAMES = frozenset(c for cols in PEOPLE_COLUMNS.values() for c in cols)
#: the node attributes those columns fill, in order (a segment's size, a referral's volume)
_LEFT_OUT_ATTRS = tuple(sorted(_PEOPLE_COLUMN_NAMES))


def _parse_cell(col: Column, raw: object, text: str) -> object:
    """Turn one non-empty cell (its raw value and its text) into its value, or raise
    ValueError with what is wrong."""
    kind = col.kind
    # the commonest kinds first: a national workbook has some 75,000 cells
    if kind == "text" or kind == "ref":
        return text
    if kind == "refs" or kind == "list":
        return _split_list(text)
    if kind == "id":
        if not ID_RE.match(text):
            message, params = bad_id(text)
            raise CellError(message, **params)
        return text
    # text, lists and ids are done above: what is left is a number, or a kind of its own
    if col.kind in ("number", "ratio", "integer") and isinstance(raw, (int, float)) \
            and not isinstance(raw, bool):
        value: object = int(raw) if float(raw).is_integer() and col.kind == "integer" else raw
        if isinstance(value, float) and value.is_integer():
            value = int(value)
    else:
        if col.kind == "bool":
            if isinstance(raw, bool):
                return raw
            return parse_bool(text)
        if col.kind == "enum":
            word = text.lower()
            if word in col.choices:
                return word
            # a role, an information flow: fi/sv/en words; a kind, how a service is
            # organised: the words shown for a code (kunta, kommun)
            code = choice_code(col.name, text)
            if code is None:
                raise not_a_choice(col.name, text)
            return code
        if col.kind == "business_id":
            return check_business_id(text)
        # the cell's text, a spreadsheet date's as every path reads it (cell_as_text)
        if col.kind == "month":
            return parse_month(text)
        if col.kind == "date":
            return parse_date(text)
        if col.kind == "status":
            return parse_status(text)
        if col.kind == "finding_key":
            return check_key(text)
        if text[:1] == "<" and col.name in _PEOPLE_COLUMN_NAMES and \
                (left := LEFT_OUT_RE.fullmatch(text)):
            return LeftOut(int(left.group(1)))
        # what a spreadsheet made of a number: a date (12.5 typed in a Finnish one), a
        # percentage where a share is written 0,35
        if isinstance(raw, (datetime.date, datetime.time)) or _DATE_LIKE.fullmatch(text):
            raise _made_a_date(raw, text)
        if col.kind == "ratio" and (percent := _PERCENT.fullmatch(text)):
            share = _share_of(percent.group(1))
            if share is not None:
                raise CellError(N_("'{value}' is a percentage: a share is written as a number "
                                   "from 0 to 1: write {share}"), value=text, share=share)
        # 1,200 typed for twelve hundred would be 1.2 (a small cell of people, at that):
        # a figure that reads two ways is refused, naming both (a share's 0,125 is none)
        value = parse_figure(text, whole=col.kind == "integer") if col.kind in _FIGURES \
            else parse_number(text)
    if type(value) is float and not math.isfinite(value):
        # an .xlsx cell's own number (the text ones parse_number refused already): a
        # figure nothing can compute with
        raise CellError(N_("'{value}' is not a number") if value != value else
                        N_("'{value}' is too large a number"), value=_text(raw))
    if col.kind == "integer" and not isinstance(value, int):
        raise _not_whole(_text(raw), value) or CellError(N_("'{value}' is not a whole number"),
                                                         value=_text(raw))
    if isinstance(value, (int, float)) and value < 0:
        raise CellError(N_("'{value}' is negative"), value=_text(raw))
    if col.minimum is not None and value < col.minimum:  # type: ignore[operator]
        raise CellError(N_("'{value}' is less than {least}"), value=_text(raw),
                        least=col.minimum)
    if col.bound is not None and (wrong := col.bound.problem(value)):  # type: ignore[arg-type]
        message, _, params = wrong
        raise CellError(message, value=_text(raw), **params)
    if col.kind == "ratio" and not 0 <= float(value) <= 1:  # type: ignore[arg-type]
        if 1 < float(value) <= 100:  # type: ignore[arg-type]
            raise CellError(N_("'{value}' is not a share between 0 and 1 (a percentage? "
                               "write {share})"), value=_text(raw),
                            share=Figure(float(value) / 100))  # type: ignore[arg-type]
        raise CellError(N_("'{value}' is not a share between 0 and 1"), value=_text(raw))
    return value


#: a cell's text that is a date as a spreadsheet writes one (``12.5.2026``, ``2026-05-12``,
#: ``2026-05-12 00:00:00``): in a number column, a number the spreadsheet made a date
_DATE_LIKE = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|"
                        r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
#: a percentage (``35 %``, ``35%``, ``12,5 %``)
_PERCENT = re.compile(r"([0-9][0-9 \u00a0\u202f]*(?:[.,][0-9]+)?)\s*%")


def _made_a_date(raw: object, text: str) -> CellError:
    """The refusal of a date or a time in a number column: a spreadsheet in a Finnish or
    Swedish locale reads ``12.5`` typed in a cell as the 12th of May, and ``12.30`` as
    half past twelve (a number, formatted as a date, in an .xlsx; the date's text in its
    CSV), so the figure meant is gone.

    >>> print(_made_a_date(None, "12.5.2026"))
    the cell is a date or a time ('12.5.2026'): a spreadsheet made it one (12.5 typed in a Finnish or Swedish spreadsheet becomes one); format the column as a number or as text and type the value again
    """
    if isinstance(raw, datetime.time):  # 12.30 typed: half past twelve
        typed = f"{raw.hour}.{raw.minute:02d}"
    elif isinstance(raw, datetime.date):
        typed = f"{raw.day}.{raw.month}"
    elif (m := re.match(r"([0-9]{1,2})\.([0-9]{1,2})\.", text)) is not None:
        typed = f"{int(m.group(1))}.{int(m.group(2))}"
    else:  # 2026-05-12
        typed = f"{int(text[8:10])}.{int(text[5:7])}"
    return CellError(_A_DATE, value=text, typed=typed)


_A_DATE = N_("the cell is a date or a time ('{value}'): a spreadsheet made it one ({typed} "
             "typed in a Finnish or Swedish spreadsheet becomes one); format the column as a "
             "number or as text and type the value again")


def _share_of(text: str) -> Figure | None:
    """A percentage's figure as a share (``35`` → 0.35), or None when it is no number."""
    try:
        number = parse_number(text)
    except CellError:
        return None
    return Figure(number / 100)


def _not_whole(text: str, value: float) -> CellError | None:
    """The refusal of a whole-number cell that is a whole number but for a tiny fraction
    (``1200.0000000001``: a formula's result, a float's rounding), saying to round it;
    None for any other fraction.

    >>> print(_not_whole("1200.0000000001", 1200.0000000001))
    '1200.0000000001' is not a whole number: a calculation (a formula) left a tiny fraction; round it (ROUND) or type 1200
    >>> _not_whole("2.5", 2.5) is None
    True
    """
    whole = round(value)
    if whole == value or abs(value - whole) > 1e-6:
        return None
    return CellError(N_("'{value}' is not a whole number: a calculation (a formula) left a "
                        "tiny fraction; round it (ROUND) or type {whole}"), value=text,
                     whole=str(whole))


def same_meaning(sheet: str, column: str, old: str, new: str) -> bool:
    """True when the cell texts ``old`` and ``new`` of ``column`` say the same value, as the
    reader reads them: ``nej`` and ``no``, ``päävastuu`` and ``lead``, ``30,5`` and
    ``30.5``, ``a; b`` and ``a;b``. An edit that sends a cell back in other words than
    the sheet's (a form that shows a stored ``nej`` as the option *no*, a program that
    sends ``true`` for ``kyllä``) then leaves the designer's own spelling as it was. Free
    text, an empty side and a text the column refuses are the same only when equal.

    >>> same_meaning("services", "entry", "nej", "no"), same_meaning("services", "entry", "nej", "")
    (True, False)
    >>> same_meaning("services", "capacity_per_month", "30,5", "30.5")
    True
    >>> same_meaning("services", "needs", "a; b", "a;b"), same_meaning("services", "name", "A", "a")
    (True, False)
    """
    if old == new:
        return True
    kind = SHEETS[sheet].column(column) if sheet in SHEETS else None
    old, new = old.strip(), new.strip()
    if kind is None or kind.kind == "text" or not old or not new:
        return False
    try:
        return _parse_cell(kind, old, old) == _parse_cell(kind, new, new)
    except ValueError:
        return False


def _column(sheet: Sheet, name: str) -> Column:
    """The column ``name`` of ``sheet``, one its declaration has (its edges, its roles)."""
    col = sheet.column(name)
    assert col is not None, name
    return col


@dataclass
class _Row:
    sheet: str
    file: str
    row: int
    values: dict[str, object]
    extra: dict[str, str]

    def where(self, column: str | None = None) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": column}


def first_step_row(rows: Sequence[_Row]) -> _Row:
    """The row of a designed path's first step among ``rows`` (the path's rows, in the
    file's order): the lowest step number, whatever the order of the rows; the earlier row
    on a tie (the reader refuses the later one) and the first row where no step was read
    as a whole number. The path's names are read from it (``docs/workbook.md``, *paths*)."""
    steps = [r for r in rows if isinstance(r.values.get("step"), int)]
    return min(steps, key=lambda r: r.values["step"]) if steps else rows[0]


#: sheet name -> (file, header, [(spreadsheet row number, cells)]): a workbook's raw cells
Tables = dict[str, tuple[str, list[str], list[tuple[int, list[object]]]]]


def read_tables(path: str | Path, max_rows: int | None = None) -> Tables:
    """The raw cells of every known sheet of a workbook, as :func:`read_rows` reads them."""
    reader = _Reader(Path(path), max_rows)
    tables = reader.tables()
    if reader.errors:
        raise PolkuErrors(reader.errors)
    return tables


def read_rows(path: str | Path, tables: Tables | None = None, max_rows: int | None = None,
              progress: Progress = silent,
              ) -> tuple[dict[str, list[_Row]], list[PolkuError], set[str]]:
    """Every sheet's rows, cells parsed and checked one by one (no cross-references yet),
    the problems found, and the sheets that could not be read at all. A cell that is wrong
    is left out of its row. ``tables`` are cells held in memory (an edit about to be
    written) instead of those in the file at ``path``. A sheet of more rows than
    ``max_rows`` (see :func:`row_ceiling`) is refused whole.
    """
    return _read_rows(path, tables, max_rows, progress)[:3]  # type: ignore[return-value]


def _read_rows(path: str | Path, tables: Tables | None, max_rows: int | None,
               progress: Progress,
               ) -> tuple[dict[str, list[_Row]], list[PolkuError], set[str], list[str],
                          dict[str, tuple[str, int]]]:
    """:func:`read_rows`, the names of every sheet the workbook has, read or not (its
    CSV files without ``.csv``, its .xlsx sheets; those of ``tables`` when given), and the
    ids of the rows refused whole, each with its sheet and row."""
    reader = _Reader(Path(path), max_rows, progress)
    tables_read = tables is None
    tables = reader.tables() if tables is None else tables
    ceiling = row_ceiling(max_rows)
    progress(Phrase(N_("checking every cell")))
    for name, sheet in SHEETS.items():
        if sheet.required and name not in tables and not any(
                e.sheet == name for e in reader.errors):
            where = (Path(path) / f"{name}.csv") if Path(path).is_dir() else Path(path)
            reader.error(N_("the required sheet '{name}' is missing{hint}"),
                         file=str(where), sheet=name, name=name,
                         hint=_case_hint(name, reader.names, listed=True))
            reader.failed.add(name)
    result: dict[str, list[_Row]] = {}
    for name, (file, header, body) in tables.items():
        sheet = SHEETS[name]
        if len(body) > ceiling:
            too_many = _TooManyRows(ceiling)
            reader.error(too_many.msgid or "", file=file, sheet=name, **too_many.params)
            reader.failed.add(name)
            continue
        seen: set[str] = set()
        refused: set[str] = set()
        for i, h in enumerate(header):
            problem = column_name_problem(h) if h else None
            if problem is not None:
                reader.error(N_("column {number} of the header ({name}): {problem}"),
                             file=file, sheet=name, row=1, number=i + 1,
                             name=_shown_name(h), problem=problem)
                refused.add(h)
                continue
            if h and h in seen:
                reader.error(N_("the column '{name}' appears twice"), file=file, sheet=name,
                             row=1, column=h, name=h)
            seen.add(h)
        # a misspelt people column (``Volume per month``) would be read as an extra column
        # and the figures meant for the known one lost to it: refused, naming the name to
        # use. (Any extra column's small numbers are hidden from the public all the same,
        # privacy.shown_extra; a column merely named like a count is no error.)
        people = PEOPLE_COLUMNS.get(name, ())
        for h in header:
            if h and h not in people and h not in refused and sheet.column(h) is None:
                # a people column in other words (storlek, koko for size) is as lost
                otherwise = named_otherwise(h, column_words(name), people)
                if otherwise is not None:
                    if otherwise in header:
                        reader.error(N_("the column '{name}' is another name for '{known}', "
                                        "which the sheet has already: leave it out, or "
                                        "rename it to say what it holds"),
                                     file=file, sheet=name, row=1, column=h, name=h,
                                     known=otherwise)
                    else:
                        reader.error(N_("the column '{name}' is another name for '{known}', "
                                        "a count of people whose small figures are hidden "
                                        "from the public; polku reads the columns by their "
                                        "English names and cannot keep it as an extra column "
                                        "(its figures would be published as they are): "
                                        "rename it '{known}'"),
                                     file=file, sheet=name, row=1, column=h, name=h,
                                     known=otherwise)
                    refused.add(h)
                    continue
                like = meant(h, [c.name for c in sheet.columns], people)
                if like is not None and like in header:
                    # the sheet has the known column already: renaming to it is no way out
                    reader.error(N_("the column '{name}' looks like '{known}', which the "
                                    "sheet has already: rename it so that it does not, or "
                                    "leave it out"),
                                 file=file, sheet=name, row=1, column=h, name=h, known=like)
                    refused.add(h)
                elif like is not None:
                    reader.error(N_("the column '{name}' looks like '{known}', a count of "
                                    "people whose small figures are hidden from the public; "
                                    "polku cannot keep it as an extra column (its figures "
                                    "would be published as they are): rename it '{known}'"),
                                 file=file, sheet=name, row=1, column=h, name=h, known=like)
                    refused.add(h)
        if refused:
            reader.failed.add(name)
            continue
        missing = [c.name for c in sheet.columns if c.required and c.name not in header]
        if missing and _title_row(reader, name, file, header, body, missing):
            reader.failed.add(name)
            continue
        for m in missing:
            reader.error(N_("the required column '{name}' is missing{hint}"),
                         file=file, sheet=name, row=1, column=m, name=m,
                         hint=_case_hint(m, header, words=column_words(name)))
        if missing:
            reader.failed.add(name)
            continue
        result[name] = _sheet_rows(reader, name, file, header, body)
    return (result, reader.errors, reader.failed,
            reader.names if tables_read else list(tables), reader.dropped)


#: how many rows below row 1 are looked at for the header a title row pushed down, and
#: how many of an .xlsx row's columns
TITLE_ROWS = 20
MAX_TITLE_WIDTH = 200


def header_row(sheet: str, rows: Iterable[tuple[int, Sequence[object]]]) -> int | None:
    """The number of the first of ``rows`` (numbered as a spreadsheet shows them) that
    names every required column of ``sheet``: the header, below a title; else None.

    >>> header_row("needs", [(2, ["Tarpeet 2026"]), (3, ["id", "name", None])])
    3
    """
    required = {c.name for c in SHEETS[sheet].columns if c.required}
    for number, cells in rows:
        if required <= {_text(c) for c in cells}:
            return number
    return None


def _title_row(reader: _Reader, name: str, file: str, header: list[str],
               body: list[tuple[int, list[object]]], missing: list[str]) -> bool:
    """Say, once for the sheet, that row 1 holds a title (``Palvelut 2026 – luonnos``)
    rather than the column names, when it names no column of the sheet and either the
    required columns are in a row below it (which is said) or it is one or two cells of
    text; False, saying nothing, for any other header that lacks a column."""
    sheet = SHEETS[name]
    named = [h for h in header if h]
    if not named or any(sheet.column(h) is not None for h in named):
        return False
    # an .xlsx's rows were read only as wide as row 1 (_xlsx_rows): the reader looked below
    # a title there itself
    below = reader.header_below.get(name) if name in reader.header_below else \
        header_row(name, body[:TITLE_ROWS])
    if below is None and len(named) > 2:
        return False
    title = named[0]
    shown: object = Said(NAME_NOT_SHOWN) if find_hetu(title) is not None else \
        title[:60] + ("…" if len(title) > 60 else "")
    if below is not None:
        reader.error(N_("row 1 holds '{title}', not the column names: the header must be "
                        "row 1; the columns are in row {number}: delete the rows above it"),
                     file=file, sheet=name, row=1, title=shown, number=below)
    else:
        reader.error(N_("row 1 holds '{title}', not the column names: the header must be "
                        "row 1 (the required columns {names} are missing)"),
                     file=file, sheet=name, row=1, title=shown, names=", ".join(missing))
    return True


#: a fast row's problems, in column order: (column, catalogued template, params)
_CellProblems = list[tuple[str, str, dict[str, object]]]


def _sheet_rows(reader: _Reader, name: str, file: str, header: list[str],
                body: list[tuple[int, list[object]]]) -> list[_Row]:
    """The rows of one sheet whose header passed, every cell parsed and checked; problems
    go to ``reader`` row by row, and within a row column by column, as a designer reads them.

    Why in three passes: a national workbook has some 75,000 cells, nearly all plain text
    under named columns. The first pass shapes the rows and screens the whole sheet's text
    at once for a control character or an identity code (a hit sends only its own rows to
    the careful cell-by-cell reading); the second parses the plain rows column by column,
    deciding each column's parser once (:func:`_column_values`); the third puts the rows
    and their problems back in the sheet's order.
    """
    sheet = SHEETS[name]
    columns = [(h, sheet.column(h)) for h in header]
    width = len(header)
    every_column_named = all(header)
    # a CSV row is wider than its header only where a comma too many shifted its cells (a
    # spreadsheet writes as many cells on every line, the header's line too), even when
    # the cells past the header are empty; in an .xlsx a cell right of the header is no
    # shift (an empty one is formatting): the row is read, the cell said
    shifts = file.lower().endswith(".csv")
    #: an .xlsx row's value right of the header, by the row: (its column's index, text)
    past: dict[int, tuple[int, str]] = {}
    # (row number, cells, texts, joined text, every cell text?); texts is None for a row
    # that has more cells than the header has columns (refused whole)
    shaped: list[tuple[int, list[object], list[str] | None, str, bool]] = []
    for rownum, cells in body:
        # cells arrive stripped; spreadsheets also hand over numbers and booleans (a join
        # of the cells fails on those: one C-level look, instead of one per cell)
        try:
            joined = "\n".join(cells)  # type: ignore[arg-type]
            texts, all_text = cells, True
        except TypeError:
            texts = row_texts(name, header, cells)
            joined, all_text = "\n".join(texts), False
        if not any(texts):
            continue
        if len(texts) > width and (shifts or any(texts[width:])):
            if shifts:
                shaped.append((rownum, cells, None, joined, all_text))
                continue
            at = next(i for i in range(width, len(texts)) if texts[i])
            past[rownum] = (at, texts[at])
            cells, texts = cells[:width], texts[:width]
            joined = "\n".join(texts)
        if len(texts) < width:  # a short row: its missing cells are empty
            cells = list(cells) + [""] * (width - len(cells))
            texts = list(texts) + [""] * (width - len(texts))
        shaped.append((rownum, cells, texts, joined, all_text))  # type: ignore[arg-type]
    # one look at the whole sheet for a control character or a personal identity code (the
    # line breaks between cells and rows are neither, and no code runs across one); only
    # when it finds one are the rows looked at one by one, and in them the cells. Text
    # that is all printable holds no control character: a quicker look than the regex's
    sheet_text = "\n".join(s[3] for s in shaped)
    # (a bidirectional control is screened alike: BIDI_CONTROL)
    suspect = (not sheet_text.replace("\n", " ").isprintable()
               and (_CONTROL.search(sheet_text) is not None
                    or BIDI_CONTROL.search(sheet_text) is not None)) \
        or find_hetu(sheet_text) is not None
    # a row is plain when it has only text cells under named columns, none quoted with ',
    # too long, or holding anything to screen: only the checks that can still fail apply
    plain: list[bool] = []
    screened: list[bool] = []
    for rownum, cells, texts, joined, all_text in shaped:
        screen = suspect and (_CONTROL.search(joined) is not None
                              or BIDI_CONTROL.search(joined) is not None or (
                                  len(joined) >= 11 and find_hetu(joined) is not None))
        screened.append(screen)
        plain.append(texts is not None and not screen and every_column_named and all_text
                     and len(joined) <= MAX_CELL and "\n'" not in joined and joined[:1] != "'")
    plain_rows = [s[2] for s, p in zip(shaped, plain) if p]
    values_of, extra_of, problems_of = _plain_rows(columns, plain_rows)

    rows: list[_Row] = []
    plain_at = 0
    for (rownum, cells, texts, *_), is_plain, screen in zip(shaped, plain, screened):
        if rownum in past:
            from openpyxl.utils.cell import get_column_letter

            at, text = past[rownum]
            if find_hetu(text) is not None:  # screened before the cell is quoted
                reader.error(N_("the cell {problem}"), file=file, sheet=name, row=rownum,
                             problem=Said(HETU_MESSAGE))
            else:
                reader.error(Counted(ngettext(
                    "column {letter} has a value ('{value}') but the header has no column "
                    "there (it has {columns} column): name the column in row 1, or clear the "
                    "cell",
                    "column {letter} has a value ('{value}') but the header has no column "
                    "there (it has {columns} columns): name the column in row 1, or clear the "
                    "cell"), width), file=file, sheet=name,
                             row=rownum, letter=get_column_letter(at + 1),
                             value=_CONTROL.sub("?", text[:40]), columns=width)
        if texts is None:
            _shifted_row(reader, name, file, rownum, columns, cells)
        elif is_plain:
            for h, message, params in problems_of.get(plain_at, ()):
                reader.error(message, file=file, sheet=name, row=rownum, column=h, **params)
            rows.append(_Row(name, file, rownum, values_of[plain_at], extra_of[plain_at]))
            plain_at += 1
        else:
            rows.append(_careful_row(reader, name, file, rownum, columns, cells, texts,
                                     screen))
    return rows


#: a number's whole part and its decimals, each a cell of its own: a decimal comma
#: written without quotes (``7,5``) that split one cell in two
_WHOLE_PART = re.compile(r"[+-]?[0-9][0-9 \u00a0\u202f]*")
_DECIMALS = re.compile(r"[0-9]+")


def _shifted_row(reader: _Reader, name: str, file: str, rownum: int,
                 columns: list[tuple[str, Column | None]], cells: list[object]) -> None:
    """The problem of a CSV row with more cells than its header has columns: refused whole
    (every cell after the comma too many sits in the next column: a volume of 7 and a
    wait of 5 days for '7,5'), naming the number a decimal comma split when two cells side
    by side from a number column on read as one (the first such, from the left), and its
    id kept as refused (its uses are not said again to be unknown: ``reader.dropped``)."""
    texts = [_text(c) for c in cells]
    split = next(((h, texts[i], texts[i + 1]) for i, (h, col) in enumerate(columns)
                  if col is not None and col.kind in NUMBER_KINDS and i + 1 < len(texts)
                  and _WHOLE_PART.fullmatch(texts[i]) and _DECIMALS.fullmatch(texts[i + 1])),
                 None)
    where = {"file": file, "sheet": name, "row": rownum, "cells": len(cells),
             "columns": len(columns)}
    if split is None:
        # (more cells than columns: the cells are never 1, the columns may be)
        reader.error(Counted(ngettext(
            "the row has {cells} cells but the header only {columns} column: a comma too "
            "many (a decimal comma without quotes, or one typed in a cell) shifts the cells "
            "after it; the row is not read",
            "the row has {cells} cells but the header only {columns} columns: a comma too "
            "many (a decimal comma without quotes, or one typed in a cell) shifts the cells "
            "after it; the row is not read"), len(columns)), **where)
    else:
        column, whole, decimals = split
        reader.error(Counted(ngettext(
            "the row has {cells} cells but the header only {columns} column: '{value}' looks "
            "like a number with a decimal comma, which splits it into two cells: write "
            "{point}, or put it in quotes (\"{value}\"); the row is not read",
            "the row has {cells} cells but the header only {columns} columns: '{value}' "
            "looks like a number with a decimal comma, which splits it into two cells: write "
            "{point}, or put it in quotes (\"{value}\"); the row is not read"),
            len(columns)), column=column, value=f"{whole},{decimals}",
                     point=f"{whole.translate(_NO_SPACES)}.{decimals}", **where)
    ids = [i for i, (h, _) in enumerate(columns) if h == "id"]
    if SHEETS[name].node_type is not None and ids and texts[ids[0]]:
        reader.dropped.setdefault(texts[ids[0]], (name, rownum))


def _plain_rows(columns: list[tuple[str, Column | None]], rows: list[list[str]]
                ) -> tuple[list[dict[str, object]], list[dict[str, str]],
                           dict[int, _CellProblems]]:
    """Plain rows (text cells under named columns, nothing to screen) parsed column by
    column: each row's values and extra (unknown) columns, and the problems of the rows
    that have any, by the row's place."""
    known: list[tuple[str, list[object]]] = []
    extra: list[tuple[str, list[object]]] = []
    problems: dict[int, _CellProblems] = {}
    # zip(*rows) turns the rows into columns; a column past the header is left out
    for (h, col), texts in zip(columns, zip(*rows)):
        if col is None:
            extra.append((h, [t or None for t in texts]))
            continue
        values, wrong = _column_values(col, texts)
        known.append((h, values))
        for place in sorted(wrong):
            message, params = wrong[place]
            problems.setdefault(place, []).append((h, message, params))
    names = [h for h, _ in known]
    values_of = [{h: v for h, v in zip(names, row) if v is not None}
                 for row in zip(*(values for _, values in known))] if known else \
        [{} for _ in rows]
    if extra:
        extra_names = [h for h, _ in extra]
        extra_of = [{h: v for h, v in zip(extra_names, row) if v is not None}
                    for row in zip(*(values for _, values in extra))]
    else:
        extra_of = [{} for _ in rows]
    return values_of, extra_of, problems  # type: ignore[return-value]


def _column_values(col: Column, texts: tuple[str, ...]
                   ) -> tuple[list[object], dict[int, tuple[str, dict[str, object]]]]:
    """The values of one column's text cells, None where a cell is empty or wrong (no
    parser returns None), and what is wrong with the wrong ones by their place:
    ``(catalogued template, params)``.

    The column's kind is looked at once: text and references are kept as they are, lists
    split and ids matched in one sweep each; the other kinds go cell by cell through
    :func:`_parse_cell`, which holds every rule.
    """
    wrong: dict[int, tuple[str, dict[str, object]]] = {}
    kind = col.kind
    if kind == "text" or kind == "ref":
        values: list[object] = [t or None for t in texts]
    elif kind == "refs" or kind == "list":
        values = [_split_list(t) if t else None for t in texts]
    elif kind == "id":
        values = [t or None for t in texts]
        match = ID_RE.match
        for place in [i for i, t in enumerate(texts) if t and not match(t)]:
            values[place] = None
            wrong[place] = bad_id(texts[place])
    else:
        # a number written plainly is the common number cell (_plain_number); in a column
        # with no minimum none of _parse_cell's further rules can fail it but the bound,
        # looked at below for the whole column
        plain = kind == "number" and col.minimum is None
        values = []
        for place, text in enumerate(texts):
            value = None
            if text:
                try:
                    if plain:
                        value = _plain_number(text)
                    if value is None:
                        value = _parse_cell(col, text, text)
                except CellError as e:
                    wrong[place] = (e.msgid, e.params)
                except ValueError as e:  # no parser's own: Python's, quoted as is
                    wrong[place] = (N_("the cell cannot be read ({detail})"),
                                    {"detail": str(e)})
            values.append(value)
        if plain and col.bound is not None:
            bound = col.bound
            for place, v in enumerate(values):
                if v is not None and type(v) is not LeftOut and (out := bound.problem(v)):
                    values[place] = None
                    wrong[place] = (out[0], {"value": texts[place], **out[2]})
    if col.required and not all(texts):
        for place, text in enumerate(texts):
            if not text:
                wrong[place] = (N_("the required value '{name}' is empty"), {"name": col.name})
    return values, wrong


def _careful_row(reader: _Reader, name: str, file: str, rownum: int,
                 columns: list[tuple[str, Column | None]], cells: list[object],
                 texts: list[str], screen: bool) -> _Row:
    """One row that is not plain, read cell by cell: a formula never computed, a cell too
    long, quoted with ', under no column name, or (``screen``: the row holds one) with a
    control character or an identity code."""
    values: dict[str, object] = {}
    extra: dict[str, str] = {}
    for i, ((h, col), raw, text) in enumerate(zip(columns, cells, texts)):
        if isinstance(raw, Uncomputed):
            if col is not None and col.kind != "text":
                reader.error(N_("the cell holds a formula whose value was never "
                                "saved (open the workbook in a spreadsheet program "
                                "and save it, or type the value)"), file=file,
                             sheet=name, row=rownum, column=h)
            continue
        if len(text) > MAX_CELL:
            reader.error(N_("the cell has {length} characters; a cell holds at "
                            "most {most}"), file=file, sheet=name, row=rownum,
                         column=h or None, length=Figure(len(text)),
                         most=Figure(MAX_CELL))
            continue
        if text.startswith("'"):
            text = unneutral(text)
            if type(raw) is str:
                raw = text
        # screened before anything quotes the cell (a cell under no column name is quoted)
        if screen and _CONTROL.search(text):
            reader.error(N_("the cell holds a control character (such as NUL); "
                            "remove it"), file=file, sheet=name, row=rownum,
                         column=h or None)
            continue
        if screen and len(text) >= 11 and find_hetu(text) is not None:
            reader.error(N_("the cell {problem}"), file=file, sheet=name,
                         row=rownum, column=h or None, problem=Said(HETU_MESSAGE))
            continue
        if screen and (bidi := bidi_params(text)) is not None:
            reader.error(CELL_BIDI, file=file, sheet=name, row=rownum, column=h or None,
                         **bidi)
            continue
        if not h:
            if text:
                reader.error(N_("column {number} has a value ('{value}') but no "
                                "header"), file=file, sheet=name, row=rownum,
                             number=i + 1, value=text[:40])
            continue
        if not text:
            if col is not None and col.required:
                reader.error(N_("the required value '{name}' is empty"), file=file,
                             sheet=name, row=rownum, column=h, name=h)
            continue
        if col is None:
            extra[h] = text
            continue
        try:
            values[h] = _parse_cell(col, raw, text)
        except CellError as e:
            reader.error(e.msgid, file=file, sheet=name, row=rownum, column=h, **e.params)
        except ValueError as e:  # no parser's own: Python's, quoted as is
            reader.error(N_("the cell cannot be read ({detail})"), file=file,
                         sheet=name, row=rownum, column=h, detail=str(e))
    return _Row(name, file, rownum, values, extra)


def _left_out_thresholds(row: _Row) -> Iterator[int]:
    """The thresholds of a segment's or referral's cells that a copy for others left out:
    a people column's :class:`LeftOut`, an extra column's ``<10``
    (:func:`polku.privacy.extras_left_out`)."""
    for value in row.values.values():
        if type(value) is LeftOut:
            yield value.threshold
    for text in row.extra.values():
        if isinstance(text, str) and (left := LEFT_OUT_RE.fullmatch(text.strip())):
            yield int(left.group(1))


def node_attributes(sheet: Sheet, row: _Row
                    ) -> tuple[dict[str, object], list[tuple[str, str, dict[str, object]]]]:
    """A node row's attributes as the graph holds them, and what is wrong with them as
    ``(catalogued template, column, params)``: an end before the start, a referral from a
    service to itself. The import and the suggestions' trials (:mod:`polku.analyses.suggest`)
    build a node row this one way."""
    attribute_of = sheet.attribute_of
    attrs = {attribute_of[k]: v for k, v in row.values.items() if attribute_of[k] is not None}
    # only a people column holds one (a look at two names, not at every value of the row)
    if left_out := [a for a in _LEFT_OUT_ATTRS if type(attrs.get(a)) is LeftOut]:
        for a in left_out:  # not known: left out, as a published copy's RDF says it
            del attrs[a]
        attrs["suppressed"] = left_out
    problems: list[tuple[str, str, dict[str, object]]] = []
    start, end = attrs.get("start"), attrs.get("end")
    if isinstance(start, str) and isinstance(end, str) and start > end:
        problems.append((N_("the end {end} comes before the start {start}"), "end",
                         {"end": end, "start": start}))
    if sheet.node_type == "referral":
        attrs.setdefault("information_flow", "unknown")
        if row.values.get("from") is not None and row.values.get("from") == row.values.get("to"):
            problems.append((N_("a referral cannot go from a service to itself"), "to", {}))
    if row.extra:
        attrs["extra"] = dict(row.extra)
    return attrs, problems


def read_workbook(path: str | Path, name: str | None = None,
                  tables: Tables | None = None, max_rows: int | None = None,
                  progress: Progress = silent) -> nx.MultiDiGraph:
    """Read a workbook (CSV folder or .xlsx) into the typed graph of :mod:`polku.graph`.

    The graph's name (from which every resource IRI is built) is the ``graph`` sheet's
    ``id``; without that sheet it is ``name``, else the folder or file name without suffix
    made an id (:func:`polku.io.naming.graph_name_of`: ``Oma Alue`` is ``oma-alue``, and
    ``Oma Alue`` its title), never an output file's name. A ``name`` that contradicts the
    sheet is an error. The
    sheet's title (with ``title_sv``, ``title_en``), region (with ``region_sv``,
    ``region_en``), illustrative and source become
    graph attributes (``g.graph["illustrative"]`` …). Every problem is found before anything
    is returned; they are raised together as :class:`PolkuErrors`.
    ``tables`` checks cells held in memory with the same rules (see :func:`read_rows`).

    >>> g = read_workbook("graphs/keski-uusimaa")  # doctest: +SKIP
    >>> g.nodes["kela"]["type"]  # doctest: +SKIP
    'actor'
    """
    path = Path(path)
    rows, errors, failed, present, dropped = _read_rows(path, tables, max_rows, progress)
    progress(Phrase(N_("checking the references")))
    # ids of a sheet that could not be read are unknown everywhere; say so once, not per use
    unread_types = {SHEETS[name].node_type for name in failed}
    # so are the ids refused where they are defined ('järjestö-ä' in the actors' id
    # column): said there once, with the id they could be, and at none of their uses (one
    # fix, at the definition; a use still written the old way is then an unknown id, said
    # with the id it likely means). Every use alike: a row whose own id is refused is
    # left out whole, its references unread, so only some uses could be said otherwise
    refused: dict[str, tuple[str, int]] = {
        e.params["value"]: (e.sheet, e.row or 0) for e in errors
        if e.msgid in BAD_IDS and e.column == "id" and e.sheet is not None
        and SHEETS[e.sheet].node_type is not None}
    # and so are the ids of the rows refused whole (a CSV row a comma too many shifted)
    for node_id, where in dropped.items():
        refused.setdefault(node_id, where)
    refused_ids = set(refused)
    # a use that differs from a refused id only in case or in an invisible character (the
    # id 'Valmennus' or 'valmennus\u200b', the uses 'valmennus') is unknown, and says which
    # row it is likely meant for: that row's problem is the one to mend
    refused_like = {folded_id(i): where for i, where in refused.items()}
    # the sheets a file lacks, by the node type they hold: a reference to one of their ids
    # is first of all a missing sheet (a sheet renamed 'Taul1'), said once before the
    # references (cells in memory, an edit's, name no sheet they lack: not looked for)
    absent = {} if tables is not None else {
        sheet.node_type: name for name, sheet in SHEETS.items()
        if sheet.node_type and name not in present and name not in failed}
    #: sheet name -> [references to its ids, the first one's row, its column]
    into_absent: dict[str, list] = {}
    if name is None:
        name_of_path, title = graph_name_of(path)
        g = new_graph(name_of_path)
        if title is not None and not rows.get("graph"):  # the name as the designer wrote it
            g.graph["title"] = title
    else:
        g = new_graph(name)
    graph_rows = rows.get("graph", [])
    for row in graph_rows[1:]:
        errors.append(PolkuError(N_("the graph sheet has one row (the first is row {first})"),
                                 params={"first": graph_rows[0].row}, **row.where()))
    if graph_rows:
        meta = graph_rows[0]
        sheet_id = meta.values.get("id")
        if isinstance(sheet_id, str):
            if name and name != sheet_id:
                errors.append(PolkuError(N_("the graph is named '{here}' here, not "
                                            "'{name}': rename it in this sheet, not on the "
                                            "command line"),
                                         params={"here": sheet_id, "name": name},
                                         **meta.where("id")))
            g.graph["name"] = sheet_id
        g.graph.update({k: v for k, v in meta.values.items() if k != "id"})
        if meta.extra:
            g.graph["extra"] = dict(meta.extra)
    first_seen: dict[str, _Row] = {}

    def fail(message: str, at: _Row, column: str | None, **params: object) -> None:
        """A problem of the row ``at``: ``message`` is a catalogued template of ``params``."""
        errors.append(PolkuError(message, params=params, **at.where(column)))

    def claim(node_id: str, row: _Row, column: str) -> bool:
        """Take an id for ``row``; ids are unique across every sheet."""
        if node_id in first_seen:
            other = first_seen[node_id]
            fail(N_("duplicate id '{id}' (already used in sheet '{sheet}', row {row})"),
                 row, column, id=node_id, sheet=other.sheet, row=other.row)
            return False
        first_seen[node_id] = row
        return True

    # nodes first, so that references across sheets can be checked in one pass; added to
    # the graph together (add_nodes), in the order of the sheets and their rows
    nodes: list[tuple[str, dict[str, object]]] = []
    #: the thresholds of the cells a copy for others left out (``<10``): what it was made with
    hidden_by: set[int] = set()
    for name, sheet in SHEETS.items():
        if sheet.node_type is None:
            continue
        people = name in PEOPLE_COLUMNS
        for row in rows.get(name, []):
            node_id = row.values.get("id")
            if not isinstance(node_id, str):
                continue
            if not claim(node_id, row, "id"):
                continue
            if people:
                hidden_by.update(_left_out_thresholds(row))
            attrs, problems = node_attributes(sheet, row)
            for message, column, params in problems:
                fail(message, row, column, **params)
            nodes.append((node_id, {"type": sheet.node_type, **attrs}))

    paths: dict[str, list[_Row]] = {}
    for row in rows.get("paths", []):
        pid = row.values.get("path")
        if isinstance(pid, str):
            paths.setdefault(pid, []).append(row)
    for pid, prow in paths.items():
        row = prow[0]
        if not ID_RE.match(pid):
            message, params = bad_id(pid)
            fail(message, row, "path", **params)
            continue
        if not claim(pid, row, "path"):
            continue
        # the path's names (primary, Swedish, English) are read from its first step's row,
        # wherever the rows are sorted (a later row's other name is a warning:
        # polku.io.unknown_names.path_name_warnings)
        named = first_step_row(prow)
        nodes.append((pid, {"type": "path", **{col: named.values[col] for col in PATH_NAMES
                                               if col in named.values}}))
    add_nodes(g, nodes)
    if hidden_by:
        # no column says it: the copy's ``<10`` cells do (the largest, should they differ),
        # so that what is made of this workbook never states a lower threshold than the
        # one its figures were hidden by (polku:min_cell, 5 by default)
        g.graph["min_cell"] = max(hidden_by)

    from_role_columns: set[tuple[str, str, str]] = set()

    node_data = g._node  # the node dicts directly: some 40,000 references at national size

    by_types: dict[tuple[str, ...], dict[str, Any]] = {}
    guesses = [0]

    def guess(ref: str, types: Iterable[str]) -> str | None:
        """:func:`likely_id` among the nodes of ``types`` (indexed once per set of types),
        for the first :data:`MAX_GUESSES` unknown references: a sheet of thousands of
        wrong ids (a column pasted from elsewhere) does not compare each with every node."""
        if guesses[0] >= MAX_GUESSES:
            return None
        guesses[0] += 1
        key = tuple(sorted(types))
        if key not in by_types:
            by_types[key] = {n: d for n, d in node_data.items() if d.get("type") in key}
        return likely_id(ref, by_types[key])

    def check_ref(ref: str, col: Column, row: _Row) -> bool:
        """Whether ``ref`` names a node of a type ``col`` takes; if not, says what is wrong."""
        data = node_data.get(ref)
        node_type = data["type"] if data is not None else None
        if node_type is None:
            if ref in refused_ids:  # said where it is defined
                return False
            if refused_like and (like := refused_like.get(folded_id(ref))) is not None:
                fail(N_("unknown {targets} id '{ref}': it differs only in case or in an "
                        "invisible character from the id of sheet '{sheet}', row {row}, "
                        "which was refused (see the problem there)"), row, col.name,
                     targets=NodeTypes(col.targets), ref=ref, sheet=like[0], row=like[1])
                return False
            if absent and all(t in absent for t in col.targets):
                # an id only a sheet the workbook lacks could hold (one target: a subject
                # may be a service as well as a measure, whose sheet most workbooks lack)
                count = into_absent.setdefault(absent[col.targets[0]], [0, row, col.name])
                count[0] += 1
            if not unread_types.intersection(col.targets):
                listed = _listed_wrongly(ref, col, node_data)
                close = None if listed else guess(ref, col.targets)
                if listed:
                    fail(N_("unknown {targets} id '{ref}': write a list with ';' between "
                            "its ids: {listed}"), row, col.name,
                         targets=NodeTypes(col.targets), ref=ref, listed=listed)
                elif close is None:
                    fail(N_("unknown {targets} id '{ref}'"), row, col.name,
                         targets=NodeTypes(col.targets), ref=ref)
                else:
                    fail(N_("unknown {targets} id '{ref}' (did you mean '{close}'?)"), row,
                         col.name, targets=NodeTypes(col.targets), ref=ref, close=close)
            return False
        if node_type not in col.targets:
            fail(N_("'{ref}' is {found}, not {expected}"), row, col.name, ref=ref,
                 found=NodeTypes([node_type], article=True),
                 expected=NodeTypes(col.targets, article=True))
            return False
        return True

    list_edges: list[tuple[str, str, str, dict]] = []
    for name, sheet in SHEETS.items():
        if sheet.node_type is None:
            continue
        edge_columns = [(colname, kind, reverse, _column(sheet, colname))
                        for colname, (kind, reverse) in sheet.edges.items()]
        role_columns = [(colname, role, _column(sheet, colname))
                        for colname, role in sheet.roles.items()]
        for row in rows.get(name, []):
            values = row.values
            node_id = values.get("id")
            if not isinstance(node_id, str) or first_seen.get(node_id) is not row:
                continue
            for colname, kind, reverse, col in edge_columns:
                value = values.get(colname)
                if not value:
                    continue
                for ref in value if isinstance(value, list) else (value,):
                    # a node of a type the column takes, looked at here (some 40,000 times
                    # at national size); check_ref says what is wrong with any other
                    data = node_data.get(ref)
                    if (data is None or data["type"] not in col.targets) \
                            and not check_ref(ref, col, row):
                        continue
                    if kind == "part_of" and ref == node_id:
                        fail(N_("an actor cannot be its own parent"), row, colname)
                        continue
                    u, v = (ref, node_id) if reverse else (node_id, ref)
                    list_edges.append((u, v, kind, {"kind": kind}))
            for colname, role, col in role_columns:
                for ref in values.get(colname) or []:
                    assert isinstance(ref, str)
                    if not check_ref(ref, col, row):
                        continue
                    if any(d.get("kind") == "responsibility"
                           for d in g.get_edge_data(ref, node_id, default={}).values()):
                        fail(N_("'{ref}' is named twice among the leads and participants"),
                             row, colname, ref=ref)
                        continue
                    add_edge(g, ref, node_id, "responsibility", key=f"responsibility:{role}",
                             role=role)
                    from_role_columns.add((ref, node_id, role))
    add_edges(g, list_edges)
    # an organisation is the top of its chain of units (the action lists group by it): a
    # circle of parents has no top. Said once per circle, at its first row, naming each
    # actor and its row (an actor its own parent is refused above, its edge not added)
    parents: dict[str, list[str]] = {}
    for u, v, kind, _ in list_edges:
        if kind == "part_of":
            parents.setdefault(u, []).append(v)
    for circle in parent_cycles(parents):
        fail(N_("the parents run in a circle: {circle} (rows {rows}); an actor's chain of "
                "parents must end at an actor without one"),
             first_seen[circle[0]], "parent", circle=" → ".join((*circle, circle[0])),
             rows=", ".join(str(first_seen[a].row) for a in circle))

    res_sheet = SHEETS["responsibilities"]
    succ = g._succ  # the edges read directly, as add_edges writes them
    for row in rows.get("responsibilities", []):
        actor, subject, role = (row.values.get(c) for c in ("actor", "subject", "role"))
        if not (isinstance(actor, str) and isinstance(subject, str) and isinstance(role, str)):
            continue
        ok = check_ref(actor, res_sheet.columns[0], row)
        ok = check_ref(subject, res_sheet.columns[1], row) and ok
        if not ok:
            continue
        key = f"responsibility:{role}"
        if (actor, subject, role) in from_role_columns:
            # the measures sheet named the actor; this row adds the note
            from_role_columns.discard((actor, subject, role))
            data = succ[actor][subject][key]
            if "note" in row.values:
                data["note"] = row.values["note"]
            if row.extra:
                data["extra"] = dict(row.extra)
            continue
        if key in succ[actor].get(subject, ()):
            fail(N_("'{actor}' already has role '{role}' on '{subject}'"), row, "role",
                 actor=actor, role=role, subject=subject)
            continue
        attrs: dict[str, object] = {"kind": "responsibility", "role": role}
        if "note" in row.values:
            attrs["note"] = row.values["note"]
        if row.extra:
            attrs["extra"] = dict(row.extra)
        add_edges(g, [(actor, subject, key, attrs)])

    path_sheet = SHEETS["paths"]
    # added together (add_edges) once every path is read: nothing below reads them back
    path_edges: list[tuple[str, str, str, dict]] = []
    for pid, prow in paths.items():
        if first_seen.get(pid) is not prow[0]:
            continue
        segment = prow[0].values["segment"]
        if isinstance(segment, str) and check_ref(segment, _column(path_sheet, "segment"),
                                                  prow[0]):
            path_edges.append((pid, segment, "path_segment", {"kind": "path_segment"}))
        steps_seen: dict[int, _Row] = {}
        for row in prow:
            if row.values.get("segment") != segment:
                fail(N_("path '{path}' is for segment '{segment}' (row {row}), not "
                        "'{other}'"), row, "segment", path=pid, segment=segment,
                     row=prow[0].row, other=row.values.get("segment"))
            step = row.values.get("step")
            node = row.values.get("node")
            if not isinstance(step, int) or not isinstance(node, str):
                continue
            if step < 1:
                fail(N_("steps are numbered from 1"), row, "step")
                continue
            if step in steps_seen:
                fail(N_("path '{path}' already has step {step} (row {row})"), row, "step",
                     path=pid, step=step, row=steps_seen[step].row)
                continue
            steps_seen[step] = row
            if check_ref(node, _column(path_sheet, "node"), row):
                attrs = {"kind": "step", "order": step}
                if row.extra:
                    attrs["extra"] = dict(row.extra)
                path_edges.append((pid, node, f"step:{step}", attrs))
        for before, step, node in repeated_steps(
                (n, r.values["node"]) for n, r in steps_seen.items()):
            fail(N_("a step cannot follow itself: '{node}' is step {before} (row {row}) too"),
                 steps_seen[step], "node", node=node, before=before,
                 row=steps_seen[before].row)
    add_edges(g, path_edges)
    followups: dict[str, dict[str, object]] = {}
    followup_rows: dict[str, _Row] = {}
    fu_sheet = SHEETS["followups"]
    for row in rows.get("followups", []):
        key = row.values.get("finding")
        if not isinstance(key, str) or "status" not in row.values:
            continue
        if key in followup_rows:
            fail(N_("the finding '{key}' already has a follow-up (row {row})"), row,
                 "finding", key=key, row=followup_rows[key].row)
            continue
        owner = row.values.get("owner")
        if isinstance(owner, str) and not check_ref(owner, fu_sheet.column("owner"), row):
            continue
        followup_rows[key] = row
        record = {k: v for k, v in row.values.items() if k != "finding"}
        if row.extra:
            record["extra"] = dict(row.extra)
        followups[key] = record
    if followups:
        g.graph["followups"] = followups
    # a missing sheet the references point into is the first problem: its references
    # follow, each where it is
    errors[:0] = [_missing_sheet(path, name, present, *into_absent[name])
                  for name in SHEETS if name in into_absent]
    if errors:
        raise PolkuErrors(errors)
    return g


#: what separates a list's items where ';' was meant: commas, slashes, spaces
_OTHER_SEPARATORS = re.compile(r"[,/\s]+")


def _listed_wrongly(ref: str, col: Column, nodes: Mapping[str, Mapping[str, object]]) -> str:
    """The list a designer meant by an unknown reference written with commas, slashes or
    spaces between ids (``tarve-tyonhaku, tarve-osaaminen``), written with ``;``: when the
    column takes a list and most of the parts are ids of the types it takes; else ''.

    >>> nodes = {"a": {"type": "need"}, "b": {"type": "need"}, "k": {"type": "actor"}}
    >>> col = SHEETS["services"].column("needs")
    >>> _listed_wrongly("a, b", col, nodes), _listed_wrongly("a/b c", col, nodes)
    ('a; b', 'a; b; c')
    >>> _listed_wrongly("a, k", col, nodes), _listed_wrongly("a", col, nodes)
    ('', '')
    """
    if col.kind != "refs":
        return ""
    parts = [p for p in _OTHER_SEPARATORS.split(ref) if p]
    if len(parts) < 2:
        return ""
    known = sum(1 for p in parts if (nodes.get(p) or {}).get("type") in col.targets)
    return "; ".join(parts) if known * 2 > len(parts) else ""


def _missing_sheet(path: Path, name: str, present: list[str], count: int, first: _Row,
                   column: str) -> PolkuError:
    """The problem of a sheet the workbook lacks though ``count`` references point to its
    ids (the first in ``first``'s ``column``), naming the sheets polku does not read that
    may be it renamed (``Taul1``, a spreadsheet's default name)."""
    unread = [n for n in present if n not in SHEETS and not n.startswith(".")]
    if len(unread) == 1:
        hint: object = Phrase(N_(": the workbook has a sheet polku does not read, '{found}'; "
                                 "is it '{name}' renamed?"), found=unread[0], name=name)
    elif unread:
        hint = Phrase(N_(": the workbook has sheets polku does not read ({found}); is one of "
                         "them '{name}' renamed?"), found=", ".join(unread), name=name)
    else:
        hint = ""
    where = path / f"{name}.csv" if path.is_dir() else path
    return PolkuError(Counted(ngettext("the sheet '{name}' is missing, yet {count} reference "
                                       "points to one of its ids (in sheet '{sheet}', row "
                                       "{row}, column '{column}'){hint}",
                                       "the sheet '{name}' is missing, yet {count} references "
                                       "point to its ids (the first in sheet '{sheet}', row "
                                       "{row}, column '{column}'){hint}"), count),
                      params={"name": name, "count": count, "sheet": first.sheet,
                              "row": first.row, "column": column, "hint": hint},
                      file=str(where), sheet=name)


# -- writing ------------------------------------------------------------------------------

def _format(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


# These read the adjacency dicts (succ[u][v][key], pred[v][u][key]) directly:
# networkx's edge views cost several times as much per edge, and writing a national graph's
# sheets asks them some 30,000 times.

def _neighbours(g: nx.MultiDiGraph, node: str, incoming: bool) -> dict[object, set[str]]:
    """The nodes joined to ``node`` (pointing to it when ``incoming``) by edge kind, and
    those holding each role on it under ``("role", ROLE)``."""
    out: dict[object, set[str]] = defaultdict(set)
    for other, keyed in (g._pred if incoming else g._succ)[node].items():
        for d in keyed.values():
            kind = d.get("kind")
            out[kind].add(other)
            if kind == "responsibility":
                out[("role", d.get("role"))].add(other)
    return out



def sheet_rows(g: nx.MultiDiGraph) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """The graph as sheets: name -> (header, rows of cell text), sorted, ready to write."""
    out: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    for name, sheet in SHEETS.items():
        records: list[dict[str, str]] = []
        if sheet.node_type is not None:
            for node in sorted(n for n, t in g.nodes(data="type") if t == sheet.node_type):
                data = g.nodes[node]
                rec = {"id": node}
                # the node's neighbours by edge kind (and by role), each side read once
                ends: dict[bool, dict[object, set[str]]] = {}
                for col in sheet.columns:
                    attr = sheet.attrs.get(col.name, col.name)
                    if col.name in sheet.edges:
                        kind, reverse = sheet.edges[col.name]
                        if reverse not in ends:
                            ends[reverse] = _neighbours(g, node, reverse)
                        refs = sorted(ends[reverse].get(kind, ()))
                        if refs:
                            rec[col.name] = ";".join(refs)
                    elif col.name in sheet.roles:
                        if True not in ends:
                            ends[True] = _neighbours(g, node, True)
                        actors = sorted(ends[True].get(("role", sheet.roles[col.name]), ()))
                        if actors:
                            rec[col.name] = ";".join(actors)
                    elif col.name != "id" and attr in data:
                        rec[col.name] = _format(data[attr])
                    elif attr in (data.get("suppressed") or ()):  # a shared copy's small cell
                        rec[col.name] = f"<{g.graph.get('min_cell') or MIN_CELL}"
                for k, v in (data.get("extra") or {}).items():
                    rec[k] = v
                records.append(rec)
        elif name == "responsibilities":
            held = [(u, v, d) for u, v, d in g.edges(data=True) if d["kind"] == "responsibility"]
            for u, v, d in sorted(held, key=lambda e: (e[1], e[0], e[2].get("role", ""))):
                # a measure's leads and participants are in the measures sheet; only their
                # notes need a row here
                subject_sheet = _SHEET_OF_TYPE.get(g.nodes[v].get("type"))
                if subject_sheet and d["role"] in subject_sheet.roles.values() \
                        and not d.get("note") and not d.get("extra"):
                    continue
                rec = {"actor": u, "subject": v, "role": d["role"]}
                if d.get("note"):
                    rec["note"] = d["note"]
                rec.update(d.get("extra") or {})
                records.append(rec)
        elif name == "graph":
            rec = {"id": str(g.graph.get("name", "graph"))}
            for col in sheet.columns[1:]:
                if g.graph.get(col.name) is not None:
                    rec[col.name] = _format(g.graph[col.name])
            rec.update(g.graph.get("extra") or {})
            records.append(rec)
        elif name == "followups":
            for key, record in sorted((g.graph.get("followups") or {}).items()):
                rec = {"finding": key}
                for col in sheet.columns[1:]:
                    if record.get(col.name) not in (None, ""):
                        rec[col.name] = _format(record[col.name])
                rec.update(record.get("extra") or {})
                records.append(rec)
        elif name == "paths":
            for pid in sorted(n for n, t in g.nodes(data="type") if t == "path"):
                seg = targets(g, pid, "path_segment")
                steps = sorted((d["order"], v, d) for _, v, d in g.out_edges(pid, data=True)
                               if d["kind"] == "step")
                for i, (order, node, d) in enumerate(steps):
                    rec = {"path": pid, "segment": seg[0] if seg else "", "step": str(order),
                           "node": node}
                    if i == 0:
                        rec.update({col: str(g.nodes[pid][col]) for col in PATH_NAMES
                                    if g.nodes[pid].get(col)})
                    rec.update(d.get("extra") or {})
                    records.append(rec)
        known = [c.name for c in sheet.columns]
        extra_cols = sorted({k for r in records for k in r} - set(known))
        out[name] = (known + extra_cols, records)
    return out


def write_workbook(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as a workbook: a CSV folder, or one .xlsx when ``path`` ends so.

    The write is atomic: the folder or file appears whole or not at all.
    """
    path = Path(path)
    qualified = next((n for n in g.nodes if "/" in str(n)), None)
    if qualified is not None:
        raise PolkuError(N_("a merged national graph (ids such as '{qualified}') is not a "
                            "workbook: workbook ids hold no region; export Turtle or JSON-LD, "
                            "or each region's own workbook"), params={"qualified": qualified},
                         file=str(path))
    # the plan's sheets only when the graph has a plan; the spec's sheets always, as a
    # template to fill in
    sheets = {name: rows for name, rows in sheet_rows(g).items()
              if name in SPEC_SHEETS or rows[1]}
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        if path.is_dir():
            raise PolkuError(N_("is a folder, not an .xlsx file"), params={}, file=str(path))
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, (header, records) in sheets.items():
            ws = book.create_sheet(name)
            ws.append(header)
            # how each column is read: its cells written so (an extra column's as text)
            cells = [c.kind if (c := SHEETS[name].column(h)) else None for h in header]
            for rec in records:
                ws.append(xlsx_cells(ws, [xlsx_value(kind, rec.get(h, ""))
                                          for h, kind in zip(header, cells)]))
        save_xlsx(book, path)
        return
    _check_replaceable(path)
    with atomic.output_dir(path) as tmp:
        for name, (header, records) in sheets.items():
            buf = io.StringIO(newline="")
            w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(neutral_rows(records))
            (tmp / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")


def save_xlsx(book: Any, path: Path) -> None:
    """Save the openpyxl workbook ``book`` as the file ``path``, atomically (whole or not
    at all). Made in memory, then written by :func:`polku.io.atomic.write_bytes`: openpyxl
    saves into a zip archive it opens on the file itself and leaves open when a write
    fails, so that a full disk raised once more when the archive was collected, a
    traceback ('Exception ignored in ZipFile.__del__') after the clean error. In memory
    nothing can fail so, and the file's own write closes it whatever happens."""
    buffer = io.BytesIO()
    book.save(buffer)
    atomic.write_bytes(path, buffer.getvalue())


def xlsx_cells(ws: Any, values: Sequence[object]) -> list[Any]:
    """``values`` as the cells of a row to append to the openpyxl sheet ``ws``
    (``ws.append``): a text that starts with ``=`` kept as text (a name, not a formula), a
    date shown as ``yyyy-mm-dd``. Made before they are appended, so that no cell is looked
    up in the sheet afterwards: finding the row just appended (``ws[ws.max_row]``) scans
    every cell of the sheet, once a row, which made an export quadratic in its rows."""
    from openpyxl.cell import Cell

    out = []
    for value in values:
        cell = Cell(ws, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        elif type(value) is datetime.date:
            cell.number_format = "yyyy-mm-dd"
        out.append(cell)
    return out


#: the column kinds whose cells an .xlsx holds as numbers (Excel sums them, pandas reads
#: them as numbers); every other cell is text, an id of digits too
NUMBER_KINDS = frozenset({"number", "integer", "ratio"})
#: a date as the workbook holds one (:func:`polku.followup.parse_date`)
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def xlsx_value(kind: str | None, text: str) -> object:
    """A cell's text as an .xlsx cell holds it: a number in a column of numbers (``kind``,
    the column's :attr:`Column.kind`; an integer when whole: ``35``, not ``35.0``), a date
    in a date column, else the text (a shared copy's ``<5``, an extra column's cell, whose
    kind polku does not know); None for an empty cell. The export and an edit of an .xlsx
    (:mod:`polku.ops.edits`) write cells so.

    >>> xlsx_value("number", "35"), xlsx_value("ratio", "0.08"), xlsx_value("number", "<5")
    (35, 0.08, '<5')
    >>> xlsx_value("number", "40.0"), xlsx_value("number", "2,5")
    (40, 2.5)
    >>> xlsx_value("id", "2024"), xlsx_value(None, "12"), xlsx_value("date", "2026-03-31")
    ('2024', '12', datetime.date(2026, 3, 31))
    """
    if not text:
        return None
    if kind in NUMBER_KINDS:
        try:
            number = parse_number(text)
        except ValueError:  # '<5', a shared copy's small cell: text, as the reader takes it
            return text
        return int(number) if isinstance(number, float) and number.is_integer() else number
    if kind == "date" and _DATE_TEXT.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:  # not a day of the calendar: the text, as the reader says it
            return text
    return text


SPEC_SHEETS = ("graph", "actors", "services", "outcomes", "needs", "segments", "referrals",
               "responsibilities", "paths")


def _check_replaceable(path: Path) -> None:
    """A CSV export replaces its folder whole; refuse a folder that holds anything else,
    so that an export never deletes a user's other files."""
    if not path.exists():
        return
    if not path.is_dir():
        raise PolkuError(N_("exists and is not a folder: a workbook export is a folder of "
                            "CSV files"), params={}, file=str(path))
    if path.resolve() in (Path.cwd().resolve(), *Path.cwd().resolve().parents):
        raise PolkuError(N_("is the current folder or one above it: export to a new folder"),
                         params={}, file=str(path))
    sheet_files = {f"{name}.csv" for name in SHEETS}
    others = sorted(p.name for p in path.iterdir() if p.name not in sheet_files)
    if others:
        shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
        raise PolkuError(N_("the folder holds files that are not workbook sheets ({shown}); "
                            "an export replaces the folder whole, so export to a new folder"),
                         params={"shown": shown}, file=str(path))


def is_workbook(path: str | Path) -> bool:
    """True for a folder (of CSV sheets) or an .xlsx file."""
    p = Path(path)
    return p.is_dir() or p.suffix.lower() in (".xlsx", ".xlsm")

