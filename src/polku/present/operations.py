"""The two operations whose answer is a page's own data: the leader's report and one
interactive view. Like those of :mod:`polku.ops.operations` they are typed parameter
records with defaults from :mod:`polku.kinds`, one ``check()`` that raises a
:class:`polku.errors.PolkuError` naming the parameter in ``field``, and ``run(model)``; they
live here because what they build is presentation (in the reader's ``lang``). The doors call
them through :func:`polku.ops.operations.answer` like any other, so privacy by audience
applies to them too (the model they run on is the one the reader sees).

>>> sorted(OPERATIONS)
['report', 'view']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from polku.errors import NodeTypes, PolkuError, check_count, check_threshold
from polku.graph import close_id
from polku.kinds import LONG_WAIT_DAYS, MAX_PATHS, MAX_TOP
from polku.present.i18n import N_, check_lang


#: what a view's id that names nothing of its kind is told
NO_SUCH = {("path",): N_("no such designed path: '{id}'"),
           ("path", "segment"): N_("no such designed path or client segment: '{id}'")}


@dataclass(frozen=True)
class Report:
    """Everything the leader's report shows, as plain data."""
    name: ClassVar[str] = "report"
    long_wait_days: float = LONG_WAIT_DAYS
    top: int = 10
    lang: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        check_threshold(self.long_wait_days, "long_wait_days")
        check_count(self.top, "top", most=MAX_TOP)
        check_lang(self.lang)

    def run(self, model: Any, progress: Any = None) -> dict[str, Any]:
        from polku.present.decisions import decided
        from polku.present.i18n import translator
        from polku.present.report import report_data
        from polku.privacy import PUBLIC, published_answer
        from polku.progress import silent

        found = model.findings(self.long_wait_days)
        if model.audience == PUBLIC:
            # hidden before they are worded: a finding on a service whose inflow rests on a
            # small cell says at least its published inflow, as the API's and the pages' do
            found = published_answer(found, model.hidden_services(), model.min_cell)
        # the first page's decisions and their verified suggestions are the same in every
        # language: chosen once for the version, worded here in the reader's
        return report_data(model.graph, long_wait_days=self.long_wait_days, top=self.top,
                           progress=progress or silent, tr=translator(self.lang),
                           findings=found, eco=model.index,
                           decided=lambda: decided(model, found, self.long_wait_days))


@dataclass(frozen=True)
class ViewOf:
    """One interactive view's nodes, edges and legend (drawn on the graph the audience
    reads), narrowed to ``focus`` when asked; ``to``: a segment's view or blueprint shows
    its best paths to that outcome only (as the path explorer and ``polku paths --to``)."""
    name: ClassVar[str] = "view"
    view: str = "ecosystem"
    focus: str | None = None
    depth: int = 1
    k: int = 5
    to: str | None = None
    cluster_by: str = "provider"
    long_wait_days: float = LONG_WAIT_DAYS
    lang: str | None = None

    def check(self, g: nx.MultiDiGraph) -> None:
        from polku.present.views.ecosystem import CLUSTER_BY
        from polku.present.views.registry import VIEWS, parse_view

        name, arg = parse_view(self.view)
        takes = VIEWS[name].takes
        if arg is not None and takes and g.nodes.get(arg, {}).get("type") not in takes:
            if takes == ("segment",):
                from polku.analyses.paths import check_segment

                try:
                    check_segment(g, arg)
                except PolkuError as e:
                    raise e.about("view", node=arg) from None
            raise PolkuError(NO_SUCH.get(takes, N_("no such {types}: '{id}'")),
                             params={"id": arg, "types": NodeTypes(takes)}, node=arg,
                             field="view", close=close_id(g, arg, takes))
        if self.to is not None:
            from polku.analyses.paths import check_target

            # only a segment's views draw best paths to aim at an outcome
            check_target(g, self.to, arg if arg is not None else self.view)
        if self.focus is not None and self.focus not in g:
            from polku.graph import NODE_TYPES
            from polku.present.views.focus import NO_SUCH_NODE

            raise PolkuError(NO_SUCH_NODE, params={"node": self.focus}, node=self.focus,
                             field="focus", close=close_id(g, self.focus, NODE_TYPES))
        check_count(self.depth, "depth", 0)
        check_count(self.k, "k", most=MAX_PATHS)  # the paths' bound, on every door
        if self.cluster_by not in CLUSTER_BY:
            from polku.present.views.registry import CLUSTER_BY_MESSAGE

            raise PolkuError(CLUSTER_BY_MESSAGE, params={"value": self.cluster_by},
                             field="cluster_by")
        check_threshold(self.long_wait_days, "long_wait_days")
        check_lang(self.lang)

    def arguments(self, model: Any) -> dict[str, Any]:
        """What :func:`polku.present.views.build_view` takes beside the graph and the view:
        the view's analyses (from the model) and the focus."""
        from polku.present.views.registry import VIEWS, parse_view

        name, arg = parse_view(self.view)
        out: dict[str, Any] = {"findings": model.findings(self.long_wait_days),
                               "lang": self.lang, "cluster_by": self.cluster_by,
                               "eco": model.index}
        extra = VIEWS[name].analyses
        if extra is not None:
            out.update(model.memo(("view-analyses", name, arg, self.k, self.to),
                                  lambda: extra(model.graph, str(arg), self.k, self.to)))
        if self.focus is not None:
            out.update(focus=self.focus, depth=self.depth)
        return out

    def run(self, model: Any) -> Any:
        from polku.present.views import build_view

        return build_view(model.graph, self.view, **self.arguments(model))


#: the page operations by name
OPERATIONS: dict[str, type] = {op.name: op for op in (Report, ViewOf)}
