"""Exchange formats out: GraphML and GEXF (Gephi, yEd, Cytoscape), neo4j-admin CSV and
CPSV-AP (the Mermaid picture of the paths is drawn from the analyses, so it lives in
:mod:`polku.present.mermaid`).

These go to other people, so the CLI hands them a graph that :func:`polku.privacy.suppress`
has already stripped of small cells. Every node carries ``label`` (its name, or the label
the CLI gives in the reader's language), ``type`` and its attributes; lists become
``;``-joined text in GraphML and GEXF (they hold scalars only) and ``string[]`` columns in
CSV, a mapping JSON (:func:`text_of`); numbers are written as numbers so a reader can size
and colour by them. Every file carries the graph sheet (:func:`graph_data`: title, source,
illustrative, min_cell, the extra columns; a merged graph's regions' sheets) in the form
natural to it: GraphML's graph data, GEXF's description, the CSV's ``PolkuRegion`` records
(:func:`region_records`). Every write is atomic.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Mapping

import networkx as nx

from polku.io import atomic
from polku.errors import NodeName, Note, PolkuError, Problems, Said
from polku.words import N_
from polku.graph import label

#: CSV relationship types and node labels, as polku's Neo4j store names them
NODE_LABELS = {t: "".join(p.capitalize() for p in t.split("_")) for t in (
    "actor", "service", "outcome", "need", "segment", "referral", "path", "goal", "measure",
    "indicator", "risk")}


def text_of(value: object) -> str:
    """A value as text: booleans ``true``/``false``, lists ``;``-joined, a mapping (the
    follow-ups, a list of them) as JSON, never a Python repr.

    >>> text_of(True), text_of(5), text_of(["a", 2]), text_of({"k": {"status": "new"}})
    ('true', '5', 'a;2', '{"k": {"status": "new"}}')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and not any(isinstance(v, (dict, list, tuple))
                                                    for v in value):
        return ";".join(text_of(v) for v in value)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _scalar(value: object) -> object:
    """A value a GraphML/GEXF attribute can hold: numbers as floats (one type per
    attribute, whether a cell said 20 or 20.5), anything else as :func:`text_of`."""
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return text_of(value)


#: the node attribute naming the region a node of a merged graph comes from (not ``region``,
#: which is an actor's service area)
FROM_REGION = "from_region"


def from_region(g: nx.MultiDiGraph, node: str) -> str | None:
    """The id of the region a node of a merged graph comes from (its :data:`FROM_REGION`);
    an actor the regions share is of the merged graph itself (its own id, ``national``);
    ``None`` in a graph that was not merged.

    >>> from polku.graph import new_graph
    >>> g = new_graph("national"); g.graph["regions"] = [{"id": "ra"}]
    >>> from_region(g, "ra/velka"), from_region(g, "national/kela"), from_region(new_graph(), "x")
    ('ra', 'national', None)
    """
    from polku.graph import region_of, regions

    if not regions(g):
        return None
    own = region_of(g, node)
    return str(own["id"]) if own else str(g.graph.get("name", "graph"))


#: what a graph's own attributes hold besides its sheet's columns: its regions' sheets (a
#: merged graph) and the follow-ups (a sheet of their own)
_NOT_SHEET = ("id", "extra", "regions", "followups")


def sheet_columns(sheet: Mapping[str, object], extra_prefix: str = "extra_"
                  ) -> list[tuple[str, object]]:
    """A graph sheet's data (``g.graph``, or one region's sheet of a merged graph) as
    ``(name, value)`` in the sheet's order: ``name`` (the sheet's ``id``), ``title`` …
    ``source``, then any other attribute by name (``min_cell``), then the extra columns
    (the licence, the publisher) as ``<extra_prefix><column>``, so that every export
    carries what the workbook's graph sheet says. Empty values are left out.

    >>> sheet_columns({"illustrative": True, "min_cell": 5, "title": "A", "name": "ra",
    ...                "extra": {"license": "CC BY 4.0"}, "followups": {}})  # doctest: +NORMALIZE_WHITESPACE
    [('name', 'ra'), ('title', 'A'), ('illustrative', True), ('min_cell', 5),
     ('extra_license', 'CC BY 4.0')]
    """
    from polku.io.workbook import SHEETS

    order = ["name"] + [c.name for c in SHEETS["graph"].columns[1:]]
    own = {str(k): v for k, v in sheet.items() if k not in _NOT_SHEET and v not in (None, "")}
    out = [(k, own.pop(k)) for k in order if k in own] + sorted(own.items())
    extras = sheet.get("extra")
    return out + [(f"{extra_prefix}{c}", v)
                  for c, v in (extras if isinstance(extras, dict) else {}).items()
                  if v not in (None, "")]


