"""The action plan as a graph: read a plan table (goals → measures → responsibilities).

A plan table is what a word processor exports from a document table: tab separated, one
header row (``Tavoitteet``, ``alateemat``, ``toimenpiteet``, ``konkreettiset toimet``,
``kohderyhmät``, ``tulokset``, ``mittarit``, ``pitkäaikaiset vaikutukset``, ``riskit``,
``vastuut``), and rows that are not quite rows:

* a table row broken by a page break arrives as two rows; the second one's cells continue
  the cells above (mid-sentence), usually after a blank line;
* rows lack leading columns (the goal column of a measure row is simply not there), and
  some of them carry a trailing empty cell instead, so the field count alone can lie;
* one measure may have sub-parts (``A: JOHTAMINEN``, ``B: TOIMINTA``, ``C: YHTEISTYÖ``),
  each a row of its own with its own target groups, indicators, risks and responsibilities;
* cells carry HTML (``<p>``, ``<b>``, ``<ul><li>``) and entities (``&gt;``), and two or
  more spaces where the document had a paragraph break;
* a measure's schedule is a Finnish month range inside its title cell, spelled several
  ways (``huhtikuu 2026 – maaliskuu 2028``, ``Tammikuu – joulukuu 2026``,
  ``Heinäkuu 2027- kesäkuu 2028``).

Each row is first *aligned*: which column does its first field belong to? Cells that can
only sit in one column anchor the choice (a goal ``1. …`` in the goal column, a measure
``3: …`` in the measure column, a sub-part ``B: TOIMINTA`` in the actions column,
``Päävastuu:``/``Mukana:`` in the responsibilities column). A row without anchors
continues the row above; it is aligned where its cells best continue unfinished text
(a cell ending in a comma or ``ja`` is waiting for more; one ending in a full stop is not),
preferring the alignment its field count implies.

Anything that cannot be placed becomes a warning (:class:`~polku.errors.PolkuError` with
the file's line number as ``row`` and the column's Finnish header as ``column``); the
importer never guesses a measure into existence. Cleaning (HTML → text, entities,
whitespace) happens here, so the graph holds plain Finnish text.

Example::

    >>> result = parse_plan(SAMPLE)
    >>> result.warnings
    []
    >>> m = result.graph.nodes["measure-1-1"]
    >>> m["name"], m["start"], m["end"], m["deferred"]
    ('Kootaan toimijat', '2026-01', '2026-09', False)
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from polku.errors import Phrase, PolkuError, Said, os_reason
from polku.graph import add_edge, new_graph
from polku.io.encodings import HEAD, utf16_codec
from polku.io.naming import graph_id
from polku.words import N_

#: the plan table's columns, in order: attribute-ish name, Finnish header (for messages)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("goal", "tavoitteet"),
    ("subthemes", "alateemat"),
    ("measure", "toimenpiteet"),
    ("actions", "konkreettiset toimet"),
    ("target_groups", "kohderyhmät"),
    ("outputs", "tulokset"),
    ("indicators", "mittarit"),
    ("impacts", "pitkäaikaiset vaikutukset"),
    ("risks", "riskit"),
    ("responsibility", "vastuut"),
)
NCOLS = len(COLUMNS)
GOAL, SUBTHEMES, MEASURE, ACTIONS, TARGETS, OUTPUTS, INDICATORS, IMPACTS, RISKS, RESP = range(NCOLS)
#: the part-level text columns that become measure attributes of the same name
TEXT_COLUMNS = (ACTIONS, TARGETS, OUTPUTS, IMPACTS)

#: known actors: id -> (name, kind, aliases as plans write them, lower case). The ids and
#: names are those of the region's ecosystem graph (graphs/keski-uusimaa), so that an
#: imported plan joins it actor by actor.
ACTORS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "keusote": ("Keski-Uudenmaan hyvinvointialue (Keusote)", "wellbeing-county",
                ("keusote", "keski-uudenmaan hyvinvointialue")),
    "tyollisyysalue": ("Keski-Uudenmaan työllisyysalue", "employment-area",
                       ("työllisyysalue", "tyollisyysalue", "keski-uudenmaan työllisyysalue")),
    "ttl": ("Työterveyslaitos", "research", ("ttl", "työterveyslaitos", "tyoterveyslaitos")),
    "kela": ("Kansaneläkelaitos (Kela)", "kela", ("kela", "kansaneläkelaitos")),
    "keha": ("KEHA-keskus", "state", ("keha-keskus", "keha")),
    "hus": ("HUS-yhtymä", "joint-authority", ("hus", "hus-yhtymä")),
    "hus-psykiatria": ("HUS Psykiatria", "joint-authority", ("hus psykiatria", "hus-psykiatria")),
    "keuda": ("Keuda (Keski-Uudenmaan koulutuskuntayhtymä)", "joint-authority", ("keuda",)),
    "hyria": ("Hyria koulutus Oy", "education", ("hyria",)),
    "ohjaamo": ("Ohjaamo Keski-Uusimaa", "employment-area", ("ohjaamo",)),
    "klubitalo": ("Keski-Uudenmaan klubitalo", "third-sector", ("klubitalo",)),
    "tyonantajat": ("Alueen työnantajat", "employer", ("työnantajat", "alueen työnantajat")),
    "tyoterveyshuolto": ("Työterveyshuollon palveluntuottajat", "occupational-health",
                         ("työterveyshuolto",)),
}
_ALIASES = sorted(((alias, aid) for aid, (_, _, aliases) in ACTORS.items() for alias in aliases),
                  key=lambda a: -len(a[0]))

_MONTH_STEMS = {
    "tammi": 1, "helmi": 2, "maalis": 3, "huhti": 4, "touko": 5, "kesä": 6, "kesa": 6,
    "heinä": 7, "heina": 7, "elo": 8, "syys": 9, "loka": 10, "marras": 11, "joulu": 12,
}
_MONTH = r"(?:%s)(?:kuu(?:ta)?\b|k\.|\b)" % "|".join(_MONTH_STEMS)
_DASH = r"[-–—‐‑]+"
RANGE_RE = re.compile(
    rf"(?<!\w)(?P<m1>{_MONTH})\s*(?P<y1>\d{{4}})?\s*{_DASH}\s*(?P<m2>{_MONTH})\s*(?P<y2>\d{{4}})\b",
    re.IGNORECASE)
SINGLE_MONTH_RE = re.compile(rf"(?<!\w)(?P<m>{_MONTH})\s+(?P<y>\d{{4}})\b", re.IGNORECASE)

GOAL_RE = re.compile(r"^(\d{1,2})\s*\.\s+(?=\S)")
MEASURE_RE = re.compile(r"^(\d{1,2})\s*:\s*(?=\S)")
PART_RE = re.compile(r"^([A-Z])\s*:\s*([A-ZÅÄÖ]{3,}(?:[ -][A-ZÅÄÖ]{3,})*)(?![\wåäö])\s*[-–]?\s*")
ROLE_RE = re.compile(r"(?<![\wåäö])(Päävastuu|Paavastuu|Mukana)\s*:\s*", re.IGNORECASE)
ROLE_OF = {"päävastuu": "lead", "paavastuu": "lead", "mukana": "participant"}
HEADER_WORDS = ("tavoitteet", "alateemat", "toimenpiteet", "konkreettiset", "kohderyhmät",
                "tulokset", "mittarit", "pitkäaikaiset", "riskit", "vastuut")
#: phrases saying that the division of work is still to be agreed
DEFERRED_RE = re.compile(
    r"vastuunjako\s*tarkentu|työnjako\s*tarkentu|tarkentuu\s+hankkeen\s+edetessä"
    r"|vastuut?\s+(?:\w+\s+){0,3}jaetaan|(?<!\w)jaetaan(?!\w)|sovitaan\s+myöhemmin"
    r"|vielä\s+sopimatta|sovitaan\s+erikseen|täsmentyy\s+hankkeen",
    re.IGNORECASE)
_CONTINUES_RE = re.compile(r"(?:[,(:;/–-]|(?<!\w)(?:ja|sekä|tai|eli|kuten|esim\.|mm\.|ml\.?))$",
                           re.IGNORECASE)


@dataclass
class PlanImport:
    """The imported plan: the typed graph and what could not be placed."""
    graph: nx.MultiDiGraph
    warnings: list[PolkuError]


# -- cleaning -------------------------------------------------------------------------------

_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|br|li|ul|ol|div|tr|td|h\d)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")


def paragraphs(raw: str) -> list[str]:
    """A cell's text as clean paragraphs: HTML blocks, list items and runs of two or more
    spaces (the export's paragraph breaks) separate paragraphs; other tags go, entities are
    unescaped, list bullets dropped and whitespace collapsed.

    >>> paragraphs('<p><b>4: Määritellään</b></p> <p>huhtikuu 2026 &gt; x</p>')
    ['4: Määritellään', 'huhtikuu 2026 > x']
    >>> paragraphs('Päävastuu: TTL  Mukana: Keusote')
    ['Päävastuu: TTL', 'Mukana: Keusote']
    """
    text = _BLOCK_TAG.sub("\n", raw)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(html.unescape(text)) if "&amp;" in text else html.unescape(text)
    text = _ANY_TAG.sub("", text)  # tags that arrived as entities (&lt;b&gt;) are markup too
    text = unicodedata.normalize("NFC", text.replace("\xa0", " ").replace("\u200b", ""))
    out = []
    for block in re.split(r"\n|[ \t]{2,}", text):
        block = re.sub(r"^[•·▪◦]\s*", "", re.sub(r"\s+", " ", block).strip())
        if block:
            out.append(block)
    return out


def _join(paras: list[str]) -> str:
    return "\n".join(paras)


def _append(target: list[str], more: list[str]) -> None:
    """Continue a cell: the first new paragraph continues the last one (a page break cut
    the sentence), the rest are paragraphs of their own."""
    if not more:
        return
    if target:
        target[-1] = f"{target[-1]} {more[0]}"
        target.extend(more[1:])
    else:
        target.extend(more)


def slug(name: str, default: str = "actor") -> str:
    """A stable id from a name: lower case ASCII, words joined by ``-`` (``default`` for a
    name without a letter or digit).

    >>> slug("Keski-Uudenmaan Työllisyysalue"), slug("!!", default="plan")
    ('keski-uudenmaan-tyollisyysalue', 'plan')
    """
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or default


# -- months ---------------------------------------------------------------------------------

def _month_number(token: str) -> int:
    token = token.lower()
    for stem, number in _MONTH_STEMS.items():
        if token.startswith(stem):
            return number
    raise ValueError(token)


def parse_month_range(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """The first Finnish month range in ``text``: ``(start, end, (begin, stop))`` with
    months as ``YYYY-MM`` and the span of the match; a lone ``kuukausi vuosi`` is a range
    of one month. A start without a year takes the end's year (the year before when its
    month comes later).

    >>> parse_month_range("Tammikuu – joulukuu 2026")[:2]
    ('2026-01', '2026-12')
    >>> parse_month_range("x Heinäkuu 2027- kesäkuu 2028")[:2]
    ('2027-07', '2028-06')
    >>> parse_month_range("syyskuu – maaliskuu 2027")[:2]
    ('2026-09', '2027-03')
    >>> parse_month_range("Benchmark lokakuussa") is None
    True
    """
    m = RANGE_RE.search(text)
    if m:
        m1, m2 = _month_number(m["m1"]), _month_number(m["m2"])
        y2 = int(m["y2"])
        y1 = int(m["y1"]) if m["y1"] else (y2 if m1 <= m2 else y2 - 1)
        return f"{y1:04d}-{m1:02d}", f"{y2:04d}-{m2:02d}", m.span()
    m = SINGLE_MONTH_RE.search(text)
    if m:
        month = f"{int(m['y']):04d}-{_month_number(m['m']):02d}"
        return month, month, m.span()
    return None


# -- responsibilities -----------------------------------------------------------------------

@dataclass
class Named:
    """One actor named in a responsibility cell, with the words that follow its name."""
    actor: str
    name: str
    role: str
    note: str


def _alias_at(text: str, pos: int) -> tuple[str, str, int] | None:
    low = text.lower()
    for alias, aid in _ALIASES:
        end = pos + len(alias)
        if low.startswith(alias, pos) and (end == len(text) or not (text[end].isalnum() or text[end] == "-")):
            return aid, text[pos:end], end
    return None


_SEP_RE = re.compile(r"\s*(?:,|&|/|\bja\b|\bsekä\b)\s*", re.IGNORECASE)
#: lower-case words that belong to an organisation's name (``Vantaan kaupunki``, ``X ry``)
_ORG_WORDS = r"(?:ry|oy|ab|kaupunki|kunta|kuntayhtymä|hyvinvointialue|säätiö|yhdistys|seurakunta)"
_UNKNOWN_NAME_RE = re.compile(rf"[A-ZÅÄÖ][\w\-]*(?:\s+(?:[A-ZÅÄÖ][\w\-]*|{_ORG_WORDS}\b))*")
#: what a list of actors may be followed by when its last name stands alone
_NAME_END_RE = re.compile(r"\s*(?:,|\.|;|$|&|/|ja\b|sekä\b)")
#: a note that opens with "ja X" / "sekä X" / "& X" / "/ X": probably one more organisation
_MORE_NAMED_RE = re.compile(r"^(?:ja|sekä|&|/)\s+[A-ZÅÄÖ]")


def _unknown_at(text: str, pos: int) -> tuple[str, int] | None:
    """An organisation polku does not know, at ``pos``: a short capitalised name (up to
    four words, organisation words like ``kaupunki`` included) standing alone before a
    comma, a full stop, ``ja`` or the end; anything longer is prose, not a name."""
    m = _UNKNOWN_NAME_RE.match(text, pos)
    if not m or len(m.group().split()) > 4 or not _NAME_END_RE.match(text, m.end()):
        return None
    return m.group(), m.end()


def _actor_list(text: str, pos: int, allow_unknown: bool) -> tuple[list[tuple[str, str]], int]:
    """Actors named one after another from ``pos`` (``Keusote ja Työllisyysalue``,
    ``Keusote ja Vantaan kaupunki``): known ones by alias, and with ``allow_unknown`` also
    unknown ones standing alone (:func:`_unknown_at`), first or after a separator. Every
    name of the list is kept: a second lead is as much a lead as the first."""
    found: list[tuple[str, str]] = []
    while True:
        while pos < len(text) and text[pos] == " ":
            pos += 1
        hit = _alias_at(text, pos)
        unknown = _unknown_at(text, pos) if allow_unknown and not hit else None
        if hit:
            aid, name, pos = hit
            found.append((aid, name))
        elif unknown:
            found.append(("", unknown[0]))
            pos = unknown[1]
        else:
            break
        sep = _SEP_RE.match(text, pos)
        if not sep or not (_alias_at(text, sep.end())
                           or (allow_unknown and _unknown_at(text, sep.end()))):
            break
        pos = sep.end()
    return found, pos


def parse_responsibility(text: str) -> tuple[list[Named], list[tuple[int, str, dict[str, str]]]]:
    """Actors and roles in a responsibility cell, and the problems met: ``(offset in
    text, catalogued template, its parameters)``.

    ``Päävastuu:`` starts the leads, ``Mukana:`` the participants. Right after the marker
    comes a list of actors (known ones by alias, an unknown one by a short capitalised name);
    what follows is the note of those actors. A known actor opening a later sentence
    (``… yhteistyö. TTL, tuottaa tietoa …``) is one more actor in the same role. A note that
    opens with ``ja`` and a capitalised word (``Keusote ja Espoo vastaavat``) probably names
    one more actor that could not be told from prose: a problem, never a silent loss.

    >>> named, problems = parse_responsibility(
    ...     "Päävastuu: Työllisyysalue Mukana: Keusote, vastaa sote-palveluista. TTL, tuottaa tietoa.")
    >>> [(n.actor, n.role, n.note) for n in named]
    [('tyollisyysalue', 'lead', ''), ('keusote', 'participant', 'vastaa sote-palveluista.'), ('ttl', 'participant', 'tuottaa tietoa.')]
    """
    named: list[Named] = []
    # (offset in text, message): a catalogued Phrase, worded at the edge
    problems: list[tuple[int, Phrase]] = []
    marks = list(ROLE_RE.finditer(text))
    before = text[:marks[0].start()].strip(" ,.;") if marks else text.strip()
    if before:
        problems.append((0, Phrase(N_("text outside 'Päävastuu:' / 'Mukana:': {text}"),
                                   text=repr(_short(before)))))
    for i, mark in enumerate(marks):
        role = ROLE_OF[mark.group(1).lower()]
        section = text[mark.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)].strip()
        actors, pos = _actor_list(section, 0, allow_unknown=True)
        if not actors:
            problems.append((mark.start(), Phrase(N_("no actor named after '{mark}:': {text}"),
                                                  mark=mark.group(1),
                                                  text=repr(_short(section)))))
            continue
        starts = [(0, actors, pos)]
        # later sentences that open with a known actor name add actors in the same role
        for m in re.finditer(r"(?<=[.;!?])\s+(?=\S)", section):
            if m.end() <= starts[-1][2]:
                continue
            more, end = _actor_list(section, m.end(), allow_unknown=False)
            if more and re.match(r"\s*(?:,|\.|$)", section[end:]):
                starts.append((m.end(), more, end))
        for k, (_, group, end) in enumerate(starts):
            stop = starts[k + 1][0] if k + 1 < len(starts) else len(section)
            note = section[end:stop].strip(" ,;")
            if _MORE_NAMED_RE.match(note):
                problems.append((mark.end() + end, Phrase(N_(
                    "'{text}' after {actor} may name one more organisation, which could not "
                    "be read as one: write each organisation by its name alone, separated by "
                    "a comma or 'ja' (e.g. '{marker}: Keusote ja Vantaan kaupunki')"),
                    text=_short(note), actor=group[-1][1], marker=mark.group(1))))
            for aid, name in group:
                named.append(Named(aid or slug(name), name, role, note))
    return named, problems


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def deferred_phrase(text: str) -> str | None:
    """The sentence of a responsibility text that leaves the division of work to be agreed
    later, or None.

    >>> deferred_phrase("Päävastuu: Keusote ja Työllisyysalue, keskinäinen vastuunjako tarkentuu hankkeen edetessä.")
    'keskinäinen vastuunjako tarkentuu hankkeen edetessä.'
    >>> deferred_phrase("Päävastuu: TTL") is None
    True
    """
    m = DEFERRED_RE.search(text)
    if not m:
        return None
    start = max([text.rfind(c, 0, m.start()) for c in ".,:;\n"]) + 1
    stops = [i for i in (text.find(c, m.end()) for c in ".;\n") if i >= 0]
    mk = ROLE_RE.search(text, m.end())
    if mk:
        stops.append(mk.start())
    stop = min(stops) + 1 if stops else len(text)
    return text[start:stop].strip(" ,\n")


# -- risks and indicators -------------------------------------------------------------------

_ITEM_SPLIT = re.compile(r"(?:^|(?<=\s))-(?!>)\s*|(?<=[^\s-])-\s+(?!(?:ja|tai|sekä)\b)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”])")
_ABBREVIATIONS = ("esim.", "mm.", "ml.", "ns.", "tms.", "yms.", "jne.", "ym.", "n.", "s.", "vrt.", "ks.")


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not after abbreviations (``esim. Työote``).

    >>> sentences("Malli (esim. Työote, IPS). Toinen lause.")
    ['Malli (esim. Työote, IPS).', 'Toinen lause.']
    """
    out: list[str] = []
    for piece in _SENTENCE_SPLIT.split(text):
        if out and out[-1].split()[-1].lower().lstrip("(") in _ABBREVIATIONS:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s.strip() for s in out if s.strip()]


