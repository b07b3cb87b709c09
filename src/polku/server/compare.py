"""The served regions side by side: what the compare page and ``/api/compare`` share."""

from __future__ import annotations

from typing import Any, NamedTuple

from polku.errors import fields_named
from polku.server.contract import ApiError
from polku.server.http import versions_tag
from polku.server.store import GraphStore
from polku.words import N_


#: Compare's parameter as the compare page and ``/api/compare`` name it: the graphs are
#: named in the query parameter ``graphs``
AS_QUERIED = {"others": "graphs"}


class Comparison(NamedTuple):
    """A comparison of served graphs: the comparison (``None`` for fewer than two
    regions), the names that could not be read, those left out as no region, the merged
    graphs left out because their regions are served on their own, and the ETag of the
    versions it was made from (:func:`polku.server.http.versions_tag`)."""
    result: dict[str, Any] | None
    problems: list[str]
    not_regions: list[str]
    merged_left_out: list[str]
    etag: str


def as_served(pairs: list[tuple[str, Any]]) -> list[Any]:
    """The models of ``pairs`` (served name, model), each region whose graph's own name
    (``graph.csv``'s id) another of them shares named by its served name instead: the served
    names are unique (a folder holds one file of a name), the graphs' own need not be (two
    copies of one region under different folder names), and a comparison names each region
    once. A merged graph keeps its regions' names (they are its rows).

    >>> from polku.graph import new_graph
    >>> from polku.ops.model import Model
    >>> a, b = Model(new_graph("ku")), Model(new_graph("ku"))
    >>> [m.graph.graph["name"] for m in as_served([("ku", a), ("ku-copy", b)])]
    ['ku', 'ku-copy']
    """
    from polku.graph import regions
    from polku.ops.model import Model

    names = [str(m.graph.graph.get("name", "")) for _, m in pairs]
    out = []
    for (served, model), own in zip(pairs, names):
        if names.count(own) > 1 and served != own and not regions(model.graph):
            # a view: the graph is not copied, only its own attributes, the name changed
            view = model.graph.copy(as_view=True)
            view.graph = {**model.graph.graph, "name": served}
            model = Model(view, model.version, model.audience, model.min_cell,
                          warnings=model.warnings)
        out.append(model)
    return out


def served_comparison(store: GraphStore, graphs: str | None,
                      audience: str = "public") -> Comparison:
    """The comparison of the served graphs (all that load, or the comma-separated names)
    for ``audience`` (the public's: small cells left out; an editor's: the true figures),
    the names that could not be read, the names left out because they are no region
    (no client segments: a plan on its own has no figure per people to set beside a
    region's), and the merged graphs left out because a region of theirs is served on its
    own. The comparison is ``None`` for fewer than two regions.

    Named graphs are compared as named, the way ``polku compare`` compares the files it is
    given: the command refuses a file it cannot read (exit 1) rather than compare fewer
    regions than it was asked to, so a name the server does not serve (400: a query
    parameter's unknown name, with the graph likely meant as ``did_you_mean``) or cannot
    read (409) is refused with ``field`` ``graphs``, and so are a named graph that is no
    region, a merged graph named beside its own regions and fewer than two names (400, from
    :class:`polku.ops.operations.Compare`), and a name listed twice (400, said so: not two
    regions of one name, as Compare would take it).
    Without names nobody asked for any one graph: every served region that can be read is
    compared and the others are listed. A merged graph (``national`` beside the regions it
    was merged from) would bring a region twice: it is compared as its regions only where
    none of them is served on its own or in a merged graph before it, else listed.
    Regions whose graphs share their own name are compared under their served names
    (:func:`as_served`)."""
    from polku.analyses.regions import is_region
    from polku.ops.operations import Compare, answer

    if graphs is not None and graphs.strip():
        named = [n.strip() for n in graphs.split(",") if n.strip()]
        twice = next((n for i, n in enumerate(named) if n in named[:i]), None)
        if twice is not None:
            # the one graph named twice, not two graphs of one name (Compare's refusal)
            raise ApiError(400, N_("'{name}' is listed twice in graphs: list each graph once"),
                           field="graphs", params={"name": twice})
        loaded = []
        for name in named:
            try:
                loaded.append((name, *store.model(name)))
            except ApiError as e:
                if e.status == 404:
                    # a name the reader gave in a query parameter, not the path: a 400
                    # naming the parameter (the README's rule), with the graph likely meant
                    raise ApiError(400, e.message, field="graphs", cause=e.cause) from None
                e.field = "graphs"  # the parameter the reader gave, not the path's {name}
                raise
        if not loaded:
            raise ApiError(400, N_("compare needs two regions or more"), field="graphs",
                           params={})
        models = as_served([(name, model) for name, model, _ in loaded])
        with fields_named(AS_QUERIED):
            result = answer(Compare(tuple(models[1:])), models[0], audience)
        return Comparison(result, [], [], [], versions_tag((n, v.etag) for n, _, v in loaded))
    from polku.graph import regions

    plain, merged, problems, not_regions, read = [], [], [], [], []
    for entry in store.entries():
        name = entry.source.name
        try:
            model, version = store.model(name)
        except Exception:  # noqa: BLE001 - a broken graph is listed, not fatal
            problems.append(name)
            read.append((name, None))
            continue
        read.append((name, version.etag))
        if not is_region(model.graph):
            not_regions.append(name)
        elif regions(model.graph):
            merged.append((name, model))
        else:
            plain.append((name, model))
    models = as_served(plain)
    compared = {str(m.graph.graph.get("name", "")) for m in models}
    merged_left_out = []
    for name, model in merged:
        held = {str(r.get("id", "")) for r in regions(model.graph)}
        if held & compared:
            merged_left_out.append(name)
        else:
            models.append(model)
            compared |= held

    tag = versions_tag(read)
    # a merged graph served on its own is its regions side by side
    if sum(len(regions(m.graph)) or 1 for m in models) < 2:
        return Comparison(None, problems, not_regions, merged_left_out, tag)
    with fields_named(AS_QUERIED):
        result = answer(Compare(tuple(models[1:])), models[0], audience)
    return Comparison(result, problems, not_regions, merged_left_out, tag)