def graph_data(g: nx.MultiDiGraph) -> list[tuple[str, object]]:
    """The graph sheet as flat data (GraphML's graph ``<data>``, GEXF's description,
    Mermaid's comments): :func:`sheet_columns`, and a merged graph's regions, ``regions``
    their ids and each region's sheet as ``region.<id>.<column>`` (``region.<id>.source``,
    ``region.<id>.illustrative``, ``region.<id>.extra_<column>``).

    >>> from polku.graph import new_graph
    >>> g = new_graph("national")
    >>> g.graph["regions"] = [{"id": "ra", "title": "A", "illustrative": True}]
    >>> graph_data(g)
    [('name', 'national'), ('regions', ['ra']), ('region.ra.title', 'A'), ('region.ra.illustrative', True)]
    """
    from polku.graph import regions

    out = sheet_columns(g.graph)
    sheets = regions(g)
    if sheets:
        out.append(("regions", [str(r["id"]) for r in sheets]))
    for r in sheets:
        out += [(f"region.{r['id']}.{k}", v) for k, v in sheet_columns(r)]
    return out


def data_lines(g: nx.MultiDiGraph) -> list[str]:
    """:func:`graph_data` as ``name: value`` lines for a reader (GEXF's description, a
    Mermaid chart's comments); a value of several lines goes on, indented, on the next.

    >>> from polku.graph import new_graph
    >>> g = new_graph("ra"); g.graph.update(source="a\\nb", illustrative=False)
    >>> data_lines(g)
    ['name: ra', 'illustrative: false', 'source: a', '  b']
    """
    out = []
    for name, value in graph_data(g):
        first, *more = text_of(value).splitlines() or [""]
        out += [f"{name}: {first}"] + [f"  {line}" for line in more]
    return out