def split_risks(paras: list[str]) -> list[tuple[str, str | None]]:
    """Risks and their mitigations: ``risk → mitigation`` per paragraph, or a dash list of
    risks without mitigations (``-resurssit -tiedonkulku``). A mitigation of only question
    marks (``→ ??``) is no mitigation.

    >>> split_risks(["A jää epäselväksi. → yhteinen määrittely.", "B → ??"])
    [('A jää epäselväksi.', 'yhteinen määrittely.'), ('B', None)]
    >>> split_risks(["-resurssit -tiedonkulun haasteet - jotkin jäävät"])
    [('resurssit', None), ('tiedonkulun haasteet', None), ('jotkin jäävät', None)]
    """
    out: list[tuple[str, str | None]] = []
    for para in paras:
        if "→" in para:
            risk, _, mitigation = para.partition("→")
            risk, mitigation = risk.strip(" -"), mitigation.strip(" -")
            if not risk:  # "→ x" continuing the mitigation of the risk before
                if out:
                    prev_r, prev_m = out[-1]
                    out[-1] = (prev_r, f"{prev_m} {mitigation}".strip() if prev_m else mitigation or None)
                continue
            out.append((risk, mitigation if mitigation.strip("? ") else None))
        elif para.lstrip().startswith("-"):
            out.extend((item.strip(), None) for item in _ITEM_SPLIT.split(para) if item.strip(" -"))
        else:
            out.append((para.strip(), None))
    return [(r, m) for r, m in out if r]


