"""What every view shares: the :class:`View` a page shows, the colours, shapes and legends,
and :class:`Facts`, the lookups (edges by kind, referrals, inflow, tooltips) a view asks
of the graph, computed once per drawing.

>>> darker("#ffffff")
'#b2b2b2'
>>> fmt(2.0), fmt(2.50), scaled(None, 10, 12, 42), scaled(10, 10, 12, 42)
('2', '2.5', 12, 42.0)
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import networkx as nx

from polku.graph import Referral, label, name_of, nodes_of
from polku.present.i18n import (DEFAULT_LANG, IN_LANGUAGE, LANGUAGES, N_, Translator, as_counted,
                                factor_name, kind_name, severity_name, translator, type_name)
from polku.kinds import KIND_CATALOGUE
from polku.privacy import MIN_CELL, hidden_services, suppressed_referrals
from polku.words import ACTOR_KIND_NAMES
from polku.finding import SEVERITY_RANK

# Fill colours: actors and services by organisation kind (a service takes its first
# provider's kind), the other node types by type. Red and amber are kept for findings.
KIND_COLOURS = {
    "wellbeing-county": "#2a9d8f",
    "employment-area": "#3d5a80",
    "municipality": "#588157",
    "joint-authority": "#6a994e",
    "kela": "#48bfe3",
    "third-sector": "#e56b9f",
    "employer": "#9c6644",
    "education": "#a7c957",
    "occupational-health": "#84a59d",
    "research": "#b5838d",
    "state": "#6d6875",
    "other": "#adb5bd",
}
NO_PROVIDER_COLOUR = "#dee2e6"
TYPE_COLOURS = {
    "segment": "#3a0ca3",
    "need": "#b8a1d9",
    "outcome": "#06a77d",
    "referral": "#5c677d",
    "measure": "#ffafcc",
    "path": "#3a0ca3",
}
TYPE_SHAPES = {
    "actor": "hexagon",
    "service": "dot",
    "segment": "diamond",
    "need": "triangle",
    "outcome": "star",
    "referral": "square",
    "measure": "triangleDown",
}
#: The node types a view draws, in the order of its legend (named by the one catalogue,
#: :mod:`polku.words`: :func:`type_title`).
TYPE_LABELS = ("actor", "service", "segment", "need", "outcome", "referral", "measure")
#: Whether the client's information travels with a referral.
FLOW_NAMES = {"yes": N_("yes"), "no": N_("no"), "unknown": N_("unknown")}
SEVERITY_COLOURS = {"error": "#d62728", "warning": "#f4a100"}
UNMET_COLOUR = "#d62728"
PATH_COLOURS = ("#0b3c8c", "#e85d04", "#7b2cbf", "#2b9348", "#c9184a",
                "#1982c4", "#8d6a9f", "#6a994e")
EDGE_COLOURS = {
    "referral": "#5c677d",
    "provides": "#b7bcc4",
    "entry": "#7b6fd0",
    "has_need": "#cdbfe6",
    "addresses": "#e2dcef",
    "part_of": "#9aa0a8",
}
ROLE_STYLES = {  # role: (width, dashes, colour)
    "lead": (4.0, False, "#1d3557"),
    "participant": (1.8, False, "#6c8ebf"),
    "consulted": (1.5, [8, 6], "#8d99ae"),
    "informed": (1.2, [2, 5], "#b0b8c4"),
}
# vis-network dash patterns: information does not travel / nobody knows whether it does.
DASHES_NO = [10, 7]
DASHES_UNKNOWN = [2, 5]


@dataclass
class View:
    """What one page shows: vis-network nodes and edges plus the page furniture."""
    kind: str
    title: str
    subtitle: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[dict[str, Any]] = field(default_factory=list)
    segments: list[tuple[str, str]] = field(default_factory=list)
    hierarchical: bool = False
    cluster: dict[str, Any] | None = None
    physics: bool = True  # False: the nodes carry their own positions
    #: a view drawn as a chart of its own (inline SVG) instead of a network: the timeline
    chart: Any = None
    #: the chart's facts as a table (``title``, ``headers``, ``rows``) for screen readers,
    #: keyboard users and copying
    table: dict[str, Any] | None = None
    #: the template that draws a chart view (default ``chart.html``; the blueprint has its own)
    template: str | None = None
    lang: str = DEFAULT_LANG  # the language of its texts (set by build_view)
    #: the graph's title in that language (set by build_view): the page's title names it
    graph_title: str = ""
    #: the graph says its numbers are made up (``g.graph["illustrative"]``): the page says so
    illustrative: bool = False
    #: a merged graph's regions as the page lists them (set by build_view:
    #: :func:`polku.present.merged.region_rows`)
    regions: list[dict[str, Any]] = field(default_factory=list)
    #: the smallest zoom the page opens at (None: fit the whole picture): a tall picture
    #: fitted whole would shrink its labels past reading, so it opens at its top instead
    min_scale: float | None = None
    #: how the page draws node labels: "all" (vis-network draws each at the zoom's size) or
    #: "lod" (the page draws them, the most important first, never below 12 px on screen:
    #: polku-labels.js; the nodes carry their ``rank``)
    labels: str = "all"

    def types(self) -> list[tuple[str, str]]:
        present = {n["ptype"] for n in self.nodes}
        tr = translator(self.lang)
        return [(t, type_title(t, tr)) for t in TYPE_LABELS if t in present]



def type_title(node_type: str, tr: Translator) -> str:
    """A node type as a legend or a tooltip heads it: its name, capitalised.

    >>> type_title("segment", translator("fi")), type_title("measure", translator("en"))
    ('Asiakasryhmä', 'Plan measure')
    """
    name = type_name(node_type, tr)
    return name[:1].upper() + name[1:]


def finding_list(findings: Any) -> list[dict[str, Any]]:
    """Findings as a list of dicts, from a list or from the ``{"findings": [...]}`` document."""
    if findings is None:
        return []
    if isinstance(findings, Mapping):
        findings = findings.get("findings", [])
    out = []
    for f in findings:
        if hasattr(f, "to_dict"):  # polku.finding.Finding
            f = f.to_dict()
        out.append(dict(f))
    return out


def _findings_by_subject(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        by[str(f.get("subject", ""))].append(f)
    return by


# ---------------------------------------------------------------------------------------
# Graph facts the views show

def reach(g: nx.MultiDiGraph, segment: str, eco: Any = None) -> set[str]:
    """R(segment) as ``docs/findings.md`` defines it (:mod:`polku.analyses.reach` walks it;
    pass its ``ecosystem(g)`` index as ``eco`` when the caller already built it).

    The page's segment filter runs the same walk in the browser (``polku-view.js``), so
    that filtering needs no data per segment.
    """
    from polku.analyses.reach import ecosystem, segment_reach

    return segment_reach(eco or ecosystem(g), segment)


def _inflow(refs: Iterable[Any]) -> dict[str, float]:
    flow: dict[str, float] = defaultdict(float)
    for r in refs:
        if r.target and r.volume_per_month:
            flow[r.target] += float(r.volume_per_month)
    return flow


def fmt(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


def names_text(g: nx.MultiDiGraph, ids: Iterable[str], tr: Translator | None = None) -> str:
    """The nodes' labels, comma-separated (in ``tr``'s language where the graph has one)."""
    return ", ".join(tr.label(g, i) if tr else label(g, i) for i in ids)


def scaled(value: float | None, vmax: float, lo: float, hi: float) -> float:
    if not value or vmax <= 0:
        return lo
    return round(lo + (hi - lo) * math.sqrt(min(value, vmax) / vmax), 1)


def finding_lines(fs: list[dict[str, Any]], tr: Translator | None = None) -> list[str]:
    """A tooltip's findings: the severity, the kind's name and what it means in the
    reader's words, then the finding's own message (the kind's id stays in the data, where
    ``polku findings --format json`` and the README use it)."""
    if not fs:
        return []
    tr = tr or translator()
    lines = ["", tr("Findings:")]
    for f in fs:
        sev, kind = f.get("severity", "?"), str(f.get("kind", ""))
        head = f"• {severity_name(sev, tr)} · {kind_name(kind, tr)}"
        if kind in KIND_CATALOGUE:
            head += f": {tr(KIND_CATALOGUE[kind].meaning)}"
        lines += [head, f"  {f.get('message', '')}"]
    return lines


def _worst(fs: list[dict[str, Any]]) -> str | None:
    sev = {f.get("severity") for f in fs}
    return "error" if "error" in sev else "warning" if "warning" in sev else None


class Facts:
    """Lookups shared by the views, computed once per render."""

    def __init__(self, g: nx.MultiDiGraph, findings: list[dict[str, Any]],
                 tr: Translator | None = None) -> None:
        self.g = g
        #: the language every text of the view is written in; a view is HTML, so a name in
        #: another language comes marked with it (:mod:`polku.present.langmarks`)
        self.tr = (tr or translator()).marking()
        self.findings = _findings_by_subject(findings)
        # One pass over the edges instead of a scan of a node's edges per question:
        # the national graph asks some 70,000 of them.
        self.out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for u, v, kind in g.edges(data="kind"):
            self.out[kind][u].append(v)
            self.into[kind][v].append(u)
        for index in (self.out, self.into):
            for by_node in index.values():
                for n, vs in by_node.items():
                    by_node[n] = sorted(set(vs))
        self.refs = [self._referral(rid) for rid in nodes_of(g, "referral")]
        self.inflow = _inflow(self.refs)
        self.providers = {s: self.sources(s, "provides") for s in nodes_of(g, "service")}
        #: a published graph's small cells read ``<5`` (docs/workbook.md, Privacy), never ``?``
        self.small = f"<{g.graph.get('min_cell') or MIN_CELL}"
        #: services whose inflow rests on a volume left out: hidden, which is not unknown
        self.hidden = hidden_services(g)
        self.waits_in: dict[str, list[float]] = defaultdict(list)
        for r in self.refs:
            if r.target and r.median_wait_days is not None:
                self.waits_in[r.target].append(float(r.median_wait_days))
        #: a service's observed wait as the what-if reads it (the medians weighted by the
        #: volumes: polku.analyses.queues.observed_waits' rule), None where the public may
        #: not read it: a volume left out weighs in it and the waits differ
        self.observed = self._observed_waits()

    def _observed_waits(self) -> dict[str, float | None]:
        from polku.analyses.queues import wait_shown, weighted_waits

        services = set(nodes_of(self.g, "service"))
        waits: dict[str, float | None] = dict(weighted_waits(
            (r.target, r.median_wait_days, r.volume_per_month) for r in self.refs
            if r.target in services))
        if self.hidden:
            suppressed = suppressed_referrals(self.g)
            for sid in self.hidden & waits.keys():
                waits[sid] = wait_shown(waits[sid], (
                    r.median_wait_days for r in self.refs
                    if r.target == sid and r.id in suppressed))
        return waits

    def _referral(self, rid: str) -> Referral:
        """:func:`polku.graph.referrals`' record, from the index."""
        d = self.g.nodes[rid]
        src, dst, owner = (self.targets(rid, k) for k in ("from", "to", "owner"))
        return Referral(id=rid, source=src[0] if src else "", target=dst[0] if dst else "",
                        segments=tuple(self.targets(rid, "for_segment")),
                        volume_per_month=d.get("volume_per_month"),
                        median_wait_days=d.get("median_wait_days"),
                        owner=owner[0] if owner else None,
                        information_flow=d.get("information_flow", "unknown"))

    def targets(self, n: str, kind: str) -> list[str]:
        """:func:`polku.graph.targets`, from the index."""
        return self.out[kind].get(n, [])

    def sources(self, n: str, kind: str) -> list[str]:
        return self.into[kind].get(n, [])

    def kind_colour(self, n: str) -> str:
        d = self.g.nodes[n]
        t = d.get("type")
        if t == "actor":
            return KIND_COLOURS.get(d.get("kind", "other"), KIND_COLOURS["other"])
        if t == "service":
            prov = self.providers.get(n) or []
            if not prov:
                return NO_PROVIDER_COLOUR
            return KIND_COLOURS.get(self.g.nodes[prov[0]].get("kind", "other"),
                                    KIND_COLOURS["other"])
        return TYPE_COLOURS.get(t, "#adb5bd")

    def num(self, value: Any) -> str:
        """A number as the view's language writes it."""
        return self.tr.number(value)

    def people(self, n: str, attr: str) -> str | None:
        """A node's count of people (a referral's ``volume_per_month``, a segment's
        ``size``) as the reader may see it: whole clients (a half up, as every text writes
        them: :meth:`Translator.clients`), ``<5`` where a published graph left a small
        cell out (:func:`polku.privacy.suppress`: decided on the figure, before it is
        rounded), ``None`` where nobody knows.

        >>> from polku.graph import new_graph
        >>> from polku.privacy import suppress
        >>> g = new_graph(); g.add_node("r", type="referral", volume_per_month=3)
        >>> g.add_node("q", type="referral"); g.add_node("h", type="referral", volume_per_month=4.5)
        >>> g.add_node("p", type="referral", volume_per_month=12.5)
        >>> f = Facts(suppress(g), [], translator("fi"))
        >>> [f.people(r, "volume_per_month") for r in ("r", "q", "h", "p")]
        ['<5', None, '<5', '13']
        """
        d = self.g.nodes[n]
        if d.get(attr) is not None:
            return self.tr.clients(d[attr])
        return self.small if attr in (d.get("suppressed") or ()) else None

    def name(self, n: str) -> str:
        """A node by name in the view's language: its label, and a referral, which has no
        name of its own, by its ends (``Etsivä nuorisotyö → Ohjaamo``), never by its id."""
        g, tr = self.g, self.tr
        if g.nodes[n].get("type") == "referral" and not g.nodes[n].get("name"):
            src, dst = self.targets(n, "from"), self.targets(n, "to")
            if src or dst:
                return f"{names_text(g, src, tr) or '–'} → {names_text(g, dst, tr) or '–'}"
        return tr.label(g, n)

    def tooltip(self, n: str) -> str:
        g, d, tr, num = self.g, self.g.nodes[n], self.tr, self.num
        t = d.get("type", "")
        kind = type_title(t, tr) if t in TYPE_LABELS else t
        lines = [f"{kind}: {self.name(n)}", f"{tr('id')}: {n}"]
        # The name in the other languages, where the graph gives one ("in Swedish: …").
        # Each is written in the language it is given in, and marked so on a page of another.
        shown = tr.name(g, n).text
        for lang in LANGUAGES:
            # the name in that language (a row named in Swedish first has its Finnish one in
            # name_fi), in the language it is written in
            other = name_of(d, lang)
            if lang != tr.lang and other and other[1] == lang and other[0] != shown:
                lines.append(f"{tr(IN_LANGUAGE[lang])}: {tr.mark(*other)}")
        none = tr("– (none)")
        if t == "actor":
            k = d.get("kind", "other")
            lines.append(tr("Kind: {kind}").format(kind=tr(ACTOR_KIND_NAMES[k]) if k in ACTOR_KIND_NAMES else k))
            if d.get("region"):
                lines.append(tr("Region: {region}").format(region=tr.area(str(d["region"]))))
            parent = self.targets(n, "part_of")
            if parent:
                lines.append(tr("Part of: {names}").format(names=names_text(g, parent, tr)))
            provided = self.targets(n, "provides")
            lines.append(tr.ngettext("Provides {n} service", "Provides {n} services",
                                     len(provided)).format(n=len(provided)))
        elif t == "service":
            prov = self.providers.get(n) or []
            lines.append(tr("Provider: {names}").format(
                names=names_text(g, prov, tr) if prov else none))
            cap = d.get("capacity_per_month")
            capacity = num(cap)
            lines.append(tr.ngettext("Capacity: {n} / month", "Capacity: {n} / month",
                                     as_counted(capacity)).format(n=capacity)
                         if cap is not None else tr("Capacity: –"))
            inflow = self.inflow.get(n)
            if n in self.hidden and inflow:
                # the sum of the volumes shown is not its inflow, but at least that: each
                # of them is public (polku.privacy.lower_bounds)
                # the unit as the capacity's and the inflow's lines beside it say it
                # (rounded down: a lower bound stays one)
                least, small = num(int(math.floor(inflow))), self.small[1:]
                lines.append(tr.ngettext("Inflow: at least {n} / month", "Inflow: at least {n} "
                                         "/ month", as_counted(least)).format(n=least) + " "
                             + tr.ngettext("(a referral into it has fewer than {n} client a "
                                           "month and is not counted)",
                                           "(a referral into it has fewer than {n} clients a "
                                           "month and is not counted)",
                                           as_counted(small)).format(n=small))
            elif n in self.hidden:
                small = self.small[1:]
                lines.append(tr.ngettext("Inflow: hidden (a referral into it has fewer than {n} "
                                         "client a month)",
                                         "Inflow: hidden (a referral into it has fewer than {n} "
                                         "clients a month)", as_counted(small)).format(n=small))
            elif inflow:
                # whole clients as the volumes beside it; an inflow above the capacity
                # reads above it (15,03 against 15)
                shown = tr.clients(inflow, over=cap)
                line = tr.ngettext("Inflow: {n} / month", "Inflow: {n} / month",
                                   as_counted(shown)).format(n=shown)
                if cap:
                    line += " " + tr("({share} of capacity)").format(share=tr.percent(inflow / cap))
                lines.append(line)
            waits = self.waits_in.get(n)
            if waits:
                lo, hi = min(waits), max(waits)
                # a range of medians is no median: said as the range it is
                lines.append(
                    tr.ngettext("Wait to get in: {days} day (median of incoming referrals)",
                                "Wait to get in: {days} days (median of incoming referrals)",
                                as_counted(num(lo))).format(days=num(lo)) if lo == hi else
                    # two different medians: a range, in the plural
                    tr("Wait to get in: {days} days (range of the incoming referrals' "
                       "medians)").format(days=f"{num(lo)}–{num(hi)}"))
            if n in self.observed:
                lines.append(self._observed_line(n))
            segs = self.targets(n, "for_segment")
            lines.append(tr("For segments: {names}").format(
                names=names_text(g, segs, tr) if segs else tr("all")))
            needs = self.targets(n, "addresses")
            if needs:
                lines.append(tr("Addresses: {names}").format(names=names_text(g, needs, tr)))
            if d.get("entry"):
                lines.append(tr("Entry point: yes"))
            # free text, in the workbook's language: marked with it on a page of another
            if d.get("method"):
                lines.append(tr("Method: {text}").format(text=tr.said(g, n, "method")))
            if d.get("legal_basis"):
                lines.append(tr("Legal basis: {text}").format(text=tr.said(g, n, "legal_basis")))
        elif t == "segment":
            size = self.people(n, "size")
            if size is not None:
                lines.append(tr.ngettext("Size: {n} person", "Size: {n} people",
                                         as_counted(size)).format(n=size))
            if d.get("participation_rate") is not None:
                lines.append(tr("In work: {share}").format(
                    share=tr.percent(float(d["participation_rate"]))))
            needs = self.targets(n, "has_need")
            if needs:
                lines.append(tr("Needs: {names}").format(names=names_text(g, needs, tr)))
            entries = self.targets(n, "entry")
            if entries:
                lines.append(tr("Entries: {names}").format(names=names_text(g, entries, tr)))
        elif t == "need":
            if d.get("factor"):
                lines.append(tr("Factor: {factor}").format(
                    factor=factor_name(str(d["factor"]), tr)))
        elif t == "referral":
            lines += self._referral_lines(n)[2:]
        description = tr.said(g, n, "description")
        if description:
            lines.append(description)
        lines += finding_lines(self.findings.get(n, []), tr)
        return "\n".join(lines)

    def _observed_line(self, n: str) -> str:
        """The service's observed wait, named and written as the what-if writes it
        ("havaittu odotusaika 5,8 pv"), or why the public does not read it."""
        tr, wait = self.tr, self.observed[n]
        if wait is None:
            small = self.small[1:]
            return tr.ngettext("Observed wait: hidden (the referrals into it wait for "
                               "different times, and weighted by their volumes the waits "
                               "would give back a volume of fewer than {n} client a month)",
                               "Observed wait: hidden (the referrals into it wait for "
                               "different times, and weighted by their volumes the waits "
                               "would give back a volume of fewer than {n} clients a month)",
                               as_counted(small)).format(n=small)
        return tr("Observed wait: {days} d (what the what-if starts from: the incoming "
                  "referrals' medians weighted by their volumes)").format(days=tr.days(wait))

    def _referral_lines(self, rid: str) -> list[str]:
        g, d, tr, num = self.g, self.g.nodes[rid], self.tr, self.num
        owner = self.targets(rid, "owner")
        segs = self.targets(rid, "for_segment")
        vol = self.people(rid, "volume_per_month")
        wait = d.get("median_wait_days")
        flow = d.get("information_flow", "unknown")
        # named by its ends, as every node by its name; the id below, as every node's
        return [
            f"{type_title('referral', tr)}: {self.name(rid)}",
            f"{tr('id')}: {rid}",
            tr.ngettext("Volume: {n} / month", "Volume: {n} / month",
                        as_counted(vol)).format(n=vol) if vol is not None else tr("Volume: –"),
            tr.ngettext("Median wait: {n} day", "Median wait: {n} days",
                        as_counted(num(wait))).format(n=num(wait)) if wait is not None
            else tr("Median wait: – (an outcome has no first contact to wait for)")
            if self.into_outcome(rid)
            else tr("Median wait: ? (not known)"),  # ? as every table marks it
            tr("Owner: {names}").format(names=names_text(g, owner, tr) if owner
                                        else tr("– (none)")),
            tr("Information flow: {flow}").format(
                flow=tr(FLOW_NAMES[flow]) if flow in FLOW_NAMES else flow),
            tr("Segments: {names}").format(names=names_text(g, segs, tr) if segs
                                                  else tr("all")),
        ]

    def referral_tooltip(self, rid: str) -> str:
        return "\n".join(self._referral_lines(rid)
                         + finding_lines(self.findings.get(rid, []), self.tr))

    def node(self, n: str, *, size: float | None = None,
             ring_kinds: Sequence[str] | None = None, **extra: Any) -> dict[str, Any]:
        """A vis-network node for graph node ``n``: shape by type, fill by kind, a red or
        amber ring when a finding (of ``ring_kinds``, default any) is about it."""
        d = self.g.nodes[n]
        t = d.get("type", "")
        fill = self.kind_colour(n)
        fs = self.findings.get(n, [])
        if ring_kinds is not None:
            fs = [f for f in fs if f.get("kind") in ring_kinds]
        sev = _worst(fs)
        border = SEVERITY_COLOURS[sev] if sev else darker(fill)
        node: dict[str, Any] = {
            "id": n, "gid": n, "label": self.tr.label(self.g, n), "ptype": t,
            "shape": TYPE_SHAPES.get(t, "dot"),
            "color": {"background": fill, "border": border,
                      "highlight": {"background": fill, "border": "#111111"},
                      "hover": {"background": fill, "border": border}},
            "borderWidth": 5 if sev else 1.5, "borderWidthSelected": 6 if sev else 3,
            "title": self.tooltip(n),
        }
        if sev:
            node["sev"] = sev
        if size is not None:
            node["size"] = size
        node.update(extra)
        return node

    def into_outcome(self, rid: str) -> bool:
        """Does referral ``rid`` lead into an outcome (which has no first contact to wait
        for: no wait there is no wait nobody knows)?"""
        return any(d.get("kind") == "to" and self.g.nodes[v].get("type") == "outcome"
                   for _, v, d in self.g.out_edges(rid, data=True))

    def wait_mark(self, r: Any) -> str:
        """A referral's median wait in a table cell: the days, ``?`` for a wait nobody
        knows, ``–`` for none into an outcome."""
        if r.median_wait_days is not None:
            return self.num(r.median_wait_days)
        return "–" if self.into_outcome(r.id) else "?"

    def handoff_label(self, r: Any) -> str:
        """What a designer reads on a hand-off edge without hovering: its median wait,
        clients a month and owner (the referral's owner, else its lead); a referral into
        an outcome without a wait says none."""
        tr = self.tr
        wait = [] if r.median_wait_days is None and self.into_outcome(r.id) else [
            tr("{n} d").format(n=self.wait_mark(r))]
        vol = tr("{n}/mo").format(n=self.people(r.id, "volume_per_month") or "?")
        owner = self.owner_of(r)
        # drawn on the canvas, which has no language of its own: the name as plain text
        who = tr.name(self.g, owner).text if owner else tr("no owner")
        return " · ".join(wait + [vol, who[:28] + "…" if len(who) > 29 else who])

    def owner_of(self, r: Any) -> str | None:
        """A referral's vastuutaho: its owner, else the first actor that leads it."""
        leads = sorted(u for u, _, d in self.g.in_edges(r.id, data=True)
                       if d.get("kind") == "responsibility" and d.get("role") == "lead")
        return r.owner or (leads[0] if leads else None)

    def finding_word(self, fs: list[dict[str, Any]]) -> str:
        """The worst of a subject's findings in a few words of the reader's language
        (severity: what its kind means), empty for none."""
        if not fs:
            return ""
        f = min(fs, key=lambda f: SEVERITY_RANK.get(f.get("severity", "info"), 9))
        kind = str(f.get("kind", ""))
        meaning = self.tr(KIND_CATALOGUE[kind].meaning) if kind in KIND_CATALOGUE else kind
        return f"⚠ {severity_name(f.get('severity', '?'), self.tr)}: {meaning}"

    def referral_edge(self, r: Any, *, width_max: float, **extra: Any) -> dict[str, Any]:
        """A referral drawn as an edge from its ``from`` service to its ``to`` target."""
        fs = self.findings.get(r.id, [])
        sev = _worst(fs)
        colour = SEVERITY_COLOURS[sev] if sev else EDGE_COLOURS["referral"]
        flow = r.information_flow or "unknown"
        edge: dict[str, Any] = {
            "id": f"ref:{r.id}", "from": r.source, "to": r.target, "kind": "referral",
            "rid": r.id, "segs": list(r.segments),
            "arrows": "to",
            "width": scaled(r.volume_per_month, width_max, 1.0, 8.0),
            "dashes": DASHES_NO if flow == "no" else DASHES_UNKNOWN if flow == "unknown" else False,
            "color": {"color": colour, "highlight": "#111111", "hover": colour, "opacity": 0.9},
            "title": self.referral_tooltip(r.id),
        }
        if sev:
            edge["sev"] = sev
        edge.update(extra)
        return edge


