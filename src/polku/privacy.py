"""Privacy by default (``docs/workbook.md``, "Privacy").

A graph holds aggregates about groups of people, never a person. Two rules follow:

- a valid Finnish personal identity code (henkilötunnus) anywhere in an input refuses the
  input, naming where it is (:func:`find_hetu` finds one; the loaders call it on every cell,
  line and literal). The code itself is never printed back;
- counts about people from 1 up to a threshold (1–4 by default, :data:`MIN_CELL`, the one
  place the default is decided) are *small cells*: what goes to other people shows them as
  ``<5`` or leaves them out.

Who reads decides, once: the **audience**. ``editor`` is a reader with an editor's
credential (a valid bearer token on the server) and the owner's own working copies;
``public`` is every other reader and every file meant for others. For ``public`` the
operations (:mod:`polku.ops`) run on :func:`suppress`'s copy of the graph — the published
figures — so every answer derived from it (totals, inflows, waits, findings, diffs) is
computed from what may be shown and no small cell can be recovered by subtraction; rows and
change-log entries (cell text) go through :func:`shown_row`. Which file formats go to other people (and so
are public by default) is each format's ``shared`` in the registry :mod:`polku.io.formats`.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import replace
from typing import Any, Callable, Collection, Iterable

import networkx as nx

from polku.finding import Finding
from polku.words import N_

#: small cells are 1 .. MIN_CELL - 1 people: the one default of every door and format
MIN_CELL = 5
#: the readers: ``public`` sees the published figures, ``editor`` the true ones
PUBLIC, EDITOR = "public", "editor"
AUDIENCES = (PUBLIC, EDITOR)
#: node type -> attributes that count people (the segment's size, clients per month)
PEOPLE_COUNTS: dict[str, tuple[str, ...]] = {
    "segment": ("size",),
    "referral": ("volume_per_month",),
}
#: the most a count of people may be (``size``, ``volume_per_month``): Finland has some
#: 5.6 million people, so ten million is no region's, national graphs included; more is a
#: typo (``1e308`` for ``108``), refused by the workbook and the RDF readers
PEOPLE_MAXIMUM = 10_000_000
#: workbook sheet -> columns whose cells count people (rows and the change log)
PEOPLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "segments": ("size",),
    "referrals": ("volume_per_month",),
}
#: a cell that a copy meant for others left out as a small cell: ``<`` and the threshold
#: (``<5``), the text the published copy holds in an extra column (:func:`suppress`) and a
#: workbook's people column reads back as left out (the threshold its group)
LEFT_OUT_TEXT = re.compile(r"<\s*([1-9][0-9]?)")
#: workbook sheet -> columns that name a person (who last wrote a follow-up: filled in by
#: the server from the writer's name): personal data, which the public reads nowhere, as
#: it does not read who made a change in the change log
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "followups": ("by",),
}
#: figures the analyses compute about people (flow into a service), by their key
PEOPLE_FIGURES = ("inflow", "volume_per_month", "size", "people_in_segments",
                  "referral_volume_per_month")

# ddmmyy, century sign, individual number, check character, in either case (131052-308t is
# the same person's code as 131052-308T: people type it both ways); a look-alike inside a
# longer run of digits or letters is not one
HETU_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})([-+A-FU-Ya-fu-y])(\d{3})"
                          r"([0-9A-Ya-y])(?![0-9A-Za-z])")
_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURY = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900,
            "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
#: the shape of a code's date and century sign, looked for before the whole pattern: a regex
#: that starts with a look-behind is tried at every character, this one only at digits (a
#: national workbook's megabyte of text is screened in a third of the time). Spelt out
#: digit by digit: a pattern that starts with a repeat (\d{6}) is tried at every character
_HETU_SHAPE = re.compile(r"\d\d\d\d\d\d[-+A-FU-Ya-fu-y]")


def is_hetu(day: str, month: str, year: str, sign: str, number: str, check: str) -> bool:
    """The parts make a valid henkilötunnus: a real date and the right check character
    (the sign and the check character in either case)."""
    sign, check = sign.upper(), check.upper()
    try:
        datetime.date(_CENTURY[sign] + int(year), int(month), int(day))
    except (ValueError, KeyError):
        return False
    return _CHECK[int(day + month + year + number) % 31] == check


def find_hetu(text: str) -> int | None:
    """The offset of the first valid personal identity code in ``text``, else None; a
    look-alike whose check character fails is ordinary text.

    >>> find_hetu("asiakas 131052-308T soitti")
    8
    >>> find_hetu("131052-308U") is None, find_hetu("010203A123X") is None
    (True, True)
    >>> find_hetu("asiakas 131052-308t")
    8
    >>> find_hetu("Kela 0246246-0") is None
    True
    """
    if len(text) < 11 or _HETU_SHAPE.search(text) is None:
        return None
    for m in HETU_PATTERN.finditer(text):
        if is_hetu(*m.groups()):
            return m.start()
    return None


#: what a message says in place of a name that holds an identity code (never quoted back)
NAME_NOT_SHOWN = N_("a name not shown: it holds an identity code")
HETU_MESSAGE = N_("holds a personal identity code (henkilötunnus): polku keeps aggregates "
                  "about groups of people, never a person; remove it")


def first_hetu(texts: Iterable[str]) -> int | None:
    """The index of the first text that holds a personal identity code, else None.

    Why one pass: a national graph has 100,000 literals; one regex over their join finds
    that there is none in a few milliseconds, and only then are they looked at one by one.
    """
    texts = list(texts)
    joined = "\n".join(texts)
    if find_hetu(joined) is None:
        return None
    return next((i for i, t in enumerate(texts) if find_hetu(t) is not None), None)


def _texts(value: object, name: str) -> Iterable[tuple[str, str]]:
    """(where, text) for every string in an attribute's value: a dict's keys and values
    (``extra``), a list's items; ``where`` is the attribute's name, or ``-`` where the
    name itself is the text (a message may quote ``where``, never the text)."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield "-", str(k)
            yield from _texts(v, name if find_hetu(str(k)) is not None else f"{name}.{k}")
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _texts(v, name)


