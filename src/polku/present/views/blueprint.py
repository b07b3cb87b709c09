"""The ``blueprint:P`` view (a designed path) and ``blueprint:S`` (a segment's best paths):
a service blueprint (palvelupiirustus) drawn as SVG on the server.

The blueprint's content is :func:`polku.analyses.blueprint.blueprint` (lanes, steps,
hand-offs, needs met and uncovered, as data); this module only draws it, in the reader's
language:

* one row (*lane*) per providing unit (actor), the client's lane on top (the segment, and
  the outcome the path ends in), steps left to right in the lane of their provider; an
  organisation's lanes together, one shade, a rule between two organisations, and a
  unit's lane naming the organisation it belongs to (the hand-offs between organisations
  that the caption counts are the crossings of those rules);
* between two steps a column for the hand-off (ohjaus): the arrow across the lanes, and in
  the *hand-off row* beneath the lanes its median wait, clients a month (``<5`` for a
  small cell the reader may not see), whether the client's information travels with it
  and who answers for it (vastuutaho);
* a row of the needs each step meets, and a row of the needs the path leaves uncovered.

The layout is computed here, deterministically, so the page needs no script: every label
is wrapped to its cell by an estimate of its width (:func:`text_width`, generous: the
widest common sans-serif face) and cut with ``…`` beyond its lines, the whole text then in
the element's ``<title>``; a cell holds one label, so no two labels can overlap (a browser
test measures it). On screen the blueprint is one picture at its natural size (scrolled
sideways when long); for print it is cut into sheets of :data:`STEPS_PER_SHEET` steps that
fit an A4 landscape page each. The same steps and hand-offs follow as a table.

A designed path made in place (a loaded file, ``load_graph(path)``, works the same): the
young people's path from an interview through rehabilitative work to work, each service
provided by the wellbeing county.

>>> from polku.graph import add_edge, new_graph
>>> from polku.present.views.facts import Facts
>>> from polku.present.i18n import translator
>>> g = new_graph("mini")
>>> g.add_node("keusote", type="actor", name="Keski-Uudenmaan hyvinvointialue")
>>> g.add_node("nuoret", type="segment", name="Nuoret")
>>> g.add_node("p1", type="path", name="Nuoren polku")
>>> add_edge(g, "p1", "nuoret", "path_segment")
>>> g.add_node("tyo", type="outcome", name="Avoimet työmarkkinat")
>>> for sid, name in (("alkuhaastattelu", "Alkuhaastattelu"),
...                   ("kuntouttava", "Kuntouttava työtoiminta")):
...     g.add_node(sid, type="service", name=name); add_edge(g, "keusote", sid, "provides")
>>> for order, node in enumerate(("alkuhaastattelu", "kuntouttava", "tyo"), 1):
...     add_edge(g, "p1", node, "step", key=f"step:{order}", order=order)
>>> v = blueprint_view(g, Facts(g, [], translator("fi")), "p1", None, 3)
>>> v.kind, v.title, len(v.chart["sections"]), v.chart["sections"][0]["rows"][1]["step"]
('blueprint', 'Palvelupiirustus · Nuoren polku', 1, '2. Kuntouttava työtoiminta')
>>> "<svg" in v.chart["sections"][0]["svg"], len(v.chart["sections"][0]["sheets"])
(True, 1)
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

import networkx as nx
from markupsafe import Markup, escape

from polku.analyses.blueprint import CLIENT, UNPROVIDED, blueprint
from polku.present.i18n import N_, Translator, as_counted
from polku.present.views.facts import (KIND_COLOURS, NO_PROVIDER_COLOUR, SEVERITY_COLOURS,
                                       TYPE_COLOURS, Facts, View)

#: the steps of one printed sheet: 3 steps and their hand-offs fit A4 landscape at ~12 px
STEPS_PER_SHEET = 3
HEAD_W = 184      # the lane and row names
STEP_W = 180      # a step's column
GAP_W = 160       # a hand-off's column
PAD = 8
CARD_PAD = 7
SIZE = 13         # label text, px (the smallest is SMALL: never below 12)
SMALL = 12
LINE = 17         # line height at SIZE
SMALL_LINE = 16
MARGIN = 6

#: the texts a blueprint shows, marked for the catalogues
TEXTS = {
    "client": N_("Client: {segment}"),
    "no segment": N_("Client"),
    "unprovided": N_("No provider named"),
    "handoffs": N_("Referrals between steps"),
    "handoffs hint": N_("wait · clients a month · information · owner"),
    "needs met": N_("Needs this step meets"),
    "uncovered": N_("Needs left uncovered"),
}


# -- text measure -----------------------------------------------------------------------------

_NARROW = set("iljI.,:;!|'`·ı")
_SEMI = set("trf()[]- /\"")
_WIDE = set("mwMW%@…—")


def text_width(text: str, size: float = SIZE, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width in px at ``size`` (DejaVu Sans, the widest
    common sans-serif face, with a margin), so a wrapped label fits whatever face draws it.

    >>> round(text_width("Kela")), round(text_width("Kela", bold=True)) > round(text_width("Kela"))
    (31, True)
    """
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.32
        elif ch in _SEMI:
            em += 0.44
        elif ch in _WIDE:
            em += 1.0
        elif ch.isdigit():
            em += 0.66
        elif ch.isupper():
            em += 0.76
        else:
            em += 0.64
    return em * size * (1.1 if bold else 1.0)


