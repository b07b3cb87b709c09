"""Keeping a region in step with the national service catalogue (PTV).

Both sides carry PTV's ids: the model's services and actors in the extra column ``ptv_id``
(``polku ptv import`` writes it), the catalogue's records as read by
:func:`polku.io.ptv.read_ptv`. :func:`compare` lines them up and says

- ``missing``: services and organisations in the catalogue for the region's municipalities
  that the graph lacks;
- ``gone``: model entries whose PTV record is not in the catalogue (give the files of the
  whole region: an entry whose record was not given reads as gone);
- ``changed``: entries whose names, areas, target groups, producers, responsible
  organisations or channels differ, with the model's and the catalogue's value;
- ``edits``: each of these as a proposed row edit in the write API's own terms
  (:mod:`polku.ops.edits`: ``{"action", "sheet", "key", "row"}``), in an order that
  applies (organisations before the services that name them, deletions last).

Plain data out, no sentences: the printers write them in the reader's language.
"""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from polku.io import workbook
from polku.io.areas import MUNICIPALITIES, MUNICIPALITY, locations

#: the columns compared, per sheet; ``producers``, ``responsible`` and ``channels`` are
#: compared through PTV ids
SERVICE_FIELDS = ("name", "name_sv", "name_en", "area", "target_groups")
ACTOR_FIELDS = ("name", "name_sv", "name_en", "business_id", "region")
#: what a created service row takes from the catalogue
SERVICE_COLUMNS = ("id", "name", "name_sv", "name_en", "description", "legal_basis", "area",
                   "ptv_id", "target_groups", "service_classes")
ACTOR_COLUMNS = ("id", "name", "name_sv", "name_en", "business_id", "kind", "region", "ptv_id",
                 "organization_type")
SHEET_OF_TYPE = {"service": "services", "actor": "actors"}


def ptv_ids(g: nx.MultiDiGraph) -> dict[str, str]:
    """PTV id -> node id of every service and actor that carries one.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("s", type="service", name="S", extra={"ptv_id": "p1"})
    >>> ptv_ids(g)
    {'p1': 's'}
    """
    return {str(d["extra"]["ptv_id"]): n for n, d in g.nodes(data=True)
            if d["type"] in SHEET_OF_TYPE and (d.get("extra") or {}).get("ptv_id")}


def municipality_codes(g: nx.MultiDiGraph) -> set[str]:
    """The municipalities (three-digit codes) a model covers: its region's, its actors'
    regions', and those its services' ``area`` names by code.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.graph["region"] = "Hyvinkää"
    >>> g.add_node("s", type="service", name="S", extra={"area": "Masku (503)"})
    >>> sorted(municipality_codes(g))
    ['106', '503']
    """
    import re

    texts = [g.graph.get("region")] + [d.get("region") for _, d in g.nodes(data=True)
                                       if d["type"] == "actor"]
    codes = {iri[len(MUNICIPALITY):] for t in texts for part in str(t or "").split(";")
             for iri in locations(part) if iri.startswith(MUNICIPALITY)}
    for _, d in g.nodes(data=True):
        codes |= set(re.findall(r"\((\d{3})\)", str((d.get("extra") or {}).get("area", ""))))
    return codes


def _codes_of(area: str, region: str | None = None) -> set[str]:
    import re

    codes = set(re.findall(r"\((\d{3})\)", area or ""))
    code = MUNICIPALITIES.get((region or "").strip().lower())
    return codes | ({code} if code else set())