def split_indicators(paras: list[str]) -> list[str]:
    """Indicators: one per sentence (a plan writes ``Malli luotu. Mallin koettu hyödyllisyys.``).

    >>> split_indicators(["Malli luotu. Mallin koettu hyödyllisyys.", "Kuvaus tehty"])
    ['Malli luotu.', 'Mallin koettu hyödyllisyys.', 'Kuvaus tehty']
    """
    return [s for p in paras for s in sentences(p) if s.strip(" .-")]


# -- the table ------------------------------------------------------------------------------

@dataclass
class _Part:
    label: str | None
    row: int
    cells: dict[int, list[str]] = field(default_factory=dict)
    #: column -> [(line number, offset in the column's joined text where that line's text starts)]
    rows: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def row_at(self, col: int, offset: int) -> int:
        """The line a position of a column's joined text came from."""
        return max(((r, o) for r, o in self.rows.get(col, []) if o <= offset),
                   key=lambda ro: ro[1], default=(self.row, 0))[0]


@dataclass
class _Measure:
    goal: int
    number: int
    row: int
    title: list[str] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)


@dataclass
class _Goal:
    number: int
    row: int
    title: list[str] = field(default_factory=list)
    subthemes: list[str] = field(default_factory=list)


def _anchor(col_text: str) -> int | None:
    """The only column a cell can belong to, if its text says so."""
    if MEASURE_RE.match(col_text):
        return MEASURE
    if PART_RE.match(col_text):
        return ACTIONS
    if ROLE_RE.match(col_text):
        return RESP
    if GOAL_RE.match(col_text):
        return GOAL
    return None


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[PolkuError] = []
        self.goals: dict[int, _Goal] = {}
        self.measures: dict[tuple[int, int], _Measure] = {}
        self.goal: _Goal | None = None
        self.measure: _Measure | None = None
        self.part: _Part | None = None

    def warn(self, template: str, row: int, column: int | None = None, **params: object) -> None:
        """Something that cannot be placed: ``template`` is a catalogued text of ``params``
        (the edge words it in the reader's language)."""
        self.warnings.append(PolkuError(template, params=params, file=self.source, row=row,
                                        column=COLUMNS[column][1] if column is not None else None))

    # what a column currently holds, for judging where a continuation row belongs
    def current(self, col: int) -> list[str] | None:
        if col == GOAL:
            return self.goal.title if self.goal else None
        if col == SUBTHEMES:
            return self.goal.subthemes if self.goal else None
        if col == MEASURE:
            return self.measure.title if self.measure else None
        if self.part is None:
            return None
        return self.part.cells.get(col, [])

    def _continuation_score(self, col: int) -> int:
        held = self.current(col)
        if held is None:
            return -2
        if not held:
            return -2
        last = held[-1].rstrip()
        if _CONTINUES_RE.search(last):
            return 2
        if last.endswith((".", "!", "?")):
            return -1
        return 1

    def align(self, cells: list[list[str]], nfields: int) -> int:
        """The column of the row's first field (see the module doc)."""
        used = [i for i, c in enumerate(cells) if c]
        last = used[-1] + 1
        natural = max(0, NCOLS - nfields)
        anchors = {i: _anchor(cells[i][0]) for i in used}
        anchored = any(a is not None for a in anchors.values())
        best: tuple[float, int] | None = None
        for shift in range(0, NCOLS - last + 1):
            score = 1.0 if shift == natural else 0.0
            score -= 0.01 * abs(shift - natural)
            for i in used:
                col = i + shift
                if anchors[i] is not None:
                    score += 10 if anchors[i] == col else -10
                elif not anchored:
                    score += self._continuation_score(col)
            if best is None or score > best[0]:
                best = (score, shift)
        return best[1] if best else 0

    def row(self, lineno: int, fields: list[str]) -> None:
        cells = [paragraphs(f) for f in fields]
        if not any(cells):
            return
        nfields = len(fields)
        while not cells[-1]:
            cells.pop()
            fields = fields[:len(cells)]
        if len(cells) > NCOLS:
            shift = 0
            for i in range(NCOLS, len(cells)):
                if cells[i]:
                    self.warn(N_("a cell beyond the last column ({last}): {text}"), lineno,
                              last=COLUMNS[-1][1], text=repr(_short(" ".join(cells[i]))))
            cells, fields = cells[:NCOLS], fields[:NCOLS]
        else:
            shift = self.align(cells, nfields)
        by_col: dict[int, list[str]] = {}
        raw_by_col: dict[int, str] = {}
        for i, c in enumerate(cells):
            if c:
                by_col[i + shift] = c
                raw_by_col[i + shift] = fields[i]
        self.place(lineno, by_col, raw_by_col)

    def place(self, lineno: int, by_col: dict[int, list[str]], raw: dict[int, str]) -> None:
        goal_m = GOAL_RE.match(by_col[GOAL][0]) if GOAL in by_col else None
        if goal_m:
            number = int(goal_m.group(1))
            if number in self.goals:
                self.warn(N_("goal {number} appears a second time (first on line {first}); "
                             "its text is added to the first"), lineno, GOAL,
                          number=number, first=self.goals[number].row)
                self.goal = self.goals[number]
                _append(self.goal.title, by_col.pop(GOAL))
            else:
                first = by_col.pop(GOAL)
                self.goal = _Goal(number, lineno, [GOAL_RE.sub("", first[0])] + first[1:])
                self.goals[number] = self.goal
                self.measure = self.part = None
            if SUBTHEMES in by_col:
                _append(self.goal.subthemes, by_col.pop(SUBTHEMES))

        measure_m = MEASURE_RE.match(by_col[MEASURE][0]) if MEASURE in by_col else None
        if measure_m:
            number = int(measure_m.group(1))
            title = by_col.pop(MEASURE)
            if self.goal is None:
                self.warn(N_("measure {number} comes before any goal; it is left out"),
                          lineno, MEASURE, number=number)
                self.measure = self.part = None
                for col in sorted(by_col):
                    self.warn(N_("this text belongs to a measure that is left out"), lineno,
                              col)
                return
            key = (self.goal.number, number)
            if key in self.measures:
                self.warn(N_("measure {goal}.{number} appears a second time (first on line "
                             "{first}); its text is added to the first"), lineno, MEASURE,
                          goal=key[0], number=number, first=self.measures[key].row)
                self.measure = self.measures[key]
                _append(self.measure.title, title)
                self.part = self.measure.parts[-1]
            else:
                self.measure = _Measure(key[0], number, lineno, [MEASURE_RE.sub("", title[0])] + title[1:])
                self.measures[key] = self.measure
                self.part = _Part(None, lineno)
                self.measure.parts.append(self.part)

        if ACTIONS in by_col and self.measure is not None:
            part_m = PART_RE.match(by_col[ACTIONS][0])
            if part_m:
                label = f"{part_m.group(1)}: {part_m.group(2)}"
                rest = PART_RE.sub("", by_col[ACTIONS][0], count=1)
                by_col[ACTIONS] = ([rest] if rest else []) + by_col[ACTIONS][1:]
                if not by_col[ACTIONS]:
                    del by_col[ACTIONS]
                if self.part is not None and self.part.label is None and not self.part.cells \
                        and self.part.row == lineno:
                    self.part.label = label  # the measure's own row opens its first part
                elif any(p.label == label for p in self.measure.parts):
                    self.warn(N_("sub-part {label} appears a second time in measure "
                                 "{goal}.{number}; its text is added to the first"),
                              lineno, ACTIONS, label=repr(label), goal=self.measure.goal,
                              number=self.measure.number)
                    self.part = next(p for p in self.measure.parts if p.label == label)
                else:
                    self.part = _Part(label, lineno)
                    self.measure.parts.append(self.part)

        # a split row whose measure cell was merged into the actions cell by the export: a
        # wholly bold first paragraph there continues the measure column (its schedule note)
        if MEASURE not in by_col and ACTIONS in by_col and len(by_col[ACTIONS]) > 1 \
                and self.measure is not None and not measure_m:
            bold = re.match(r"\s*<p>\s*<b>((?:(?!</?b>|</?p>).)*)</b>\s*</p>", raw.get(ACTIONS, ""), re.S)
            if bold and paragraphs(bold.group(1)) == by_col[ACTIONS][:1]:
                by_col[MEASURE] = by_col[ACTIONS][:1]
                by_col[ACTIONS] = by_col[ACTIONS][1:]

        for col in sorted(by_col):
            held = self.current(col)
            if held is None:
                template = N_("text before any goal, cannot tell what it belongs to: {text}") \
                    if col in (GOAL, SUBTHEMES) else \
                    N_("text before any measure, cannot tell what it belongs to: {text}")
                self.warn(template, lineno, col, text=repr(_short(" ".join(by_col[col]))))
                continue
            if col >= ACTIONS and self.part is not None:
                if col not in self.part.cells:
                    self.part.cells[col] = held
                offset = len(_join(held)) + 1 if held else 0
                self.part.rows.setdefault(col, []).append((lineno, offset))
            _append(held, by_col[col])