def hetu_in_graph(g: nx.MultiDiGraph) -> tuple[str | None, str] | None:
    """Where a graph built by another tool (a Neo4j region) holds a personal identity code:
    ``(node, attribute)`` (node None for the graph's own attributes, its follow-ups and its
    edges, or when the node's id is the code; attribute ``-`` when a name is), else None.
    Neither says the code.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("s", type="segment", name="S", extra={"x": "131052-308T"})
    >>> hetu_in_graph(g), hetu_in_graph(new_graph())
    (('s', 'extra.x'), None)
    """
    places: list[tuple[str | None, str]] = []
    texts: list[str] = []

    def add(node: str | None, attrs: object, own: str = "") -> None:
        for where, text in _texts(attrs, own):
            places.append((node, where.lstrip(".") or "-"))
            texts.append(text)

    add(None, {k: v for k, v in g.graph.items()})
    for node, data in g.nodes(data=True):
        if find_hetu(str(node)) is not None:
            return None, "id"
        add(str(node), data)
    for u, v, data in g.edges(data=True):
        add(None, data)
        texts.extend((str(u), str(v)))
        places.extend(((None, "id"), (None, "id")))
    i = first_hetu(texts)
    return None if i is None else places[i]


# -- small cells ------------------------------------------------------------------------------

def is_small(value: object, min_cell: int = MIN_CELL) -> bool:
    """A count of 1 up to ``min_cell - 1`` people (0 is not a small cell: nobody is shown).

    >>> is_small(3), is_small(0), is_small(5), is_small(4.5)
    (True, False, False, True)
    """
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and 0 < value < min_cell)


def shown(value: object, min_cell: int = MIN_CELL) -> object:
    """A figure as it may be shown to other people: ``<5`` for a small cell.

    >>> shown(3), shown(12)
    ('<5', 12)
    """
    return f"<{min_cell}" if is_small(value, min_cell) else value


def stated_threshold(g: nx.MultiDiGraph) -> int | None:
    """The threshold the figures of ``g`` were already hidden by, when they were (a copy
    meant for others, read back): the largest its graph sheet or any region's sheet of a
    merged graph states (``min_cell``), else None.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); stated_threshold(g)
    >>> g.graph.update(min_cell=5, regions=[{"id": "a", "min_cell": 10}, {"id": "b"}])
    >>> stated_threshold(g)
    10
    """
    stated = [g.graph.get("min_cell")] + [r.get("min_cell") for r in g.graph.get("regions") or ()]
    numbers = [int(n) for n in stated if isinstance(n, (int, float)) and not isinstance(n, bool)]
    return max(numbers) if numbers else None


def threshold(g: nx.MultiDiGraph, min_cell: int = MIN_CELL) -> int:
    """The threshold a copy of ``g`` for others hides small cells by: ``min_cell``, or the
    one its figures were hidden by already when that is larger. A copy made with
    ``--min-cell 10`` and read back hid every count from 1 to 9; saying 5 of it (or of a
    merged graph of which it is a region) would tell its reader that 5 to 9 were shown.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); threshold(g), threshold(g, 3)
    (5, 3)
    >>> g.graph["min_cell"] = 10; threshold(g), threshold(g, 20)
    (10, 20)
    """
    return max(min_cell, stated_threshold(g) or 0)


