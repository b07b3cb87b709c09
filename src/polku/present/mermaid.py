"""The Mermaid picture of the paths, for docs: a segment's best and designed paths (or every
referral) as a flowchart. A picture of the analyses' paths, so it lives with the other
pictures (it calls :func:`polku.analyses.paths.paths_report`); ``polku export --to mermaid``
writes it (the format registry, :mod:`polku.io.formats`, names it).
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from polku.graph import title as graph_title
from polku.present.markdown import md_text
from polku.io import atomic
from polku.present.i18n import Translator, translator
from polku.words import N_


def _mermaid_id(node: str) -> str:
    """A node's Mermaid id: letters and digits as they are, every other character as
    ``_<hex>_``, so two ids never meet (``tyo-paja`` and ``tyo_paja``, ``r/x`` and ``r-x``).

    >>> _mermaid_id("tyo-paja"), _mermaid_id("tyo_paja"), _mermaid_id("kela")
    ('n_tyo_2d_paja', 'n_tyo_5f_paja', 'n_kela')
    """
    return "n_" + re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group()):x}_", node)


def _mermaid_text(text: str) -> str:
    """Label text inside ``["…"]``: Mermaid's entity codes for what would end the label."""
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("\n", " "))


def mermaid(g: nx.MultiDiGraph, segment: str | None = None, k: int = 3,
            tr: Translator | None = None) -> str:
    """A Mermaid flowchart for docs: a segment's ``k`` best paths and designed paths (with
    waits and clients per month on the arrows), or without a segment every referral
    between services and outcomes. Broken steps of a designed path are dashed and marked ✕.
    Names, days and months in ``tr``'s language (Finnish by default); in a merged graph a
    box whose name another box has too says its region (as ``polku show`` does). The graph
    sheet (:func:`polku.io.exchange.data_lines`: ``source: …``, ``illustrative: true``, the
    extra columns) is comments (``%%``) at its head.
    """
    return _chart(g, segment, k, tr)[0]


def cells_written(g: nx.MultiDiGraph, segment: str | None = None, k: int = 3,
                  **_: object) -> set[tuple[str, str]]:
    """The figures the chart of ``g`` writes, as ``(node, attribute)``: the clients a month
    of each referral on an arrow. A small cell among them is left out of the file; the
    graph's others (a segment's size, a referral not drawn) are not in it at all, so the
    note of what the file leaves out counts these only.

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph()
    >>> for n in ("a", "b"): g.add_node(n, type="service", name=n)
    >>> g.add_node("r", type="referral", volume_per_month=3); add_edge(g, "r", "a", "from")
    >>> add_edge(g, "r", "b", "to"); g.add_node("s", type="segment", name="S", size=2)
    >>> cells_written(g)
    {('r', 'volume_per_month')}
    """
    return {(ref, "volume_per_month") for ref in _chart(g, segment, k, None)[1]}


def _chart(g: nx.MultiDiGraph, segment: str | None, k: int,
           tr: Translator | None) -> tuple[str, set[str]]:
    """:func:`mermaid`'s text and the referrals whose arrows it draws."""
    from polku.graph import referrals
    from polku.io.exchange import data_lines
    from polku.present.exports import node_labels

    tr = tr or translator()

    # the graph sheet (source, illustrative, licence …) travels with the chart, as comments
    lines = ["flowchart LR"] + [f"    %% {line}" for line in data_lines(g)]
    shown: list[str] = []
    edges: dict[tuple[str, str], tuple[str, str | None]] = {}
    min_cell = g.graph.get("min_cell")
    volume = {r.id: r.volume_per_month for r in referrals(g)}

    def node(n: str) -> None:
        if n not in shown:
            shown.append(n)

    def flow(ref: str | None, wait: object) -> tuple[str, str | None]:
        parts = []
        if wait is not None:
            parts.append(tr(N_("{n} d")).format(n=tr.days(wait))
                         if isinstance(wait, (int, float)) else str(wait))
        if ref is not None:
            v = volume.get(ref)
            if v is not None:
                # whole clients, a half up, as every text writes them
                parts.append(tr(N_("{n}/month")).format(n=tr.clients(v)))
            elif min_cell and "volume_per_month" in (g.nodes[ref].get("suppressed") or ()):
                parts.append(tr(N_("{n}/month")).format(n=f"<{min_cell}"))
        return ", ".join(parts), ref

    if segment is None:
        for r in referrals(g):
            node(r.source), node(r.target)
            edges[(r.source, r.target)] = flow(r.id, r.median_wait_days)
    else:
        from polku.analyses.paths import paths_report

        report = paths_report(g, segment, k=k)
        lines.append(f"    %% {_mermaid_text(tr.label(g, segment))} ({segment})")
        for path in report["best"] + report["designed"]:
            steps = path["steps"]
            for a, b in zip(steps, steps[1:]):
                node(a["node"]), node(b["node"])
                if b.get("broken"):
                    edges.setdefault((a["node"], b["node"]), ("✕", None))
                else:
                    edges[(a["node"], b["node"])] = flow(b["referral"], b["wait"])
            if len(steps) == 1:
                node(steps[0]["node"])
    # a name two boxes share (two regions' "Aikuissosiaalityö") says each box's region
    labels = node_labels(g, tr, shown)
    for n in sorted(shown):
        text = _mermaid_text(labels[n])
        lines.append("    " + _mermaid_id(n)
                     + (f'(["{text}"])' if g.nodes[n]["type"] == "outcome" else f'["{text}"]'))
    for (a, b), (text, _) in sorted(edges.items()):
        arrow = "-.->" if text == "✕" else "-->"
        lines.append(f"    {_mermaid_id(a)} {arrow}" + (f"|{_mermaid_text(text)}|" if text else "")
                     + f" {_mermaid_id(b)}")
    return "\n".join(lines) + "\n", {ref for _, ref in edges.values() if ref is not None}


def write_mermaid(g: nx.MultiDiGraph, path: str | Path, segment: str | None = None,
                  k: int = 3, lang: str | None = None) -> None:
    """A ``.mmd`` file holds the chart; a ``.md`` file holds it in a ```mermaid block,
    headed by the segment's name or the graph's title; all in ``lang`` (Finnish default)."""
    tr = translator(lang)
    text = mermaid(g, segment, k, tr)
    if Path(path).suffix.lower() == ".md":
        title = tr.label(g, segment) if segment else graph_title(g, tr.lang)
        # the name is data: escaped, on one line (polku.present.markdown)
        text = f"# {md_text(title)}\n\n```mermaid\n{text}```\n"
    atomic.write_text(path, text)


