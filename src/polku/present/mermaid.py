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
    Names, days and months in ``tr``'s language (Finnish by default).
    """
    from polku.graph import referrals

    tr = tr or translator()

    lines = ["flowchart LR"]
    shown: dict[str, str] = {}
    edges: dict[tuple[str, str], str] = {}
    min_cell = g.graph.get("min_cell")
    volume = {r.id: r.volume_per_month for r in referrals(g)}

    def node(n: str) -> None:
        if n in shown:
            return
        text = _mermaid_text(tr.label(g, n))
        shape = f'(["{text}"])' if g.nodes[n]["type"] == "outcome" else f'["{text}"]'
        shown[n] = _mermaid_id(n) + shape

    def flow(ref: str | None, wait: object) -> str:
        parts = []
        if wait is not None:
            parts.append(tr(N_("{n} d")).format(n=tr.days(wait))
                         if isinstance(wait, (int, float)) else str(wait))
        if ref is not None:
            v = volume.get(ref)
            if v is not None:
                parts.append(tr(N_("{n}/month")).format(n=tr.number(v)))
            elif min_cell and "volume_per_month" in (g.nodes[ref].get("suppressed") or ()):
                parts.append(tr(N_("{n}/month")).format(n=f"<{min_cell}"))
        return ", ".join(parts)

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
                  k: int = 3, lang: str | None = None) -> None:
    """A ``.mmd`` file holds the chart; a ``.md`` file holds it in a ```mermaid block,
    headed by the segment's name or the graph's title; all in ``lang`` (Finnish default)."""
    tr = translator(lang)
    text = mermaid(g, segment, k, tr)
    if Path(path).suffix.lower() == ".md":
        title = tr.label(g, segment) if segment else graph_title(g, tr.lang)
        text = f"# {title}\n\n```mermaid\n{text}```\n"
    atomic.write_text(path, text)


