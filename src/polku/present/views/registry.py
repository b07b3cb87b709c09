"""The views by name: what builds each one, whether it takes an id (``segment:S``), what
analyses it shows and how the web UI lists it. :func:`build_view` and :func:`analysed`,
the CLI's ``polku render``, the report and the web UI all go through :data:`VIEWS`, so a
new view is one entry here and one module beside the others.

>>> parse_view("segment:youth"), parse_view("ecosystem")
(('segment', 'youth'), ('ecosystem', None))
>>> [spec.usage for spec in VIEWS.values()]
['ecosystem', 'segment:ID', 'path:ID', 'blueprint:ID', 'responsibility', 'plan', 'timeline']
>>> VIEWS["blueprint"].takes
('path', 'segment')
>>> sorted(MENU_ORDER) == sorted(VIEWS)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import networkx as nx

from polku.errors import Choices, PolkuError
from polku.graph import nodes_of, title as graph_title
from polku.present.i18n import N_, Translator, translator
from polku.present.merged import region_rows
from polku.present.messages import message
from polku.present.views.ecosystem import CLUSTER_BY, CLUSTER_THRESHOLD, ecosystem_view
from polku.present.views.facts import Facts, View, finding_list
from polku.present.views.blueprint import blueprint_view
from polku.present.views.focus import narrow
from polku.present.views.path import path_view
from polku.present.views.plan import plan_view
from polku.present.views.responsibility import responsibility_view
from polku.present.views.segment import segment_view
from polku.present.views.timeline import timeline_view

#: a way of grouping the ecosystem view polku does not know
CLUSTER_BY_MESSAGE = N_("unknown grouping '{value}': expected provider or region")


@dataclass(frozen=True)
class Request:
    """What a view may ask for beyond the graph and its facts."""
    arg: str | None
    paths: Sequence[Any] | None
    k: int
    cluster_threshold: int
    cluster_by: str
    eco: Any
    today: Any = None
    to: str | None = None


def _segment_analyses(g: nx.MultiDiGraph, arg: str, k: int,
                      to: str | None = None) -> dict[str, Any]:
    from polku.analyses.paths import best_paths

    return {"paths": best_paths(g, arg, k=k, to=to), "k": k, "to": to}


def _blueprint_analyses(g: nx.MultiDiGraph, arg: str, k: int,
                        to: str | None = None) -> dict[str, Any]:
    """A segment's blueprint draws its best paths (to ``to``, when given: found once, as
    the segment view's); a designed path's needs nothing beyond the graph."""
    if g.nodes.get(arg, {}).get("type") == "segment":
        return _segment_analyses(g, arg, k, to)
    return {"k": k}


@dataclass(frozen=True)
class ViewSpec:
    """One view: ``build`` draws it; ``argument`` is the node type of the id it takes
    (``segment:ID``), if any, and ``also`` the other node types that id may name (the
    menu lists the nodes of ``argument``); ``title`` names it in the web UI's menu (for a view with an
    id, the prefix before each node's name; marked with ``N_`` here and translated by
    :func:`menu`); the menu lists it only when the graph has a
    node of type ``needs``; ``analyses`` runs what it shows beyond the findings (of the
    graph, the id, ``k`` and the target outcome ``to``)."""
    name: str
    build: Callable[[nx.MultiDiGraph, Facts, Request], View]
    title: str
    argument: str | None = None
    also: tuple[str, ...] = ()
    needs: str | None = None
    analyses: Callable[[nx.MultiDiGraph, str, int, str | None], dict[str, Any]] | None = None

    @property
    def takes(self) -> tuple[str, ...]:
        """The node types the view's id may name."""
        return ((self.argument,) if self.argument else ()) + self.also

    @property
    def usage(self) -> str:
        return f"{self.name}:ID" if self.argument else self.name