def flat(g: nx.MultiDiGraph, labels: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """The graph with scalar attributes only, ``label`` on every node and edge, and the
    graph sheet as graph data (:func:`graph_data`; the follow-ups as JSON): what GraphML and
    GEXF writers accept. A merged graph's nodes each say their region
    (:data:`FROM_REGION`). ``labels``: each node's label (the CLI gives them in the
    reader's language), else its name."""
    out = nx.MultiDiGraph()
    for k, v in graph_data(g):
        out.graph[k] = text_of(v) if isinstance(v, bool) else _scalar(v)
    if g.graph.get("followups"):
        out.graph["followups"] = text_of(g.graph["followups"])
    for node, data in g.nodes(data=True):
        attrs: dict[str, object] = {"label": labels[node] if labels and node in labels
                                    else label(g, node)}
        if (where := from_region(g, node)) is not None:
            attrs[FROM_REGION] = where
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


#: what an XML name token (xs:NMTOKEN, a GraphML node or edge id) may hold
_NMTOKEN = re.compile(r"[\w.:\-\u00b7\u0300-\u036f\u203f-\u2040]+")


def graphml_id(node: str) -> str:
    """A node's id as GraphML can hold it: an XML name token, so a merged graph's
    ``region/id`` is written ``region:id`` (polku's ids hold no ``:``), and any other
    character a name token has no room for as ``_uXXXX_``.

    >>> graphml_id("keski-uusimaa/kela"), graphml_id("kela")
    ('keski-uusimaa:kela', 'kela')
    """
    text = node.replace("/", ":") if ":" not in node else node
    if _NMTOKEN.fullmatch(text):
        return text
    return "".join(c if _NMTOKEN.fullmatch(c) else f"_u{ord(c):04X}_" for c in text) or "_"


def graphml_graph(g: nx.MultiDiGraph, labels: Mapping[str, str] | None = None
                  ) -> nx.MultiDiGraph:
    """:func:`flat`, shaped for GraphML's schema: node ids are XML name tokens
    (:func:`graphml_id`; ``polku_id`` keeps polku's own id) and every edge has an id of its
    own (``e0``, ``e1`` … in the graph's order), since GraphML edge ids are unique in a
    document and Gephi and yEd keep one edge per id; the key polku gives an edge
    (``responsibility:lead``, ``step:2``) is its ``key``."""
    src = flat(g, labels)
    ids = {node: graphml_id(str(node)) for node in src.nodes}
    seen: dict[str, str] = {}
    for node, gid in ids.items():
        if gid in seen:
            raise PolkuError(N_("two nodes, {first} and {second}, would have the same GraphML "
                                "id {id}"), params={"first": seen[gid], "second": node,
                                                    "id": gid}, node=str(node))
        seen[gid] = node
    out = nx.MultiDiGraph()
    out.graph.update(src.graph)
    for node, data in src.nodes(data=True):
        out.add_node(ids[node], **data, polku_id=str(node))
    for i, (u, v, key, data) in enumerate(src.edges(keys=True, data=True)):
        out.add_edge(ids[u], ids[v], key=f"e{i}", **data, key_=str(key))
    # ``key`` is not a name networkx lets an edge attribute have while writing: renamed here
    for *_, data in out.edges(data=True):
        data["key"] = data.pop("key_")
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path,
                  labels: Mapping[str, str] | None = None) -> None:
    """GraphML 1.0 with typed ``<key>``s, valid against its schema (yEd, Cytoscape and Gephi
    read it); the graph sheet is graph ``<data>`` (:func:`graph_data`)."""
    buf = io.BytesIO()
    nx.write_graphml(graphml_graph(g, labels), buf, encoding="utf-8", prettyprint=True)
    atomic.write_bytes(path, buf.getvalue())


GEXF_NS = "http://www.gexf.net/1.2draft"