def _text_attr(parts: list[_Part], col: int) -> str | None:
    chunks = []
    for p in parts:
        paras = p.cells.get(col) or []
        if not paras:
            continue
        body = _join(paras)
        chunks.append(f"{p.label} – {body}" if p.label else body)
    return "\n".join(chunks) or None


def refuse_hetu_lines(lines: list[str], source: str) -> None:
    """Refuse a plan that names a person by their identity code, with its line and column
    (a plan is about measures and organisations, never a person)."""
    from polku.privacy import HETU_MESSAGE, find_hetu, first_hetu

    i = first_hetu(lines)
    if i is not None:
        cells = lines[i].split("\t")
        column = next(n for n, c in enumerate(cells, 1) if find_hetu(c) is not None)
        raise PolkuError(N_("line {line}, column {column} {problem}"),
                         params={"line": i + 1, "column": column,
                                 "problem": Said(HETU_MESSAGE)}, file=source)


def parse_plan(text: str, source: str = "<plan>", name: str = "plan",
               title: str | None = None) -> PlanImport:
    """Parse plan-table text into the typed graph (see the module doc), titled ``title``
    (default: :func:`plan_title`).

    Never raises for bad content: what cannot be placed is in ``warnings``; only a
    personal identity code, a table separated by ``;`` or ``,`` instead of tabs
    (:func:`refuse_other_separator`), or a file without a plan header that is plainly no
    plan table (:func:`refuse_not_a_plan`: a graph, a CSV table, text without tabs)
    refuses the whole plan.
    """
    reader = _Reader(source)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    refuse_hetu_lines(lines, source)
    header = None
    for i, line in enumerate(lines):
        cells = [" ".join(paragraphs(c)).lower() for c in line.split("\t")]
        hits = sum(1 for w in HEADER_WORDS if any(c.startswith(w) for c in cells))
        if hits >= 5 and len(cells) >= 5:
            header = i
            break
    if header is None:
        refuse_other_separator(lines, source)
        refuse_not_a_plan(text, source)
        reader.warn(N_("no header row (Tavoitteet, alateemat, toimenpiteet, …) found; "
                       "reading every row in the standard column order"), 1)
        start = 0
    else:
        start = header + 1
    for i in range(start, len(lines)):
        if lines[i].strip():
            reader.row(i + 1, lines[i].split("\t"))
    g = _build(reader, name)
    if title:
        g.graph["title"] = title
    else:
        g.graph.update(plan_titles(g))
    return PlanImport(g, reader.warnings)


