"""What changed between two graphs: two versions of one region, or two regions compared by id.

A designer asks "what changed since the last meeting?", a national coordinator "how do these
two regions differ?". :func:`diff` answers with the nodes and responsibilities added,
removed and changed (each change with the workbook columns' old and new values, as the
designer wrote them), and the findings created and resolved.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.finding import Finding
from polku.analyses.findings import find
from polku.kinds import LONG_WAIT_DAYS
from polku.io.workbook import PATH_NAMES, SHEETS, sheet_rows


def records(g: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Every node and responsibility as the workbook row a designer sees: id -> {column:
    cell text}, with ``type`` added. A designed path's steps are one ``steps`` column
    (``a;b;c``); a responsibility's id is ``responsibility/<actor>/<subject>/<role>`` (as
    its RDF resource is named).

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> records(g)["kela"]
    {'type': 'actor', 'name': 'Kela', 'kind': 'kela'}
    """
    out: dict[str, dict[str, str]] = {}
    for name, (_, rows) in sheet_rows(g).items():
        sheet = SHEETS[name]
        if sheet.node_type is not None:
            for r in rows:
                out[r["id"]] = {"type": sheet.node_type,
                                **{k: v for k, v in r.items() if k != "id" and v != ""}}
        elif name == "responsibilities":
            for r in rows:
                out[f"responsibility/{r['actor']}/{r['subject']}/{r['role']}"] = {
                    "type": "responsibility",
                    **{k: v for k, v in r.items() if k not in ("actor", "subject", "role")
                       and v != ""}}
        elif name == "paths":
            for r in rows:
                rec = out.setdefault(r["path"], {"type": "path", "segment": r["segment"],
                                                 "steps": ""})
                rec.update({col: r[col] for col in PATH_NAMES if r.get(col)})
                rec["steps"] = ";".join(filter(None, (rec["steps"], r["node"])))
    # a measure's leads also appear as responsibilities; a lead of a measure without a note
    # is only in the measure's row, which already says it
    for u, v, d in g.edges(data=True):
        if d["kind"] == "responsibility":
            out.setdefault(f"responsibility/{u}/{v}/{d['role']}", {"type": "responsibility"})
    return out


def diff(a: nx.MultiDiGraph, b: nx.MultiDiGraph, long_wait_days: float = LONG_WAIT_DAYS,
         findings_a: list[Finding] | None = None,
         findings_b: list[Finding] | None = None) -> dict[str, Any]:
    """``{"added": [ids], "removed": [ids], "changed": [{"id", "fields": {column: [old,
    new]}}], "findings": {"created": [findings], "resolved": [findings]}}``, ids sorted;
    a value a graph does not have is ``None``. A graph diffed with itself gives empty lists.
    The findings' messages are written at the edge (:func:`polku.present.results.diff_worded`:
    the created ones from ``b``, the resolved ones from ``a``).

    >>> from polku.graph import new_graph
    >>> a = new_graph(); a.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> b = a.copy(); b.nodes["kela"]["name"] = "Kansaneläkelaitos"
    >>> diff(a, b)["changed"]
    [{'id': 'kela', 'fields': {'name': ['Kela', 'Kansaneläkelaitos']}}]
    """
    ra, rb = records(a), records(b)
    changed = []
    for node in sorted(ra.keys() & rb.keys()):
        old, new = ra[node], rb[node]
        fields = {k: [old.get(k), new.get(k)] for k in sorted(old.keys() | new.keys())
                  if old.get(k) != new.get(k)}
        if fields:
            changed.append({"id": node, "fields": fields})
    fa = findings_a if findings_a is not None else find(a, long_wait_days=long_wait_days)
    fb = findings_b if findings_b is not None else find(b, long_wait_days=long_wait_days)
    before = {f.identity: f for f in fa}
    after = {f.identity: f for f in fb}
    return {
        "added": sorted(rb.keys() - ra.keys()),
        "removed": sorted(ra.keys() - rb.keys()),
        "changed": changed,
        "findings": {
            "created": [f.to_dict() for f in sorted(
                (f for k, f in after.items() if k not in before), key=Finding.sort_key)],
            "resolved": [f.to_dict() for f in sorted(
                (f for k, f in before.items() if k not in after), key=Finding.sort_key)],
        },
    }