def wrap(text: str, width: float, lines: int, size: float = SIZE,
         bold: bool = False, lang: str = "fi") -> tuple[list[str], bool]:
    """``text`` in at most ``lines`` lines no wider than ``width`` px, and whether it was
    cut (the last line then ends in ``…``). Lines break between words (and after a
    hyphen); a word that fits a line of its own starts the next one rather than being cut
    to fill this one ("Aikuisten miel-|enterveyspalvelut" read wrong); only a word wider
    than a whole line, or one that would leave a step's number alone, breaks inside, at a
    syllable (:func:`breaks`) in ``lang``.

    >>> wrap("Kuntouttava työtoiminta", 120, 3)
    (['Kuntouttava', 'työtoiminta'], False)
    >>> wrap("Kuntouttava työtoiminta", 120, 1)
    (['Kuntouttava…'], True)
    >>> wrap("1. Aikuisten mielenterveyspalvelut (avohoito)", 160, 4)[0]
    ['1. Aikuisten', 'mielenterveyspalvelut', '(avohoito)']
    >>> wrap("i rehabiliteringssyfte", 120, 3, lang="sv")[0]
    ['i rehabiliterings-', 'syfte']
    """
    # a word may break after a hyphen (mielenterveys-|ja, IPS-|työhönvalmennus)
    words = [piece for word in " ".join(str(text).split()).split(" ")
             for piece in _pieces(word)]

    def fits(t: str) -> bool:
        return text_width(t, size, bold) <= width

    out: list[str] = []
    line = ""
    for word in words:
        glue = "" if not line or line.endswith("-") and not word.startswith(" ") else " "
        trial = f"{line}{glue}{word.lstrip()}"
        if fits(trial):
            line = trial
            continue
        word = word.lstrip()
        if line and (not fits(word) or _NUMBER.fullmatch(line)):
            # a word wider than a line starts on this one where it breaks between the
            # words it is made of ("2. Työllistymis-|suunnitelma"); after the step's number
            # at any syllable, rather than leave the number alone
            room = width - text_width(line + glue, size, bold)
            head = _syllable_cut(word, room, size, bold, lang,
                                 joints_only=not _NUMBER.fullmatch(line))
            if head:
                out.append(f"{line}{glue}{head}-")
                word = word[len(head):]
            else:
                out.append(line)
        elif line:
            out.append(line)
        line = word
        while not fits(line):  # a word wider than a line: at a syllable, else where it must
            head = _syllable_cut(line, width, size, bold, lang) or _fit(line, width, size, bold)
            out.append(head + "-")
            line = line[len(head):]
    if line:
        out.append(line)
    if len(out) <= lines:
        return out, False
    out = out[:lines]
    last = out[-1]
    while last and text_width(last + "…", size, bold) > width:
        last = last[:-1].rstrip()
    out[-1] = last + "…"
    return out, True


def _pieces(word: str) -> list[str]:
    """A word cut after each inner hyphen; the pieces after the first start with no space,
    the first with one (so :func:`wrap` knows where the words began).

    >>> _pieces("IPS-työhönvalmennus"), _pieces("-")
    ([' IPS-', 'työhönvalmennus'], [' -'])
    """
    parts = []
    start = 0
    for i, ch in enumerate(word):
        if ch == "-" and 0 < i < len(word) - 1:
            parts.append(word[start:i + 1])
            start = i + 1
    parts.append(word[start:])
    parts[0] = " " + parts[0]
    return parts


def _fit(word: str, width: float, size: float, bold: bool) -> str:
    n = len(word)
    while n > 1 and text_width(word[:n] + "-", size, bold) > width:
        n -= 1
    return word[:n]


#: a step's number, which its name's first word stays with
_NUMBER = re.compile(r"\d+\.")
_VOWELS = set("aeiouyåäöéèüáàâ")
#: one sound written with two or three letters, which a Swedish break keeps together at
#: the start of a syllable ("vårds-|tjänster")
_SV_ONSETS = {"tj", "sj", "kj", "ch", "stj", "skj", "sch"}
#: consonant clusters that begin an English syllable, kept together after the break
_ONSETS = {"bl", "br", "dr", "dj", "fl", "fr", "fj", "gl", "gr", "gn", "gj", "kl", "kr", "kn",
           "kv", "kj", "pl", "pr", "pj", "sk", "sl", "sm", "sn", "sp", "st", "sv", "sj", "tr",
           "tv", "tj", "vr", "bj", "mj", "nj", "lj", "ch", "th", "ph", "sh", "wh", "qu",
           "skr", "spl", "spr", "str", "skj", "stj", "sch", "thr", "chr", "scr"}
#: never split: one sound each
_UNITS = ("ng", "ck")
#: the end of a Swedish compound's first part ("sysselsättnings-|område",
#: "rehabiliterings-|syfte", "Folkpensions-|anstalten"): the best place to break
_JOINTS = ("ings", "ions", "hets", "skaps", "tets", "doms", "tors", "ts", "rds", "fts", "nds")


