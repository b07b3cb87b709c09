"""What changed between two graphs: two versions of one region, or two regions compared by id.

A designer asks "what changed since the last meeting?", a national coordinator "how do these
two regions differ?". :func:`diff` answers with the nodes and responsibilities added,
removed and changed (each change with the workbook columns' old and new values, as the
designer wrote them), and the findings created and resolved.
"""

from __future__ import annotations

from typing import Any, Mapping

import networkx as nx

from polku.finding import Finding
from polku.analyses.findings import find
from polku.kinds import LONG_WAIT_DAYS
from polku.io.workbook import PATH_NAMES, SHEETS, sheet_rows
from polku.privacy import MIN_CELL


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


def left_out_cells(g: nx.MultiDiGraph) -> dict[str, frozenset[str]]:
    """Node → the columns ``g`` itself left out as small cells (a copy meant for others,
    :func:`polku.privacy.suppress`: its nodes list them in ``suppressed``).

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("r", type="referral", suppressed=["volume_per_month"])
    >>> left_out_cells(g)
    {'r': frozenset({'volume_per_month'})}
    """
    return {n: frozenset(cols) for n, cols in g.nodes(data="suppressed") if cols}


def diff(a: nx.MultiDiGraph, b: nx.MultiDiGraph, long_wait_days: float = LONG_WAIT_DAYS,
         findings_a: list[Finding] | None = None,
         findings_b: list[Finding] | None = None,
         left_a: Mapping[str, frozenset[str]] | None = None,
         left_b: Mapping[str, frozenset[str]] | None = None) -> dict[str, Any]:
    """``{"added": [ids], "removed": [ids], "changed": [{"id", "fields": {column: [old,
    new]}}], "findings": {"created": [findings], "resolved": [findings]}}``, ids sorted;
    a value a graph does not have is ``None``. A graph diffed with itself gives empty lists.

    A cell that one graph left out as a small cell (``left_a``/``left_b``, by default
    :func:`left_out_cells` of each) and the other holds, or does not, is a change too: the
    owner's graph beside the copy it shared shows every figure the copy dropped. The
    left-out side reads ``<5`` (the graph's ``min_cell``), and the change says which side
    left it out: ``"left_out": {column: "old" | "new"}``. Left out on both sides, it is
    no change that can be seen.
    The findings' messages are written at the edge (:func:`polku.present.results.diff_worded`:
    the created ones from ``b``, the resolved ones from ``a``).

    >>> from polku.graph import new_graph
    >>> a = new_graph(); a.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> b = a.copy(); b.nodes["kela"]["name"] = "Kansaneläkelaitos"
    >>> diff(a, b)["changed"]
    [{'id': 'kela', 'fields': {'name': ['Kela', 'Kansaneläkelaitos']}}]
    >>> a.add_node("r", type="referral", volume_per_month=4)
    >>> b.add_node("r", type="referral", suppressed=["volume_per_month"])
    >>> diff(a, b)["changed"][1]
    {'id': 'r', 'fields': {'volume_per_month': ['4', '<5']}, 'left_out': {'volume_per_month': 'new'}}
    """
    ra, rb = records(a), records(b)
    la = left_out_cells(a) if left_a is None else left_a
    lb = left_out_cells(b) if left_b is None else left_b
    small = {"old": f"<{a.graph.get('min_cell') or MIN_CELL}",
             "new": f"<{b.graph.get('min_cell') or MIN_CELL}"}
    changed = []
    for node in sorted(ra.keys() & rb.keys()):
        old, new = ra[node], rb[node]
        out_a, out_b = la.get(node, frozenset()), lb.get(node, frozenset())
        fields, left = {}, {}
        for k in sorted(old.keys() | new.keys() | (out_a ^ out_b)):
            if k in out_a and k in out_b:
                continue  # left out on both sides: nothing to compare
            side = "old" if k in out_a else "new" if k in out_b else None
            values = [small["old"] if side == "old" else old.get(k),
                      small["new"] if side == "new" else new.get(k)]
            if side is not None or values[0] != values[1]:
                fields[k] = values
                if side is not None:
                    left[k] = side
        if fields:
            changed.append({"id": node, "fields": fields, **({"left_out": left} if left
                                                              else {})})
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