#: What polku calls a plan whose table does not say, as the graph's titles (``title`` in
#: the plan's own language, Finnish; ``title_sv``, ``title_en`` for the other readers, as a
#: workbook's graph sheet gives them): a name, like a region's, not a sentence.
PLAN_NAMES = {"title": "Toimintasuunnitelma", "title_sv": "Handlingsplan",
              "title_en": "Action plan"}


def plan_title(g: nx.MultiDiGraph) -> str:
    """What a plan is called when its table does not say: ``Toimintasuunnitelma`` and the
    years its measures run (the plan's own language, as all its text).

    >>> plan_title(parse_plan(SAMPLE).graph)
    'Toimintasuunnitelma 2026'
    """
    return plan_titles(g)["title"]


def plan_titles(g: nx.MultiDiGraph) -> dict[str, str]:
    """:func:`plan_title` and its Swedish and English names, as the graph's ``title``,
    ``title_sv`` and ``title_en``.

    >>> plan_titles(parse_plan(SAMPLE).graph)["title_sv"]
    'Handlingsplan 2026'
    """
    years = sorted({str(d[k])[:4] for _, d in g.nodes(data=True) if d.get("type") == "measure"
                    for k in ("start", "end") if d.get(k)})
    if not years:
        return dict(PLAN_NAMES)
    span = years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    return {key: f"{words} {span}" for key, words in PLAN_NAMES.items()}