def darker(hex_colour: str, factor: float = 0.7) -> str:
    h = hex_colour.lstrip("#")
    r, g_, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(int(r * factor), int(g_ * factor), int(b * factor))


def plain_edge(i: int, u: str, v: str, kind: str, **extra: Any) -> dict[str, Any]:
    edge = {"id": f"e{i}", "from": u, "to": v, "kind": kind, "arrows": "to", "width": 1,
            "color": {"color": EDGE_COLOURS.get(kind, "#b7bcc4"), "opacity": 0.8}}
    edge.update(extra)
    return edge


def spread_parallel(edges: list[dict[str, Any]]) -> None:
    """Parallel edges (two referrals between the same services) would be drawn on top of
    each other; bend every one after the first a little more."""
    count: dict[tuple[str, str], int] = defaultdict(int)
    for e in edges:
        key = (e["from"], e["to"])
        k = count[key]
        count[key] += 1
        if k:
            e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.15 * k, 0.9)}


# ---------------------------------------------------------------------------------------
# Legends

def legend_node(name: str, shape: str, colour: str, border: str | None = None,
                 dash: str = "") -> dict:
    return {"item": "node", "label": name, "shape": shape, "colour": colour,
            "border": border or darker(colour), "dash": dash}


def legend_edge(name: str, colour: str, width: float = 2, dashes: Any = False) -> dict:
    dash = " ".join(str(x) for x in dashes) if dashes else ""
    return {"item": "edge", "label": name, "colour": colour, "width": width, "dash": dash}


