"""polku: regional service ecosystems as knowledge graphs.

polku as a Python library (in a notebook, a script): load a graph into a model, ask it a
question, read plain data back. Start here::

    import polku
    m = polku.load("graphs/keski-uusimaa.ttl")     # a workbook folder, .xlsx, .jsonld, neo4j://…
    found = polku.answer(polku.Findings(long_wait_days=30), m)
    best = polku.answer(polku.Paths(segment="seg-nuoret", k=3), m)["best"]

- :func:`load` (``source`` → :class:`Model`): a path or URI, a loaded networkx graph, or a
  model (``m.graph`` is the networkx ``MultiDiGraph`` every analysis reads). A model is one
  fixed version: its answers are kept, so ``m.graph`` is not to be changed; edit a copy
  and load it (``g = m.graph.copy()``, change ``g``, ``polku.load(g)``). A workbook's
  warnings (a column polku does not read though it looks meant) are ``m.warnings`` and
  are issued as :class:`PolkuWarning`;
- :func:`answer` (``operation, model, audience="editor"``): checks the operation's
  parameters (a bad one is a :class:`PolkuError` whose ``field`` names it), runs it and
  returns plain data in no language. ``audience="public"`` answers from the published copy
  (small cells, fewer than 5 people, left out). Input polku cannot read is a
  :class:`PolkuErrors` listing each problem (``e.errors``), each located (``file``,
  ``sheet``, ``row``, ``column``, ``close``: the id likely meant);
- the operations, one per question, each a small record whose docstring says its result's
  shape: :class:`Describe`, :class:`Findings`, :class:`PlanFindings`, :class:`Review`,
  :class:`Bottlenecks`, :class:`Paths`, :class:`Blueprint`, :class:`Removal`,
  :class:`Queueing`, :class:`Raci`, :class:`Diff`, :class:`EventLog`, :class:`Compare`,
  :class:`PtvCompare`, :class:`Suggestions` (by name: :data:`OPERATIONS`). ``polku.Raci``
  is the operation (:class:`polku.ops.operations.Raci`); its answer is the matrix,
  :class:`polku.analyses.raci.Raci`;
- :class:`Finding`: the record :class:`Findings` answers with; ``f.to_dict()`` is a plain
  dict with its stable ``key`` (``pandas.DataFrame([f.to_dict() for f in found])``), and
  :func:`records` gives each as the command's and the API's JSON do, its sentence and its
  ids by name (``names``) in a language. The other answers are plain data but for those
  that hold records (:class:`Review`'s findings and ``earlier`` graph, :class:`Raci`'s
  matrix): the README's "Python API" lists them.

Everything is computed in no language; sentences are written at the edge, in Finnish
(``fi``, the default), Swedish (``sv``) or English (``en``): :func:`records` for findings,
a function of :mod:`polku.present.results` for each other answer (``described``,
``bottlenecks_worded``, …, each ``(result, g, tr)``; the README's "Python API" lists
them), :func:`polku.present.i18n.error_text` for an error.

A runnable example on a graph made in place (any file works the same through ``load``):

>>> import polku
>>> from polku.graph import new_graph
>>> g = new_graph("demo")
>>> g.add_node("debt", type="service", name="Velkaneuvonta", entry=True)
>>> m = polku.load(g)
>>> [(f["kind"], f["subject"]) for f in polku.records(polku.answer(polku.Findings(), m), m)]
[('dead-end', 'debt'), ('service-without-provider', 'debt')]
>>> polku.records(polku.answer(polku.Findings(), m), m, lang="fi")[0]["message"]
'Velkaneuvonta (debt): palveluun pääsee, mutta siitä ei johda mikään ohjausketju tulokseen'

The names below are imported when first used: ``import polku`` itself imports nothing
else, so the ``polku`` command starts as quickly as it did without them.
"""

from __future__ import annotations

from importlib import import_module

#: the version, kept here only: pyproject.toml reads it (``[tool.setuptools.dynamic]``), and
#: ``polku --version`` and the API's documentation show it
__version__ = "0.2.0"

#: each public name → the module that holds it (imported on first use: module __getattr__)
_LAZY = {
    "load": "polku.ops.model",
    "Model": "polku.ops.model",
    "answer": "polku.ops.operations",
    "OPERATIONS": "polku.ops.operations",
    **{op: "polku.ops.operations" for op in (
        "Describe", "Findings", "PlanFindings", "Review", "Bottlenecks", "Paths", "Blueprint",
        "Removal", "Queueing", "Raci", "Diff", "EventLog", "Compare", "PtvCompare",
        "Suggestions")},
    "records": "polku.present.finding_names",
    "Finding": "polku.finding",
    "PolkuError": "polku.errors",
    "PolkuErrors": "polku.errors",
    "PolkuWarning": "polku.errors",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> object:
    # not found among the module's own names: a public name is imported now (and kept, so
    # the second use is an ordinary attribute); a submodule (polku.graph) is found by the
    # import system before this is asked
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'polku' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