def _rows(g: nx.MultiDiGraph) -> dict[str, dict[str, dict[str, str]]]:
    """sheet -> key -> the row as workbook cell text (extra columns included)."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for sheet, (_, rows) in workbook.sheet_rows(g).items():
        if sheet in ("services", "actors"):
            out[sheet] = {r["id"]: r for r in rows}
    return out


def _linked(g: nx.MultiDiGraph, service: str, how: str) -> set[str]:
    """The actors that provide (``producers``) or lead (``responsible``) a service."""
    if how == "producers":
        return {u for u, _, k in g.in_edges(service, data="kind") if k == "provides"}
    return {u for u, _, d in g.in_edges(service, data=True)
            if d["kind"] == "responsibility" and d.get("role") == "lead"}


def _label(g: nx.MultiDiGraph, nodes: Iterable[str]) -> str:
    return "; ".join(sorted(str(g.nodes[n].get("name", n)) for n in nodes))


def compare(model: nx.MultiDiGraph, catalogue: nx.MultiDiGraph,
            municipalities: Iterable[str] | None = None,
            channels: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What differs between a region's graph and the national catalogue (see the module
    doc). ``municipalities`` (three-digit codes) default to :func:`municipality_codes` of
    the model; ``channels`` maps a catalogue service's PTV id to its channels' names,
    compared where the model keeps a ``channels`` extra column.

    >>> from polku.graph import new_graph, add_edge
    >>> m = new_graph(); m.add_node("s", type="service", name="Old", extra={"ptv_id": "p1"})
    >>> c = new_graph(); c.add_node("x", type="service", name="New", extra={"ptv_id": "p1"})
    >>> r = compare(m, c, municipalities=[])
    >>> r["changed"][0]["fields"], r["edits"][0]["row"]
    ({'name': ['Old', 'New']}, {'name': 'New'})
    """
    codes = set(municipality_codes(model) if municipalities is None else municipalities)
    in_model, in_catalogue = ptv_ids(model), ptv_ids(catalogue)
    model_rows, cat_rows = _rows(model), _rows(catalogue)
    taken = set(model.nodes)

    def local(pid: str) -> bool:
        node = in_catalogue[pid]
        d = catalogue.nodes[node]
        return bool(codes & _codes_of(str((d.get("extra") or {}).get("area", "")),
                                      d.get("region")))

    # the catalogue's entries for the region: services in its municipalities or of its
    # organisations, and the organisations behind them or based there
    services = {p for p, n in in_catalogue.items()
                if catalogue.nodes[n]["type"] == "service" and local(p)}
    orgs = {p for p, n in in_catalogue.items()
            if catalogue.nodes[n]["type"] == "actor" and (local(p) or p in in_model)}
    for p, n in in_catalogue.items():
        if catalogue.nodes[n]["type"] == "service" and p not in services:
            owners = _linked(catalogue, n, "producers") | _linked(catalogue, n, "responsible")
            if any(catalogue.nodes[o]["extra"].get("ptv_id") in orgs for o in owners):
                services.add(p)
    for p in services:
        n = in_catalogue[p]
        for o in _linked(catalogue, n, "producers") | _linked(catalogue, n, "responsible"):
            if catalogue.nodes[o].get("extra", {}).get("ptv_id"):
                orgs.add(catalogue.nodes[o]["extra"]["ptv_id"])

    new_id: dict[str, str] = {}  # catalogue node -> the id it gets in the model
    for p in sorted(orgs | services, key=lambda p: in_catalogue[p]):
        node = in_catalogue[p]
        if p in in_model:
            new_id[node] = in_model[p]
        else:
            from polku.io.naming import unique

            new_id[node] = unique(node, taken)

    result: dict[str, Any] = {"missing": [], "gone": [], "changed": [], "edits": []}
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[dict[str, Any]] = []

    def model_ids(nodes: Iterable[str]) -> list[str]:
        return sorted(new_id[n] for n in nodes if n in new_id)

    for p in sorted(orgs, key=lambda p: in_catalogue[p]):
        if p in in_model:
            continue
        node = in_catalogue[p]
        row = {c: v for c, v in cat_rows["actors"][node].items() if c in ACTOR_COLUMNS}
        row["id"] = new_id[node]
        result["missing"].append({"type": "actor", "id": row["id"], "ptv_id": p,
                                  "name": row.get("name", "")})
        creates.append({"action": "create", "sheet": "actors", "key": row["id"], "row": row})
    responsibility_creates: list[dict[str, Any]] = []
    for p in sorted(services, key=lambda p: in_catalogue[p]):
        if p in in_model:
            continue
        node = in_catalogue[p]
        row = {c: v for c, v in cat_rows["services"][node].items() if c in SERVICE_COLUMNS}
        row["id"] = new_id[node]
        providers = model_ids(_linked(catalogue, node, "producers"))
        if providers:
            row["providers"] = ";".join(providers)
        result["missing"].append({"type": "service", "id": row["id"], "ptv_id": p,
                                  "name": row.get("name", "")})
        creates.append({"action": "create", "sheet": "services", "key": row["id"], "row": row})
        for actor in model_ids(_linked(catalogue, node, "responsible")):
            responsibility_creates.append(_responsibility("create", actor, row["id"]))
    creates += responsibility_creates

    for p, node in sorted(in_model.items(), key=lambda kv: kv[1]):
        d = model.nodes[node]
        if p not in in_catalogue:
            result["gone"].append({"type": d["type"], "id": node, "ptv_id": p,
                                   "name": d.get("name", "")})
            if d["type"] == "service":
                for actor in sorted(_linked(model, node, "responsible")):
                    deletes.append(_responsibility("delete", actor, node))
            deletes.append({"action": "delete", "sheet": SHEET_OF_TYPE[d["type"]],
                            "key": node, "row": {}})
            continue
        other = in_catalogue[p]
        if catalogue.nodes[other]["type"] != d["type"]:
            continue
        sheet = SHEET_OF_TYPE[d["type"]]
        mine, theirs = model_rows[sheet][node], cat_rows[sheet][other]
        fields: dict[str, list[str | None]] = {}
        row: dict[str, str] = {}
        for col in SERVICE_FIELDS if sheet == "services" else ACTOR_FIELDS:
            a, b = mine.get(col) or None, theirs.get(col) or None
            if a != b and b is not None:
                fields[col] = [a, b]
                row[col] = b
        if sheet == "services":
            for how in ("producers", "responsible"):
                ours = {model.nodes[a]["extra"].get("ptv_id") for a in _linked(model, node, how)
                        if (model.nodes[a].get("extra") or {}).get("ptv_id")}
                cat = {catalogue.nodes[a]["extra"].get("ptv_id")
                       for a in _linked(catalogue, other, how)}
                if ours == cat:
                    continue
                fields[how] = [_label(model, [in_model[x] for x in sorted(ours)]) or None,
                               _label(catalogue, [in_catalogue[x] for x in sorted(cat)]) or None]
                wanted = model_ids(_linked(catalogue, other, how))
                if how == "producers":
                    keep = [a for a in _linked(model, node, how)
                            if not (model.nodes[a].get("extra") or {}).get("ptv_id")]
                    row["providers"] = ";".join(sorted(set(wanted) | set(keep)))
                else:
                    have = {a for a in _linked(model, node, how)
                            if (model.nodes[a].get("extra") or {}).get("ptv_id")}
                    for actor in sorted(set(wanted) - have):
                        creates.append(_responsibility("create", actor, node))
                    for actor in sorted(have - set(wanted)):
                        deletes.insert(0, _responsibility("delete", actor, node))
            kept = (d.get("extra") or {}).get("channels")
            if kept is not None and channels is not None:
                cat_channels = "; ".join(sorted(channels.get(p, [])))
                if str(kept) != cat_channels:
                    fields["channels"] = [str(kept) or None, cat_channels or None]
                    row["channels"] = cat_channels
        if fields:
            result["changed"].append({"id": node, "ptv_id": p, "type": d["type"],
                                      "fields": fields})
            if row:
                updates.append({"action": "update", "sheet": sheet, "key": node, "row": row})
    result["edits"] = creates + updates + deletes
    return result


def _responsibility(action: str, actor: str, subject: str) -> dict[str, Any]:
    key = f"{actor}~{subject}~lead"
    row = {"actor": actor, "subject": subject, "role": "lead"} if action == "create" else {}
    return {"action": action, "sheet": "responsibilities", "key": key, "row": row}
