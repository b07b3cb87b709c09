"""The served regions side by side: what the compare page and ``/api/compare`` share."""

from __future__ import annotations

from typing import Any

from polku.server.store import GraphStore


def compare_served(store: GraphStore, graphs: str | None, audience: str = "public"
                   ) -> tuple[dict[str, Any] | None, list[str]]:
    """The comparison of the served graphs (all that load, or the comma-separated names)
    for ``audience`` (the public's: small cells left out), and the names that could not be
    read; ``None`` for fewer than two regions."""
    from polku.ops.operations import Compare, answer

    names = [n.strip() for n in graphs.split(",") if n.strip()] if graphs else [
        e.source.name for e in store.entries()]
    loaded, problems = [], []
    for name in names:
        try:
            model, _ = store.model(name)
        except Exception:  # noqa: BLE001 - a broken or unknown graph is listed, not fatal
            problems.append(name)
            continue
        loaded.append(model)
    if len(loaded) < 2:
        return None, problems
    return answer(Compare(tuple(loaded[1:])), loaded[0], audience), problems