def suppress(g: nx.MultiDiGraph, min_cell: int = MIN_CELL) -> nx.MultiDiGraph:
    """A copy of ``g`` fit to go to other people: every small cell (a segment's size, a
    referral's clients per month, from 1 to ``min_cell - 1``) is left out, and the node
    lists what was left out in ``suppressed`` (so a page or table can say ``<5``); a
    segment's or referral's extra column that holds a small number reads ``<5`` in place
    (:func:`shown_extra`);
    ``g.graph["min_cell"]`` records the threshold: ``min_cell``, or the larger one the
    figures of ``g`` were hidden by already (:func:`threshold`), which a merged graph's
    regions' sheets say too (each region's figures are hidden by it now). ``g`` itself is
    not changed (the copy shares its edges' attribute dicts: outputs only read them).

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("s", type="segment", name="S", size=3)
    >>> out = suppress(g)
    >>> "size" in out.nodes["s"], out.nodes["s"]["suppressed"], g.nodes["s"]["size"]
    (False, ['size'], 3)
    >>> g.add_node("r", type="referral", extra={"lähetteet": "3", "note": "arvio"})
    >>> suppress(g).nodes["r"]["extra"], g.nodes["r"]["extra"]["lähetteet"]
    ({'lähetteet': '<5', 'note': 'arvio'}, '3')
    """
    from polku.graph import add_edges, new_graph

    min_cell = threshold(g, min_cell)
    out = new_graph()
    out.graph.update(g.graph)
    out.graph["min_cell"] = min_cell
    if g.graph.get("regions"):  # copied: the merged graph's own sheets stay as they were
        out.graph["regions"] = [{**r, "min_cell": max(min_cell, r.get("min_cell") or 0)}
                                for r in g.graph["regions"]]
    if g.graph.get("followups"):  # who last wrote each: not for the public (PERSONAL_COLUMNS)
        personal = PERSONAL_COLUMNS["followups"]
        out.graph["followups"] = {key: {c: v for c, v in row.items() if c not in personal}
                                  for key, row in g.graph["followups"].items()}
    nodes = []
    for node, data in g.nodes(data=True):
        attrs = PEOPLE_COUNTS.get(data.get("type", ""), ())
        small = [a for a in attrs if is_small(data.get(a), min_cell)]
        if small:
            data = {k: v for k, v in data.items() if k not in small}
            data["suppressed"] = sorted(set(small) | set(data.get("suppressed") or ()))
        if attrs and data.get("extra"):
            extra = shown_extra(data["extra"], min_cell)
            if extra is not data["extra"]:
                data = {**data, "extra": extra}
        nodes.append((node, dict(data)))
    out.add_nodes_from(nodes)
    # edges carry no people counts: their attribute dicts are shared, not copied (a copy
    # of a national graph's 40,000 edges cost more than the whole suppression)
    add_edges(out, g.edges(keys=True, data=True))
    return out


def shown_extra(extra: dict, min_cell: int = MIN_CELL) -> dict:
    """A segment's or referral's extra (unknown) columns as they may go to other people:
    a cell that is a number from 1 to ``min_cell - 1`` (read as a people column's cell is,
    :func:`cell_number`: ``3``, ``3,0``, `` 4 ``, ``2.5``) reads ``<5``. polku cannot tell
    which extra column counts people (``size_2024``, ``asukasluku``, ``n``), so no small
    figure of one is published; text, 0 and figures of ``min_cell`` or more are kept as they
    are. ``extra`` itself when nothing is small.

    >>> shown_extra({"koko": "3", "lähde": "Tilastokeskus", "n": 7, "osuus": "2,5"})
    {'koko': '<5', 'lähde': 'Tilastokeskus', 'n': 7, 'osuus': '<5'}
    """
    small = [k for k, v in extra.items() if is_small(cell_number(v), min_cell)]
    if not small:
        return extra
    return {k: (f"<{min_cell}" if k in small else v) for k, v in extra.items()}


def extras_left_out(data: dict) -> list[str]:
    """The extra columns of a segment's or referral's attributes that a copy meant for
    others left out as small cells (:func:`shown_extra`: they read ``<5``), so a shared
    copy read back still says they are missing.

    >>> extras_left_out({"type": "segment", "extra": {"koko": "<5", "url": "x"}})
    ['koko']
    >>> extras_left_out({"type": "service", "extra": {"koko": "<5"}})
    []
    """
    extra = data.get("extra")
    if not extra or data.get("type") not in PEOPLE_COUNTS:
        return []
    return [k for k, v in extra.items()
            if isinstance(v, str) and LEFT_OUT_TEXT.fullmatch(v.strip())]


def hidden_services(g: nx.MultiDiGraph, end: str = "to") -> frozenset[str]:
    """Services (and outcomes) of a published graph (:func:`suppress`) that a referral with
    a suppressed volume leads to: their inflow is not known to the reader, and whatever
    follows from it (utilisation, waits, a queue's verdict, an order by flow) is *hidden*,
    which is not the same as unknown. With ``end="from"``, the services such a referral
    leaves from: their outflow is hidden (the sum of the volumes shown would read as fewer
    clients than leave). Empty for a graph nothing was suppressed from.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b"): g.add_node(n, type="service")
    >>> g.add_node("r", type="referral", volume_per_month=3); add_edge(g, "r", "a", "from")
    >>> add_edge(g, "r", "b", "to")
    >>> sorted(hidden_services(g)), sorted(hidden_services(suppress(g)))
    ([], ['b'])
    >>> sorted(hidden_services(suppress(g), end="from"))
    ['a']
    """
    out = set()
    for node in suppressed_referrals(g):
        out.update(v for _, v, k in g.out_edges(node, data="kind") if k == end)
    return frozenset(out)