def breaks(word: str, lang: str = "fi") -> list[int]:
    """Where ``word`` may break with a hyphen, without a dictionary: between syllables,
    before the last consonant ahead of a vowel, as Finnish and Swedish hyphenate
    ("mie-len-ter-veys-pal-ve-lut", "un-der-sök-ning"); a sound written with several
    letters stays whole (Swedish *tj*, *sj*, *stj*…, and in English the clusters that begin
    a syllable), an ``s`` that joins two words of a compound stays with the first
    ("vårds-tjänster"), and *ng* and *ck* are never split. At least two letters stay on
    each side.

    >>> w = "mielenterveyspalvelut"; [w[:i] for i in breaks(w)]
    ['mie', 'mielen', 'mielenter', 'mielenterveys', 'mielenterveyspal', 'mielenterveyspalve']
    >>> w = "Mentalvårdstjänster"; [w[:i] for i in breaks(w, "sv")]
    ['Men', 'Mental', 'Mentalvårds', 'Mentalvårdstjäns']
    """
    low = word.lower()
    out = []
    for v in range(2, len(word) - 1):
        if low[v] not in _VOWELS or not low[v - 1].isalpha() or low[v - 1] in _VOWELS:
            continue
        c0 = v - 1  # the consonants between the previous vowel and this one
        while c0 > 0 and low[c0 - 1].isalpha() and low[c0 - 1] not in _VOWELS:
            c0 -= 1
        if c0 == 0:
            continue  # no vowel before: not a syllable's end
        run = low[c0:v]
        onset = 1
        if lang != "fi":
            starts = _SV_ONSETS if lang == "sv" else _ONSETS
            onset = max((n for n in range(1, len(run) + 1) if n == 1 or run[-n:] in starts))
            if onset > 1 and run[-onset] == "s" and onset < len(run):
                onset -= 1  # the s that joins a compound ("vårds-tjänster")
        at = v - onset
        if low[at - 1:at + 1] in _UNITS:
            at += 1
        if at >= 2 and len(word) - at >= 2 and at not in out:
            out.append(at)
    return out


def _syllable_cut(word: str, room: float, size: float, bold: bool, lang: str,
                  joints_only: bool = False) -> str:
    """The longest start of ``word`` that fits ``room`` with its hyphen and ends where
    one word of a compound likely ends (:func:`joints`: "mielenterveys-|palvelut",
    "sysselsättnings-|område"), else at a syllable (unless ``joints_only``); '' when none
    fits."""
    def fitting(points: list[int]) -> list[int]:
        return [at for at in points if at >= 3
                and text_width(word[:at] + "-", size, bold) <= room]

    best = fitting(joints(word, lang)) or ([] if joints_only else fitting(breaks(word, lang)))
    return word[:max(best)] if best else ""


def joints(word: str, lang: str = "fi") -> list[int]:
    """Where the first word of a compound likely ends, by its last letter: in Finnish a
    syllable that ends in a vowel and ``s`` (*terveys-*, *työllistymis-*, *kotoutumis-*);
    in Swedish a linking ``s`` after a common ending (*-nings*, *-ions*, *arbets-*,
    *vårds-*) before a vowel or a syllable's first consonants. No dictionary: a likely
    place, taken before any other syllable.

    >>> [w[:i] for w in ("mielenterveyspalvelut", "työllistymissuunnitelma") for i in joints(w)]
    ['mielenterveys', 'työllis', 'työllistymis']
    >>> [w[:i] for w in ("sysselsättningsområde", "Arbetspensionsbolag") for i in joints(w, "sv")]
    ['sysselsättnings', 'Arbets', 'Arbetspensions']
    """
    low = word.lower()
    if lang == "fi":
        return [at for at in breaks(word, lang)
                if low[at - 1] == "s" and low[at - 2] in _VOWELS and at >= 4]
    if lang != "sv":
        return []
    out = []
    for at in range(4, len(word) - 2):
        if low[at - 1] == "s" and low[:at].endswith(_JOINTS) and low[at].isalpha():
            nxt = low[at:at + 2]
            if low[at] in _VOWELS or nxt in _ONSETS or nxt[1:] in _VOWELS:
                out.append(at)
    return out


# -- one blueprint's picture ------------------------------------------------------------------

@dataclass
class Label:
    """A block of lines at (x, y), its class per line, and its full text when cut."""
    x: float
    y: float
    lines: list[tuple[str, str]]  # (text, css class)
    title: str = ""
    anchor: str = "start"

    @property
    def height(self) -> float:
        return sum(SMALL_LINE if "small" in cls else LINE for _, cls in self.lines)

    def svg(self) -> str:
        out = [f'<text x="{self.x:.1f}" y="{self.y:.1f}" text-anchor="{self.anchor}">']
        if self.title:
            out.append(f"<title>{escape(self.title)}</title>")
        dy = 0.0
        for i, (line, cls) in enumerate(self.lines):
            step = SMALL_LINE if "small" in cls else LINE
            first = step - 4 if i == 0 else dy
            out.append(f'<tspan x="{self.x:.1f}" dy="{first:.1f}" class="{cls}">'
                       f'{escape(line)}</tspan>')
            dy = step
        out.append("</text>")
        return "".join(out)