def _build(reader: _Reader, name: str) -> nx.MultiDiGraph:
    g = new_graph(name)
    for number, goal in sorted(reader.goals.items()):
        attrs: dict[str, object] = {"type": "goal", "name": _join(goal.title[:1]) or f"Tavoite {number}"}
        if goal.title[1:]:
            attrs["description"] = _join(goal.title[1:])
        if goal.subthemes:
            attrs["subthemes"] = _join(goal.subthemes)
        g.add_node(f"goal-{number}", **attrs)

    for (gnum, mnum), m in sorted(reader.measures.items()):
        mid = f"measure-{gnum}-{mnum}"
        text = _join(m.title)
        attrs = {"type": "measure"}
        span = parse_month_range(text)
        head, tail = text, ""
        if span:
            attrs["start"], attrs["end"] = span[0], span[1]
            head, tail = text[:span[2][0]], text[span[2][1]:]
            if span[0] > span[1]:
                reader.warn(N_("measure {goal}.{number} ends ({end}) before it starts "
                               "({start})"), m.row, MEASURE, goal=gnum, number=mnum,
                            end=span[1], start=span[0])
        head_paras = [p for p in head.split("\n") if p.strip()]
        # the title is the first sentence; the rest of the cell says more about it
        first = sentences(head_paras[0]) if head_paras else []
        attrs["name"] = first[0] if first else f"Toimenpide {gnum}.{mnum}"
        if first[1:]:
            attrs["description"] = " ".join(first[1:])
        note = [p.strip(" ,;→") for p in head_paras[1:] + tail.split("\n") if p.strip(" ,;.")]
        if note:
            attrs["note"] = "\n".join(note)
        labels = [p.label for p in m.parts if p.label]
        if labels:
            attrs["parts"] = labels
        for col in TEXT_COLUMNS:
            value = _text_attr(m.parts, col)
            if value:
                attrs[COLUMNS[col][0]] = value
        resp_texts = [_join(p.cells[RESP]) for p in m.parts if p.cells.get(RESP)]
        phrases = [ph for ph in (deferred_phrase(t) for t in resp_texts) if ph]
        attrs["deferred"] = bool(phrases)
        if phrases:
            attrs["deferred_text"] = "\n".join(dict.fromkeys(phrases))
        g.add_node(mid, **attrs)
        add_edge(g, mid, f"goal-{gnum}", "in_goal")

        n_ind = n_risk = 0
        for part in m.parts:
            extra = {"part": part.label} if part.label else {}
            for ind in split_indicators(part.cells.get(INDICATORS, [])):
                n_ind += 1
                iid = f"indicator-{gnum}-{mnum}-{n_ind}"
                g.add_node(iid, type="indicator", name=ind, **extra)
                add_edge(g, mid, iid, "has_indicator")
            for risk, mitigation in split_risks(part.cells.get(RISKS, [])):
                n_risk += 1
                rid = f"risk-{gnum}-{mnum}-{n_risk}"
                rattrs: dict[str, object] = {"type": "risk", "name": risk, **extra}
                if mitigation:
                    rattrs["mitigation"] = mitigation
                g.add_node(rid, **rattrs)
                add_edge(g, mid, rid, "has_risk")

        roles: dict[str, tuple[str, list[str], int]] = {}  # actor -> role, notes, row
        for part in m.parts:
            text_ = _join(part.cells.get(RESP, []))
            if not text_:
                continue
            row = part.row_at(RESP, 0)
            named, problems = parse_responsibility(text_)
            for offset, problem in problems:
                reader.warn(N_("measure {goal}.{number}: {problem}"),
                            part.row_at(RESP, offset), RESP, goal=gnum, number=mnum,
                            problem=problem)
            for n in named:
                if n.actor not in g:
                    known = ACTORS.get(n.actor)
                    g.add_node(n.actor, type="actor", name=known[0] if known else n.name,
                               kind=known[1] if known else "other")
                if n.actor in roles and roles[n.actor][0] != n.role:
                    if roles[n.actor][0] == "participant" and n.role == "lead":
                        roles[n.actor] = ("lead", roles[n.actor][1], row)
                    reader.warn(N_("measure {goal}.{number}: {actor} is named both as lead "
                                   "and as participant; kept as lead"), row, RESP,
                                goal=gnum, number=mnum, actor=n.name)
                role, notes, _ = roles.setdefault(n.actor, (n.role, [], row))
                if n.note and n.note not in notes:
                    notes.append(n.note)
        for actor, (role, notes, _) in sorted(roles.items()):
            eattrs: dict[str, object] = {"role": role}
            if notes:
                eattrs["note"] = "\n".join(notes)
            add_edge(g, actor, mid, "responsibility", key=f"responsibility:{role}", **eattrs)
    return g