def left_out(g: nx.MultiDiGraph, cells: Collection[tuple[str, str]] | None = None) -> int:
    """How many small cells a published copy (:func:`suppress`) left out, an extra
    column's that reads ``<5`` (:func:`extras_left_out`) too; with ``cells``
    (``(node, attribute)``: the figures a file writes, a chart of one segment's paths) of
    those only.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("s", type="segment", name="S", size=3)
    >>> left_out(g), left_out(suppress(g)), left_out(suppress(g), {("t", "size")})
    (0, 1, 0)
    >>> g.nodes["s"]["extra"] = {"n": "4"}; left_out(suppress(g))
    2
    """
    if cells is None:
        # an extra column's small cell reads ``<5`` in place (:func:`shown_extra`)
        return sum(len(d.get("suppressed") or ()) + len(extras_left_out(d))
                   for _, d in g.nodes(data=True))
    return sum(1 for node, attr in cells
               if node in g and attr in (g.nodes[node].get("suppressed") or ()))


def suppressed_referrals(g: nx.MultiDiGraph) -> frozenset[str]:
    """The referrals of a published graph (:func:`suppress`) whose volume was left out."""
    return frozenset(node for node, data in g.nodes(data=True)
                     if data.get("type") == "referral"
                     and "volume_per_month" in (data.get("suppressed") or ()))


def hidden_subjects(g: nx.MultiDiGraph) -> frozenset[str]:
    """The nodes of a published graph (:func:`suppress`) some figure of which the public
    does not read: a segment or referral whose count was left out, and a service (or
    outcome) a referral with a left-out volume leads to or leaves from. A finding about
    one may fire on the true figures and not on the published ones (or the other way
    round): whether it fires for the editor is not the public's to learn.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> for n in ("a", "b"): g.add_node(n, type="service")
    >>> g.add_node("r", type="referral", volume_per_month=3); add_edge(g, "r", "a", "from")
    >>> add_edge(g, "r", "b", "to")
    >>> sorted(hidden_subjects(g)), sorted(hidden_subjects(suppress(g)))
    ([], ['a', 'b', 'r'])
    """
    return (hidden_services(g) | hidden_services(g, end="from")
            | frozenset(n for n, left in g.nodes(data="suppressed") if left))


def filled(g: nx.MultiDiGraph, value: int) -> nx.MultiDiGraph:
    """A published graph (:func:`suppress`) with every count it left out put back as
    ``value``: one of the worlds the public cannot tell from the true one (each small cell
    is 1 up to ``min_cell - 1``). Made from the published copy alone, so what is computed
    from it says nothing the public does not know.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("s", type="segment", name="S", size=3)
    >>> filled(suppress(g), 4).nodes["s"]["size"], "suppressed" in filled(suppress(g), 4).nodes["s"]
    (4, False)
    """
    from polku.graph import add_edges, new_graph

    out = new_graph()
    out.graph.update(g.graph)
    nodes = []
    for node, data in g.nodes(data=True):
        left = data.get("suppressed")
        if left:
            data = {k: v for k, v in data.items() if k != "suppressed"}
            data.update({a: value for a in left})
        nodes.append((node, data))
    out.add_nodes_from(nodes)
    add_edges(out, g.edges(keys=True, data=True))
    return out


def about_any(key: str, nodes: frozenset[str]) -> bool:
    """Whether the finding ``key`` (``kind:subject`` or ``kind:subject:detail``) is about
    one of ``nodes``, as its subject or its detail.

    >>> about_any("over-capacity:svc", frozenset({"svc"}))
    True
    >>> about_any("unmet-need:s:n", frozenset({"n"}))
    True
    >>> about_any("over-capacity:svc-2", frozenset({"svc"}))
    False
    >>> about_any("path-broken:p1:s1+s2", frozenset({"s2"}))
    True
    """
    if not nodes or ":" not in key:
        return False
    # the subject, then the detail's ids (several joined by "+": path-broken:p1:s1+s2)
    ids = [i for part in key.split(":")[1:] for i in part.split("+")]
    return any(i in nodes for i in ids)


