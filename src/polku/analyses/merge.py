"""Regions side by side in one national graph.

Each region keeps its own namespace: its node ``x`` becomes ``<region>/x`` in the merged
graph, and its RDF resource stays ``https://w3id.org/polku/id/<region>/x``. Actors with the
same ``business_id`` (Y-tunnus) are one organisation and become one actor, named in the
merged graph's own namespace (``<name>/<its id in the first region>``, regions taken in
the order of their names, so the result does not depend on the order given), so national
bodies such as Kela appear once and every region's services hang on the same node. What
the regions say differently about such an actor (its name, kind, parent …) is reported as a
conflict, never settled silently: the merged graph keeps the first region's value and the
conflict says which region said what. Such an actor lists the regional ids it stands for
(:data:`MERGED_FROM`), so the merged graph knows which regions held it and what each
called it, whether or not an edge ties it to them: :func:`split` gives each region back
exactly.

Each region's follow-ups (``g.graph["followups"]``, :mod:`polku.followup`) come along, keyed
as the merged graph's findings are: a region's key ``kind:subject[:detail]`` names its ids
as the region does, and the merged graph's finding on the same nodes names them by their
merged ids (:func:`merged_key`), its ``owner`` too. Two regions that follow up one merged
finding (an actor they share) differently are a conflict as well: the merged graph keeps the
first region's row whole, and each field that differs is reported.

Each region's own graph sheet comes along too, as the merged graph's ``regions``
(:func:`region_sheet`; :func:`polku.graph.regions`, :func:`polku.graph.region_of`): its id,
titles, region names, source, whether it is illustrative, the threshold its small cells
were left out by (``min_cell``, a region that was a copy for others) and its extra columns,
so that a national reader can tell which region a node came from and what each region said
of itself. The merged graph says the largest such threshold: every copy of it for others
hides below it (:func:`polku.privacy.threshold`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import networkx as nx

from polku.errors import NodeName, PolkuError
from polku.finding import KEY_SEPARATOR
from polku.graph import (MERGED_FROM, REGION_FIELDS, merged_from_order, new_graph,
                         require_graph)
from polku.io.naming import check_graph_id
from polku.privacy import stated_threshold
from polku.words import N_

#: actor attributes compared across regions (extra columns are kept from each region)
COMPARED = ("name", "name_sv", "name_en", "kind", "region")
#: a follow-up's fields compared across regions (its extra columns too); ``updated`` and
#: ``by`` say who last wrote a region's row and when, not what it says: never a conflict
FOLLOWUP_FIELDS = ("status", "owner", "due", "note")
#: the merged graph's titles: (graph attribute, words before the regions' titles)
MERGED_TITLES = (("title", "Kansallinen yhdistelmä: "),
                 ("title_sv", "Nationell sammanställning: "),
                 ("title_en", "National combination: "))


@dataclass
class Conflict:
    """Regions disagree on one fact about one merged actor (the first region's value is
    kept; :func:`polku.present.printers.conflict_text` says it in a reader's language)."""
    actor: str
    business_id: str
    field: str
    values: dict[str, object]  # region -> what it says


@dataclass
class FollowUpConflict:
    """Regions follow up one merged finding differently: ``field`` of the follow-up of
    ``key`` (the merged finding's key), what each region says ('': it leaves it empty)."""
    key: str
    field: str
    values: dict[str, object]  # region -> what it says


@dataclass
class Merged:
    graph: nx.MultiDiGraph
    conflicts: list[Conflict | FollowUpConflict] = field(default_factory=list)
    #: business id -> the merged actor's id and the regional ids it stands for
    shared: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    #: the merged graph's follow-up key -> the region whose follow-up it keeps
    followup_region: dict[str, str] = field(default_factory=dict)


def qualified(region: str, node: str) -> str:
    """A regional node's id in the merged graph.

    >>> qualified("keski-uusimaa", "alkuhaastattelu")
    'keski-uusimaa/alkuhaastattelu'
    """
    return f"{region}/{node}"


def merged_key(key: str, ids: Callable[[str], str]) -> str:
    """A region's finding key (``docs/findings.md``, "The stable key") as the merged graph's
    finding on the same nodes has it: every id in it (the subject, and the ``+``-joined ids
    of the detail) by its merged id (``ids``), in the key's order (a broken path's two
    steps are in step order, whatever their merged ids sort as).

    >>> merged_key("path-broken:p1:velka+tyo", lambda n: qualified("ra", n))
    'path-broken:ra/p1:ra/velka+ra/tyo'
    >>> merged_key("actor-overload:kela", lambda n: "national/kela" if n == "kela" else n)
    'actor-overload:national/kela'
    """
    kind, subject, *detail = key.split(KEY_SEPARATOR)
    parts = [kind, ids(subject)]
    if detail:
        parts.append("+".join(ids(d) for d in detail[0].split("+")))
    return KEY_SEPARATOR.join(parts)


def region_sheet(g: nx.MultiDiGraph) -> dict:
    """What a merged graph keeps of a region's own graph sheet: its id, the columns it fills
    (:data:`polku.graph.REGION_FIELDS`) and its extra columns (copied: the merged graph
    never shares a dict with a region).

    >>> from polku.graph import new_graph
    >>> g = new_graph("ra"); g.graph.update(title="A", illustrative=False, source="",
    ...                                     extra={"contact": "x"})
    >>> region_sheet(g)
    {'id': 'ra', 'title': 'A', 'illustrative': False, 'extra': {'contact': 'x'}}
    """
    sheet: dict = {"id": str(g.graph.get("name", "graph"))}
    sheet.update({k: g.graph[k] for k in REGION_FIELDS if g.graph.get(k) not in (None, "")})
    if g.graph.get("extra"):
        sheet["extra"] = dict(g.graph["extra"])
    return sheet


def is_merged(g: nx.MultiDiGraph) -> bool:
    """Whether ``g`` is already a merged graph: its ids hold their region
    (``keski-uusimaa/ips``), as only :func:`merge` writes them. What merge refuses to merge
    again, and what ``compare`` names when a database holds one beside its regions.

    >>> from polku.graph import new_graph
    >>> g = new_graph("r"); g.add_node("ips", type="service"); is_merged(g)
    False
    >>> is_merged(merge([g]).graph)
    True
    """
    return any("/" in str(n) for n in g.nodes)


@dataclass
class LeftOut:
    """A merged graph among the graphs to merge (a database's every region): ``read`` its
    regions read already (on their own, or from a merged graph before it), ``taken`` those
    taken from it (split out again, :func:`split`); a graph nothing is taken from is left
    out whole."""
    merged: str
    read: list[str]
    taken: list[str]


def regions_to_merge(graphs: Sequence[nx.MultiDiGraph]
                     ) -> tuple[list[nx.MultiDiGraph], list[LeftOut]]:
    """The regions a merge of ``graphs`` takes when some of them are merged graphs already
    (``neo4j pull --all`` of a database where a national graph was pushed beside its
    regions): every region on its own, then of each merged graph (by name) the regions
    none before brought, split out of it; and what was done with each merged graph. A
    merged graph polku cannot split (no regions' sheets: older than they) is left out.

    >>> from polku.graph import new_graph
    >>> a, b = new_graph("a"), new_graph("b")
    >>> for g in (a, b):
    ...     g.add_node("s", type="segment", name="S")
    >>> national = merge([a, b]).graph
    >>> taken, merged = regions_to_merge([a, national])
    >>> [g.graph["name"] for g in taken], merged
    (['a', 'b'], [LeftOut(merged='national', read=['a'], taken=['b'])])
    """
    alone = [g for g in graphs if not is_merged(g)]
    taken = list(alone)
    seen = {str(g.graph.get("name", "graph")) for g in alone}
    said = []
    for g in sorted((g for g in graphs if is_merged(g)),
                    key=lambda g: str(g.graph.get("name", "graph"))):
        parts = split(g)
        new = [r for r in parts if r.id not in seen]
        taken += [r.graph for r in new]
        seen |= {r.id for r in new}
        said.append(LeftOut(str(g.graph.get("name", "graph")),
                            sorted(r.id for r in parts if r not in new),
                            sorted(r.id for r in new)))
    return taken, said


def merge(graphs: list[nx.MultiDiGraph], name: str = "national") -> Merged:
    """Merge regional graphs into one (see the module doc). Graphs must have distinct
    names (their namespaces), none equal to ``name``.

    >>> from polku.graph import MERGED_FROM, REGION_FIELDS, merged_from_order, new_graph
    >>> a, b = new_graph("a"), new_graph("b")
    >>> a.add_node("kela", type="actor", name="Kela", kind="kela", business_id="0246246-0")
    >>> b.add_node("fpa", type="actor", name="Kela", kind="kela", business_id="0246246-0")
    >>> sorted(merge([a, b]).graph.nodes)
    ['national/kela']
    """
    if isinstance(graphs, (str, bytes, nx.Graph)) or hasattr(graphs, "__fspath__"):
        raise TypeError(f"merge() takes a list of loaded graphs, not {type(graphs).__name__}"
                        f"{'' if isinstance(graphs, nx.Graph) else f' {graphs!r}'}")
    graphs = [require_graph(g, "merge()") for g in graphs]
    check_graph_id(name)  # the namespace of every shared actor: it goes into IRIs
    names = [str(g.graph.get("name", "graph")) for g in graphs]
    for n, g in zip(names, graphs):
        types = {t for _, t in g.nodes(data="type")}
        # a plan on its own would come in as a region of its own, its actors beside the
        # region's instead of joining them
        if "measure" in types and not types & {"service", "segment"}:
            raise PolkuError(N_("'{name}' is an action plan, not a region: merge joins "
                                "regions (a plan's goals and measures go in its region's "
                                "plan sheets)"), params={"name": NodeName(n, {
                                    "name": g.graph.get("title"),
                                    "name_sv": g.graph.get("title_sv"),
                                    "name_en": g.graph.get("title_en")})}, field="sources")
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise PolkuError(N_("two graphs are named '{name}': each region needs its own "
                                "graph id (the id in its graph sheet) to keep its own "
                                "namespace"), params={"name": n}, field="sources")
        seen.add(n)
    # regions in the order of their names: the merge of A and B is the merge of B and A
    names, graphs = zip(*sorted(zip(names, graphs), key=lambda x: x[0])) if graphs else ((), ())
    for region, g in zip(names, graphs):
        if is_merged(g):
            raise PolkuError(N_("'{region}' is already a merged graph: merge the regions "
                                "themselves"), params={"region": region}, field="sources")
    if name in seen:
        raise PolkuError(N_("the merged graph's name '{name}' is also a region's: give "
                            "the merged graph another name"), params={"name": name}, field="name")

    # one merged actor per business id, named after its id in the first region that has it
    by_business: dict[str, list[tuple[str, str]]] = {}
    for region, g in zip(names, graphs):
        for node, data in sorted(g.nodes(data=True)):
            if data.get("type") == "actor" and data.get("business_id"):
                by_business.setdefault(str(data["business_id"]), []).append((region, node))
    for bid, members in sorted(by_business.items()):
        # one business id is one organisation: two actors of one region carrying it (a
        # unit given its organisation's id) cannot both become the one merged actor
        for (r1, n1), (r2, n2) in zip(members, members[1:]):
            if r1 == r2:
                raise PolkuError(N_("'{region}': the actors {first} and {second} have the "
                                    "same business id {business_id}; a business id names "
                                    "one organisation: leave it out of its units, or make "
                                    "them one actor"),
                                 params={"region": r1, "first": n1, "second": n2,
                                         "business_id": bid}, field="sources")
    result = Merged(new_graph(name))
    rename: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for bid, members in sorted(by_business.items()):
        local = members[0][1]
        merged_id = qualified(name, local if qualified(name, local) not in taken
                              else f"{local}-{bid.replace('-', '')}")
        taken.add(merged_id)
        for region, node in members:
            rename[(region, node)] = merged_id
        result.shared[bid] = (merged_id, [qualified(r, n) for r, n in members])

    g_out = result.graph
    # the merged graph's titles are data, as each region's are: one per language the
    # workbook has a title column for, each listing the regions' titles in that language
    # (a region without one in it by its primary title)
    g_out.graph.update({
        key: prefix + ", ".join(str(g.graph.get(key) or g.graph.get("title") or n)
                                for n, g in zip(names, graphs))
        for key, prefix in MERGED_TITLES})
    g_out.graph.update({
        "region": "koko maa",
        "illustrative": any(bool(g.graph.get("illustrative")) for g in graphs),
        "source": "polku merge: " + ", ".join(names),
        "regions": [region_sheet(g) for g in graphs],
    })
    # a region shared with its small cells hidden below 10 is hidden below 10 in the
    # merged graph too: it says the largest threshold, by which any copy of it for others
    # hides every region's (each region's own stays in its sheet)
    if (hidden_by := stated_threshold(g_out)) is not None:
        g_out.graph["min_cell"] = hidden_by
    for region, g in zip(names, graphs):
        for node, data in g.nodes(data=True):
            new_id = rename.get((region, node), qualified(region, node))
            if new_id not in g_out:
                g_out.add_node(new_id, **{k: (dict(v) if isinstance(v, dict) else v)
                                          for k, v in data.items()})
            else:
                _merge_actor(result, new_id, region, data)
        for u, v, key, data in g.edges(keys=True, data=True):
            nu = rename.get((region, u), qualified(region, u))
            nv = rename.get((region, v), qualified(region, v))
            g_out.add_edge(nu, nv, key=key, **data)
    for merged_id, members in result.shared.values():
        # which regions held the actor, by the id each gave it: what split() gives back
        # (the merged graph's edges cannot say it for an actor no edge ties to a region)
        g_out.nodes[merged_id][MERGED_FROM] = sorted(members, key=merged_from_order)
        parents = sorted({v for _, v, k in g_out.out_edges(merged_id, data="kind")
                          if k == "part_of"})
        if len(parents) > 1:
            result.conflicts.append(Conflict(
                merged_id, str(g_out.nodes[merged_id].get("business_id")), "parent",
                {p.split("/", 1)[0]: p for p in parents}))
    for region, g in zip(names, graphs):
        _merge_followups(result, region, g.graph.get("followups") or {},
                         lambda n, r=region: rename.get((r, n), qualified(r, n)))
    return result


def _merge_followups(result: Merged, region: str, followups: dict[str, dict],
                     ids: Callable[[str], str]) -> None:
    """Take a region's follow-ups into the merged graph, keyed and owned by merged ids
    (:func:`merged_key`). A merged finding another region already follows up differently
    keeps that region's row; each field that differs becomes a :class:`FollowUpConflict`."""
    kept = result.graph.graph.setdefault("followups", {})
    firsts = result.followup_region
    for key, row in sorted(followups.items()):
        row = {k: (dict(v) if isinstance(v, dict) else v) for k, v in row.items()}
        if row.get("owner"):
            row["owner"] = ids(str(row["owner"]))
        new_key = merged_key(key, ids)
        if new_key not in kept:
            kept[new_key] = row
            firsts[new_key] = region
            continue
        first = kept[new_key]
        fields = [f for f in FOLLOWUP_FIELDS if f in first or f in row]
        extra_a, extra_b = first.get("extra") or {}, row.get("extra") or {}
        # a field one region leaves empty reads as '' (as in its sheet)
        said = [(f, first.get(f, ""), row.get(f, "")) for f in fields] + \
            [(c, extra_a.get(c, ""), extra_b.get(c, ""))
             for c in sorted(set(extra_a) | set(extra_b))]
        for f, a, b in said:
            if a != b:
                conflict = next((c for c in result.conflicts if isinstance(c, FollowUpConflict)
                                 and c.key == new_key and c.field == f), None)
                if conflict is None:
                    conflict = FollowUpConflict(new_key, f, {firsts[new_key]: a})
                    result.conflicts.append(conflict)
                conflict.values[region] = b
    if not kept:
        del result.graph.graph["followups"]


def _merge_actor(result: Merged, merged_id: str, region: str, data: dict) -> None:
    """Fold another region's view of a merged actor in; disagreements become conflicts."""
    node = result.graph.nodes[merged_id]
    for f in COMPARED:
        if f in data and f in node and data[f] != node[f]:
            _conflict(result, merged_id, f, region, node[f], data[f])
        elif f in data and f not in node:
            node[f] = data[f]
    if data.get("extra"):
        kept = node.setdefault("extra", {})
        for col, value in data["extra"].items():
            if col not in kept:
                kept[col] = value
            elif kept[col] != value:  # an extra column the regions fill differently
                _conflict(result, merged_id, col, region, kept[col], value)


def _conflict(result: Merged, merged_id: str, field: str, region: str, kept: object,
              said: object) -> None:
    """Note that ``region`` says ``said`` of the merged actor's ``field``, where the merged
    graph keeps ``kept`` (the first region's)."""
    conflict = next((c for c in result.conflicts
                     if c.actor == merged_id and c.field == field), None)
    if conflict is None:
        conflict = Conflict(merged_id, str(result.graph.nodes[merged_id].get("business_id")),
                            field, {_first_region(result, merged_id): kept})
        result.conflicts.append(conflict)
    conflict.values[region] = said


def _first_region(result: Merged, merged_id: str) -> str:
    for merged, members in result.shared.values():
        if merged == merged_id:
            return members[0].split("/", 1)[0]
    return "?"


@dataclass
class Region:
    """One region of a merged graph, taken out again (:func:`split`): ``graph`` is the
    region as it was, by its own ids (``x``, not ``<region>/x``) and with its own graph
    sheet; ``merged_id`` turns one of its ids back into the merged graph's."""
    id: str
    graph: nx.MultiDiGraph
    #: the region's id -> the merged graph's id (every node of ``graph``)
    ids: dict[str, str]

    def merged_id(self, node: str) -> str:
        """The merged graph's id of the region's ``node``; a node the region does not have
        yet (a new row an edit would create) in the region's namespace."""
        return self.ids.get(node) or qualified(self.id, node)


def split(g: nx.MultiDiGraph) -> list[Region]:
    """The regions of a merged graph (:func:`merge`), each a graph of its own again: its
    nodes and the actors it shares with others, the edges among them, its own graph sheet
    (:func:`polku.graph.regions`) as its graph's. ``[]`` for a graph that was not merged.
    Why: what is asked of one region (its figures beside another's, a verified suggestion,
    which goes through the workbook's rows, where an id holds no ``/``) is asked of each
    region of a merged graph.

    A shared actor (in the merged graph's own namespace) is in exactly the regions whose
    graphs held it, by the id each gave it: its :data:`MERGED_FROM` (``national/kela`` from
    ``["a/kela", "b/fpa"]`` is ``kela`` in ``a`` and ``fpa`` in ``b``). A merged graph
    written before polku recorded that (no ``merged_from``) falls back on its edges: such an
    actor is in every region one of whose nodes it touches, and, touching none, in every
    region, by the local part of its merged id.

    >>> from polku.graph import new_graph
    >>> a, b = new_graph("a"), new_graph("b")
    >>> a.add_node("kela", type="actor", name="Kela", business_id="0246246-0")
    >>> b.add_node("fpa", type="actor", name="Kela", business_id="0246246-0")
    >>> a.add_node("keuruu", type="actor", name="Keuruu", business_id="0208388-2")
    >>> for r, g in (("kela", a), ("fpa", b)):
    ...     g.add_node("s", type="service", name="S"); _ = g.add_edge(r, "s", kind="provides")
    >>> [(r.id, sorted(r.graph.nodes), r.merged_id("kela" if r.id == "a" else "fpa"))
    ...  for r in split(merge([a, b]).graph)]
    [('a', ['kela', 'keuruu', 's'], 'national/kela'), ('b', ['fpa', 's'], 'national/kela')]
    """
    from polku.graph import regions

    sheets = regions(g)
    if not sheets:
        return []
    ids = {str(r["id"]) for r in sheets}
    shared = [n for n in g if str(n).partition("/")[0] not in ids]
    # region -> shared actor -> the region's id for it, from what the merge recorded
    held: dict[str, dict[str, str]] = {r: {} for r in ids}
    unrecorded = []
    for a in shared:
        members = g.nodes[a].get(MERGED_FROM)
        if not members:
            unrecorded.append(a)
            continue
        for member in members:
            region, _, local = str(member).partition("/")
            if region in held and local:
                held[region][a] = local
    out: list[Region] = []
    for sheet in sheets:
        region = str(sheet["id"])
        own = [n for n in g if str(n).partition("/")[0] == region]
        own_set = set(own)
        local: dict[str, str] = {}  # merged id -> the region's id
        for n in own:
            local[n] = str(n).partition("/")[2]
        local.update(held[region])
        # older merged graphs: a shared actor belongs to every region one of whose nodes it
        # touches (or, touching none, to every region: such a graph does not say which
        # regions named it)
        guessed = [a for a in unrecorded
                   if any(x in own_set for x in nx.all_neighbors(g, a))
                   or not any(str(x).partition("/")[0] in ids for x in nx.all_neighbors(g, a))]
        taken = set(local.values())
        for a in guessed:
            base = str(a).partition("/")[2] or str(a)
            name, k = base, 2
            while name in taken:
                name, k = f"{base}-{k}", k + 1
            local[a] = name
            taken.add(name)
        sub = new_graph(region)
        sub.graph.update({k: v for k, v in sheet.items() if k in REGION_FIELDS})
        if sheet.get("extra"):
            sub.graph["extra"] = dict(sheet["extra"])
        mine = own + [a for a in shared if a in local]
        for n in mine:
            sub.add_node(local[n], **{k: (dict(v) if isinstance(v, dict) else v)
                                      for k, v in g.nodes[n].items() if k != MERGED_FROM})
        for u, v, key, data in g.edges(keys=True, data=True):
            if u in local and v in local:
                sub.add_edge(local[u], local[v], key=key, **data)
        out.append(Region(region, sub, {r: m for m, r in local.items()}))
    return out