def write_gexf(g: nx.MultiDiGraph, path: str | Path, labels: Mapping[str, str] | None = None,
               title: str | None = None) -> None:
    """GEXF 1.2 (Gephi's own format), valid against its schema and the same bytes for the
    same graph on any day: networkx's ``<meta>`` (today's date, networkx as the creator)
    and its ``name`` on ``<graph>`` (which GEXF 1.2 has no room for) give way to polku's
    ``<meta>``: ``polku`` as the creator, the description ``title`` (else the graph's
    own) followed by the graph sheet a line a datum (:func:`data_lines`: ``source: …``,
    ``illustrative: true``, ``extra_license: …``, a merged graph's
    ``region.<id>.source: …``), its id (and ``illustrative`` when it is) as the keywords."""
    import xml.etree.ElementTree as ET

    from polku.graph import title as graph_title

    buf = io.BytesIO()
    nx.write_gexf(flat(g, labels), buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(buf.getvalue())
    ns = {"g": GEXF_NS}
    for meta in root.findall("g:meta", ns):
        root.remove(meta)
    meta = ET.Element(f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "polku"
    ET.SubElement(meta, f"{{{GEXF_NS}}}keywords").text = ", ".join(
        [str(g.graph.get("name", "graph"))] + (["illustrative"] if g.graph.get("illustrative")
                                               else []))
    # GEXF 1.2 has no graph-level data (<meta> holds a creator, keywords and descriptions
    # only): the sheet is lines of the description, named as GraphML's graph data is
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = "\n".join(
        [title or graph_title(g)] + data_lines(g))
    root.insert(0, meta)
    for graph in root.findall("g:graph", ns):
        graph.attrib.pop("name", None)
    ET.indent(root, space="  ")
    atomic.write_bytes(path, ET.tostring(root, encoding="utf-8", xml_declaration=True)
                       + b"\n")


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
    """A value as neo4j-admin and ``LOAD CSV`` read it back (:func:`text_of`). As written:
    this CSV is a database's input, not a spreadsheet, so no formula guard (a workbook
    sheet's ``'``, :func:`polku.io.workbook.neutral`) goes before ``@Työ-valmennus`` or
    ``- ohjaus``; they would store it as part of the name.

    >>> _csv_cell("@Työ-valmennus"), _csv_cell(["a", "b"]), _csv_cell(True)
    ('@Työ-valmennus', 'a;b', 'true')
    """
    return text_of(value)


def _columns(records: list[dict[str, object]], fixed: list[str]) -> list[tuple[str, str]]:
    """(attribute, header) pairs for every attribute the records hold, typed."""
    names = sorted({k for r in records for k in r} - set(fixed))
    out = []
    for name in names:
        kind = _csv_type([r[name] for r in records if name in r])
        out.append((name, name if kind == "string" else f"{name}:{kind}"))
    return out


#: how the id of a graph's record in nodes.csv begins (polku's own ids hold no ``:``)
REGION_ID = "region:"


def region_records(g: nx.MultiDiGraph, titles: Mapping[str, str] | None = None
                   ) -> list[dict[str, object]]:
    """nodes.csv's records of the graph sheet, so that a database loaded from the CSV knows
    what it holds (whose figures are invented, under what licence), as ``polku neo4j
    push`` keeps a ``PolkuRegion`` node of each region: one for the graph, labelled
    ``PolkuRegion``, its id in ``polku_region``, its sheet's columns as properties (the
    extra columns as ``extra.<column>``, as a node's are) and ``label`` its title
    (``titles``: by graph or region id, in the reader's language); a merged graph's also
    lists its ``regions``, each of which has a record of its own (a node's
    ``from_region`` names one).

    >>> from polku.graph import new_graph
    >>> g = new_graph("ra"); g.graph.update(title="A", illustrative=True, extra={"x": "1"})
    >>> region_records(g)  # doctest: +NORMALIZE_WHITESPACE
    [{'title': 'A', 'illustrative': True, 'extra.x': '1', 'id': 'region:ra',
      ':LABEL': 'PolkuRegion', 'polku_region': 'ra', 'label': 'A'}]
    """
    from polku.graph import regions, title
    from polku.io.neo4jstore import REGION_LABEL, REGION_PROPERTY

    name = str(g.graph.get("name", "graph"))
    sheets = [(name, g.graph, title(g))] + [
        (str(r["id"]), r, str(r.get("title") or r["id"])) for r in regions(g)]
    out: list[dict[str, object]] = []
    for rid, sheet, own_title in sheets:
        rec = {k: v for k, v in sheet_columns(sheet, "extra.") if k != "name"}
        rec.update({"id": REGION_ID + rid, ":LABEL": REGION_LABEL, REGION_PROPERTY: rid,
                    "label": (titles or {}).get(rid) or own_title})
        out.append(rec)
    if len(sheets) > 1:
        out[0]["regions"] = [rid for rid, *_ in sheets[1:]]
    return out


def neo4j_csv(g: nx.MultiDiGraph, labels: Mapping[str, str] | None = None,
              titles: Mapping[str, str] | None = None) -> dict[str, str]:
    """The graph as the two files ``neo4j-admin database import full`` reads
    (``--nodes=nodes.csv --relationships=relationships.csv``, ``;`` as the array
    delimiter): nodes with ``id:ID`` and ``:LABEL`` (``Polku`` and the node's type) and
    ``label`` (``labels``, else the node's name), after the graph's own records
    (:func:`region_records`); relationships with ``:START_ID``, ``:END_ID`` and ``:TYPE``
    (the edge kind in capitals, as ``polku neo4j push`` names them).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> g.add_node("s", type="service", name="S", capacity_per_month=20)
    >>> add_edge(g, "kela", "s", "provides")
    >>> print(neo4j_csv(g)["relationships.csv"].strip())
    :START_ID,:END_ID,:TYPE,key
    kela,s,PROVIDES,provides
    """
    nodes = region_records(g, titles)
    for node, data in sorted(g.nodes(data=True)):
        rec: dict[str, object] = {k: v for k, v in data.items() if k != "extra"}
        for c, v in (data.get("extra") or {}).items():
            rec[f"extra.{c}"] = v
        if (where := from_region(g, node)) is not None:
            rec[FROM_REGION] = where
        rec["id"] = node
        rec[":LABEL"] = f"Polku;{NODE_LABELS[data['type']]}"
        rec["label"] = labels[node] if labels and node in labels else label(g, node)
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


def write_neo4j_csv(g: nx.MultiDiGraph, folder: str | Path,
                    labels: Mapping[str, str] | None = None,
                    titles: Mapping[str, str] | None = None) -> None:
    """Write ``nodes.csv`` and ``relationships.csv`` into a new folder, atomically."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(
            p.name not in ("nodes.csv", "relationships.csv") for p in folder.iterdir())):
        raise PolkuError(N_("exists and holds other files: the CSV export replaces the "
                            "folder whole, so export to a new folder"), params={},
                         file=str(folder))
    with atomic.output_dir(folder) as tmp:
        for name, text in neo4j_csv(g, labels, titles).items():
            (tmp / name).write_text(text, encoding="utf-8")


# -- CPSV-AP out (the registry polku.io.formats names these) -----------------------------------

def write_cpsv_ap(g: nx.MultiDiGraph, path: str | Path) -> None:
    """polku's RDF, which is CPSV-AP 3.2.0 conformant: JSON-LD for a ``.jsonld`` or ``.json``
    name, else Turtle."""
    from polku.io import rdf

    if Path(path).suffix.lower() in (".jsonld", ".json"):
        rdf.write_jsonld(g, path)
    else:
        rdf.write_turtle(g, path)


def cpsv_ap_notes(g: nx.MultiDiGraph) -> list[Note]:
    """What a CPSV-AP export tells its user: the services that are not public services, and
    the organisations whose region names an area polku does not know
    (:func:`polku.io.areas.unknown_areas`: left out of their ``dct:spatial`` places rather
    than guessed), worded at the edge (:func:`polku.present.i18n.error_text`) by their names
    in the reader's language."""
    from polku.io.areas import unknown_areas

    return [Note(N_("not a CPSV-AP public service (kept as polku:Service): {node}: {why}"),
                 params={"node": NodeName.of(g.nodes, node),
                         "why": Said(why) if type(why) is str else why})
            for node, why in not_public_services(g)] + [
        Note(N_("the region of {node} names an area polku does not know: {areas} (left out "
                "of its CPSV-AP places; an organisation with no known place is given the "
                "graph's region, else Finland)"),
             params={"node": NodeName.of(g.nodes, node), "areas": "; ".join(unknown)})
        for node, data in sorted(g.nodes(data=True))
        if data["type"] == "actor" and (unknown := unknown_areas(data.get("region")))]


def not_public_services(g: nx.MultiDiGraph) -> list[tuple[str, str | Problems]]:
    """Services CPSV-AP has no place for as public services, with why: they have no
    description, or no public organisation answers for them. The second names the
    organisations that do answer for the service (its leads, else its providers) with
    their kinds, since a kind is what makes an organisation public here
    (:data:`polku.io.rdf.PUBLIC_ACTOR_KINDS`): a catalogued text, or a
    :class:`~polku.errors.Problems` of one note per organisation."""
    from polku.io.rdf import competent_authorities, has_description, public_actors
    from polku.words import ACTOR_KIND_NAMES

    public = public_actors(g)
    out: list[tuple[str, str | Problems]] = []
    for node in sorted(n for n, d in g.nodes(data=True) if d["type"] == "service"):
        if not has_description(g.nodes[node]):
            out.append((node, N_("no description")))
        elif not competent_authorities(g, node, public):
            leads = sorted({u for u, _, d in g.in_edges(node, data=True)
                            if d["kind"] == "responsibility" and d.get("role") == "lead"})
            providers = sorted({u for u, _, k in g.in_edges(node, data="kind")
                                if k == "provides"})
            answering = leads or providers
            if not answering:
                out.append((node, N_("no organisation leads or provides it")))
                continue
            out.append((node, Problems([Note(
                N_("its responsible organisation {actor} is of kind '{kind}', which is not "
                   "counted as a public organisation"),
                params={"actor": NodeName.of(g.nodes, actor),
                        "kind": Said(ACTOR_KIND_NAMES.get(str(g.nodes[actor].get("kind")),
                                                          str(g.nodes[actor].get("kind"))))})
                for actor in answering])))
    return out