def suppress_figures(value: object, min_cell: int = MIN_CELL) -> object:
    """A JSON-like answer (findings, bottlenecks) with every people figure (``inflow`` …)
    that is a small cell shown as ``<5``; other values unchanged.

    >>> suppress_figures({"metrics": {"inflow": 3, "capacity": 2, "utilization": 1.5}})
    {'metrics': {'inflow': '<5', 'capacity': 2, 'utilization': None}}
    """
    if isinstance(value, dict):
        out = {k: (shown(v, min_cell) if k in PEOPLE_FIGURES else suppress_figures(v, min_cell))
               for k, v in value.items()}
        if is_small(value.get("inflow"), min_cell):
            # inflow / capacity, nominal or modelled, would give the small inflow back
            for key in ("utilization", "modelled_utilization"):
                if out.get(key) is not None:
                    out[key] = None
        return out
    if isinstance(value, list):
        return [suppress_figures(v, min_cell) for v in value]
    return value


#: figures of a service that follow from its inflow: hidden with it for the public. Not
#: the what-if's ``observed_wait_days``: it is the published referrals' own waits, which
#: :func:`polku.analyses.queues.published_wait` shows only where no hidden volume weighs in it
INFLOW_FIGURES = ("inflow", "utilization", "modelled_utilization", "wait_days",
                  "effective_capacity", "ratio", "lead_days", "unstable", "near_full")


def lower_bounds(row: dict[str, Any]) -> dict[str, Any]:
    """What a hidden service's figures may still say (the bottleneck ranking's row,
    :func:`polku.analyses.bottlenecks.ranking`, and an over-capacity finding about it,
    :func:`published_answer`): its inflow and utilisation are *at least* those of the
    referrals whose volumes are published (``inflow_at_least``, ``utilization_at_least``,
    the latter rounded down, so that it stays a lower bound), and nothing when none is
    (``{}``: the reader sees *hidden*). The row is of a published graph, whose suppressed
    volumes are gone: its inflow is already the sum of the published volumes, each public
    in the graph's own referral rows, so the bound says nothing the reader cannot add up,
    and no subtraction gives the small cell back (the true total is never shown beside
    it). An inflow that is no number (``<5``, shown as a small cell) gives no bound.

    >>> lower_bounds({"inflow": 24, "capacity": 250})
    {'inflow_at_least': 24, 'utilization_at_least': 0.09}
    >>> lower_bounds({"inflow": 0, "capacity": 20}), lower_bounds({"inflow": 6, "capacity": None})
    ({}, {'inflow_at_least': 6, 'utilization_at_least': None})
    >>> lower_bounds({"inflow": "<5", "capacity": 2})
    {}
    """
    inflow, cap = row.get("inflow") or 0, row.get("capacity")
    if not isinstance(inflow, (int, float)) or isinstance(inflow, bool) or inflow <= 0:
        return {}
    return {"inflow_at_least": inflow,
            "utilization_at_least": math.floor(inflow / cap * 100 + 1e-9) / 100 if cap
            else None}


def _bounded(metrics: dict[str, Any]) -> dict[str, Any]:
    """A hidden service's finding's metrics (an over-capacity's: its inflow is the
    published part) with what the public may still read of them, as the bottleneck
    ranking's row of the service says it: ``hidden`` and :func:`lower_bounds`. Its inflow
    and utilisation are then left out by :func:`_hide`. Metrics without an inflow (a
    finding whose figures do not follow from it) are as they are."""
    if "inflow" not in metrics:
        return metrics
    return {**metrics, "hidden": True, **lower_bounds(metrics)}


def published_answer(value: object, hidden: frozenset[str], min_cell: int = MIN_CELL,
                     modelled: bool = False) -> object:
    """An answer (findings, dicts and lists of figures) as the public may see it: small
    people figures as ``<5`` (:func:`suppress_figures`), and the inflow, utilisation and
    wait of a ``hidden`` service (:func:`hidden_services`: a suppressed referral leads to
    it) left out (None), in a finding about it or a record of it. A finding about it says
    ``"hidden": true`` and *at least* the published part of its inflow, as the bottleneck
    ranking does (:func:`lower_bounds`: the inflow it holds is of the published graph, the
    sum of the volumes the public reads).

    ``modelled``: the answer is a model's, run on the published copy with the reader's own
    changes (the queueing what-if): its figures are computed from published figures alone,
    so a small one (25 clients cut by 90 %: 2.5) counts nobody and gives nothing hidden
    back; it is shown as it is, with its utilisation and wait. What rests on a left-out
    cell (a ``hidden`` service, and the figures after the change of one a demand change
    reaches through a left-out cell: :func:`polku.analyses.queues.partial_services`,
    hidden by the what-if itself) is left out all the same.

    >>> published_answer([{"service": "s", "inflow": 40, "capacity": 30}], frozenset({"s"}))
    [{'service': 's', 'inflow': None, 'capacity': 30}]
    >>> published_answer({"inflow": 2.5, "modelled_utilization": 0.08}, frozenset(),
    ...                  modelled=True)
    {'inflow': 2.5, 'modelled_utilization': 0.08}
    >>> published_answer([{"kind": "over-capacity", "subject": "s",
    ...                    "metrics": {"inflow": 8, "capacity": 7, "utilization": 1.14}}],
    ...                  frozenset({"s"}))[0]["metrics"]
    {'inflow': None, 'capacity': 7, 'utilization': None, 'hidden': True, 'inflow_at_least': 8, 'utilization_at_least': 1.14}
    """
    small = not modelled
    return _hide(suppress_figures(value, min_cell) if small else value, hidden, False,
                 min_cell, small)


