"""Interactive views of a polku graph: one self-contained, offline HTML page per view.

Designers would rather look than read. A view turns the typed graph (plus the analyses'
findings and best paths) into nodes and edges for vis-network, and :func:`render_html`
puts them into a page of our own template:

* **Self-contained**: vis-network's script and style are inlined from the copy that pyvis
  ships in its package; the page loads nothing from anywhere (no CDN, no Bootstrap).
* **Safe**: labels and tooltips are user data. The template autoescapes; node and edge
  data travel as one JSON document in a ``<script type="application/json">`` block with
  ``<``, ``>`` and ``&`` written as ``\\u003c`` … so no text can close the block; the page
  script only ever sets ``textContent``, and vis-network's tooltip uses ``innerText`` on
  plain title strings.
* **Fast**: nodes and edges go to the page in bulk (pyvis's ``add_node`` checks membership
  in a list, which is quadratic); pyvis serves for the physics and layout options model.

Views (``--view``):

``ecosystem``
    actors, services, segments, needs and outcomes; referrals drawn as edges from their
    ``from`` service to their ``to`` target. Past ``cluster_threshold`` nodes the page
    groups services with their provider (or the provider's region) into clusters that
    open on click.
``segment:S``
    what segment S can reach (R(S) of the findings spec), left to right from the entries
    to the outcomes, the k best paths highlighted and unmet needs as red need nodes.
``path:P``
    one designed path step by step; steps without a referral between them are marked.
``responsibility``
    actors and what they lead, take part in, are consulted on or informed of; subjects
    with no lead or several leads are marked.

Any view can be narrowed with ``focus``/``depth``: only what lies within ``depth`` steps
of one node, in both directions.

>>> from polku.graph import new_graph, add_edge
>>> g = new_graph("demo")
>>> g.add_node("a", type="actor", name="Kela", kind="kela")
>>> g.add_node("s", type="service", name="<b>Työkokeilu</b>")
>>> add_edge(g, "a", "s", "provides")
>>> page = render_html(g, "ecosystem")
>>> "<b>Työkokeilu" in page, "\\\\u003cb\\\\u003eTyökokeilu" in page
(False, True)
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import atomic
from .errors import PolkuError
from .graph import Referral, label, nodes_of, path_steps, responsibilities

VIEW_NAMES = ("ecosystem", "segment", "path", "responsibility", "plan", "timeline")
CLUSTER_THRESHOLD = 1500
CLUSTER_BY = ("provider", "region")

# Fill colours: actors and services by organisation kind (a service takes its first
# provider's kind), the other node types by type. Red and amber are kept for findings.
KIND_COLOURS = {
    "wellbeing-county": "#2a9d8f",
    "employment-area": "#3d5a80",
    "municipality": "#588157",
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
TYPE_LABELS = {
    "actor": "Actor",
    "service": "Service",
    "segment": "Segment",
    "need": "Need",
    "outcome": "Outcome",
    "referral": "Referral (as subject)",
    "measure": "Plan measure",
}
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
    physics: bool = True  # False: the nodes carry their own positions (timeline)

    def types(self) -> list[tuple[str, str]]:
        present = {n["ptype"] for n in self.nodes}
        return [(t, TYPE_LABELS.get(t, t)) for t in TYPE_LABELS if t in present]


# ---------------------------------------------------------------------------------------
# Inputs: views, findings, paths

def parse_view(spec: str) -> tuple[str, str | None]:
    """Split ``segment:S`` into ``("segment", "S")``; ``ecosystem`` has no argument.

    >>> parse_view("segment:youth"), parse_view("ecosystem")
    (('segment', 'youth'), ('ecosystem', None))
    """
    name, _, arg = spec.partition(":")
    name = name.strip()
    if name not in VIEW_NAMES:
        raise PolkuError(f"unknown view '{spec}': expected ecosystem, segment:ID, path:ID, "
                         "responsibility, plan or timeline")
    if name in ("segment", "path"):
        if not arg.strip():
            raise PolkuError(f"view '{name}' needs an id: --view {name}:ID")
        return name, arg.strip()
    if arg:
        raise PolkuError(f"view '{name}' takes no argument (got '{spec}')")
    return name, None


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


def _path_node_ids(item: Any) -> list[str]:
    """The node ids of one ranked path, whatever shape the analyses hand it in."""
    if isinstance(item, Mapping):
        for key in ("nodes", "steps", "path"):
            if key in item:
                return _path_node_ids(item[key])
        raise PolkuError(f"a path must list its nodes or steps, got keys {sorted(item)}")
    for attr in ("nodes", "steps"):
        if hasattr(item, attr) and not isinstance(item, (str, bytes)):
            return _path_node_ids(getattr(item, attr))
    ids = []
    for step in item:
        if isinstance(step, str):
            ids.append(step)
        elif isinstance(step, Mapping):
            ids.append(str(step.get("node") or step.get("id") or step.get("service")))
        else:
            ids.append(str(getattr(step, "node", None) or getattr(step, "id")))
    return ids


def _path_wait(item: Any) -> float | None:
    for key in ("total_wait_days", "wait_days", "wait"):
        value = item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
        if isinstance(value, (int, float)):
            return float(value)
    return None


# ---------------------------------------------------------------------------------------
# Graph facts the views show

def reach(g: nx.MultiDiGraph, segment: str, eco: Any = None) -> set[str]:
    """R(segment) as ``docs/findings.md`` defines it (:mod:`polku.reach` walks it;
    pass its ``ecosystem(g)`` index as ``eco`` when the caller already built it).

    The page's segment filter runs the same walk in the browser (``polku-view.js``), so
    that filtering needs no data per segment.
    """
    from .reach import ecosystem, segment_reach

    return segment_reach(eco or ecosystem(g), segment)


def _inflow(refs: Iterable[Any]) -> dict[str, float]:
    flow: dict[str, float] = defaultdict(float)
    for r in refs:
        if r.target and r.volume_per_month:
            flow[r.target] += float(r.volume_per_month)
    return flow


def _fmt(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


def names_text(g: nx.MultiDiGraph, ids: Iterable[str]) -> str:
    return ", ".join(label(g, i) for i in ids)


def _scaled(value: float | None, vmax: float, lo: float, hi: float) -> float:
    if not value or vmax <= 0:
        return lo
    return round(lo + (hi - lo) * math.sqrt(min(value, vmax) / vmax), 1)


def finding_lines(fs: list[dict[str, Any]]) -> list[str]:
    if not fs:
        return []
    lines = ["", "Findings:"]
    for f in fs:
        lines.append(f"• [{f.get('severity', '?')}] {f.get('kind', '')}: {f.get('message', '')}")
    return lines


def _worst(fs: list[dict[str, Any]]) -> str | None:
    sev = {f.get("severity") for f in fs}
    return "error" if "error" in sev else "warning" if "warning" in sev else None


class Facts:
    """Lookups shared by the views, computed once per render."""

    def __init__(self, g: nx.MultiDiGraph, findings: list[dict[str, Any]]) -> None:
        self.g = g
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
        self.waits_in: dict[str, list[float]] = defaultdict(list)
        for r in self.refs:
            if r.target and r.median_wait_days is not None:
                self.waits_in[r.target].append(float(r.median_wait_days))

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

    def tooltip(self, n: str) -> str:
        g, d = self.g, self.g.nodes[n]
        t = d.get("type", "")
        lines = [f"{TYPE_LABELS.get(t, t)}: {label(g, n)}", f"id: {n}"]
        for lang in ("sv", "en"):
            if d.get(f"name_{lang}"):
                lines.append(f"{lang}: {d[f'name_{lang}']}")
        if t == "actor":
            lines.append(f"Kind: {d.get('kind', '–')}")
            if d.get("region"):
                lines.append(f"Region: {d['region']}")
            parent = self.targets(n, "part_of")
            if parent:
                lines.append(f"Part of: {names_text(g, parent)}")
            provided = self.targets(n, "provides")
            lines.append(f"Provides {len(provided)} service(s)")
        elif t == "service":
            prov = self.providers.get(n) or []
            lines.append(f"Provider: {names_text(g, prov) if prov else '– (none)'}")
            cap = d.get("capacity_per_month")
            lines.append(f"Capacity: {_fmt(cap) + ' / month' if cap is not None else '–'}")
            inflow = self.inflow.get(n)
            if inflow:
                util = f" ({inflow / cap:.0%} of capacity)" if cap else ""
                lines.append(f"Inflow: {_fmt(inflow)} / month{util}")
            waits = self.waits_in.get(n)
            if waits:
                lo, hi = min(waits), max(waits)
                span = _fmt(lo) if lo == hi else f"{_fmt(lo)}–{_fmt(hi)}"
                lines.append(f"Wait to get in: {span} days (median of incoming referrals)")
            segs = self.targets(n, "for_segment")
            lines.append(f"For segments: {names_text(g, segs) if segs else 'all'}")
            needs = self.targets(n, "addresses")
            if needs:
                lines.append(f"Addresses: {names_text(g, needs)}")
            if d.get("entry"):
                lines.append("Entry point: yes")
            for key, name in (("method", "Method"), ("legal_basis", "Legal basis")):
                if d.get(key):
                    lines.append(f"{name}: {d[key]}")
        elif t == "segment":
            if d.get("size") is not None:
                lines.append(f"Size: {_fmt(d['size'])} people")
            if d.get("participation_rate") is not None:
                lines.append(f"In work: {float(d['participation_rate']):.0%}")
            needs = self.targets(n, "has_need")
            if needs:
                lines.append(f"Needs: {names_text(g, needs)}")
            entries = self.targets(n, "entry")
            if entries:
                lines.append(f"Entries: {names_text(g, entries)}")
        elif t == "need":
            if d.get("factor"):
                lines.append(f"Factor: {d['factor']}")
        elif t == "referral":
            lines[1:1] = self._referral_lines(n)[1:]
        if d.get("description"):
            lines.append(f"{d['description']}")
        lines += finding_lines(self.findings.get(n, []))
        return "\n".join(lines)

    def _referral_lines(self, rid: str) -> list[str]:
        g, d = self.g, self.g.nodes[rid]
        src = self.targets(rid, "from")
        dst = self.targets(rid, "to")
        owner = self.targets(rid, "owner")
        segs = self.targets(rid, "for_segment")
        vol = d.get("volume_per_month")
        wait = d.get("median_wait_days")
        return [
            f"Referral {rid}",
            f"{names_text(g, src)} → {names_text(g, dst)}",
            f"Volume: {_fmt(vol) + ' / month' if vol is not None else '–'}",
            f"Median wait: {_fmt(wait) + ' days' if wait is not None else '–'}",
            f"Owner: {names_text(g, owner) if owner else '– (none)'}",
            f"Information flow: {d.get('information_flow', 'unknown')}",
            f"Segments: {names_text(g, segs) if segs else 'all'}",
        ]

    def referral_tooltip(self, rid: str) -> str:
        return "\n".join(self._referral_lines(rid)
                         + finding_lines(self.findings.get(rid, [])))

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
            "id": n, "gid": n, "label": label(self.g, n), "ptype": t,
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
            "width": _scaled(r.volume_per_month, width_max, 1.0, 8.0),
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


def _plain_edge(i: int, u: str, v: str, kind: str, **extra: Any) -> dict[str, Any]:
    edge = {"id": f"e{i}", "from": u, "to": v, "kind": kind, "arrows": "to", "width": 1,
            "color": {"color": EDGE_COLOURS.get(kind, "#b7bcc4"), "opacity": 0.8}}
    edge.update(extra)
    return edge


def _spread_parallel(edges: list[dict[str, Any]]) -> None:
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


def _kind_legend(nodes: list[dict[str, Any]], g: nx.MultiDiGraph) -> list[dict]:
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
    items = [{"item": "heading", "label": "Colour: organisation kind (service: its provider)"}]
    items += [legend_node(k, "dot", KIND_COLOURS[k]) for k in KIND_COLOURS if k in kinds]
    if no_provider:
        items.append(legend_node("no provider", "dot", NO_PROVIDER_COLOUR))
    return items


def _shape_legend(nodes: list[dict[str, Any]]) -> list[dict]:
    present = {n["ptype"] for n in nodes}
    items = [{"item": "heading", "label": "Shape: node type"}]
    for t in TYPE_LABELS:
        if t in present:
            colour = TYPE_COLOURS.get(t, "#9aa0a8") if t not in ("actor", "service") else "#9aa0a8"
            items.append(legend_node(TYPE_LABELS[t], TYPE_SHAPES[t], colour))
    return items


def _finding_legend() -> list[dict]:
    return [
        {"item": "heading", "label": "Findings"},
        legend_node("error (red ring / red edge)", "dot", "#ffffff", SEVERITY_COLOURS["error"]),
        legend_node("warning (amber ring / amber edge)", "dot", "#ffffff",
                     SEVERITY_COLOURS["warning"]),
    ]


def _referral_legend() -> list[dict]:
    return [
        {"item": "heading", "label": "Referrals (width = clients / month)"},
        legend_edge("information travels", EDGE_COLOURS["referral"], 2.5),
        legend_edge("information does not travel", EDGE_COLOURS["referral"], 2.5, DASHES_NO),
        legend_edge("information flow unknown", EDGE_COLOURS["referral"], 2.5, DASHES_UNKNOWN),
    ]


# ---------------------------------------------------------------------------------------
# Views

def _ecosystem(g: nx.MultiDiGraph, facts: Facts, *, cluster_threshold: int,
               cluster_by: str) -> View:
    shown = ("actor", "service", "segment", "need", "outcome")
    ids = [n for t in shown for n in nodes_of(g, t)]
    idset = set(ids)
    cap_max = max((float(g.nodes[s].get("capacity_per_month") or facts.inflow.get(s) or 0)
                   for s in nodes_of(g, "service")), default=0.0)
    size_max = max((float(g.nodes[s].get("size") or 0) for s in nodes_of(g, "segment")),
                   default=0.0)
    prov_max = max((len(facts.targets(a, "provides")) for a in nodes_of(g, "actor")), default=0)
    big = len(ids) > cluster_threshold

    nodes = []
    for n in ids:
        d = g.nodes[n]
        t = d["type"]
        extra: dict[str, Any] = {}
        if t == "service":
            value = d.get("capacity_per_month") or facts.inflow.get(n)
            size = _scaled(value, cap_max, 12, 42)
            extra["segs"] = facts.targets(n, "for_segment")
            if d.get("entry"):
                extra["entry"] = True
        elif t == "segment":
            size = _scaled(d.get("size"), size_max, 16, 36)
        elif t == "actor":
            size = _scaled(len(facts.targets(n, "provides")), prov_max, 14, 32)
        else:
            size = 16
        nodes.append(facts.node(n, size=size, **extra))

    edges: list[dict[str, Any]] = []
    vol_max = max((float(r.volume_per_month or 0) for r in facts.refs), default=0.0)
    for r in facts.refs:
        if r.source in idset and r.target in idset:
            edges.append(facts.referral_edge(r, width_max=vol_max))
    plain = (("provides", "provides"), ("entry", "entry"), ("has_need", "has_need"),
             ("addresses", "addresses"), ("part_of", "part_of"))
    if big:
        # Thousands of service → need edges make a hairball and slow the layout; each
        # service's tooltip still lists the needs it addresses.
        plain = tuple(p for p in plain if p[0] != "addresses")
    i = 0
    for u, v, kind in g.edges(data="kind"):
        if kind in dict(plain) and u in idset and v in idset:
            extra = {}
            if kind in ("has_need", "addresses"):
                extra = {"width": 0.8, "arrows": ""}
                if big:
                    # Forty needs shared by hundreds of segments would pull every segment
                    # into one knot; drawn, but without a spring.
                    extra["physics"] = False
            edges.append(_plain_edge(i, u, v, kind, **extra))
            i += 1
    _spread_parallel(edges)

    cluster = None
    if big:
        cluster = _clusters(g, nodes, facts, cluster_by)
    legend = (_shape_legend(nodes) + _kind_legend(nodes, g) + _referral_legend() + [
        {"item": "heading", "label": "Other edges"},
        legend_edge("provides (actor → service)", EDGE_COLOURS["provides"], 1.5),
        legend_edge("entry (segment → first service)", EDGE_COLOURS["entry"], 1.5),
        legend_edge("need (segment / service → need)", EDGE_COLOURS["has_need"], 1.5),
        legend_edge("part of (unit → parent)", EDGE_COLOURS["part_of"], 1.5),
        {"item": "heading", "label": "Size"},
        {"item": "text", "label": "service: capacity (or inflow) · segment: people · "
                                  "actor: services provided"},
    ] + _finding_legend())
    if cluster:
        legend += [{"item": "heading", "label": "Clusters"},
                   legend_node(f"a {cluster_by} with its services (click to open)", "dot",
                                "#e9ecef", "#343a40", "3 2")]
    nseg = len(nodes_of(g, "segment"))
    return View(
        kind="ecosystem", title=f"Ecosystem · {g.graph.get('name', 'graph')}",
        subtitle=(f"{len(nodes_of(g, 'actor'))} actors · {len(nodes_of(g, 'service'))} services "
                  f"· {nseg} segments · {len(facts.refs)} referrals"),
        nodes=nodes, edges=edges, legend=legend,
        segments=[(s, label(g, s)) for s in nodes_of(g, "segment")], cluster=cluster,
    )


def _clusters(g: nx.MultiDiGraph, nodes: list[dict[str, Any]], facts: Facts,
              cluster_by: str) -> dict[str, Any]:
    """Tag each service, each providing actor and each segment with the group it collapses
    into: a service goes with its first provider (or that provider's region), a segment
    with the group of its first entry service, so that a national picture starts as one
    node per provider (or region) and opens where a designer clicks."""
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str, name: str, colour: str) -> dict[str, Any]:
        return groups.setdefault(key, {"id": f"cluster:{key}", "label": name, "colour": colour,
                                       "service": 0, "actor": 0, "segment": 0,
                                       "errors": 0, "warnings": 0, "sev": None})

    for node in nodes:
        n = node["gid"]
        if node["ptype"] == "service":
            prov = facts.providers.get(n) or []
            owner = prov[0] if prov else None
        elif node["ptype"] == "actor" and facts.targets(n, "provides"):
            owner = n
        else:
            continue
        if owner is None:
            key, name, colour = "none", "(no provider)", NO_PROVIDER_COLOUR
        elif cluster_by == "region":
            region = str(g.nodes[owner].get("region") or "(no region)")
            key, name, colour = f"region:{region}", region, "#ced4da"
        else:
            key, name = f"actor:{owner}", label(g, owner)
            colour = facts.kind_colour(owner)
        node["cid"] = key
        grp = group(key, name, colour)
        grp[node["ptype"]] += 1
        if node.get("sev"):
            grp["errors" if node["sev"] == "error" else "warnings"] += 1
            # The ring speaks for the services and actors inside, not for the segments.
            if node["sev"] == "error" or not grp["sev"]:
                grp["sev"] = node["sev"]
    by_gid = {node["gid"]: node for node in nodes}
    for node in nodes:
        if node["ptype"] == "segment":
            entries = [by_gid[e] for e in facts.targets(node["gid"], "entry")
                       if e in by_gid and by_gid[e].get("cid")]
            if entries:
                node["cid"] = entries[0]["cid"]
                groups[node["cid"]]["segment"] += 1
    for grp in groups.values():
        parts = [f"{grp[t]} {t}(s)" for t in ("service", "actor", "segment") if grp[t]]
        marks = [f"{grp[t]} with {t[:-1]}s" for t in ("errors", "warnings") if grp[t]]
        grp["title"] = (f"Cluster: {grp['label']}\n" + ", ".join(parts)
                        + (f"\nFindings: {', '.join(marks)}" if marks else "")
                        + "\nClick to open")
        grp["services"] = grp["service"]
    return {"by": cluster_by, "groups": groups}


def _segment(g: nx.MultiDiGraph, facts: Facts, segment: str, paths: Sequence[Any] | None,
             k: int, eco: Any = None) -> View:
    if g.nodes.get(segment, {}).get("type") != "segment":
        raise PolkuError("no such segment", node=segment)
    r = reach(g, segment, eco)
    entries = facts.targets(segment, "entry")
    needs = facts.targets(segment, "has_need")
    unmet = {rel for f in facts.findings.get(segment, []) if f.get("kind") == "unmet-need"
             for rel in f.get("related", [])}
    # Column (level) of each node: breadth-first distance from the entries over the
    # referrals that apply to the segment; outcomes all go to the right-hand column.
    out_refs = defaultdict(list)
    for ref in facts.refs:
        if ref.source in r and ref.target in r and (not ref.segments or segment in ref.segments):
            out_refs[ref.source].append(ref)
    level = {e: 2 for e in entries}
    todo = deque(entries)
    while todo:
        n = todo.popleft()
        for ref in out_refs[n]:
            if ref.target not in level:
                level[ref.target] = level[n] + 1
                todo.append(ref.target)
    svc_max = max((lv for n, lv in level.items() if g.nodes[n]["type"] != "outcome"), default=2)
    cap_max = max((float(g.nodes[s].get("capacity_per_month") or 0) for s in r), default=0.0)

    ranked = [(_path_node_ids(p), _path_wait(p)) for p in (paths or [])][:k]
    on_path: dict[tuple[str, str], int] = {}
    node_paths: dict[str, list[int]] = defaultdict(list)
    for i, (ids, _) in enumerate(ranked):
        for a, b in zip(ids, ids[1:]):
            on_path.setdefault((a, b), i)
        for n in ids:
            node_paths[n].append(i)

    nodes = [facts.node(segment, level=1, size=26, segs=[segment])]
    for n in sorted(r):
        t = g.nodes[n]["type"]
        lv = svc_max + 1 if t == "outcome" else level.get(n, svc_max)
        extra: dict[str, Any] = {"level": lv, "segs": [segment]}
        if n in node_paths:
            extra["onpath"] = node_paths[n]
        cap = g.nodes[n].get("capacity_per_month")
        node = facts.node(n, size=_scaled(cap, cap_max, 12, 28) if t == "service" else 20,
                          **extra)
        if n in node_paths and not node.get("sev"):
            best = min(node_paths[n])
            node["color"]["border"] = PATH_COLOURS[best % len(PATH_COLOURS)]
            node["borderWidth"] = 3.5
        if n in node_paths:
            node["title"] += "\n\nOn best path(s): " + ", ".join(
                f"#{i + 1}" for i in node_paths[n])
        nodes.append(node)
    for need in needs:
        node = facts.node(need, level=0, size=16, segs=[segment])
        if need in unmet:
            node["color"] = {"background": UNMET_COLOUR, "border": "#7f1d1d",
                             "highlight": {"background": UNMET_COLOUR, "border": "#111111"}}
            node["borderWidth"] = 2
            node["unmet"] = True
            node["title"] += "\n\nUnmet: no service this segment can reach addresses it."
            node["font"] = {"color": "#9b1c1c"}
        nodes.append(node)

    edges: list[dict[str, Any]] = []
    vol_max = max((float(ref.volume_per_month or 0) for refs in out_refs.values()
                   for ref in refs), default=0.0)
    for refs in out_refs.values():
        for ref in refs:
            idx = on_path.get((ref.source, ref.target))
            edge = facts.referral_edge(ref, width_max=vol_max)
            if idx is not None:
                # The path's colour wins; a finding on the hand-off shows as ⚠ and in the
                # tooltip, so the k paths stay readable as paths.
                colour = PATH_COLOURS[idx % len(PATH_COLOURS)]
                edge["color"] = {"color": colour, "highlight": "#111111", "opacity": 1}
                edge["width"] = max(edge["width"], 5.0 if idx == 0 else 3.5)
                edge["label"] = f"#{idx + 1}" + (" ⚠" if edge.get("sev") else "")
                edge["font"] = {"color": colour, "strokeWidth": 3, "size": 13, "align": "top"}
                edge["onpath"] = idx
                edge["title"] += f"\n\nOn best path #{idx + 1}"
            else:
                edge["color"]["opacity"] = 0.55
            edges.append(edge)
    for i, e in enumerate(entries):
        edges.append(_plain_edge(i, segment, e, "entry", width=2.5))
    for i, need in enumerate(needs):
        edges.append(_plain_edge(len(entries) + i, need, segment, "has_need", arrows="",
                                 width=1.5, color={"color": UNMET_COLOUR if need in unmet
                                                   else EDGE_COLOURS["has_need"]}))
    _spread_parallel(edges)

    legend: list[dict] = []
    if ranked:
        legend.append({"item": "heading", "label": f"Best paths (k = {len(ranked)})"})
        for i, (ids, wait) in enumerate(ranked):
            text = f"#{i + 1}: {len(ids)} steps"
            if wait is not None:
                text += f", {_fmt(wait)} days' wait"
            legend.append(legend_edge(text, PATH_COLOURS[i % len(PATH_COLOURS)], 4))
    legend += [{"item": "heading", "label": "Needs of the segment"},
               legend_node("need met by a reachable service", "triangle",
                            TYPE_COLOURS["need"]),
               legend_node("unmet need", "triangle", UNMET_COLOUR, "#7f1d1d")]
    legend += _shape_legend(nodes) + _kind_legend(nodes, g) + _referral_legend() + [
        {"item": "heading", "label": "Layout"},
        {"item": "text", "label": "left to right: needs → segment → entries → … → outcomes"},
    ] + _finding_legend()
    n_out = sum(1 for n in r if g.nodes[n]["type"] == "outcome")
    return View(
        kind="segment", title=f"Segment · {label(g, segment)}",
        subtitle=(f"reaches {len(r) - n_out} services and {n_out} outcomes · "
                  f"{len(needs)} needs, {len(unmet & set(needs))} unmet"),
        nodes=nodes, edges=edges, legend=legend, segments=[(segment, label(g, segment))],
        hierarchical=True,
    )


def _path(g: nx.MultiDiGraph, facts: Facts, path: str) -> View:
    if g.nodes.get(path, {}).get("type") != "path":
        raise PolkuError("no such designed path", node=path)
    steps = path_steps(g, path)
    seg = facts.targets(path, "path_segment")
    segment = seg[0] if seg else None
    broken = {}
    for f in facts.findings.get(path, []):
        if f.get("kind") == "path-broken":
            rel = list(f.get("related", []))
            broken[tuple(rel)] = f
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    step_ids = []
    seen: set[str] = set()
    for i, n in enumerate(steps, start=1):
        vid = n if n not in seen else f"{n}#{i}"
        seen.add(n)
        step_ids.append(vid)
        node = facts.node(n, level=i + 1, size=22, segs=[segment] if segment else [])
        node["id"] = vid
        node["label"] = f"{i}. {label(g, n)}"
        prov = facts.providers.get(n)
        if prov:
            node["label"] += f"\n({names_text(g, prov)})"
        node["title"] = f"Step {i} of {len(steps)}\n" + node["title"]
        nodes.append(node)
    if segment:
        nodes.insert(0, facts.node(segment, level=1, size=26, segs=[segment]))
        if step_ids:
            edges.append(_plain_edge(0, segment, step_ids[0], "entry", width=2.5))
    vol_max = max((float(r.volume_per_month or 0) for r in facts.refs), default=0.0)
    n_broken = 0
    for i in range(len(steps) - 1):
        a, b = steps[i], steps[i + 1]
        refs = [r for r in facts.refs if r.source == a and r.target == b
                and (not r.segments or segment in r.segments)]
        finding = broken.get(tuple(sorted((a, b)))) or broken.get((a, b))
        for r in refs:
            edge = facts.referral_edge(r, width_max=vol_max)
            edge.update({"id": f"ref:{r.id}:{i}", "from": step_ids[i], "to": step_ids[i + 1]})
            edges.append(edge)
        if not refs or finding:
            n_broken += 1
            why = (finding or {}).get("message") or (
                f"No referral from {label(g, a)} to {label(g, b)} applies to this path's segment")
            edges.append({
                "id": f"broken:{i}", "from": step_ids[i], "to": step_ids[i + 1],
                "kind": "broken", "arrows": "to", "width": 4, "dashes": [4, 4],
                "color": {"color": SEVERITY_COLOURS["error"], "highlight": "#111111"},
                "label": "✕ broken", "font": {"color": SEVERITY_COLOURS["error"],
                                             "strokeWidth": 3, "size": 14, "align": "top"},
                "title": f"Broken step {i + 1} → {i + 2}\n{why}",
            })
            for vid in (step_ids[i], step_ids[i + 1]):
                for node in nodes:
                    if node["id"] == vid:
                        node["broken"] = True
    _spread_parallel(edges)
    legend = [
        {"item": "heading", "label": "Steps"},
        {"item": "text", "label": "left to right: segment → step 1 → step 2 → …"},
        legend_edge("broken step: no referral for this segment", SEVERITY_COLOURS["error"], 4,
                     [4, 4]),
    ] + _referral_legend() + _shape_legend(nodes) + _kind_legend(nodes, g) + _finding_legend()
    return View(
        kind="path", title=f"Designed path · {label(g, path)}",
        subtitle=(f"for {label(g, segment) if segment else 'no segment'} · {len(steps)} steps · "
                  f"{n_broken} broken"),
        nodes=nodes, edges=edges, legend=legend,
        segments=[(segment, label(g, segment))] if segment else [], hierarchical=True,
    )


def _responsibility(g: nx.MultiDiGraph, facts: Facts) -> View:
    """Actors and what they answer for. Subjects with nobody in charge or several leads
    are marked from the findings (:func:`polku.raci.marks`), so this view, the RACI matrix
    and the report count the same subjects; a subject marked so is shown even if no
    responsibility row names it."""
    from polku.raci import marks

    rows = responsibilities(g)
    leads: dict[str, set[str]] = defaultdict(set)
    subjects: list[str] = []
    for r in rows:
        if r.subject not in leads:
            subjects.append(r.subject)
            leads[r.subject]  # noqa: B018 - registers the subject with no lead yet
        if r.role == "lead":
            leads[r.subject].add(r.actor)
    marked = {s: m for s, m in marks(f for fs in facts.findings.values() for f in fs).items()
              if s in g and m in ("no-lead", "several-leads")}
    subjects += sorted(s for s in marked if s not in leads)
    actors = sorted({r.actor for r in rows})
    # Rings here speak of responsibility only; every finding is still in the tooltip.
    ring = ("no-lead", "multiple-leads", "referral-without-owner", "segment-without-lead")
    nodes = [facts.node(a, size=20, ring_kinds=ring) for a in actors]
    for s in subjects:
        t = g.nodes[s].get("type")
        segs = ([s] if t == "segment" else facts.targets(s, "for_segment")
                if t in ("service", "referral") else [])
        if t == "referral":
            node = facts.node(s, size=10, segs=segs, ring_kinds=ring)
            src, dst = facts.targets(s, "from"), facts.targets(s, "to")
            node["label"] = f"{names_text(g, src)} → {names_text(g, dst)}"
            node["title"] = facts.referral_tooltip(s)
        else:
            node = facts.node(s, size=16, segs=segs, ring_kinds=ring)
        mark = marked.get(s)
        if mark:
            text = "no lead" if mark == "no-lead" else f"{len(leads[s])} leads"
            node["resp"] = "none" if mark == "no-lead" else "many"
            node["color"]["border"] = SEVERITY_COLOURS["error" if mark == "no-lead" else "warning"]
            node["borderWidth"] = 5
            node["label"] += f"\n⚠ {text}"
            node["title"] += f"\n\nResponsibility: {text}" + (
                f" ({names_text(g, sorted(leads[s]))})" if mark != "no-lead" else "")
        nodes.append(node)
    edges = []
    for i, r in enumerate(rows):
        width, dashes, colour = ROLE_STYLES.get(r.role, (1, False, "#999999"))
        title = f"{label(g, r.actor)} — {r.role} — {label(g, r.subject)}"
        if r.note:
            title += f"\nNote: {r.note}"
        edges.append({"id": f"resp{i}", "from": r.actor, "to": r.subject, "kind": r.role,
                      "arrows": "to", "width": width, "dashes": dashes,
                      "color": {"color": colour, "highlight": "#111111"}, "title": title})
    legend = [{"item": "heading", "label": "Roles"}] + [
        legend_edge(role, colour, width, dashes)
        for role, (width, dashes, colour) in ROLE_STYLES.items()] + [
        {"item": "heading", "label": "Subjects"},
        legend_node("no lead", "dot", "#ffffff", SEVERITY_COLOURS["error"]),
        legend_node("several leads", "dot", "#ffffff", SEVERITY_COLOURS["warning"]),
    ] + _shape_legend(nodes) + _kind_legend(nodes, g)
    no_lead = sum(1 for m in marked.values() if m == "no-lead")
    many = sum(1 for m in marked.values() if m == "several-leads")
    return View(
        kind="responsibility", title=f"Responsibilities · {g.graph.get('name', 'graph')}",
        subtitle=(f"{len(actors)} actors · {len(subjects)} subjects · {no_lead} with no lead · "
                  f"{many} with several leads"),
        nodes=nodes, edges=edges, legend=legend,
        segments=[(s, label(g, s)) for s in nodes_of(g, "segment")],
    )


def _focus(view: View, g: nx.MultiDiGraph, focus: str, depth: int) -> None:
    """Keep only what lies within ``depth`` steps of ``focus`` (edges in both directions)."""
    if depth < 0:
        raise PolkuError(f"--depth must be 0 or more, got {depth}")
    by_gid: dict[str, list[str]] = defaultdict(list)
    for n in view.nodes:
        by_gid[n["gid"]].append(n["id"])
    start = list(by_gid.get(focus, []))
    if not start and g.nodes.get(focus, {}).get("type") == "referral":
        start = [v for e in view.edges if e.get("rid") == focus for v in (e["from"], e["to"])]
    if not start:
        if focus in g:
            raise PolkuError(f"node is not shown in the {view.kind} view", node=focus)
        raise PolkuError("no such node in the graph", node=focus)
    adj: dict[str, set[str]] = defaultdict(set)
    for e in view.edges:
        adj[e["from"]].add(e["to"])
        adj[e["to"]].add(e["from"])
    dist = {s: 0 for s in start}
    todo = deque(start)
    while todo:
        n = todo.popleft()
        if dist[n] >= depth:
            continue
        for m in adj[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                todo.append(m)
    total = len(view.nodes)
    view.nodes = [n for n in view.nodes if n["id"] in dist]
    view.edges = [e for e in view.edges if e["from"] in dist and e["to"] in dist]
    for n in view.nodes:
        if n["id"] in start:
            n["focus"] = True
            n["size"] = max(float(n.get("size") or 14), 36.0)
            n["font"] = {"size": 21, "color": "#111111", "strokeWidth": 5}
            n["widthConstraint"] = {"maximum": 280}
            if not n.get("sev"):
                n["color"]["border"] = "#111111"
                n["borderWidth"] = 4
    view.title += f" · around {label(g, focus)}"
    view.legend[:0] = [{"item": "heading", "label": "Focus"},
                       {"item": "text", "label": f"{label(g, focus)} (large, dark ring) and what "
                                                 f"lies within {depth} step(s) of it"}]
    view.subtitle = (f"{len(view.nodes)} of {total} nodes within {depth} step(s) of "
                     f"{label(g, focus)}")


def build_view(g: nx.MultiDiGraph, view: str, *, findings: Any = None,
               paths: Sequence[Any] | None = None, k: int = 5, focus: str | None = None,
               depth: int = 1, cluster_threshold: int = CLUSTER_THRESHOLD,
               cluster_by: str = "provider", eco: Any = None) -> View:
    """The nodes, edges and legend of one view (see the module doc for the views).

    ``eco``: the :func:`polku.reach.ecosystem` index of ``g``, when the caller has it
    (the report draws several segment views of one graph).

    ``findings``: the analyses' findings (list of dicts in the shape of
    ``docs/findings.md``, or the whole ``{"findings": [...]}`` document);
    ``paths``: the segment view's ranked best paths (each a list of node ids, or a dict
    with ``nodes``/``steps``), best first, of which the first ``k`` are highlighted.
    """
    name, arg = parse_view(view)
    if cluster_by not in CLUSTER_BY:
        raise PolkuError(f"unknown --cluster-by '{cluster_by}': expected provider or region")
    facts = Facts(g, finding_list(findings))
    if name == "ecosystem":
        v = _ecosystem(g, facts, cluster_threshold=cluster_threshold, cluster_by=cluster_by)
    elif name == "segment":
        v = _segment(g, facts, str(arg), paths, k, eco)
    elif name == "path":
        v = _path(g, facts, str(arg))
    elif name == "responsibility":
        v = _responsibility(g, facts)
    else:
        from .plan_views import plan_view, timeline_view

        v = (plan_view if name == "plan" else timeline_view)(g, facts)
    if focus is not None:
        _focus(v, g, focus, depth)
        if v.cluster and len(v.nodes) <= cluster_threshold:
            v.cluster = None
    return v


# ---------------------------------------------------------------------------------------
# HTML

def _vis_options(view: View) -> dict[str, Any]:
    """vis-network options, built with pyvis's options model where it has one."""
    from pyvis.network import Network

    net = Network(directed=True, layout=view.hierarchical)
    big = len(view.nodes) > 600 or view.cluster is not None
    # What the browser lays out: a closed cluster is one node.
    drawn = len(view.nodes)
    if view.cluster:
        drawn = len(view.cluster["groups"]) + sum(1 for n in view.nodes if not n.get("cid"))
    if view.hierarchical:
        net.options.layout.hierarchical.enabled = True
        net.options.layout.hierarchical.levelSeparation = 260
        net.options.layout.hierarchical.sortMethod = "directed"
        net.options.layout.hierarchical.direction = "LR"  # type: ignore[attr-defined]
        net.options.layout.hierarchical.nodeSpacing = 115  # type: ignore[attr-defined]
        net.options.layout.hierarchical.shakeTowards = "roots"  # type: ignore[attr-defined]
        net.toggle_physics(False)
        net.set_edge_smooth("cubicBezier")
    elif not view.physics:
        net.toggle_physics(False)
    else:
        net.force_atlas_2based(gravity=-80 if not big else -60, central_gravity=0.01,
                               spring_length=120 if not big else 110, spring_strength=0.05,
                               damping=0.5, overlap=0.3 if not big else 0.2)
        # Layout time grows with nodes × iterations; fewer, coarser steps for big pictures.
        net.options.physics.stabilization.iterations = (
            350 if drawn < 600 and not view.cluster else 200 if drawn < 1200 else 120)
        net.options.physics.stabilization.updateInterval = 25
        net.set_edge_smooth("continuous")
    options = json.loads(net.options.to_json())
    if view.hierarchical:
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier",
                                      "forceDirection": "horizontal", "roundness": 0.45}
    elif big:
        options["edges"]["smooth"] = False
        options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    else:
        options["layout"] = {"improvedLayout": True, "randomSeed": 7}
    options["edges"]["color"] = {"inherit": False}
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.55}}
    options["edges"]["selectionWidth"] = 2
    options["nodes"] = {
        "font": {"size": 17, "face": "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
                 "color": "#1f2933", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "widthConstraint": {"maximum": 170},
        "shadow": {"enabled": not big, "size": 6, "x": 1, "y": 2, "color": "rgba(0,0,0,0.18)"},
    }
    options["interaction"].update({"hover": True, "tooltipDelay": 120,
                                   "navigationButtons": False, "keyboard": False,
                                   "hideEdgesOnDrag": big, "hideEdgesOnZoom": big})
    return options


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style from the copy pyvis ships, ready to inline."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-9.*/vis-network.min.js"), reverse=True)
    if not candidates:
        raise PolkuError("pyvis's copy of vis-network is missing", file=str(lib))
    js = candidates[0].read_text(encoding="utf-8")
    css = (candidates[0].parent / "vis-network.css").read_text(encoding="utf-8")
    # The source map would be fetched by developer tools; nothing may be fetched.
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", css)
    return _inline_safe(js, "script"), _inline_safe(css, "style")


