"""The typed networkx graph that every analysis, view and export works on.

polku's data flows one way: load (workbook, Turtle, JSON-LD, Neo4j) → this graph →
analyses → findings → views and exports. This module says what the graph looks like
and offers small, plain accessors; it knows nothing about files or RDF.

The graph is a ``networkx.MultiDiGraph``. Every node is keyed by its workbook id and has
a ``type`` attribute; every edge has a ``kind`` attribute and a key that keeps parallel
edges apart.

Node types and their attributes (attribute names are the workbook's column names):

==============  ==============================================================================
type            attributes
==============  ==============================================================================
actor           name, name_sv, name_en, kind (``wellbeing-county`` …), region
service         name, name_sv, name_en, capacity_per_month, entry (bool), method,
                legal_basis, organised (``jointly``/``separately``), description
outcome         name, name_sv, name_en, description
need            name, name_sv, name_en, factor
segment         name, name_sv, name_en, size, participation_rate, description
referral        volume_per_month, median_wait_days, information_flow (``yes``/``no``/``unknown``)
path            name, name_sv, name_en
goal            name (plan layer), description, subthemes
measure         name, start, end (``YYYY-MM``), deferred (bool) (plan layer); description,
                note (schedule remarks), parts (list: ``A: JOHTAMINEN`` …), actions,
                target_groups, outputs, impacts (text, a line per sub-part), deferred_text
indicator       name, part (plan layer: how a measure is followed up)
risk            name, mitigation, part (plan layer)
==============  ==============================================================================

Every node may also carry ``extra``: a dict of the workbook's unknown columns (str → str).
Attributes that the workbook leaves empty are absent, never ``None``. The graph's own
attributes (``g.graph``) are its ``name`` (an id) and the ``graph`` sheet's ``title``,
``title_sv``, ``title_en``, ``region`` (with ``region_sv``, ``region_en``), ``illustrative``
and ``source``. A merged graph (:mod:`polku.analyses.merge`) also holds ``regions``: each
region's own graph sheet, a dict ``{"id": …, "title": …, …, "extra": {…}}`` of
:data:`REGION_FIELDS` (only those it fills), in the order of their ids; its nodes are
``<region>/<id>`` (:func:`region_of`).

Edge kinds (``u → v``, key):

================  ==========================  ==============================================
kind              u → v                       meaning
================  ==========================  ==============================================
part_of           actor → actor               the actor is a unit of the parent (``parent``)
provides          actor → service             the actor delivers the service (``providers``)
addresses         service → need              the service addresses the need
for_segment       service|referral → segment  limited to the segment (``segments``)
has_need          segment → need              the segment has the need
entry             segment → service           the segment first meets the system here
from              referral → service          the referral starts at the service
to                referral → service|outcome  the referral ends there
owner             referral → actor            the actor accountable for the hand-off
responsibility    actor → subject             key ``responsibility:<role>``; attrs role, note
path_segment      path → segment              the segment the designed path is for
step              path → service|outcome      key ``step:<n>``; attr order (1 = first)
in_goal           measure → goal              plan layer: the measure serves the goal
subject           measure → segment|service|  plan layer: what the measure works on
                  need|referral
has_indicator     measure → indicator         plan layer: the measure is followed up by it
has_risk          measure → risk              plan layer: a risk the plan names for the measure
================  ==========================  ==============================================

Referrals are nodes (not edges) so that responsibilities and owners can point at them
like at anything else; :func:`referrals` gives them back as plain records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

import networkx as nx

NODE_TYPES = (
    "actor", "service", "outcome", "need", "segment", "referral", "path",
    "goal", "measure", "indicator", "risk",
)
EDGE_KINDS = (
    "part_of", "provides", "addresses", "for_segment", "has_need", "entry", "from", "to",
    "owner", "responsibility", "path_segment", "step", "in_goal", "subject",
    "has_indicator", "has_risk",
)
ACTOR_KINDS = (
    "wellbeing-county", "employment-area", "municipality", "joint-authority", "kela",
    "third-sector",
    "employer", "education", "occupational-health", "research", "state", "other",
)
ROLES = ("lead", "participant", "consulted", "informed")
INFORMATION_FLOWS = ("yes", "no", "unknown")
#: how a service with several providers is organised: ``separately`` = each provider runs
#: its own part for its own area (a statutory municipal task), so no common lead is expected
ORGANISED = ("jointly", "separately")
LABEL_LANGUAGES = ("fi", "sv", "en")
#: the languages a graph's title is translated to: ``title_sv``, ``title_en`` beside the
#: primary ``title`` (as ``name_sv``, ``name_en`` beside a node's ``name``)
TITLE_LANGUAGES = ("sv", "en")
#: the language of the workbook's text columns (names, titles, descriptions) unless a row's
#: ``<column>_lang`` says otherwise; ``zxx`` (BCP 47) is text in no language
DEFAULT_TEXT_LANG, NO_LANGUAGE = "fi", "zxx"


#: an attribute of an actor in a merged graph's own namespace (``national/kela``, an actor
#: the regions share by business id): the regional ids it stands for, ``region/id``, in the
#: order of the regions' ids (``["keski-suomi/kela", "keski-uusimaa/kela"]``). It says
#: which regions' graphs held the actor, and by what id, where no edge need say it
#: (:func:`polku.analyses.merge.split`); RDF ``polku:mergedFrom`` the regional IRIs.
MERGED_FROM = "merged_from"


def merged_from_order(member: str) -> tuple[str, str]:
    """The order of a :data:`MERGED_FROM` list: by region id, as the merge takes regions.

    >>> sorted(["a/x", "a-b/y"], key=merged_from_order)
    ['a/x', 'a-b/y']
    """
    region, _, local = str(member).partition("/")
    return region, local


#: what a merged graph keeps of each region's graph sheet (``g.graph["regions"]``): its
#: columns but ``id`` (the region's ``id``), and its extra columns as ``extra``; and the
#: threshold its small cells were left out by (``min_cell``), when it was a copy for others
REGION_FIELDS = ("title", "title_sv", "title_en", "region", "region_sv", "region_en",
                 "illustrative", "source", "min_cell")


def new_graph(name: str = "graph") -> nx.MultiDiGraph:
    """An empty polku graph; ``name`` is what findings call it (usually the file stem)."""
    return nx.MultiDiGraph(name=name)


def require_graph(value: Any, what: str,
                  how: str = "load it with polku.load(source).graph or "
                             "polku.io.load.load_graph(source)") -> nx.MultiDiGraph:
    """``value`` if it is a loaded graph, else a :class:`TypeError` that says what ``what``
    (a function or a parameter) takes and how to load one: a library user who passes a
    path gets that, not an ``AttributeError`` from deep inside an analysis.

    >>> require_graph("graphs/keski-uusimaa", "find()")
    Traceback (most recent call last):
    TypeError: find() takes a loaded graph (a networkx MultiDiGraph), not str 'graphs/keski-uusimaa': load it with polku.load(source).graph or polku.io.load.load_graph(source)
    """
    if isinstance(value, nx.MultiDiGraph):
        return value
    shown = f" {value!r}" if isinstance(value, (str, bytes)) or hasattr(value, "__fspath__") \
        else ""
    raise TypeError(f"{what} takes a loaded graph (a networkx MultiDiGraph), not "
                    f"{type(value).__name__}{shown}: {how}")


def add_edge(g: nx.MultiDiGraph, u: str, v: str, kind: str, key: str | None = None,
             **attrs: object) -> None:
    """Add one typed edge; the key defaults to the kind (one edge of a kind per pair)."""
    g.add_edge(u, v, key=key or kind, kind=kind, **attrs)


def add_nodes(g: nx.MultiDiGraph, nodes: Iterable[tuple[str, dict]]) -> None:
    """Add many nodes ``(id, attrs)`` at once; ``attrs`` becomes the node's own attribute
    dict (not copied). A node already present has its attributes updated, as ``add_node``
    would.

    Why: as for :func:`add_edges`, networkx's ``add_node`` checks and copies per node, and a
    national workbook has some 9,000 nodes. This writes the node dict and the empty
    adjacency (``succ[n]``, ``pred[n]``) networkx documents for a MultiDiGraph directly.

    >>> g = new_graph(); add_nodes(g, [("kela", {"type": "actor"})])
    >>> add_nodes(g, [("kela", {"name": "Kela"})]); g.nodes["kela"], list(g.successors("kela"))
    ({'type': 'actor', 'name': 'Kela'}, [])
    """
    succ, pred, node = g._succ, g._pred, g._node
    for n, attrs in nodes:
        if n in succ:
            node[n].update(attrs)
        else:
            succ[n] = {}
            pred[n] = {}
            node[n] = attrs


def add_edges(g: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, dict]]) -> None:
    """Add many typed edges ``(u, v, key, attrs)`` at once; ``attrs`` must hold ``kind``
    and both ends must already be nodes.

    Why: loaders add tens of thousands of edges, and networkx's ``add_edges_from`` checks,
    copies and dispatches per edge (0.45 s of a 1-second national load). This writes the
    adjacency networkx documents for a MultiDiGraph (``succ[u][v][key]`` and
    ``pred[v][u]`` sharing one key dict) directly; a later edge with the same key replaces
    the earlier one, as ``add_edge`` would.

    >>> g = new_graph(); g.add_nodes_from(["a", "b"], type="service")
    >>> add_edges(g, [("a", "b", "x", {"kind": "x"})])
    >>> list(g.edges(keys=True, data="kind"))
    [('a', 'b', 'x', 'x')]
    """
    succ, pred = g._succ, g._pred
    for u, v, key, attrs in edges:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = {}
            pred[v][u] = keys
        keys[key] = attrs


def parent_cycles(parents: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """Every circle of ``part_of`` edges in ``parents`` (actor -> the actors it is a unit
    of, in the order the actors were read): actors that are, up their parents, units of
    themselves. An organisation is the top of its chain of units (``docs/findings.md``,
    "Who must act"), and a circle has no top, so every reader refuses one (the workbook,
    Turtle, JSON-LD and Neo4j alike, and so the API's writes). Each circle is said once,
    from its actor read first, in the order its parents lead; an actor that is its own
    parent is a circle of one.

    >>> parent_cycles({"keusote": ["tiimi"], "tiimi": ["keusote"], "kela": []})
    [('keusote', 'tiimi')]
    >>> parent_cycles({"a": ["b"], "b": ["c"], "c": ["b"], "d": ["d"], "e": ["a"]})
    [('b', 'c'), ('d',)]
    >>> parent_cycles({"unit": ["keusote"]})
    []
    """
    order = {a: i for i, a in enumerate(parents)}
    # Tarjan's strongly connected components, iteratively: a national workbook's chains
    # are long enough to make recursion a risk, and this stays linear in the edges
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in parents:
        if root in index:
            continue
        work = [(root, iter(parents.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, rest = work[-1]
            for up in rest:
                if up not in index:
                    index[up] = low[up] = len(index)
                    stack.append(up)
                    on_stack.add(up)
                    work.append((up, iter(parents.get(up, ()))))
                    break
                if up in on_stack:
                    low[node] = min(low[node], index[up])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in parents.get(node, ()):
                        components.append(component)
    cycles = []
    for component in components:
        first = min(component, key=lambda a: order.get(a, len(order)))
        # one circle through the component (with one parent each, as the workbook and the
        # shapes allow, the component is that circle): up the first parent inside it
        seen: dict[str, int] = {}
        walk: list[str] = []
        actor = first
        while actor not in seen:
            seen[actor] = len(walk)
            walk.append(actor)
            actor = min((p for p in parents.get(actor, ()) if p in component),
                        key=lambda a: order.get(a, len(order)))
        circle = walk[seen[actor]:]
        start = min(range(len(circle)), key=lambda i: order.get(circle[i], len(order)))
        cycles.append(tuple(circle[start:] + circle[:start]))
    return sorted(cycles, key=lambda c: order.get(c[0], len(order)))


def part_of_parents(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Actor -> the actors it is a unit of (its ``part_of`` edges), in the graph's order:
    what :func:`parent_cycles` reads."""
    parents: dict[str, list[str]] = {}
    for u, v, kind in g.edges(data="kind"):
        if kind == "part_of":
            parents.setdefault(u, []).append(v)
    return parents


def parents_up(g: nx.MultiDiGraph, actor: str) -> set[str]:
    """Every actor up ``actor``'s parents (its ``part_of`` edges, followed to the top):
    an edit that makes ``actor`` a unit of one of them would close a circle
    (:func:`parent_cycles`).

    >>> g = new_graph(); g.add_nodes_from(["a", "b", "c"], type="actor")
    >>> add_edge(g, "a", "b", "part_of"); add_edge(g, "b", "c", "part_of")
    >>> sorted(parents_up(g, "a")), sorted(parents_up(g, "c"))
    (['b', 'c'], [])
    """
    found: set[str] = set()
    todo = [actor]
    while todo:
        for _, up, kind in g.out_edges(todo.pop(), data="kind"):
            if kind == "part_of" and up not in found:
                found.add(up)
                todo.append(up)
    return found


def likely_id(ref: str, candidates: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The id a mistyped reference most likely meant, among ``candidates`` (id → node data,
    the nodes of the types the column takes): the one whose name it is (a name written
    where the id belongs), else the one closest in spelling (a typo); None when nothing is
    close. Only a refused cell or parameter asks (the workbook reader a bounded number of
    times); an id written in other case is the id (``IPS`` for ``ips``).

    >>> nodes = {"tyokokeilu": {"type": "service", "name": "Työkokeilu"}}
    >>> likely_id("Työkokeilu", nodes), likely_id("tyokokelu", nodes)
    ('tyokokeilu', 'tyokokeilu')
    >>> likely_id("TYOKOKEILU", nodes), likely_id("kela", nodes) is None
    ('tyokokeilu', True)
    >>> likely_id("kela", {}) is None
    True
    >>> likely_id("kela", {"national/kela": {}, "ra/velka": {}}), likely_id("x", {"ra/x": {}, "rb/x": {}})
    ('national/kela', None)

    An id written with å, ä or ö (which no id has) is the id of the same letters without
    their marks, as the reader offers it where such an id is defined:

    >>> likely_id("järjestö-ä", {"jarjesto-a": {}})
    'jarjesto-a'
    """
    import difflib
    import unicodedata

    folded = ref.strip().casefold()
    same = sorted(n for n in candidates if n.casefold() == folded and n != ref)
    if same:
        return same[0]
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded)
                    if not unicodedata.combining(c))
    if plain != folded and plain in candidates:
        return plain
    # a merged graph's id without its namespace (``kela`` for ``national/kela``), when one
    # region's or the merged namespace's node alone has that local id
    local = [n for n in candidates if "/" in n and n.rsplit("/", 1)[1].casefold() == folded]
    if len(local) == 1:
        return local[0]
    for n, d in sorted(candidates.items()):
        names = [v for k, v in d.items() if k == "name" or k.startswith("name_")]
        if any(isinstance(v, str) and v.strip().casefold() == folded for v in names):
            return n
    close = difflib.get_close_matches(ref, sorted(c for c in candidates if c != ref), n=1,
                                      cutoff=0.8)
    return close[0] if close else None


def close_id(g: nx.MultiDiGraph, given: str, types: Iterable[str]) -> str | None:
    """The id of a node of ``types`` that ``given``, an id of none, was likely meant to be
    (:func:`likely_id`): what every check that refuses an unknown id given as a parameter
    offers with it (``PolkuError(..., close=...)``, worded "did you mean …?" at the edge).

    >>> g = new_graph(); g.add_node("ips", type="service", name="IPS-työhönvalmennus")
    >>> close_id(g, "ipss", ["service"]), close_id(g, "ipss", ["actor"])
    ('ips', None)
    """
    wanted = set(types)
    if not isinstance(given, str) or not given:
        return None
    return likely_id(given, {n: d for n, d in g.nodes(data=True) if d.get("type") in wanted})


def nodes_of(g: nx.MultiDiGraph, node_type: str) -> list[str]:
    """Ids of the nodes of one type, sorted.

    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> nodes_of(g, "actor")
    ['kela']
    """
    return sorted(n for n, t in g.nodes(data="type") if t == node_type)


def targets(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Sorted ids that ``node`` points to by edges of ``kind``.

    Read off the adjacency dicts (``succ[node][v][key]``) directly: networkx's edge view
    costs several times as much per edge, and a report asks this some 40,000 times.

    >>> g = new_graph(); g.add_nodes_from(["r", "a", "b"])
    >>> add_edge(g, "r", "b", "to"); add_edge(g, "r", "a", "to"); add_edge(g, "r", "a", "from")
    >>> targets(g, "r", "to"), sources(g, "a", "to"), targets(g, "nobody", "to")
    (['a', 'b'], ['r'], [])
    """
    nbrs = g._succ.get(node)
    if nbrs is None:
        return sorted({v for _, v, k in g.out_edges(node, data="kind") if k == kind})
    return sorted([v for v, keyed in nbrs.items()
                   if any(d.get("kind") == kind for d in keyed.values())])


def sources(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Sorted ids that point to ``node`` by edges of ``kind`` (as :func:`targets`)."""
    nbrs = g._pred.get(node)
    if nbrs is None:
        return sorted({u for u, _, k in g.in_edges(node, data="kind") if k == kind})
    return sorted([u for u, keyed in nbrs.items()
                   if any(d.get("kind") == kind for d in keyed.values())])


def label(g: nx.MultiDiGraph, node: str) -> str:
    """The node's primary label, or its id when it has none."""
    return str(g.nodes[node].get("name") or node) if node in g else node


def regions(g: nx.MultiDiGraph) -> list[dict]:
    """The regions a merged graph is made of, each its own graph sheet (``id``, titles,
    region names, ``source``, ``illustrative``, ``min_cell``, ``extra``), in the order of
    their ids; ``[]`` for a region's own graph.

    >>> g = new_graph("national"); regions(g)
    []
    >>> g.graph["regions"] = [{"id": "ra", "region": "Keski-Uusimaa"}]; regions(g)
    [{'id': 'ra', 'region': 'Keski-Uusimaa'}]
    """
    return list(g.graph.get("regions") or [])


def region_of(g: nx.MultiDiGraph, node: str) -> dict | None:
    """The region a node of a merged graph comes from (its entry in :func:`regions`): a
    region's node ``x`` is ``<region>/x`` there. ``None`` for a node of no one region: an
    actor the regions share (named in the merged graph's own namespace, ``national/kela``),
    and every node of a graph that was not merged.

    >>> g = new_graph("national")
    >>> g.graph["regions"] = [{"id": "ra", "region": "Keski-Uusimaa"}, {"id": "rb"}]
    >>> region_of(g, "ra/velka"), region_of(g, "national/kela"), region_of(g, "velka")
    ({'id': 'ra', 'region': 'Keski-Uusimaa'}, None, None)
    """
    prefix, slash, _ = str(node).partition("/")
    if not slash:
        return None
    return next((r for r in g.graph.get("regions") or () if r.get("id") == prefix), None)


@dataclass(frozen=True)
class Referral:
    """A referral flow read off the graph (see the module doc)."""
    id: str
    source: str
    target: str
    segments: tuple[str, ...]
    volume_per_month: float | None
    median_wait_days: float | None
    owner: str | None
    information_flow: str


def title(g: nx.MultiDiGraph, lang: str | None = None, untitled: str | None = None) -> str:
    """What a graph is called for people reading ``lang``: its title in that language (the
    ``graph`` sheet's ``title_sv``/``title_en``), else its primary title, else ``untitled``
    (a server's name for it), else its name.

    ``lang`` is the reader's language (``fi``, ``sv``, ``en``); without one, or in Finnish,
    the primary title.

    >>> g = new_graph("keski-uusimaa"); title(g), title(g, "sv")
    ('keski-uusimaa', 'keski-uusimaa')
    >>> g.graph["title"] = "Keski-Uudenmaan ekosysteemi"; title(g), title(g, "sv")
    ('Keski-Uudenmaan ekosysteemi', 'Keski-Uudenmaan ekosysteemi')
    >>> g.graph["title_sv"] = "Mellersta Nylands ekosystem"; title(g, "sv"), title(g, "fi")
    ('Mellersta Nylands ekosystem', 'Keski-Uudenmaan ekosysteemi')
    """
    return titled(g, lang, untitled)[0]


def name_of(data: Mapping[str, Any], lang: str) -> tuple[str, str] | None:
    """A node's name in ``lang`` and the language it is in, from its attributes ``data``:
    ``name_sv``/``name_en``; the Finnish one of a row whose main name is in another language
    (``name_lang=sv``) in its extra column ``name_fi`` (as ``name_sv`` is the Swedish one of
    a Finnish row); a name in ``lang`` from RDF (``name@fr``); else the main ``name`` in its
    own language (Finnish unless ``name_lang`` says otherwise); None for a node without a
    name. Every name chosen by language (the pages, the messages, RDF's labels) is this one.

    >>> vasa = {"name": "Vasa stad", "extra": {"name_lang": "sv", "name_fi": "Vaasan kaupunki"}}
    >>> name_of(vasa, "fi"), name_of(vasa, "sv"), name_of(vasa, "en")
    (('Vaasan kaupunki', 'fi'), ('Vasa stad', 'sv'), ('Vasa stad', 'sv'))
    >>> name_of({"name": "Nuoret", "name_sv": "Unga"}, "sv"), name_of({}, "fi")
    (('Unga', 'sv'), None)
    """
    extra = data.get("extra")
    extra = extra if isinstance(extra, dict) else {}
    own = str(extra.get("name_lang") or DEFAULT_TEXT_LANG)
    if lang != own:
        other = data.get(f"name_{lang}") or extra.get(f"name_{lang}") \
            or extra.get(f"name@{lang}")
        if other:
            return str(other), lang
    primary = data.get("name")
    return (str(primary), own) if primary else None


def titled(g: nx.MultiDiGraph, lang: str | None = None, untitled: str | None = None
           ) -> tuple[str, str | None]:
    """:func:`title` and the language it is written in, as data: ``lang`` where the graph
    sheet gives a title in it, else the primary title's (Finnish, unless the graph's extra
    column ``title_lang`` says otherwise), ``None`` for a graph named by its id (a code in
    no language) or a title in no language (``zxx``). A page marks a title in another
    language than its own with it (:meth:`polku.present.i18n.Translator.title`).

    >>> g = new_graph("keski-uusimaa"); g.graph["title"] = "Keski-Uudenmaan ekosysteemi"
    >>> titled(g, "sv"), titled(new_graph("x"), "sv")
    (('Keski-Uudenmaan ekosysteemi', 'fi'), ('x', None))
    >>> g.graph["title_sv"] = "Mellersta Nylands ekosystem"; titled(g, "sv")
    ('Mellersta Nylands ekosystem', 'sv')
    """
    translated = g.graph.get(f"title_{lang}") if lang in TITLE_LANGUAGES else None
    if translated:
        return str(translated), str(lang)
    primary = g.graph.get("title")
    if primary:
        extra = g.graph.get("extra")
        own = extra.get("title_lang") if isinstance(extra, dict) else None
        own = str(own or DEFAULT_TEXT_LANG)
        return str(primary), None if own == NO_LANGUAGE else own
    return str(untitled or g.graph.get("name", "graph")), None


def referrals(g: nx.MultiDiGraph) -> Iterator[Referral]:
    """Every referral as a :class:`Referral`, in id order.

    >>> g = new_graph()
    >>> for n in ("a", "b"): g.add_node(n, type="service", name=n.upper())
    >>> g.add_node("r1", type="referral", median_wait_days=12)
    >>> add_edge(g, "r1", "a", "from"); add_edge(g, "r1", "b", "to")
    >>> [(r.id, r.source, r.target, r.median_wait_days) for r in referrals(g)]
    [('r1', 'a', 'b', 12)]
    """
    for rid in nodes_of(g, "referral"):
        data = g.nodes[rid]
        src = targets(g, rid, "from")
        dst = targets(g, rid, "to")
        owner = targets(g, rid, "owner")
        yield Referral(
            id=rid,
            source=src[0] if src else "",
            target=dst[0] if dst else "",
            segments=tuple(targets(g, rid, "for_segment")),
            volume_per_month=data.get("volume_per_month"),
            median_wait_days=data.get("median_wait_days"),
            owner=owner[0] if owner else None,
            information_flow=data.get("information_flow", "unknown"),
        )


@dataclass(frozen=True)
class Responsibility:
    actor: str
    subject: str
    role: str
    note: str | None = None


def responsibilities(g: nx.MultiDiGraph) -> list[Responsibility]:
    """Every responsibility row, sorted by subject, actor and role."""
    rows = [
        Responsibility(u, v, d["role"], d.get("note"))
        for u, v, d in g.edges(data=True) if d["kind"] == "responsibility"
    ]
    return sorted(rows, key=lambda r: (r.subject, r.actor, r.role))


def path_steps(g: nx.MultiDiGraph, path: str) -> list[str]:
    """The node ids of a designed path's steps, in order."""
    steps = [(d["order"], v) for _, v, d in g.out_edges(path, data=True) if d["kind"] == "step"]
    return [v for _, v in sorted(steps)]


def repeated_steps(steps: Iterable[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Where a designed path's step follows itself: ``(number before, number, node)`` for
    each two consecutive steps (``(number, node)``, in any order) on the same node. A client
    who stays at a service takes no step (as a referral to itself is none), and the pair
    would make a ``path-broken`` finding no referral can mend: every reader refuses it.

    >>> repeated_steps([(3, "x"), (1, "x"), (2, "y"), (4, "x"), (9, "o")])
    [(3, 4, 'x')]
    """
    ordered = sorted(steps)
    return [(a, b, node) for (a, node), (b, other) in zip(ordered, ordered[1:])
            if node == other]


def summary(g: nx.MultiDiGraph) -> dict[str, int]:
    """Counts of nodes by type (every type listed, zero included) and of responsibilities.

    >>> summary(new_graph())["service"]
    0
    """
    counts = {t: 0 for t in NODE_TYPES}
    for _, t in g.nodes(data="type"):
        counts[t] = counts.get(t, 0) + 1
    counts["responsibility"] = sum(
        1 for *_, k in g.edges(data="kind") if k == "responsibility")
    return counts