def _hide(value: object, hidden: frozenset[str], inside: bool, min_cell: int,
          small: bool = True) -> object:
    if isinstance(value, Finding):
        metrics = dict(value.metrics)
        if small:
            metrics = suppress_figures(metrics, min_cell)
        if value.subject in hidden:
            metrics = _bounded(metrics)
        metrics = _hide(metrics, hidden, inside or value.subject in hidden, min_cell, small)
        # a finding is immutable: one with nothing to hide is passed on as it is
        return value if metrics == value.metrics else replace(value, metrics=metrics)
    if isinstance(value, dict):
        here = inside or value.get("service") in hidden or value.get("subject") in hidden
        if value.get("subject") in hidden and "kind" in value and \
                isinstance(value.get("metrics"), dict):
            # a finding as a record (Finding.to_dict: the bottleneck answer's)
            value = {**value, "metrics": _bounded(value["metrics"])}
        out = {}
        for k, v in value.items():
            if here and k in INFLOW_FIGURES and v is not None:
                out[k] = None
            elif here and k == "hidden":
                out[k] = True  # the reader learns that a figure is hidden, not unknown
            else:
                out[k] = _hide(v, hidden, here or (isinstance(k, str) and k in hidden),
                               min_cell, small)
        return out
    if isinstance(value, list):
        return [_hide(v, hidden, inside, min_cell, small) for v in value]
    return value


#: a clean number as a workbook cell holds it (spaces as thousands separators, one decimal
#: comma or point): the only cell text of a people column that may be shown as such
_CLEAN_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")


def cell_number(text: object) -> float | None:
    """A workbook cell's number, 0 or more (decimal comma or point, spaces as thousands
    separators), None when it holds none: anything else (``3 hlö``, ``-3``, ``1e3``,
    ``nan``) is not a clean count.

    >>> cell_number("1 200"), cell_number("0,5"), cell_number(""), cell_number("x")
    (1200.0, 0.5, None, None)
    >>> cell_number("3 hlö"), cell_number("-3"), cell_number("nan")
    (None, None, None)
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text) if text >= 0 else None
    if not isinstance(text, str):
        return None
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned) if _CLEAN_NUMBER.fullmatch(cleaned) else None


def shown_cell(text: object, min_cell: int = MIN_CELL) -> object:
    """A people column's cell as the public may see it: empty and clean counts that are not
    small as they are; a small cell, and any text that is not a clean count (``3 hlö`` in a
    broken source, ``-3``), as ``<5`` — the same marker, so the row says nothing of what
    the text held, not even whether it was a small count or a typo.

    >>> shown_cell("12"), shown_cell("3"), shown_cell("3 hlö"), shown_cell(""), shown_cell("0")
    ('12', '<5', '<5', '', '0')
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return text
    number = cell_number(text)
    if number is None or is_small(number, min_cell):
        return f"<{min_cell}"
    return text


#: workbook sheet that counts people -> the columns polku knows on it (any other is an extra
#: column, whose small figures the public reads ``<5``): the names
#: :data:`polku.io.workbook.SHEETS` declares there, written here as data because io reads
#: this module, not the other way round (tests/test_people_columns.py holds the two equal)
KNOWN_COLUMNS: dict[str, frozenset[str]] = {
    "segments": frozenset({"id", "name", "name_sv", "name_en", "size", "participation_rate",
                           "needs", "entry", "description"}),
    "referrals": frozenset({"id", "from", "to", "segments", "volume_per_month",
                            "median_wait_days", "owner", "information_flow"}),
}


def shown_row(sheet: str, row: dict | None, min_cell: int = MIN_CELL) -> dict | None:
    """A workbook row (cell text) as it may be shown to the public: a cell that counts people
    goes through :func:`shown_cell` (a small cell, or text that is no clean count, reads
    ``<5``), and on the sheets that count people an extra column's small number reads
    ``<5`` too (:func:`shown_extra`).

    >>> shown_row("segments", {"id": "s", "size": "3"}), shown_row("segments", {"size": "12"})
    ({'id': 's', 'size': '<5'}, {'size': '12'})
    >>> shown_row("referrals", {"volume_per_month": "4 kk"})
    {'volume_per_month': '<5'}
    >>> shown_row("segments", {"id": "s", "participation_rate": "0,5", "väestö": "3,0"})
    {'id': 's', 'participation_rate': '0,5', 'väestö': '<5'}
    >>> shown_row("followups", {"finding": "no-lead:s", "by": "Anna Virtanen"})
    {'finding': 'no-lead:s'}
    """
    if row is None:
        return None
    personal = PERSONAL_COLUMNS.get(sheet, ())
    if any(c in row for c in personal):
        row = {k: v for k, v in row.items() if k not in personal}
    columns = [c for c in PEOPLE_COLUMNS.get(sheet, ()) if c in row]
    if sheet in PEOPLE_COLUMNS:
        known = KNOWN_COLUMNS[sheet]
        extra = {k: v for k, v in row.items() if k not in known}
        shown = shown_extra(extra, min_cell) if extra else extra
        if shown is not extra:
            row = {k: shown.get(k, v) for k, v in row.items()}
    if all(shown_cell(row[c], min_cell) is row[c] for c in columns):
        return row
    return {k: (shown_cell(v, min_cell) if k in columns else v) for k, v in row.items()}