def _inline_safe(text: str, tag: str) -> str:
    """Text that can sit inside <script>/<style> without closing it early."""
    return re.sub(rf"</(?={tag})", r"<\\/", text, flags=re.IGNORECASE)


def _asset(name: str) -> str:
    return resources.files("polku").joinpath("templates", name).read_text(encoding="utf-8")


def json_for_html(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script type="application/json">`` element:
    no ``<``, ``>`` or ``&`` survive, so ``</script>`` and ``<!--`` cannot appear.

    >>> json_for_html({"label": "</script><!--"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("polku", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)


def _payload(view: View) -> dict[str, Any]:
    return {
        "kind": view.kind,
        "nodes": view.nodes,
        "edges": view.edges,
        "options": _vis_options(view),
        "types": view.types(),
        "segments": view.segments,
        "cluster": view.cluster,
        "hierarchical": view.hierarchical,
        "physics": view.physics and not view.hierarchical,
    }


def page_assets() -> Markup:
    """The ``<style>`` and ``<script>`` elements every view needs, for a page's ``<head>``;
    a report that embeds several views as fragments includes them once."""
    js, css = _vis_assets()
    own_css = _inline_safe(_asset("polku-view.css"), "style")
    own_js = _inline_safe(_asset("polku-view.js"), "script")
    return Markup(f"<style>{css}</style>\n<style>{own_css}</style>\n"
                  f"<script>{js}</script>\n<script>{own_js}</script>")


def render_fragment(g: nx.MultiDiGraph, view: str, *, element_id: str = "polku-view",
                    height: str = "100%", **kwargs: Any) -> Markup:
    """One view as an HTML fragment (``<section>`` with its data and start-up script) for
    a page that already has :func:`page_assets` in its head. ``element_id`` must be unique
    on the page. Keyword arguments as for :func:`build_view`."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", element_id):
        raise PolkuError(f"element id '{element_id}' must be letters, digits, - and _")
    v = build_view(g, view, **kwargs)
    return _fragment(v, element_id, height)


def _fragment(v: View, element_id: str, height: str) -> Markup:
    tpl = _env().get_template("view.html")
    return Markup(tpl.render(view=v, element_id=element_id, height=height,
                             data=Markup(json_for_html(_payload(v)))))


def render_html(g: nx.MultiDiGraph, view: str, **kwargs: Any) -> str:
    """One view as a complete, self-contained HTML page. Keyword arguments as for
    :func:`build_view`."""
    v = build_view(g, view, **kwargs)
    page = _env().get_template("page.html")
    return page.render(view=v, assets=page_assets(), fragment=_fragment(v, "polku-view", "100%"))


def iframe(html: str, *, title: str = "polku view", height: str = "640px") -> Markup:
    """Embed a page from :func:`render_html` in another page as ``<iframe srcdoc>``; the
    page is attribute-escaped whole, so it stays as safe as it was."""
    return Markup('<iframe class="polku-view-frame" title="{}" sandbox="allow-scripts" '
                  'style="width:100%;height:{};border:1px solid #d0d7de;border-radius:8px" '
                  'srcdoc="{}"></iframe>').format(title, height, html)


def analysed(g: nx.MultiDiGraph, view: str, *, k: int = 5,
             long_wait_days: float | None = None) -> dict[str, Any]:
    """The analyses a view shows, run on ``g``: ``findings`` always, and for a segment view
    its ``k`` best paths. Pass the result on to :func:`render_html` as keyword arguments."""
    from .findings import LONG_WAIT_DAYS, find

    name, arg = parse_view(view)
    out: dict[str, Any] = {"findings": find(g, long_wait_days=long_wait_days or LONG_WAIT_DAYS)}
    if name == "segment":
        out["paths"] = _best_paths(g, str(arg), k)
        out["k"] = k
    return out


def _best_paths(g: nx.MultiDiGraph, segment: str, k: int) -> list[dict[str, Any]]:
    from .paths import best_paths

    return best_paths(g, segment, k=k)


def write_view(g: nx.MultiDiGraph, view: str, out: str | Path, **kwargs: Any) -> Path:
    """Render one view to ``out`` (written atomically) and return the path."""
    html = render_html(g, view, **kwargs)
    atomic.write_text(out, html)
    return Path(out)


__all__ = [
    "View", "analysed", "build_view", "render_html", "render_fragment", "page_assets", "iframe",
    "write_view", "parse_view", "json_for_html", "reach",
]
