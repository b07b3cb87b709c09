"""The served regions side by side: what the compare page and ``/api/compare`` share."""

from __future__ import annotations

from typing import Any

from polku.server.contract import ApiError
from polku.server.store import GraphStore
from polku.words import N_


def compare_served(store: GraphStore, graphs: str | None, audience: str = "public"
                   ) -> tuple[dict[str, Any] | None, list[str], list[str]]:
    """The comparison of the served graphs (all that load, or the comma-separated names)
    for ``audience`` (the public's: small cells left out), the names that could not be
    read, and the names left out because they are no region (no client segments: a plan
    on its own has no figure per people to set beside a region's). The comparison is
    ``None`` for fewer than two regions.

    Named graphs are compared as named, the way ``polku compare`` compares the files it is
    given: the command refuses a file it cannot read (exit 1) rather than compare fewer
    regions than it was asked to, so a name the server does not serve (404) or cannot read
    (409) is refused with ``field`` ``graphs``, and so are a named graph that is no region
    and fewer than two names (400, from :class:`polku.ops.operations.Compare`). Without
    names nobody asked for any one graph: every served region that can be read is compared
    and the others are listed."""
    from polku.analyses.regions import is_region
    from polku.ops.operations import Compare, answer

    if graphs is not None and graphs.strip():
        loaded = []
        for name in (n.strip() for n in graphs.split(",") if n.strip()):
            try:
                loaded.append(store.model(name)[0])
            except ApiError as e:
                e.field = "graphs"  # the parameter the reader gave, not the path's {name}
                raise
        if not loaded:
            raise ApiError(400, N_("compare needs two regions or more"), field="graphs",
                           params={})
        return answer(Compare(tuple(loaded[1:])), loaded[0], audience), [], []
    models, problems, not_regions = [], [], []
    for entry in store.entries():
        name = entry.source.name
        try:
            model, _ = store.model(name)
        except Exception:  # noqa: BLE001 - a broken graph is listed, not fatal
            problems.append(name)
            continue
        if is_region(model.graph):
            models.append(model)
        else:
            not_regions.append(name)
    from polku.graph import regions

    # a merged graph served on its own is its regions side by side
    if sum(len(regions(m.graph)) or 1 for m in models) < 2:
        return None, problems, not_regions
    return answer(Compare(tuple(models[1:])), models[0], audience), problems, not_regions
