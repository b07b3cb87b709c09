"""Exchange formats out: GraphML and GEXF (Gephi, yEd, Cytoscape), neo4j-admin CSV, Mermaid.

These go to other people, so the CLI hands them a graph that :func:`polku.privacy.suppress`
has already stripped of small cells. Every node carries ``label`` (its name), ``type`` and
its attributes; lists become ``;``-joined text in GraphML and GEXF (they hold scalars only)
and ``string[]`` columns in CSV; numbers are written as numbers so a reader can size and
colour by them. Every write is atomic.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx

from polku.io import atomic
from polku.errors import PolkuError
from polku.graph import label

#: CSV relationship types and node labels, as polku's Neo4j store names them
NODE_LABELS = {t: "".join(p.capitalize() for p in t.split("_")) for t in (
    "actor", "service", "outcome", "need", "segment", "referral", "path", "goal", "measure",
    "indicator", "risk")}


def _scalar(value: object) -> object:
    """A value a GraphML/GEXF attribute can hold: numbers as floats (one type per
    attribute, whether a cell said 20 or 20.5), lists as ``;``-joined text."""
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with scalar attributes only, ``label`` on every node and edge, and the
    graph's own attributes as text: what GraphML and GEXF writers accept."""
    out = nx.MultiDiGraph()
    for k, v in g.graph.items():
        if k == "extra":
            continue
        out.graph[k] = _scalar(v) if not isinstance(v, bool) else str(v).lower()
    for node, data in g.nodes(data=True):
        attrs: dict[str, object] = {"label": label(g, node)}
        for k, v in data.items():
            if k == "extra":
                attrs.update({f"extra_{c}": str(x) for c, x in v.items()})
            else:
                attrs[k] = _scalar(v)
        out.add_node(node, **attrs)
    for u, v, key, data in g.edges(keys=True, data=True):
        attrs = {"label": data["kind"]}
        for k, x in data.items():
            if k == "extra":
                attrs.update({f"extra_{c}": str(y) for c, y in x.items()})
            else:
                attrs[k] = _scalar(x)
        out.add_edge(u, v, key=key, **attrs)
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML with typed ``<key>``s (yEd, Cytoscape and Gephi read it)."""
    buf = io.BytesIO()
    nx.write_graphml(flat(g), buf, encoding="utf-8", prettyprint=True)
    atomic.write_bytes(path, buf.getvalue())


def write_gexf(g: nx.MultiDiGraph, path: str | Path) -> None:
    """GEXF 1.2 (Gephi's own format)."""
    buf = io.BytesIO()
    nx.write_gexf(flat(g), buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    atomic.write_bytes(path, buf.getvalue())


# -- neo4j-admin CSV ------------------------------------------------------------------------

def _csv_type(values: list[object]) -> str:
    """The neo4j-admin header type that holds every value of a column."""
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    if all(isinstance(v, (list, tuple)) for v in values):
        return "string[]"
    return "string"


def _csv_cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def _columns(records: list[dict[str, object]], fixed: list[str]) -> list[tuple[str, str]]:
    """(attribute, header) pairs for every attribute the records hold, typed."""
    names = sorted({k for r in records for k in r} - set(fixed))
    out = []
    for name in names:
        kind = _csv_type([r[name] for r in records if name in r])
        out.append((name, name if kind == "string" else f"{name}:{kind}"))
    return out


def neo4j_csv(g: nx.MultiDiGraph) -> dict[str, str]:
    """The graph as the two files ``neo4j-admin database import full`` reads
    (``--nodes=nodes.csv --relationships=relationships.csv``, ``;`` as the array
    delimiter): nodes with ``id:ID`` and ``:LABEL`` (``Polku`` and the node's type),
    relationships with ``:START_ID``, ``:END_ID`` and ``:TYPE`` (the edge kind in capitals,
    as ``polku neo4j push`` names them).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> g.add_node("s", type="service", name="S", capacity_per_month=20)
    >>> add_edge(g, "kela", "s", "provides")
    >>> print(neo4j_csv(g)["relationships.csv"].strip())
    :START_ID,:END_ID,:TYPE,key
    kela,s,PROVIDES,provides
    """
    nodes = []
    for node, data in sorted(g.nodes(data=True)):
        rec: dict[str, object] = {k: v for k, v in data.items() if k != "extra"}
        for c, v in (data.get("extra") or {}).items():
            rec[f"extra.{c}"] = v
        rec["id"] = node
        rec[":LABEL"] = f"Polku;{NODE_LABELS[data['type']]}"
        nodes.append(rec)
    rels = []
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        rec = {k: x for k, x in data.items() if k not in ("kind", "extra")}
        for c, x in (data.get("extra") or {}).items():
            rec[f"extra.{c}"] = x
        rec.update({":START_ID": u, ":END_ID": v, ":TYPE": data["kind"].upper(), "key": key})
        rels.append(rec)
    files = {}
    for name, records, fixed in (
            ("nodes.csv", nodes, [("id", "id:ID"), (":LABEL", ":LABEL")]),
            ("relationships.csv", rels, [(":START_ID", ":START_ID"), (":END_ID", ":END_ID"),
                                         (":TYPE", ":TYPE"), ("key", "key")])):
        columns = fixed + _columns(records, [f for f, _ in fixed])
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([h for _, h in columns])
        for r in records:
            w.writerow([_csv_cell(r[a]) if a in r else "" for a, _ in columns])
        files[name] = buf.getvalue()
    return files


def write_neo4j_csv(g: nx.MultiDiGraph, folder: str | Path) -> None:
    """Write ``nodes.csv`` and ``relationships.csv`` into a new folder, atomically."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(
            p.name not in ("nodes.csv", "relationships.csv") for p in folder.iterdir())):
        raise PolkuError("exists and holds other files: the CSV export replaces the folder "
                         "whole, so export to a new folder", file=str(folder))
    with atomic.output_dir(folder) as tmp:
        for name, text in neo4j_csv(g).items():
            (tmp / name).write_text(text, encoding="utf-8")


# -- Mermaid --------------------------------------------------------------------------------

def _mermaid_id(node: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", node)


def _mermaid_text(text: str) -> str:
    """Label text inside ``["…"]``: Mermaid's entity codes for what would end the label."""
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("\n", " "))


def mermaid(g: nx.MultiDiGraph, segment: str | None = None, k: int = 3) -> str:
    """A Mermaid flowchart for docs: a segment's ``k`` best paths and designed paths (with
    waits and clients per month on the arrows), or without a segment every referral
    between services and outcomes. Broken steps of a designed path are dashed and marked ✕.
    """
    from polku.graph import referrals

    lines = ["flowchart LR"]
    shown: dict[str, str] = {}
    edges: dict[tuple[str, str], str] = {}
    min_cell = g.graph.get("min_cell")
    volume = {r.id: r.volume_per_month for r in referrals(g)}

    def node(n: str) -> None:
        if n in shown:
            return
        text = _mermaid_text(label(g, n))
        shape = f'(["{text}"])' if g.nodes[n]["type"] == "outcome" else f'["{text}"]'
        shown[n] = _mermaid_id(n) + shape

    def flow(ref: str | None, wait: object) -> str:
        parts = []
        if wait is not None:
            parts.append(f"{wait:g} pv" if isinstance(wait, (int, float)) else str(wait))
        if ref is not None:
            v = volume.get(ref)
            if v is not None:
                parts.append(f"{v:g}/kk")
            elif min_cell and "volume_per_month" in (g.nodes[ref].get("suppressed") or ()):
                parts.append(f"<{min_cell}/kk")
        return ", ".join(parts)

    if segment is None:
        for r in referrals(g):
            node(r.source), node(r.target)
            edges[(r.source, r.target)] = flow(r.id, r.median_wait_days)
    else:
        from polku.analyses.paths import paths_report

        report = paths_report(g, segment, k=k)
        lines.append(f"    %% {_mermaid_text(report['segment_label'])} ({segment})")
        for path in report["best"] + report["designed"]:
            steps = path["steps"]
            for a, b in zip(steps, steps[1:]):
                node(a["node"]), node(b["node"])
                if b.get("broken"):
                    edges.setdefault((a["node"], b["node"]), "✕")
                else:
                    edges[(a["node"], b["node"])] = flow(b["referral"], b["wait"])
            if len(steps) == 1:
                node(steps[0]["node"])
    for n in sorted(shown):
        lines.append(f"    {shown[n]}")
    for (a, b), text in sorted(edges.items()):
        arrow = "-.->" if text == "✕" else "-->"
        lines.append(f"    {_mermaid_id(a)} {arrow}" + (f"|{_mermaid_text(text)}|" if text else "")
                     + f" {_mermaid_id(b)}")
    return "\n".join(lines) + "\n"


def write_mermaid(g: nx.MultiDiGraph, path: str | Path, segment: str | None = None,
                  k: int = 3) -> None:
    """A ``.mmd`` file holds the chart; a ``.md`` file holds it in a ```mermaid block."""
    text = mermaid(g, segment, k)
    if Path(path).suffix.lower() == ".md":
        title = label(g, segment) if segment else str(g.graph.get("title") or g.graph.get("name"))
        text = f"# {title}\n\n```mermaid\n{text}```\n"
    atomic.write_text(path, text)


# -- CPSV-AP out (the registry polku.io.formats names these) -----------------------------------

def write_cpsv_ap(g: nx.MultiDiGraph, path: str | Path) -> None:
    """polku's RDF, which is CPSV-AP 3.2.0 conformant: JSON-LD for a ``.jsonld`` or ``.json``
    name, else Turtle."""
    from polku.io import rdf

    if Path(path).suffix.lower() in (".jsonld", ".json"):
        rdf.write_jsonld(g, path)
    else:
        rdf.write_turtle(g, path)


def cpsv_ap_notes(g: nx.MultiDiGraph) -> list[str]:
    """What a CPSV-AP export tells its user: the services that are not public services."""
    return [f"not a CPSV-AP public service (kept as polku:Service): {node}: {why}"
            for node, why in not_public_services(g)]


def not_public_services(g: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """Services CPSV-AP has no place for as public services, with why: no public
    organisation answers for them, or they have no description (both are required)."""
    from polku.io.rdf import competent_authorities, has_description, public_actors

    public = public_actors(g)
    out = []
    for node in sorted(n for n, d in g.nodes(data=True) if d["type"] == "service"):
        if not has_description(g.nodes[node]):
            out.append((node, "no description"))
        elif not competent_authorities(g, node, public):
            out.append((node, "no public organisation answers for it"))
    return out
