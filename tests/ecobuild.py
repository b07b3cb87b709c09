"""A small builder for polku graphs in tests: one call per workbook row.

Builds the typed graph exactly as :mod:`polku.graph` documents it (referrals are nodes
with from/to edges, responsibilities are edges keyed by role), so tests state a case in a
few lines: ``b.service("a", providers=["x"], entry=True)``; ``b.workbook(folder)`` writes it
as a workbook for the CLI and the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import networkx as nx

from polku.graph import add_edge, new_graph
from polku.io.workbook import write_workbook


class Builder:
    def __init__(self, name: str = "test") -> None:
        self.g: nx.MultiDiGraph = new_graph(name)

    def _reset(self, node: str, out_kinds: tuple[str, ...], in_kinds: tuple[str, ...]) -> None:
        """Redefining a node replaces it: its attributes and the edges its row states go;
        edges other rows state (responsibilities, referrals, steps) stay."""
        if node not in self.g:
            return
        drop = [(u, v, k) for u, v, k, kind in self.g.out_edges(node, keys=True, data="kind")
                if kind in out_kinds]
        drop += [(u, v, k) for u, v, k, kind in self.g.in_edges(node, keys=True, data="kind")
                 if kind in in_kinds]
        self.g.remove_edges_from(drop)
        self.g.nodes[node].clear()

    def _ensure(self, node: str, node_type: str) -> None:
        if node not in self.g:
            self.g.add_node(node, type=node_type, name=node.replace("-", " ").title())

    def actor(self, aid: str, name: str | None = None, kind: str = "other") -> "Builder":
        self.g.add_node(aid, type="actor", name=name or aid.upper(), kind=kind)
        return self

    def need(self, nid: str) -> "Builder":
        self._ensure(nid, "need")
        return self

    def outcome(self, oid: str, name: str | None = None) -> "Builder":
        self.g.add_node(oid, type="outcome", name=name or oid.title())
        return self

    def service(self, sid: str, providers: Iterable[str] = (), entry: bool | None = None,
                segments: Iterable[str] = (), needs: Iterable[str] = (),
                capacity: float | None = None, name: str | None = None,
                organised: str | None = None) -> "Builder":
        self._reset(sid, ("for_segment", "addresses"), ("provides",))
        attrs: dict = {"type": "service", "name": name or sid.title()}
        if organised is not None:
            attrs["organised"] = organised
        if entry is not None:
            attrs["entry"] = entry
        if capacity is not None:
            attrs["capacity_per_month"] = capacity
        self.g.add_node(sid, **attrs)
        for a in providers:
            self._ensure(a, "actor")
            add_edge(self.g, a, sid, "provides")
        for s in segments:
            self._ensure(s, "segment")
            add_edge(self.g, sid, s, "for_segment")
        for n in needs:
            self._ensure(n, "need")
            add_edge(self.g, sid, n, "addresses")
        return self

    def segment(self, sid: str, entries: Iterable[str] = (), needs: Iterable[str] = (),
                size: int | None = None, name: str | None = None) -> "Builder":
        attrs: dict = {"type": "segment", "name": name or sid.title()}
        if size is not None:
            attrs["size"] = size
        if sid in self.g:
            self.g.nodes[sid].update(attrs)
        else:
            self.g.add_node(sid, **attrs)
        for e in entries:
            add_edge(self.g, sid, e, "entry")
        for n in needs:
            self._ensure(n, "need")
            add_edge(self.g, sid, n, "has_need")
        return self

    def referral(self, rid: str, src: str, dst: str, segments: Iterable[str] = (),
                 volume: float | None = None, wait: float | None = None,
                 owner: str | None = None, info: str = "unknown") -> "Builder":
        self._reset(rid, ("from", "to", "for_segment", "owner"), ())
        attrs: dict = {"type": "referral", "information_flow": info}
        if volume is not None:
            attrs["volume_per_month"] = volume
        if wait is not None:
            attrs["median_wait_days"] = wait
        self.g.add_node(rid, **attrs)
        add_edge(self.g, rid, src, "from")
        add_edge(self.g, rid, dst, "to")
        for s in segments:
            self._ensure(s, "segment")
            add_edge(self.g, rid, s, "for_segment")
        if owner:
            self._ensure(owner, "actor")
            add_edge(self.g, rid, owner, "owner")
        return self

    def role(self, actor: str, subject: str, role: str = "lead") -> "Builder":
        self._ensure(actor, "actor")
        add_edge(self.g, actor, subject, "responsibility", key=f"responsibility:{role}",
                 role=role)
        return self

    def measure(self, mid: str, subjects: Iterable[str] = (), leads: Iterable[str] = (),
                participants: Iterable[str] = (), name: str | None = None,
                deferred: bool | None = None) -> "Builder":
        """A plan measure working on ``subjects`` (segment, service, need or referral ids)."""
        attrs: dict = {"type": "measure", "name": name or mid.title()}
        if deferred is not None:
            attrs["deferred"] = deferred
        self.g.add_node(mid, **attrs)
        for x in subjects:
            add_edge(self.g, mid, x, "subject", key=f"subject:{x}")
        for a in leads:
            self.role(a, mid, "lead")
        for a in participants:
            self.role(a, mid, "participant")
        return self

    def risk(self, rid: str, measure: str, mitigation: str | None = None) -> "Builder":
        attrs: dict = {"type": "risk", "name": rid.title()}
        if mitigation is not None:
            attrs["mitigation"] = mitigation
        self.g.add_node(rid, **attrs)
        add_edge(self.g, measure, rid, "has_risk")
        return self

    def path(self, pid: str, segment: str, steps: Iterable[str],
             name: str | None = None) -> "Builder":
        self.g.add_node(pid, type="path", name=name or pid.title())
        add_edge(self.g, pid, segment, "path_segment")
        for i, node in enumerate(steps, start=1):
            add_edge(self.g, pid, node, "step", key=f"step:{i}", order=i)
        return self

    def chain(self, segment: str = "seg", outcome: str = "work") -> "Builder":
        """A healthy little ecosystem: segment ``seg`` enters at ``a`` (provider x), is
        referred to ``b`` (provider x) and from there to the outcome ``work``; x leads the
        work for the segment."""
        self.actor("x")
        self.outcome(outcome)
        self.service("a", providers=["x"], entry=True)
        self.service("b", providers=["x"])
        self.segment(segment, entries=["a"])
        self.referral("r-ab", "a", "b", owner="x", info="yes", wait=5)
        self.referral("r-bw", "b", outcome, owner="x", info="yes", wait=5)
        self.role("x", segment, "lead")
        return self

    def workbook(self, folder: Path) -> Path:
        """Write the graph as a workbook folder (one CSV per sheet), for the CLI and the
        server to read as a user's file; returns ``folder``."""
        write_workbook(self.g, folder)
        return folder