VIEWS: dict[str, ViewSpec] = {spec.name: spec for spec in (
    ViewSpec("ecosystem", lambda g, f, r: ecosystem_view(
        g, f, cluster_threshold=r.cluster_threshold, cluster_by=r.cluster_by),
        title=N_("Ecosystem")),
    ViewSpec("segment", lambda g, f, r: segment_view(g, f, str(r.arg), r.paths, r.k, r.eco,
                                                     r.to),
             title=N_("Client segment"), argument="segment", analyses=_segment_analyses),
    ViewSpec("path", lambda g, f, r: path_view(g, f, str(r.arg)), title=N_("Designed path"),
             argument="path"),
    ViewSpec("blueprint", lambda g, f, r: blueprint_view(g, f, str(r.arg), r.paths, r.k, r.to),
             title=N_("Service blueprint"), argument="path", also=("segment",),
             analyses=_blueprint_analyses),
    ViewSpec("responsibility", lambda g, f, r: responsibility_view(g, f),
             title=N_("Responsibilities")),
    ViewSpec("plan", lambda g, f, r: plan_view(g, f), title=N_("Action plan"),
             needs="measure"),
    ViewSpec("timeline", lambda g, f, r: timeline_view(g, f, r.today), title=N_("Timeline"),
             needs="measure"),
)}
VIEW_NAMES = tuple(VIEWS)
#: the web UI's menu: the whole-graph pictures first, then one entry per segment and path
MENU_ORDER = ("ecosystem", "responsibility", "segment", "path", "blueprint", "plan",
              "timeline")


def parse_view(spec: str) -> tuple[str, str | None]:
    """Split ``segment:S`` into ``("segment", "S")``; ``ecosystem`` has no argument."""
    name, _, arg = spec.partition(":")
    name = name.strip()
    if name not in VIEWS:
        # each by its name in the reader's language beside the code one types
        choices = Choices((s.usage, s.title) for s in VIEWS.values())
        from polku.graph import likely_id

        raise PolkuError(N_("unknown view '{spec}': expected one of {choices}"),
                         params={"spec": spec, "choices": choices}, field="view",
                         close=likely_id(name, dict.fromkeys(VIEWS, {})))
    if VIEWS[name].argument:
        if not arg.strip():
            raise PolkuError(N_("view '{name}' needs an id: {name}:ID"), params={"name": name},
                             field="view")
        return name, arg.strip()
    if arg:
        raise PolkuError(N_("view '{name}' takes no argument (got '{spec}')"),
                         params={"name": name, "spec": spec}, field="view")
    return name, None


def build_view(g: nx.MultiDiGraph, view: str, *, findings: Any = None,
               paths: Sequence[Any] | None = None, k: int = 5, focus: str | None = None,
               depth: int = 1, cluster_threshold: int = CLUSTER_THRESHOLD,
               cluster_by: str = "provider", eco: Any = None, today: Any = None,
               lang: str | None = None, facts: Facts | None = None,
               to: str | None = None) -> View:
    """The nodes, edges and legend of one view (see :mod:`polku.present.views` for the views),
    every text in ``lang`` (fi, sv or en; default Finnish), node labels from
    ``name_sv``/``name_en`` where the graph gives them.

    ``eco``: the :func:`polku.analyses.reach.ecosystem` index of ``g``, when the caller has it
    (the report draws several segment views of one graph).

    ``findings``: the analyses' findings (:class:`~polku.finding.Finding` records or dicts
    in the shape of ``docs/findings.md``, or the whole ``{"findings": [...]}`` document);
    those without a message are worded in the view's language;
    ``paths``: the segment view's ranked best paths (each a list of node ids, or a dict
    with ``nodes``/``steps``), best first, of which the first ``k`` are highlighted;
    ``to``: the outcome those paths were asked to reach (the segment view and a segment's
    blueprint name it);
    ``today``: the date of the timeline's today line (default: the day it is drawn);
    ``facts``: the :class:`~polku.present.views.facts.Facts` of ``g``, these findings and
    this language, when the caller draws several views of one graph (the report: building
    them is most of a national view's time).
    """
    name, arg = parse_view(view)
    if cluster_by not in CLUSTER_BY:
        raise PolkuError(CLUSTER_BY_MESSAGE, params={"value": cluster_by}, field="cluster_by")
    tr = translator(lang).marking()  # a view is HTML: names in another language marked
    if facts is None:
        facts = Facts(g, _worded(finding_list(findings), g, tr), tr)
    elif facts.g is not g or facts.tr.lang != tr.lang:
        raise ValueError("the facts given are of another graph or language")
    needs = VIEWS[name].needs
    if needs is not None and not any(t == needs for _, t in g.nodes(data="type")):
        # an empty chart would pass for a plan with nothing in it
        raise PolkuError(N_("'{graph}' has no action plan (no plan measures), so there is "
                            "nothing to draw in the '{view}' view: import a plan table with "
                            "polku plan import, or add the plan sheets to the workbook"),
                         params={"graph": graph_title(g), "view": name}, field="view")
    request = Request(arg=arg, paths=paths, k=k, cluster_threshold=cluster_threshold,
                      cluster_by=cluster_by, eco=eco, today=today, to=to)
    v = VIEWS[name].build(g, facts, request)
    v.lang = tr.lang
    v.graph_title = tr.title(g)
    v.illustrative = bool(g.graph.get("illustrative"))
    v.regions = region_rows(g, tr)
    if focus is not None:
        narrow(v, g, focus, depth, tr)
        if v.cluster and len(v.nodes) <= cluster_threshold:
            v.cluster = None
    return v