def block(text: str, width: float, lines: int, cls: str, size: float = SIZE,
          bold: bool = False, lang: str = "fi") -> tuple[list[tuple[str, str]], str]:
    """Wrapped lines of one text, all of one class, and the full text if it was cut."""
    wrapped, cut = wrap(text, width, lines, size, bold, lang)
    return [(line, cls) for line in wrapped], (text if cut else "")


@dataclass
class Texts:
    """Everything a blueprint's picture writes, worded once (for the sheets too)."""
    lanes: list[str]
    lane_colours: list[str]
    steps: list[str]
    step_notes: list[list[str]]
    handoffs: list[list[tuple[str, str]]]  # (text, kind: plain | warn | strong)
    needs_met: list[list[str]]
    uncovered: list[str]
    row_names: dict[str, str] = field(default_factory=dict)
    #: the language the texts are in: where a long word may break (:func:`breaks`)
    lang: str = "fi"
    #: per lane, the organisation a unit's lane belongs to ("" for an organisation's own
    #: lane, the client's and nobody's): the hand-offs between organisations count those
    lane_notes: list[str] = field(default_factory=list)


class Picture:
    """The layout of a blueprint over steps ``first`` .. ``last - 1`` (and the hand-off
    leaving the last one when ``trailing``): every box and label placed, then written as
    one ``<svg>``."""

    def __init__(self, bp: dict[str, Any], texts: Texts, uid: str, first: int, last: int,
                 title: str, all_lanes: bool = True) -> None:
        self.bp, self.t, self.uid = bp, texts, uid
        self.first, self.last = first, last
        steps = bp["steps"]
        self.trailing = last < len(steps)
        used = {0} | {steps[i]["lane"] for i in range(first, last)}
        self.lanes = [i for i in range(len(bp["lanes"])) if all_lanes or i in used]
        self.title = title
        self.sheet_width = 0.0 if all_lanes else \
            HEAD_W + STEPS_PER_SHEET * (STEP_W + GAP_W) + MARGIN

    def col_x(self, i: int) -> float:
        """The left edge of step ``i``'s column."""
        return HEAD_W + (i - self.first) * (STEP_W + GAP_W)

    def gap_x(self, i: int) -> float:
        """The left edge of the hand-off column after step ``i``."""
        return self.col_x(i) + STEP_W

    @property
    def width(self) -> float:
        n = self.last - self.first
        natural = HEAD_W + n * STEP_W + (n - 1 + int(self.trailing)) * GAP_W + MARGIN
        # every printed sheet as wide as a full one: all print at one scale
        return max(natural, self.sheet_width)

    def _block(self, text: str, width: float, lines: int, cls: str, size: float = SIZE,
               bold: bool = False) -> tuple[list[tuple[str, str]], str]:
        """:func:`block` in the texts' language."""
        return block(text, width, lines, cls, size, bold, self.t.lang)

    def _step_label(self, i: int) -> Label:
        t = self.t
        inner = STEP_W - 2 * PAD - 2 * CARD_PAD - 4
        lines, cut = self._block(t.steps[i], inner, 4, "bp-step", bold=True)
        title = t.steps[i] if cut else ""
        for note in t.step_notes[i]:
            more, more_cut = self._block(note, inner, 2, "bp-note small", SMALL)
            lines += more
            if more_cut:
                title = (title + "\n" if title else t.steps[i] + "\n") + note
        return Label(0, 0, lines, title)

    def _handoff_label(self, h: int) -> Label:
        lines: list[tuple[str, str]] = []
        cut_any = False
        for text, kind in self.t.handoffs[h]:
            cls = {"warn": "bp-warn", "strong": "bp-strong"}.get(kind, "bp-text")
            more, cut = self._block(text, GAP_W - 2 * PAD - 8, 3, cls, bold=kind != "plain")
            lines += more
            cut_any = cut_any or bool(cut)
        full = "\n".join(text for text, _ in self.t.handoffs[h]) if cut_any else ""
        return Label(0, 0, lines, full)

    def svg(self) -> Markup:
        bp, t = self.bp, self.t
        steps = bp["steps"]
        cols = range(self.first, self.last)
        gaps = list(range(self.first, self.last - 1 + int(self.trailing)))
        # lane heights: the tallest card in the lane, or the lane's own name
        step_labels = {i: self._step_label(i) for i in cols}
        lane_names: dict[int, Label] = {}
        lane_h: dict[int, float] = {}
        for lane in self.lanes:
            cls = "bp-lane-warn" if bp["lanes"][lane]["role"] == UNPROVIDED else "bp-lane"
            lines, cut = self._block(t.lanes[lane], HEAD_W - 2 * PAD - 10, 4, cls, bold=True)
            note = t.lane_notes[lane] if lane < len(t.lane_notes) else ""
            if note:  # the organisation the unit belongs to
                more, more_cut = self._block(note, HEAD_W - 2 * PAD - 10, 3, "bp-note small",
                                             SMALL)
                lines += more
                cut = cut or more_cut
            lane_names[lane] = Label(PAD + 10, 0, lines,
                                     (t.lanes[lane] + ("\n" + note if note else ""))
                                     if cut else "")
            cards = [step_labels[i].height + 2 * CARD_PAD for i in cols
                     if steps[i]["lane"] == lane]
            lane_h[lane] = max([lane_names[lane].height] + cards + [40]) + 2 * PAD
        y = float(MARGIN)
        lane_y: dict[int, float] = {}
        body: list[str] = []
        # an organisation's lanes (its units') read as one: one shade, and a rule between
        # two organisations, whose crossings the hand-offs count
        groups: list[Any] = []
        rules: list[str] = []
        for lane in self.lanes:
            org = bp["lanes"][lane].get("organisation") or ("lane", lane)
            if not groups or groups[-1] != org:
                if groups:
                    rules.append(f'<line class="bp-orgrule" x1="0" y1="{y:.1f}" '
                                 f'x2="{self.width - MARGIN:.1f}" y2="{y:.1f}"/>')
                groups.append(org)
            lane_y[lane] = y
            organisation = bp["lanes"][lane].get("organisation")
            body.append(f'<rect class="bp-laneband{" odd" if len(groups) % 2 else ""}" '
                        + (f'data-organisation="{escape(organisation)}" ' if organisation
                           else "")
                        + f'x="0" y="{y:.1f}" width="{self.width - MARGIN:.1f}" '
                        f'height="{lane_h[lane]:.1f}"/>')
            body.append(f'<rect x="0" y="{y:.1f}" width="6" height="{lane_h[lane]:.1f}" '
                        f'fill="{t.lane_colours[lane]}"/>')
            y += lane_h[lane]
        body += rules  # over the bands' edges
        lanes_bottom = y
        # the hand-off row, the needs-met row and the uncovered row
        handoff_labels = {h: self._handoff_label(h) for h in gaps}
        hand_name, hand_cut = self._block(t.row_names["handoffs"], HEAD_W - 2 * PAD, 2, "bp-row",
                                    bold=True)
        hint, hint_cut = self._block(t.row_names["handoffs hint"], HEAD_W - 2 * PAD, 3,
                               "bp-note small", SMALL)
        hand_head = Label(PAD, 0, hand_name + hint,
                          (t.row_names["handoffs"] + "\n" + t.row_names["handoffs hint"])
                          if hand_cut or hint_cut else "")
        hand_h = max([hand_head.height] + [lb.height for lb in handoff_labels.values()]) \
            + 2 * PAD
        hand_y = lanes_bottom
        met_labels: dict[int, Label] = {}
        for i in cols:
            lines: list[tuple[str, str]] = []
            full: list[str] = []
            for need in t.needs_met[i]:
                more, cut = self._block("✓ " + need, STEP_W - 2 * PAD, 2, "bp-met")
                lines += more
                full.append(need)
                if cut:
                    pass
            met_labels[i] = Label(self.col_x(i) + PAD, 0, lines,
                                  "\n".join(full) if any(
                                      wrap("✓ " + n, STEP_W - 2 * PAD, 2, lang=self.t.lang)[1]
                                      for n in t.needs_met[i]) else "")
        met_name, met_cut = self._block(t.row_names["needs met"], HEAD_W - 2 * PAD, 3, "bp-row",
                                  bold=True)
        met_head = Label(PAD, 0, met_name, t.row_names["needs met"] if met_cut else "")
        met_h = max([met_head.height] + [lb.height for lb in met_labels.values()] + [20]) \
            + 2 * PAD
        met_y = hand_y + hand_h
        unc_y = met_y + met_h
        unc_name, unc_cut = self._block(t.row_names["uncovered"], HEAD_W - 2 * PAD, 3, "bp-row",
                                  bold=True)
        unc_head = Label(PAD, 0, unc_name, t.row_names["uncovered"] if unc_cut else "")
        chips, chips_h = self._chips(unc_y + PAD)
        unc_h = max(unc_head.height, chips_h) + 2 * PAD
        height = unc_y + unc_h + MARGIN

        # hand-off columns: a faint band from the top to the hand-off row, so the arrow and
        # its figures read as one
        bands = [f'<rect class="bp-gapband" x="{self.gap_x(h) + 6:.1f}" y="{MARGIN}" '
                 f'width="{GAP_W - 12:.1f}" height="{hand_y + hand_h - MARGIN:.1f}"/>'
                 for h in gaps]
        for row_y, row_h, cls in ((hand_y, hand_h, "bp-handrow"), (met_y, met_h, "bp-metrow"),
                                  (unc_y, unc_h, "bp-uncrow")):
            body.append(f'<rect class="{cls}" x="0" y="{row_y:.1f}" '
                        f'width="{self.width - MARGIN:.1f}" height="{row_h:.1f}"/>')
        # cards
        cards: list[str] = []
        centre: dict[int, tuple[float, float, float]] = {}  # left x, right x, centre y
        for i in cols:
            lab = step_labels[i]
            lane = steps[i]["lane"]
            h = lab.height + 2 * CARD_PAD
            x0 = self.col_x(i) + PAD
            y0 = lane_y[lane] + (lane_h[lane] - h) / 2
            w = STEP_W - 2 * PAD
            kind = "outcome" if steps[i]["type"] == "outcome" else \
                "unprovided" if bp["lanes"][lane]["role"] == UNPROVIDED else "service"
            colour = TYPE_COLOURS["outcome"] if kind == "outcome" else t.lane_colours[lane]
            lab.x, lab.y = x0 + CARD_PAD + 4, y0 + CARD_PAD
            cards.append(f'<g class="bp-card {kind}" data-step="{i + 1}" '
                         f'data-node="{escape(steps[i]["node"])}">'
                         f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{h:.1f}" '
                         f'rx="6"/><rect x="{x0:.1f}" y="{y0:.1f}" width="5" height="{h:.1f}" '
                         f'fill="{colour}"/>' + lab.svg() + "</g>")
            centre[i] = (x0, x0 + w, y0 + h / 2)
        # arrows
        arrows: list[str] = []
        for h in gaps:
            ho = bp["handoffs"][h]
            x1, _, y1 = centre[h][1], None, centre[h][2]
            xm = self.gap_x(h) + GAP_W / 2
            if h + 1 in centre:
                x2, y2 = centre[h + 1][0], centre[h + 1][2]
                d = (f"M{x1:.1f},{y1:.1f} H{xm:.1f} V{y2:.1f} H{x2 - 2:.1f}" if abs(y2 - y1) > 1
                     else f"M{x1:.1f},{y1:.1f} H{x2 - 2:.1f}")
            else:  # continues on the next sheet
                d = f"M{x1:.1f},{y1:.1f} H{self.width - MARGIN - 2:.1f}"
            cls = "bp-arrow broken" if ho["broken"] else "bp-arrow"
            arrows.append(f'<path class="{cls}" d="{d}" marker-end="url(#{self.uid}-head'
                          f'{"-broken" if ho["broken"] else ""})" data-handoff="{h + 1}"/>')
        # labels in their cells
        labels: list[str] = []
        for lane in self.lanes:
            lab = lane_names[lane]
            lab.y = lane_y[lane] + (lane_h[lane] - lab.height) / 2
            labels.append(lab.svg())
        hand_head.y = hand_y + PAD
        met_head.y = met_y + PAD
        unc_head.y = unc_y + PAD
        labels += [hand_head.svg(), met_head.svg(), unc_head.svg()]
        for h in gaps:
            lab = handoff_labels[h]
            lab.x, lab.y = self.gap_x(h) + PAD + 4, hand_y + PAD
            labels.append(f'<g class="bp-handoff" data-handoff="{h + 1}">{lab.svg()}</g>')
        for i in cols:
            lab = met_labels[i]
            lab.y = met_y + PAD
            labels.append(lab.svg())
        defs = (f'<defs><marker id="{self.uid}-head" viewBox="0 0 10 10" refX="9" refY="5" '
                'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                '<path d="M0,0 L10,5 L0,10 z" class="bp-head"/></marker>'
                f'<marker id="{self.uid}-head-broken" viewBox="0 0 10 10" refX="9" refY="5" '
                'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                '<path d="M0,0 L10,5 L0,10 z" class="bp-head broken"/></marker></defs>')
        return Markup(
            f'<svg class="bp" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-labelledby="{self.uid}-title" width="{self.width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {self.width:.0f} {height:.0f}">'
            f'<title id="{self.uid}-title">{escape(self.title)}</title>{defs}'
            + "".join(body) + "".join(bands)
            + f'<line class="bp-rule" x1="0" y1="{hand_y:.1f}" x2="{self.width - MARGIN:.1f}" '
              f'y2="{hand_y:.1f}"/>'
            + "".join(arrows) + "".join(cards) + "".join(labels) + "".join(chips) + "</svg>")

    def _chips(self, top: float) -> tuple[list[str], float]:
        """The uncovered needs as chips flowing left to right under the steps."""
        t = self.t
        left, right = HEAD_W, self.width - MARGIN - PAD
        x, y, out = left, top, []
        chip_h = LINE + 8
        if not t.uncovered:
            lab = Label(left + PAD, top, self._block(t.row_names["none uncovered"],
                                                right - left - PAD, 2, "bp-ok")[0])
            return [lab.svg()], lab.height
        for need in t.uncovered:
            lines, cut = wrap(need, right - left - 24, 1, lang=self.t.lang)
            w = text_width(lines[0]) + 24
            if x + w > right and x > left:
                x, y = left, y + chip_h + 6
            out.append(f'<g class="bp-chip"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                       f'height="{chip_h}" rx="{chip_h / 2:.1f}"/>'
                       + Label(x + 12, y + 4, [(lines[0], "bp-unc")],
                               need if cut else "").svg() + "</g>")
            x += w + 8
        return out, y + chip_h - top


# -- wording ----------------------------------------------------------------------------------

def _days(value: Any, tr: Translator) -> str:
    """Days as a figure can mean them: one decimal below ten, whole days above."""
    if value is None:
        return "?"
    return tr.number(round(value, 1) if value < 10 else round(value))


def _texts(g: nx.MultiDiGraph, bp: dict[str, Any], needs: list[str], tr: Translator,
           min_cell: int) -> Texts:
    lanes, colours, lane_notes = [], [], []
    for lane in bp["lanes"]:
        org = lane.get("organisation")
        lane_notes.append(tr("organisation: {name}").format(name=tr.label(g, org))
                     if org and org != lane["node"] else "")
        if lane["role"] == CLIENT:
            lanes.append(tr(TEXTS["client"]).format(segment=tr.label(g, lane["node"]))
                         if lane["node"] else tr(TEXTS["no segment"]))
            colours.append(TYPE_COLOURS["segment"])
        elif lane["role"] == UNPROVIDED:
            lanes.append(tr(TEXTS["unprovided"]))
            colours.append(NO_PROVIDER_COLOUR)
        else:
            lanes.append(tr.label(g, lane["node"]))
            colours.append(KIND_COLOURS.get(g.nodes[lane["node"]].get("kind", ""),
                                            KIND_COLOURS["other"]))
    steps, notes = [], []
    for i, s in enumerate(bp["steps"], start=1):
        steps.append(f"{i}. {tr.label(g, s['node'])}")
        note = []
        if s["also"]:
            note.append(tr("also: {providers}").format(
                providers=", ".join(tr.label(g, a) for a in s["also"])))
        if not s["eligible"]:
            note.append(tr("not for this client segment"))
        notes.append(note)
    handoffs = []
    for h in bp["handoffs"]:
        if h["broken"]:
            handoffs.append([(tr("✕ no referral for this client segment"), "warn")])
            continue
        if h["wait"] is not None:
            lines = [(tr("wait {days} d").format(days=_days(h["wait"], tr)), "strong")]
        elif bp["steps"][h["to"]]["type"] == "outcome":
            # an outcome has no first contact to wait for: no gap
            lines = [(tr("into the outcome: no wait"), "plain")]
        else:
            lines = [(tr("wait not known"), "warn")]
        if h["volume_hidden"] or h["volume_per_month"] is not None:
            # whole clients, a half up, as every text writes them (hidden before: the public
            # never reads a small 4.5 as 5); "<5" counts in the plural
            clients = f"<{min_cell}" if h["volume_hidden"] else tr.clients(h["volume_per_month"])
            lines.append((tr.ngettext("{n} client a month", "{n} clients a month",
                                      as_counted(clients)).format(n=clients), "plain"))
        else:
            lines.append((tr("clients a month not known"), "plain"))
        lines.append(({"yes": tr("information travels"), "no": tr("information does not travel")}
                      .get(h["information"] or "", tr("information flow not known")),
                      "warn" if h["information"] == "no" else "plain"))
        lines.append((tr("owner: {actor}").format(actor=tr.label(g, h["owner"]))
                      if h["owner"] else tr("no owner named"),
                      "plain" if h["owner"] else "warn"))
        handoffs.append(lines)
    return Texts(
        lanes=lanes, lane_colours=colours, steps=steps, step_notes=notes, handoffs=handoffs,
        needs_met=[[tr.label(g, n) for n in s["needs_met"]] for s in bp["steps"]],
        uncovered=[tr.label(g, n) for n in bp["uncovered"]],
        row_names={"handoffs": tr(TEXTS["handoffs"]), "handoffs hint": tr(TEXTS["handoffs hint"]),
                   "needs met": tr(TEXTS["needs met"]), "uncovered": tr(TEXTS["uncovered"]),
                   "none uncovered": tr("none: the path meets every need of the client "
                                        "segment") if needs else tr("the client segment "
                                                                    "names no needs")},
        lang=tr.lang, lane_notes=lane_notes)


def _rows(g: nx.MultiDiGraph, bp: dict[str, Any], texts: Texts, tr: Translator
          ) -> list[dict[str, str]]:
    """The table alternative: one row per step, with the hand-off that brings the client
    there."""
    rows = []
    for i, s in enumerate(bp["steps"]):
        lane = bp["lanes"][s["lane"]]
        note = texts.lane_notes[s["lane"]] if s["lane"] < len(texts.lane_notes) else ""
        row = {"step": texts.steps[i],
               "lane": (texts.lanes[s["lane"]] + (f" ({note})" if note else ""))
               if lane["role"] != CLIENT else tr("outcome for the client"),
               "notes": "; ".join(texts.step_notes[i]),
               "needs": ", ".join(texts.needs_met[i]) or "–",
               "handoff": "", "wait": "", "volume": "", "information": "", "owner": ""}
        if i:
            lines = [text for text, _ in texts.handoffs[i - 1]]
            if bp["handoffs"][i - 1]["broken"]:
                row["handoff"] = lines[0]
            else:
                row.update(zip(("wait", "volume", "information", "owner"), lines))
        rows.append(row)
    return rows


def _waited(days: str, tr: Translator) -> str:
    """The whole wait of a path (*1 day's wait in all*, *54 days' wait in all*)."""
    return tr.ngettext("{days} day's wait in all", "{days} days' wait in all",
                       as_counted(days)).format(days=days)


def _summary(bp: dict[str, Any], tr: Translator) -> str:
    parts = [tr.ngettext("{n} step", "{n} steps", len(bp["steps"])).format(n=len(bp["steps"])),
             _waited(_days(bp["total_wait_days"], tr), tr)]
    if bp["unknown_waits"]:
        parts.append(tr.ngettext("{n} wait not known", "{n} waits not known",
                                 bp["unknown_waits"]).format(n=bp["unknown_waits"]))
    parts.append(tr.ngettext("{n} referral between organisations",
                             "{n} referrals between organisations",
                             bp["handoffs_between"]).format(n=bp["handoffs_between"]))
    broken = sum(1 for h in bp["handoffs"] if h["broken"])
    if broken:
        parts.append(tr.ngettext("{n} step without a referral", "{n} steps without a referral",
                                 broken).format(n=broken))
    parts.append(tr.ngettext("{n} need left uncovered", "{n} needs left uncovered",
                             len(bp["uncovered"])).format(n=len(bp["uncovered"])))
    return " · ".join(parts)


def sheet_spans(steps: int) -> list[tuple[int, int]]:
    """The steps of each printed sheet (first, last + 1): as few sheets as
    :data:`STEPS_PER_SHEET` allows, the steps shared out evenly (no sheet left holding only
    the outcome).

    >>> sheet_spans(7), sheet_spans(3), sheet_spans(4)
    ([(0, 3), (3, 5), (5, 7)], [(0, 3)], [(0, 2), (2, 4)])
    """
    count = max(1, -(-steps // STEPS_PER_SHEET))
    base, extra = divmod(steps, count)
    out, first = [], 0
    for i in range(count):
        last = first + base + (1 if i < extra else 0)
        out.append((first, last))
        first = last
    return out


def blueprint_view(g: nx.MultiDiGraph, facts: Facts, subject: str,
                   paths: Sequence[Any] | None, k: int, to: str | None = None) -> View:
    """The blueprint of a designed path, or of a segment's ``k`` best paths (``paths``:
    those the caller found; ``to``: the outcome they were asked to reach, named under the
    title), as a chart view drawn by ``blueprint.html``."""
    tr = facts.tr
    data = blueprint(g, subject, k=k, paths=paths, to=to)
    min_cell = int(g.graph.get("min_cell") or 5)
    sections = []
    uids = (f"bp{n}" for n in itertools.count(1))
    for n, bp in enumerate([bp for bp in data["blueprints"] if bp["steps"]], start=1):
        texts = _texts(g, bp, data["needs"], tr, min_cell)
        # the picture's labels are measured and cut to their cells: plain text (the SVG is
        # one image, named by its title; its table below marks a name's language)
        drawn = _texts(g, bp, data["needs"], replace(tr, marks=False), min_cell)
        if data["kind"] == "path":
            heading = tr.label(g, subject)
        else:
            heading = tr("Path {rank} → {outcome}").format(
                rank=bp["rank"], outcome=tr.label(g, bp["outcome"]))
        summary = _summary(bp, tr)
        whole = Picture(bp, drawn, next(uids), 0, len(bp["steps"]), f"{heading}: {summary}")
        sheets = []
        spans = sheet_spans(len(bp["steps"]))
        for s, (first, last) in enumerate(spans, start=1):
            part = tr("{heading}, part {part} of {parts}").format(
                heading=heading, part=s, parts=len(spans))
            sheets.append({"title": part, "svg": Picture(
                bp, drawn, next(uids), first, last, part, all_lanes=False).svg()})
        sections.append({"id": f"blueprint-{n}", "heading": heading, "summary": summary,
                         "svg": whole.svg(), "picture": whole.uid, "sheets": sheets,
                         "rows": _rows(g, bp, texts, tr),
                         "uncovered": texts.uncovered, "path": bp["path"]})
    segment = data["segment"]
    if data["kind"] == "path":
        title = tr("Service blueprint · {name}").format(name=tr.label(g, subject))
        subtitle = (tr("designed path for {segment}").format(segment=tr.label(g, segment))
                    if segment else tr("designed path"))
    else:
        title = tr("Service blueprint · {name}").format(name=tr.label(g, subject))
        subtitle = tr.ngettext("the client segment's best path", "the client segment's {n} best "
                               "paths", len(sections)).format(n=len(sections))
        if to is not None:
            subtitle += " " + tr("to {outcome}").format(outcome=tr.label(g, to))
    legend = [
        {"item": "edge", "colour": "#1f2933", "width": 2, "dash": "",
         "label": tr("referral from step to step")},
        {"item": "edge", "colour": SEVERITY_COLOURS["error"], "width": 2.5, "dash": "6 4",
         "label": tr("no referral carries the step for this client segment")},
        {"item": "node", "colour": "#fff1f0", "border": SEVERITY_COLOURS["error"],
         "label": tr("red text: a gap (no owner, no provider, information does not travel, "
                     "wait not known)")},
    ]
    return View(kind="blueprint", title=title, subtitle=subtitle, nodes=[], edges=[],
                legend=legend, hierarchical=False, physics=False, template="blueprint.html",
                chart={"sections": sections, "segment": segment,
                       "empty": "" if sections else
                       tr("The designed path has no steps.") if data["kind"] == "path" else
                       tr("No path of this client segment reaches an outcome.")
                       if to is None else
                       tr("No path from the segment's entries reaches {outcome}.").format(
                           outcome=tr.label(g, to))})
