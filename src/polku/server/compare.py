"""The served regions side by side: what the compare page and ``/api/compare`` share."""

from __future__ import annotations

from typing import Any

from polku.server.store import GraphStore


def compare_served(store: GraphStore, graphs: str | None, audience: str = "public"
                   ) -> tuple[dict[str, Any] | None, list[str], list[str]]:
    """The comparison of the served graphs (all that load, or the comma-separated names)
    for ``audience`` (the public's: small cells left out), the names that could not be
    read, and the names left out because they are no region: when no names are given, a
    graph without client segments (a plan on its own) has no figure per people to set
    beside a region's. The comparison is ``None`` for fewer than two regions."""
    from polku.ops.operations import Compare, answer

    names = [n.strip() for n in graphs.split(",") if n.strip()] if graphs else [
        e.source.name for e in store.entries()]
    loaded, problems, not_regions = [], [], []
    for name in names:
        try:
            model, _ = store.model(name)
        except Exception:  # noqa: BLE001 - a broken or unknown graph is listed, not fatal
            problems.append(name)
            continue
        if not graphs and not any(t == "segment" for _, t in model.graph.nodes(data="type")):
            not_regions.append(name)
            continue
        loaded.append(model)
    if len(loaded) < 2:
        return None, problems, not_regions
    return answer(Compare(tuple(loaded[1:])), loaded[0], audience), problems, not_regions
