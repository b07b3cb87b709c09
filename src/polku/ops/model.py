"""A model: one version of a graph and what is computed from it, once, when first asked.

The server keeps one :class:`Model` per graph and version (its ETag); every route and every
language shares it, so sixteen readers of the findings cost one run of the analyses, and a
write makes a new model (the old one is simply dropped). The CLI builds a model from the file
it loaded. What a model holds:

- ``graph``: the loaded graph (never changed: analyses only read it);
- ``version``: the graph's ETag (None for a file the CLI read);
- ``index``: :func:`polku.analyses.reach.ecosystem`, the index every analysis walks;
- ``findings(...)``: the findings for a set of thresholds, as data (the defaults' run is the
  one the pages and the API share, in every language: the doors word them);
- ``suggestions(...)``: the verified suggestions' checks for a long-wait limit
  (:class:`polku.analyses.suggest.Checks`: each candidate tried once for the version, by
  every door and in every language; the doors word the answers);
- ``published(audience)``: the model the ``public`` sees (:func:`polku.privacy.suppress`'s
  copy, with its own index and findings), or this one for an ``editor``;
- ``memo(key, compute)``: any other answer worth keeping for the version (a describe, a
  bottleneck ranking);
- ``warnings``: what the workbook it was read from names that polku does not read though
  it looks meant (:func:`polku.io.unknown_names.workbook_warnings`), each a located
  :class:`polku.errors.Note`; :func:`load` issues them as :class:`polku.errors.PolkuWarning`
  too. (The command line and the server say them themselves: they make their models of
  the graph they read, with none.)

Each value is computed at most once per model even when many threads ask at the same time
(one lock per key: the others wait for the first). So a model is one **fixed version**: its
graph is not to be changed once answers are asked of it (an answer already given is kept,
and nothing notices a changed attribute cheaply and reliably). To ask about an edited
graph, edit a copy and load that: ``g = m.graph.copy()``, change ``g``, then
``polku.load(g)`` is a model of its own.

>>> from polku.graph import new_graph
>>> g = new_graph("demo"); g.add_node("s", type="segment", name="S", size=3)
>>> m = Model(g, "v1")
>>> m.findings() is m.findings(), m.published("public").graph.nodes["s"].get("size")
(True, None)
>>> m.published("editor") is m
True
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, TypeVar
from warnings import warn

import networkx as nx

from polku.errors import PolkuError, PolkuWarning
from polku.graph import require_graph
from polku.kinds import LONG_WAIT_DAYS, MAX_CONCURRENT_LEADS
from polku import privacy
from polku.privacy import AUDIENCES, MIN_CELL, PUBLIC

T = TypeVar("T")


class Model:
    """One fixed version of one graph and its answers, computed lazily and kept.

    ``graph`` is the networkx graph every analysis reads; do not change it once answers
    are asked: they are computed once and kept, so a changed attribute would not be seen.
    For an edited graph, load a copy (``g = m.graph.copy()``, change ``g``, then
    ``polku.load(g)``: a model of its own). ``warnings`` are the located warnings of the
    workbook it was read from (``Model.load``/``polku.load``), empty for a graph given."""

    def __init__(self, graph: nx.MultiDiGraph, version: str | None = None,
                 audience: str = "editor", min_cell: int = MIN_CELL,
                 origin: "Model | None" = None,
                 warnings: Iterable[PolkuError] = ()) -> None:
        # a path is not loaded here (a model is one version of a graph already read):
        # Model.load(path) or polku.load(path) reads it
        self.graph = require_graph(graph, "Model()", "Model.load(source) or polku.load(source) "
                                   "reads one into a model")
        #: the model a published one was made from (None: this is the graph as it was read);
        #: a diff asks it which cells the file itself left out
        self.origin = origin
        #: the workbook's warnings (:func:`polku.io.unknown_names.workbook_warnings`): data,
        #: worded at the edge
        self.warnings: tuple[PolkuError, ...] = tuple(warnings)
        self.version = version
        self.audience = audience
        # never below the threshold the graph's figures were hidden by already (a shared
        # copy read back): its public reads '<10', not '<5', of a count it lacks
        self.min_cell = privacy.threshold(self.graph, min_cell)
        self._values: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    @classmethod
    def load(cls, source: str | Path) -> "Model":
        """A model of the graph in ``source`` (any input :func:`polku.io.load.load_graph`
        reads), with its workbook's ``warnings``, each issued as a
        :class:`polku.errors.PolkuWarning` (before a problem that refuses the workbook: a
        misspelt name may be its cause)."""
        notes = _workbook_warnings(source)
        _issue(notes, stacklevel=3)
        return cls._read(source, notes)

    @classmethod
    def _read(cls, source: str | Path, notes: Iterable[PolkuError]) -> "Model":
        from polku.io.load import load_graph

        return cls(load_graph(source), warnings=notes)

    @property
    def name(self) -> str:
        return str(self.graph.graph.get("name", "graph"))

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, run once per model and ``key``; concurrent askers wait for the
        first."""
        try:
            return self._values[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = compute()
            return self._values[key]

    def kept(self, key: Hashable) -> Any:
        """What :meth:`memo` keeps for ``key``, or None when it is not computed yet (never
        computes, never waits)."""
        return self._values.get(key)

    @property
    def index(self) -> Any:
        """:func:`polku.analyses.reach.ecosystem` of the graph."""
        from polku.analyses.reach import ecosystem

        return self.memo("index", lambda: ecosystem(self.graph))

    def findings(self, long_wait_days: float = LONG_WAIT_DAYS,
                 max_concurrent_leads: int = MAX_CONCURRENT_LEADS) -> list:
        """Every finding for these thresholds, as data (a list shared by every caller and
        every language: read it, do not change it)."""
        from polku.analyses.findings import find

        key = ("findings", float(long_wait_days), int(max_concurrent_leads))
        return self.memo(key, lambda: find(self.graph, long_wait_days=long_wait_days,
                                           eco=self.index,
                                           max_concurrent_leads=max_concurrent_leads))

    def suggestions(self, long_wait_days: float = LONG_WAIT_DAYS) -> Any:
        """The :class:`polku.analyses.suggest.Checks` of the graph and its findings for this
        long-wait limit, kept with the version: the report's first page, the graph page
        and the suggestions route, in every language, try each candidate once."""
        from polku.analyses.suggest import Checks

        key = ("suggestions", float(long_wait_days))
        return self.memo(key, lambda: Checks(self.graph, self.findings(long_wait_days),
                                             long_wait_days, self.index))

    def hidden_services(self) -> frozenset[str]:
        """:func:`polku.privacy.hidden_services` of the graph, computed once."""
        return self.memo("hidden-services", lambda: privacy.hidden_services(self.graph))

    def published(self, audience: str) -> "Model":
        """The model ``audience`` reads: this one for an editor; for the public, the model
        of the published copy (small cells left out, :func:`polku.privacy.suppress`), kept
        with this version."""
        if audience not in AUDIENCES:
            raise ValueError(f"unknown audience {audience!r}")
        if audience != PUBLIC or self.audience == PUBLIC:
            return self
        return self.memo(("published", self.min_cell), self._published)

    def _published(self) -> "Model":
        """The public's model: the published copy, its follow-ups those the public reads
        (:meth:`followup_shown`; a finding's follow-ups do not change its findings)."""
        g = privacy.suppress(self.graph, self.min_cell)
        model = Model(g, self.version, PUBLIC, self.min_cell, origin=self)
        followups = g.graph.get("followups")
        if followups:
            g.graph["followups"] = {k: v for k, v in followups.items()
                                    if model.followup_shown(k)}
        return model

    def followup_shown(self, key: str) -> bool:
        """Whether this model's reader reads the follow-up of the finding ``key`` (its row,
        its change-log entries, its state beside the findings). An editor reads every one.
        The public (at the default thresholds) reads the follow-up of a finding it is
        shown, and of one that no figure hidden from it could fire: with every small
        cell filled in as 1, and as ``min_cell - 1`` (:func:`polku.privacy.filled`: the
        published copy alone), it still does not fire, so it is resolved for everyone and
        its follow-up is history. The follow-up of a finding that the hidden figures could
        fire while the published ones do not is not the public's: whether the true figures
        fire it (the editor follows it up) or not (it was resolved) narrows a small cell
        either way. (A finding grows or shrinks with the counts it reads, as an inflow
        over a capacity does: the two fills are its extremes.)

        >>> from polku.graph import new_graph, add_edge
        >>> g = new_graph(); g.add_node("s", type="service", capacity_per_month=10)
        >>> g.add_node("r", type="referral", volume_per_month=4); add_edge(g, "r", "s", "to")
        >>> g.add_node("r2", type="referral", volume_per_month=8); add_edge(g, "r2", "s", "to")
        >>> g.graph["followups"] = {"over-capacity:s": {"status": "new"},
        ...                         "no-lead:s": {"status": "resolved"}}
        >>> public = Model(g).published("public")
        >>> public.followup_shown("over-capacity:s"), public.followup_shown("no-lead:s")
        (False, True)
        >>> sorted(public.graph.graph["followups"])
        ['no-lead:s']
        """
        if self.audience != PUBLIC:
            return True
        hidden = self.memo("hidden-subjects", lambda: privacy.hidden_subjects(self.graph))
        if not privacy.about_any(key, hidden):
            return True  # nothing hidden from the public is in it: as the public sees it
        if key in self.memo("finding-keys", lambda: frozenset(f.key for f in self.findings())):
            return True
        return key not in self.memo("possible-finding-keys", lambda: frozenset(
            f.key for value in {1, self.min_cell - 1}
            for f in Model(privacy.filled(self.graph, value)).findings()))


def load(source: "str | Path | nx.MultiDiGraph | Model") -> Model:
    """The model of ``source``: a graph read from a path or URI (any input
    :func:`polku.io.load.load_graph` reads: Turtle, JSON-LD, a workbook folder or ``.xlsx``,
    a Neo4j URI), a loaded graph wrapped, or a model as it is. ``polku.load`` is this.

    A workbook's warnings (a column or sheet polku does not read though its name is close
    to one it does: ``capacity_per_mont``) are the model's ``warnings``, located, and each
    is issued through Python's :mod:`warnings` as a :class:`polku.errors.PolkuWarning`.

    A model is one fixed version: its answers are computed once and kept. Edit a copy of
    its graph and load that for answers about the edit (``g = m.graph.copy()``, change
    ``g``, ``polku.load(g)``); ``m.graph`` itself is not to be changed.

    >>> from polku.graph import new_graph
    >>> load(new_graph("demo")).name, load(load(new_graph("x"))).name
    ('demo', 'x')
    """
    if isinstance(source, Model):
        return source
    if isinstance(source, nx.MultiDiGraph):
        return Model(source)
    if isinstance(source, (str, Path)) or hasattr(source, "__fspath__"):
        notes = _workbook_warnings(source)
        _issue(notes, stacklevel=3)
        return Model._read(source, notes)
    raise TypeError(f"polku.load() takes a path, a Neo4j URI, a loaded graph or a Model, not "
                    f"{type(source).__name__}")


def _workbook_warnings(source: Any) -> list[PolkuError]:
    """The warnings of the workbook at ``source`` (none for any other input: a Turtle file,
    a Neo4j URI)."""
    from polku.io.unknown_names import workbook_warnings

    return workbook_warnings(source)


def _issue(notes: Iterable[PolkuError], stacklevel: int) -> None:
    """Each of ``notes`` through Python's warnings, pointing at the library user's own
    line (``stacklevel``: this function, the loader, its caller)."""
    for note in notes:
        warn(PolkuWarning(note), stacklevel=stacklevel)


def as_model(value: Any, what: str) -> Model:
    """``value`` as a model: a model as it is, a loaded graph wrapped (:class:`Model`), else
    a :class:`TypeError` saying what ``what`` takes (a path is loaded by :func:`load`, not
    silently here: reading a file is the caller's step).

    >>> as_model("graphs/x.ttl", "answer()")
    Traceback (most recent call last):
    TypeError: answer() takes a Model (or a loaded graph), not str 'graphs/x.ttl': load it with polku.load(source)
    """
    if isinstance(value, Model):
        return value
    if isinstance(value, nx.MultiDiGraph):
        return Model(value)
    shown = f" {value!r}" if isinstance(value, (str, bytes)) or hasattr(value, "__fspath__") \
        else ""
    raise TypeError(f"{what} takes a Model (or a loaded graph), not {type(value).__name__}"
                    f"{shown}: load it with polku.load(source)")