#: what the public reads of a change-log entry: that a change was made, when, and to which
#: row — not by whom (a staff member's name, subject and organisations are personal data)
PUBLIC_CHANGE_KEYS = ("version", "time", "action", "sheet", "key", "before", "after",
                      "undoes", "changes", "note")


def shown_change(entry: dict, min_cell: int = MIN_CELL,
                 followup_shown: Callable[[str], bool] | None = None) -> dict:
    """A change-log entry as the public may see it: its rows before and after (a batch's
    rows too) through :func:`shown_row`, and nothing of who made it. A change to a
    follow-up that ``followup_shown`` refuses (the public's rule,
    :meth:`polku.ops.model.Model.followup_shown`) says that a follow-up changed, and when,
    not which (its key, the finding's) nor what it says.

    >>> shown_change({"version": 1, "who": "Anna", "sub": "x1", "organisations": ["kela"],
    ...               "sheet": "segments", "before": {"size": "12"}, "after": {"size": "3"}})
    {'version': 1, 'sheet': 'segments', 'before': {'size': '12'}, 'after': {'size': '<5'}}
    >>> shown_change({"version": 2, "action": "create", "sheet": "followups",
    ...               "key": "over-capacity:s", "after": {"finding": "over-capacity:s"}},
    ...              followup_shown=lambda key: False)
    {'version': 2, 'action': 'create', 'sheet': 'followups', 'key': None}

    A change the public would read as no change (a small cell to another, ``4`` → ``3``
    both ``<5``) is said the same way, that a row changed and when, not which nor what:
    listed as ``<5`` → ``<5`` it would say that the hidden figure moved within 1–4, and a
    diff does not list it (``docs/workbook.md``); the version stays, so the versions the
    public reads run on.

    >>> shown_change({"version": 3, "action": "update", "sheet": "segments", "key": "s",
    ...               "before": {"id": "s", "size": "4"}, "after": {"id": "s", "size": "3"}})
    {'version': 3, 'action': 'update', 'sheet': 'segments', 'key': None}
    """
    out = {k: v for k, v in entry.items() if k in PUBLIC_CHANGE_KEYS}
    sheet = entry.get("sheet") or ""
    if sheet == "followups" and followup_shown is not None and \
            not followup_shown(str(entry.get("key") or "")):
        return _unsaid(out)
    for side in ("before", "after"):
        if side in out:
            out[side] = shown_row(sheet, out[side], min_cell)
    if entry.get("before") and entry.get("after") and entry["before"] != entry["after"] \
            and out.get("before") == out.get("after"):
        return _unsaid(out)
    if isinstance(out.get("changes"), list):
        out["changes"] = [shown_change(c, min_cell, followup_shown) for c in out["changes"]]
    return out


def _unsaid(change: dict) -> dict:
    """A change the public reads only as made, and when: no key, no rows."""
    return {k: (None if k == "key" else v) for k, v in change.items()
            if k not in ("before", "after")}


# -- problems shown to the public ----------------------------------------------------------------

#: what stands for a source's text in a problem the public reads
WITHHELD = "..."
WITHHELD_MESSAGE = N_("the cell is not a valid count (its text is withheld: it counts people)")
WITHHELD_CELL = N_("the cell is not what its column takes (its text is withheld)")
#: the parameters of a problem's message that never hold the source's text: where (rows,
#: lines, sheets, column names), sizes and limits, what a column or attribute takes, and
#: catalogued words. Any other parameter (``value``, ``ref``, ``id``, ``detail``, a date, a
#: step, …) quotes a cell, a literal or a parser's view of the file, and is withheld: a
#: shifted row puts a small count in any column, a typed note an identity code
PLACE_PARAMS = frozenset({
    "row", "first", "last", "line", "cells", "columns", "column", "number", "length",
    "most", "least", "ceiling", "sheet", "sheets", "name", "known", "hint", "targets",
    "found", "expected", "types", "kinds", "choices", "words", "predicate", "attribute",
    "format", "kind", "n", "count", "byte", "offset", "separator", "reason", "shown",
    # a character's place in its cell, a column's letter, an invisible character's code
    "position", "letter", "invisible",
    # where a JSON-LD file would load its context from (an address, screened for codes)
    "context"})