def decode_plan(data: bytes, source: str) -> str:
    """A plan file's bytes as text: UTF-8 (with or without a BOM), UTF-16 as Word and Excel
    save "Unicode text" (with a BOM, or without one when the text is plainly little- or
    big-endian: every other byte of its ASCII is zero), by the rule the workbook's CSV
    sheets are read by (:func:`polku.io.encodings.utf16_codec`), else Windows-1252. Bytes
    that are none of these are one clear error, not a table of garbled cells.

    >>> decode_plan("Päävastuu".encode("utf-16"), "p.txt"), decode_plan(b"ok", "p.txt")
    ('Päävastuu', 'ok')
    """
    encoding = utf16_codec(data[:HEAD])
    if encoding is None:
        if b"\x00" in data[:HEAD]:
            raise PolkuError(N_("the plan file is not text (it holds zero bytes): save the "
                                "plan table as text, tab separated, in UTF-8"), params={},
                             file=source)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise PolkuError(N_("the plan file looks like UTF-16 text but byte {offset} cannot be "
                            "read as it: save the plan table as text, tab separated, in UTF-8"),
                         params={"offset": e.start}, file=source) from None


#: separators a spreadsheet saves instead of tabs, with how the reader names them
OTHER_SEPARATORS = ((";", "';'"), (",", "','"))


def refuse_other_separator(lines: list[str], source: str) -> None:
    """Refuse a plan table without a tab-separated header that has one separated by ``;``
    or ``,`` (Excel's CSV), naming its line and the separator it uses: its cells' own
    commas and semicolons make such a file ambiguous, and read as tab separated it would be
    one column of confusing warnings.

    The header is the line and separator that find the most column headers: a plan saved
    with ``;`` may well have a title line listing the columns with commas above its
    header, and that title is not what separates the table.

    >>> refuse_other_separator(["Tavoitteet, toimenpiteet, kohderyhmät, tulokset, mittarit, "
    ...                         "riskit, vastuut", ";".join(HEADER_WORDS)], "p.csv")
    Traceback (most recent call last):
    ...
    polku.errors.PolkuError: p.csv, row 2: the plan table's header is separated by ';', not by tabs (a spreadsheet's CSV): save the table as tab-separated text (Excel: Text (Tab delimited)) or export it from the document again
    """
    best: tuple[int, int, int, str] | None = None  # hits, cells, -line, separator shown
    for i, line in enumerate(lines[:50]):
        for sep, shown in OTHER_SEPARATORS:
            cells = [" ".join(paragraphs(c)).lower().strip(' "') for c in line.split(sep)]
            hits = sum(1 for w in HEADER_WORDS if any(c.startswith(w) for c in cells))
            if hits >= 5 and (best is None or (hits, len(cells), -i) > best[:3]):
                best = (hits, len(cells), -i, shown)
    if best is not None:
        raise PolkuError(N_("the plan table's header is separated by {separator}, "
                            "not by tabs (a spreadsheet's CSV): save the table as "
                            "tab-separated text (Excel: Text (Tab delimited)) or "
                            "export it from the document again"),
                         params={"separator": best[3]}, file=source, row=1 - best[2])


#: suffixes of files that are never a plan table, with what they are (catalogued)
NOT_PLAN_SUFFIXES: dict[str, str] = {
    ".ttl": N_("a Turtle graph (RDF)"), ".nt": N_("a Turtle graph (RDF)"),
    ".jsonld": N_("a JSON document"), ".json": N_("a JSON document"),
    ".csv": N_("a CSV table (comma separated)"),
    ".xlsx": N_("a spreadsheet workbook"), ".xlsm": N_("a spreadsheet workbook"),
    ".xls": N_("a spreadsheet workbook"), ".ods": N_("a spreadsheet workbook"),
    ".docx": N_("a word-processor document"), ".doc": N_("a word-processor document"),
    ".odt": N_("a word-processor document"),
}
_TURTLE_RE = re.compile(r"^\s*(?:@prefix|@base|PREFIX\s|BASE\s)", re.IGNORECASE)