def _worded(findings: list[dict[str, Any]], g: nx.MultiDiGraph,
            tr: Translator) -> list[dict[str, Any]]:
    """The findings, those without a message worded in ``tr``'s language for people, by
    names and no ids, as the graph page and the report word them (the node's details keep
    its id); a message that came with a finding is kept: the caller wrote it for this
    reader."""
    plain = tr.plainly()
    return [f if f.get("message") else dict(f, message=message(f, g, plain)) for f in findings]


def analysed(g: nx.MultiDiGraph, view: str, *, k: int = 5,
             long_wait_days: float | None = None, to: str | None = None,
             eco: Any = None) -> dict[str, Any]:
    """The analyses a view shows, run on ``g``: ``findings`` always (data: the view words
    them in its language), and for a segment view (or a segment's blueprint) its ``k`` best
    paths, to the outcome ``to`` when given (``eco``: ``g``'s index, when the caller has
    it). Pass the result on to :func:`polku.present.views.render_html` as keyword
    arguments with ``audience="editor"``: they are ``g``'s true figures' (a page for the
    public runs them itself on the published copy)."""
    from polku.analyses.findings import LONG_WAIT_DAYS, find

    name, arg = parse_view(view)
    out: dict[str, Any] = {"findings": find(g, long_wait_days=long_wait_days or LONG_WAIT_DAYS,
                                            eco=eco)}
    extra = VIEWS[name].analyses
    if extra is not None:
        try:
            out.update(extra(g, str(arg), k, to))
        except PolkuError as e:  # the view's id is what was wrong, whatever asked for it
            raise e.about("view") from None
    return out


def menu(g: nx.MultiDiGraph, tr: Translator | None = None) -> list[tuple[str, str]]:
    """``(view, title)`` for every view of ``g`` the web UI offers, in :data:`MENU_ORDER`,
    titles and node names in the language of ``tr`` (default Finnish)."""
    from polku.present.i18n import merged_region_names
    from polku.present.messages import in_region

    tr = tr or translator()
    # a merged graph's nodes say their region: its regions name their segments alike
    regions = merged_region_names(g, tr.lang)
    out: list[tuple[str, str]] = []
    for spec in (VIEWS[name] for name in MENU_ORDER):
        if spec.argument:
            # every node the view takes: a blueprint's designed paths, then its segments
            out += [(f"{spec.name}:{n}",
                     f"{tr(spec.title)}: {in_region(tr, tr.label(g, n), n, regions)}")
                    for t in (spec.argument, *spec.also) for n in nodes_of(g, t)]
        elif spec.needs is None or nodes_of(g, spec.needs):
            out.append((spec.name, tr(spec.title)))
    return out