def counts_people(error: object) -> bool:
    """Whether a problem is about a cell or attribute that counts people: a workbook
    column of :data:`PEOPLE_COLUMNS` (of its sheet, when the problem names one), or a
    graph attribute of :data:`PEOPLE_COUNTS` (a problem of an RDF source names it in its
    ``attribute`` parameter)."""
    column = getattr(error, "column", None)
    sheet = getattr(error, "sheet", None)
    if column:
        if sheet:
            return column in PEOPLE_COLUMNS.get(sheet, ())
        return any(column in cols for cols in PEOPLE_COLUMNS.values())
    attribute = (getattr(error, "params", None) or {}).get("attribute")
    return attribute is not None and any(attribute in a for a in PEOPLE_COUNTS.values())


def withheld_params(params: dict) -> dict:
    """A message's parameters with every one that may quote the source's text as
    :data:`WITHHELD` (:data:`PLACE_PARAMS` are kept; a catalogued text is kept, a phrase's
    own parameters are looked at the same way).

    >>> withheld_params({"value": "3 hlö", "most": 10, "choices": "yes, no"})
    {'value': '...', 'most': 10, 'choices': 'yes, no'}
    """
    from polku.errors import Phrase, Said

    out = {}
    for k, v in params.items():
        if isinstance(v, Phrase):
            out[k] = Phrase(v.template, **withheld_params(v.params))
        elif isinstance(v, Said) or k in PLACE_PARAMS:
            out[k] = v
        else:
            out[k] = WITHHELD
    return out


def published_error(error: Exception) -> Exception:
    """A problem as anyone may read it (a stale source's problem: the API's
    ``X-Polku-Stale`` and ``problem``, ``/readyz``, the pages' banner, a 409, the server's
    log): where it is and what is wrong, never the source's text — of any column, since a
    shifted or mis-typed row puts a small count (or an identity code) where another column
    is expected (``'3' is not a share`` reads ``'...' is not a share``; see
    :func:`withheld_params`). A problem that carries the text only in its wording reads
    :data:`WITHHELD_MESSAGE` (a column that counts people) or :data:`WITHHELD_CELL`.

    >>> from polku.errors import PolkuError
    >>> e = PolkuError("'{value}' is not a number", params={"value": "3 hlö"},
    ...                sheet="segments", row=2, column="size")
    >>> str(published_error(e))
    "sheet 'segments', row 2, column 'size': '...' is not a number"
    >>> str(published_error(PolkuError("'{value}' is not a share between 0 and 1",
    ...     params={"value": "3"}, sheet="segments", row=2, column="participation_rate")))
    "sheet 'segments', row 2, column 'participation_rate': '...' is not a share between 0 and 1"
    >>> published_error(PolkuError("x", column="capacity_per_month")).message
    'the cell is not what its column takes (its text is withheld)'
    """
    from polku.errors import PolkuError, PolkuErrors

    if isinstance(error, PolkuErrors):
        errors = [published_error(e) for e in error.errors]
        if all(a is b for a, b in zip(errors, error.errors)):
            return error
        out: PolkuError = PolkuErrors(errors)  # type: ignore[arg-type]
        out.field = error.field
        return out
    if not isinstance(error, PolkuError):
        return error
    where = {"file": error.file, "sheet": error.sheet, "row": error.row,
             "column": error.column, "node": error.node, "field": error.field}
    if error.msgid is not None:
        params = withheld_params(error.params)
        if params == error.params and not error.close:
            return error
        out = PolkuError(error.msgid, params=params, **where)
        # the id likely meant is the source's text too: not offered as data either (a
        # template that says it reads it withheld)
        out.close = None
        return out
    if counts_people(error):
        return PolkuError(WITHHELD_MESSAGE, params={}, **where)
    if error.row is not None or error.column or error.node:
        return PolkuError(WITHHELD_CELL, params={}, **where)
    return error


# -- by audience: what the doors call ------------------------------------------------------------

def row_for(audience: str, sheet: str, row: dict | None, min_cell: int = MIN_CELL
            ) -> dict | None:
    """A workbook row as ``audience`` reads it: the editor the cell text, the public
    :func:`shown_row`."""
    return row if audience == EDITOR else shown_row(sheet, row, min_cell)


def changes_for(audience: str, entries: list[dict], min_cell: int = MIN_CELL,
                followup_shown: Callable[[str], bool] | None = None) -> list[dict]:
    """Change-log entries as ``audience`` reads them: the editor all of each, the public
    :func:`shown_change` (rows with small cells as ``<5``, nothing of who made them, and
    of a follow-up ``followup_shown`` refuses nothing but that one changed; without the
    rule, no follow-up's key nor rows)."""
    if audience == EDITOR:
        return entries
    rule = followup_shown or (lambda key: False)
    return [shown_change(e, min_cell, rule) for e in entries]