def what_it_looks_like(text: str, source: str) -> str | None:
    r"""What a file without a plan header is, when it is plainly no tab-separated plan text
    (a catalogued phrase, worded at the edge), else None: its suffix first (a graph, a
    CSV table, a workbook …), then its first line (Turtle's ``@prefix``, JSON's ``{``), then
    whether any line has a tab at all.

    >>> what_it_looks_like("@prefix : <x> .", "p.txt"), what_it_looks_like("a\tb", "p.csv")
    ('a Turtle graph (RDF)', 'a CSV table (comma separated)')
    >>> what_it_looks_like("id,name,kind\nx,y,z", "p.txt")
    'a CSV table (comma separated)'
    >>> what_it_looks_like("a\tb", "p.txt") is None
    True
    """
    suffix = Path(source).suffix.lower()
    if suffix in NOT_PLAN_SUFFIXES:
        return NOT_PLAN_SUFFIXES[suffix]
    first = next((line for line in text.splitlines() if line.strip()), "")
    if _TURTLE_RE.match(first):
        return NOT_PLAN_SUFFIXES[".ttl"]
    if first.lstrip().startswith(("{", "[")):
        return NOT_PLAN_SUFFIXES[".json"]
    if "\t" in text:
        return None
    if first.count(",") >= 2 or first.count(";") >= 2:
        return NOT_PLAN_SUFFIXES[".csv"]
    return N_("text without a single tab")


def refuse_not_a_plan(text: str, source: str, kind: str | None = None) -> None:
    """Refuse, once, a file without a plan header that is plainly no plan table (``kind``,
    by default :func:`what_it_looks_like`: a graph, a CSV table, text without tabs),
    saying what it looks like and what a plan file is; read as a plan it would be a
    warning for every line."""
    kind = kind or what_it_looks_like(text, source)
    if kind is not None:
        raise PolkuError(N_("this file looks like {kind}, not a plan table: a plan file is "
                            "the plan's table saved as tab-separated text in UTF-8, its first "
                            "row the headers Tavoitteet, alateemat, toimenpiteet, … (see the "
                            "README, 'The action plan as a graph')"),
                         params={"kind": Said(kind)}, file=source)


def import_plan(path: str | Path, name: str | None = None,
                title: str | None = None) -> PlanImport:
    """Read a plan-table file (UTF-8, UTF-16 or Windows-1252: :func:`decode_plan`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PolkuError(N_("cannot read the plan ({reason})"), params={"reason": os_reason(e)},
                         file=str(path)) from None
    binary = {k: v for k, v in NOT_PLAN_SUFFIXES.items() if k not in (".ttl", ".nt", ".json",
                                                                      ".jsonld", ".csv")}
    if path.suffix.lower() in binary or data.startswith(b"PK\x03\x04"):
        # a workbook or a document as saved (a zip, or binary): said as such before its
        # bytes are read as text and found to hold zero bytes
        zipped = N_("a zip archive (a workbook or a document)")
        refuse_not_a_plan("", str(path), binary.get(path.suffix.lower(), zipped))
    text = decode_plan(data, str(path))
    if not text.strip():
        raise PolkuError(N_("the plan file is empty"), params={}, file=str(path))
    result = parse_plan(text, source=str(path), name=name or graph_id(path.stem, "plan"),
                        title=title)
    result.graph.graph["source"] = path.name  # where the plan came from, for its readers
    return result


SAMPLE = (
    "Tavoitteet\talateemat\ttoimenpiteet\tkonkreettiset toimet\tkohderyhmät\ttulokset\t"
    "mittarit\tpitkäaikaiset vaikutukset\triskit\tvastuut\n"
    "<b>1. Tavoite</b>\t2\t1: Kootaan toimijat  <b>Tammikuu 2026 – syyskuu 2026</b>\t"
    "- kootaan\tjohto\tkuvaus\tKuvattu kyllä/ei.\tselkeys\tKato → kontaktointi\t"
    "Päävastuu: TTL  Mukana: Keusote\n"
)


# -- showing a plan -------------------------------------------------------------------------

def _natural(node: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", node))


def plan_summary(g: nx.MultiDiGraph) -> dict[str, list[dict[str, object]]]:
    """The plan layer of a graph as plain data (what ``polku plan show --format json``
    prints): goals, and measures with their leads, participants, months (``YYYY-MM`` or
    None), indicators, risks and whether the division of work is deferred.

    >>> s = plan_summary(parse_plan(SAMPLE).graph)
    >>> s["measures"][0]["leads"], s["measures"][0]["start"], s["measures"][0]["risks"][0]["mitigation"]
    (['ttl'], '2026-01', 'kontaktointi')
    """
    goals = [{"id": n, "title": g.nodes[n].get("name", n)}
             for n in sorted((n for n, t in g.nodes(data="type") if t == "goal"), key=_natural)]
    measures = []
    for m in sorted((n for n, t in g.nodes(data="type") if t == "measure"), key=_natural):
        data = g.nodes[m]
        roles: dict[str, set[str]] = {}
        for u, _, d in g.in_edges(m, data=True):
            if d.get("kind") == "responsibility":
                roles.setdefault(d.get("role", ""), set()).add(u)
        outs: dict[str, list[str]] = {}
        for _, v, d in g.out_edges(m, data=True):
            outs.setdefault(d.get("kind", ""), []).append(v)
        goal = sorted(outs.get("in_goal", []), key=_natural)
        measures.append({
            "id": m,
            "goal": goal[0] if goal else None,
            "title": data.get("name", m),
            "leads": sorted(roles.get("lead", ())),
            "participants": sorted(roles.get("participant", ())),
            "start": data.get("start"),
            "end": data.get("end"),
            "indicators": [{"id": i, "name": g.nodes[i].get("name", i)}
                           for i in sorted(set(outs.get("has_indicator", [])), key=_natural)],
            "risks": [{"id": r, "name": g.nodes[r].get("name", r),
                       "mitigation": g.nodes[r].get("mitigation")}
                      for r in sorted(set(outs.get("has_risk", [])), key=_natural)],
            "deferred": bool(data.get("deferred", False)),
        })
    return {"goals": goals, "measures": measures}