def kind_legend(nodes: list[dict[str, Any]], g: nx.MultiDiGraph,
                tr: Translator | None = None) -> list[dict]:
    tr = tr or translator()
    kinds = set()
    no_provider = False
    for n in nodes:
        if n["ptype"] == "actor":
            kinds.add(g.nodes[n["gid"]].get("kind", "other"))
        elif n["ptype"] == "service":
            if n["color"]["background"] == NO_PROVIDER_COLOUR:
                no_provider = True
            else:
                for kind, c in KIND_COLOURS.items():
                    if c == n["color"]["background"]:
                        kinds.add(kind)
    items = [{"item": "heading",
              "label": tr("Colour: kind of organisation (a service: its provider's)")}]
    items += [legend_node(tr(ACTOR_KIND_NAMES.get(k, k)), "dot", KIND_COLOURS[k])
              for k in KIND_COLOURS if k in kinds]
    if no_provider:
        items.append(legend_node(tr("no provider"), "dot", NO_PROVIDER_COLOUR))
    return items


def shape_legend(nodes: list[dict[str, Any]], tr: Translator | None = None) -> list[dict]:
    tr = tr or translator()
    present = {n["ptype"] for n in nodes}
    items = [{"item": "heading", "label": tr("Shape: what it is")}]
    for t in TYPE_LABELS:
        if t in present:
            colour = TYPE_COLOURS.get(t, "#9aa0a8") if t not in ("actor", "service") else "#9aa0a8"
            items.append(legend_node(type_title(t, tr), TYPE_SHAPES[t], colour))
    return items


def finding_legend(tr: Translator | None = None) -> list[dict]:
    tr = tr or translator()
    return [
        {"item": "heading", "label": tr("Findings")},
        legend_node(tr("error (red ring / red edge)"), "dot", "#ffffff",
                    SEVERITY_COLOURS["error"]),
        legend_node(tr("warning (amber ring / amber edge)"), "dot", "#ffffff",
                    SEVERITY_COLOURS["warning"]),
    ]


def referral_legend(tr: Translator | None = None) -> list[dict]:
    tr = tr or translator()
    return [
        {"item": "heading", "label": tr("Referrals (width = clients / month)")},
        legend_edge(tr("information travels"), EDGE_COLOURS["referral"], 2.5),
        legend_edge(tr("information does not travel"), EDGE_COLOURS["referral"], 2.5, DASHES_NO),
        legend_edge(tr("information flow unknown"), EDGE_COLOURS["referral"], 2.5,
                    DASHES_UNKNOWN),
    ]
