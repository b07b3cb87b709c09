"""The SHACL shapes checked in plain Python: does a graph conform, answered in milliseconds.

pyshacl takes seconds even for the example region (about 3,000 triples: its generic engine
evaluates ``sh:or`` and ``sh:class`` through rdflib one triple at a time, and builds a
report for every branch that fails), and every write to a served graph checked the whole
graph with it. The shapes polku ships (``ontology/shapes.ttl``) use a small part of SHACL:
class and objects-of targets, property shapes with a single predicate as path, counts,
datatypes, patterns, ``sh:in``, ``sh:class``, ``sh:or`` of such constraints, inclusive
ranges, ``sh:disjoint`` and ``sh:uniqueLang``. :func:`conforms` evaluates exactly those, with
pyshacl's own semantics (the same rdflib terms, the same comparison of literals), and
answers True or False; the shapes are read once per process (again when the file changes).

It is a pre-check, never the judge of a refusal: :func:`polku.io.validate.shacl_problems`
asks pyshacl whenever this says False, so the problems reported are pyshacl's, word for
word, as before. A shape that uses anything else (another constraint, a path expression,
a severity, flags on a pattern) makes :func:`compile_shapes` raise :class:`Unsupported`,
and :func:`conforms` answers None: pyshacl decides. ``tests/test_shapes.py`` holds this to
pyshacl on random edits of a graph's triples.

>>> from polku.io import rdf
>>> from polku.graph import new_graph
>>> g = new_graph("demo")
>>> g.add_node("kela", type="actor", name="Kela", kind="kela")
>>> conforms(rdf.to_rdflib_triples(g))
True
>>> g.nodes["kela"]["kind"] = "nobody"
>>> conforms(rdf.to_rdflib_triples(g))
False
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import AbstractSet, Any, Callable, Iterable

import rdflib
from pyshacl.rdfutil.compare import compare_literal
from rdflib import RDF, RDFS, XSD, BNode, Literal

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

#: what a shape may say that changes nothing about conformance
_QUIET = {SH + "message", SH + "name", SH + "description", SH + "order", SH + "group",
          "http://www.w3.org/2000/01/rdf-schema#comment",
          "http://www.w3.org/2000/01/rdf-schema#label", RDF_TYPE}
#: constraints on one value node, each evaluated as pyshacl does
_VALUE = {SH + "datatype", SH + "class", SH + "in", SH + "pattern", SH + "minInclusive",
          SH + "maxInclusive", SH + "or"}
_PROPERTY = _VALUE | {SH + "path", SH + "minCount", SH + "maxCount", SH + "disjoint",
                      SH + "uniqueLang"}
_NODE = _VALUE | {SH + "targetClass", SH + "targetObjectsOf", SH + "property"}


class Unsupported(Exception):
    """The shapes use something this checker does not evaluate (pyshacl decides)."""


@dataclass
class Values:
    """Constraints each value node must meet (also a member of an ``sh:or``)."""
    datatype: Any = None
    classes: tuple = ()
    allowed: frozenset | None = None
    pattern: re.Pattern | None = None
    min_inclusive: Any = None
    max_inclusive: Any = None
    alternatives: tuple["Values", ...] = ()


@dataclass
class Property:
    path: Any
    values: Values
    min_count: int = 0
    max_count: int | None = None
    disjoint: tuple = ()
    unique_lang: bool = False


@dataclass
class NodeShape:
    target_classes: tuple = ()
    target_objects_of: tuple = ()
    values: Values = field(default_factory=Values)
    properties: tuple[Property, ...] = ()


def _one(sg: Any, node: Any, predicate: str) -> Any:
    import rdflib

    found = list(sg.objects(node, rdflib.URIRef(predicate)))
    if len(found) != 1:
        raise Unsupported(f"{node} has {len(found)} values for {predicate}")
    return found[0]


def _values(sg: Any, node: Any, allowed: set[str]) -> Values:
    import rdflib

    used = {str(p) for p in sg.predicates(node, None)}
    unknown = used - allowed - _QUIET
    if unknown:
        raise Unsupported(f"not evaluated here: {sorted(unknown)}")
    v = Values()
    if SH + "datatype" in used:
        v.datatype = _one(sg, node, SH + "datatype")
    v.classes = tuple(sg.objects(node, rdflib.URIRef(SH + "class")))
    if SH + "in" in used:
        v.allowed = frozenset(sg.items(_one(sg, node, SH + "in")))
    if SH + "pattern" in used:
        p = _one(sg, node, SH + "pattern")
        v.pattern = re.compile(str(p))
    for name in ("minInclusive", "maxInclusive"):
        if SH + name in used:
            bound = _one(sg, node, SH + name)
            if not isinstance(bound, rdflib.Literal):
                raise Unsupported(f"sh:{name} {bound}")
            setattr(v, "min_inclusive" if name == "minInclusive" else "max_inclusive", bound)
    if SH + "or" in used:
        v.alternatives = tuple(_values(sg, member, _VALUE)
                               for member in sg.items(_one(sg, node, SH + "or")))
    return v


def _property(sg: Any, node: Any) -> Property:
    import rdflib

    path = _one(sg, node, SH + "path")
    if not isinstance(path, rdflib.URIRef):
        raise Unsupported(f"a path that is not one predicate: {path}")
    counts = {}
    for name in ("minCount", "maxCount"):
        found = list(sg.objects(node, rdflib.URIRef(SH + name)))
        if len(found) > 1:
            raise Unsupported(f"several sh:{name}")
        counts[name] = int(found[0].value) if found else None
    unique = list(sg.objects(node, rdflib.URIRef(SH + "uniqueLang")))
    return Property(path=path, values=_values(sg, node, _PROPERTY),
                    min_count=counts["minCount"] or 0, max_count=counts["maxCount"],
                    disjoint=tuple(sg.objects(node, rdflib.URIRef(SH + "disjoint"))),
                    unique_lang=any(bool(u.value) for u in unique))


@lru_cache(maxsize=4)
def _compiled(path: str, stamp: tuple[int, int]) -> tuple[NodeShape, ...]:
    import rdflib

    sg = rdflib.Graph().parse(path, format="turtle")
    shapes = []
    node_shape = rdflib.URIRef(SH + "NodeShape")
    for shape in sg.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "PropertyShape")):
        if (None, rdflib.URIRef(SH + "property"), shape) not in sg:
            raise Unsupported("a property shape on its own")
    for shape in set(sg.subjects(rdflib.RDF.type, node_shape)):
        values = _values(sg, shape, _NODE)
        shapes.append(NodeShape(
            target_classes=tuple(sg.objects(shape, rdflib.URIRef(SH + "targetClass"))),
            target_objects_of=tuple(sg.objects(shape, rdflib.URIRef(SH + "targetObjectsOf"))),
            values=values,
            properties=tuple(_property(sg, p) for p in
                             sg.objects(shape, rdflib.URIRef(SH + "property")))))
    # shapes found only by their use (sh:node, implicit class targets) are not evaluated
    used = {str(p) for p in sg.predicates()}
    if used & {SH + "node", SH + "targetNode", SH + "targetSubjectsOf", SH + "target",
               SH + "severity", SH + "deactivated", SH + "and", SH + "not", SH + "xone",
               SH + "qualifiedValueShape", SH + "closed", SH + "sparql", SH + "flags"}:
        raise Unsupported("the shapes use constraints not evaluated here")
    return tuple(shapes)


def compile_shapes(path: str | Path | None = None) -> tuple[NodeShape, ...]:
    """The shapes in ``path`` (default polku's ``shapes.ttl``) as plain data, read once per
    process and again when the file changes; :class:`Unsupported` when they use anything
    :func:`conforms` does not evaluate."""
    if path is None:  # polku's own, shipped in the package (as validate.ontology_path)
        from importlib import resources

        path = Path(str(resources.files("polku") / "ontology" / "shapes.ttl"))
    st = Path(path).stat()
    return _compiled(str(path), (st.st_mtime_ns, st.st_size))


class _Data:
    """The data graph as pyshacl's rdflib store would hold it (a set of triples), indexed."""

    def __init__(self, triples: Iterable[tuple[Any, Any, Any]]) -> None:
        self.out: dict[Any, dict[Any, set]] = {}
        self.by_predicate: dict[Any, set] = {}
        for s, p, o in triples:
            self.out.setdefault(s, {}).setdefault(p, set()).add(o)
            self.by_predicate.setdefault(p, set()).add(o)

    def objects(self, s: Any, p: Any) -> set:
        return self.out.get(s, {}).get(p, set())


def _instance_of(data: _Data, v: Any, cls: Any, rdf_type: Any) -> bool:
    if isinstance(v, Literal):
        return False
    return cls in data.objects(v, rdf_type)


def _value_ok(data: _Data, v: Any, c: Values, rdf_type: Any) -> bool:
    """One value node against ``c``, as pyshacl's constraint components judge it."""
    if c.datatype is not None and not _datatype_ok(v, c.datatype):
        return False
    for cls in c.classes:
        if not _instance_of(data, v, cls, rdf_type):
            return False
    if c.allowed is not None and v not in c.allowed:
        return False
    if c.pattern is not None:
        if isinstance(v, BNode):
            return False
        if isinstance(v, Literal) and v.value is not None and \
                v.datatype in (None, RDF.langString, XSD.string):
            text = str(v.value)
        else:
            text = str(v)
        if not c.pattern.match(text):
            return False
    for bound, ok in ((c.min_inclusive, lambda n: n >= 0), (c.max_inclusive, lambda n: n <= 0)):
        if bound is None:
            continue
        if not isinstance(v, Literal):
            return False
        if isinstance(bound.value, str) != isinstance(v.value, str):
            return False
        try:
            if not ok(compare_literal(v, bound)):
                return False
        except (TypeError, NotImplementedError):
            return False
    if c.alternatives and not any(_value_ok(data, v, a, rdf_type) for a in c.alternatives):
        return False
    return True


def _datatype_ok(v: Any, datatype: Any) -> bool:
    """pyshacl's DatatypeConstraintComponent for one value."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        if getattr(v, "ill_typed", None) is True:
            return False
        return _actual(v.value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return _actual(v.value, datatype)
    if datatype == RDF.langString and v.language:
        return _actual(v.value, datatype)
    return False


#: the Python type of a well-formed value, for the datatypes pyshacl checks (others pass)
_KINDS: dict[Any, Any] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
    XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date,
    XSD.time: datetime.time, XSD.dateTime: datetime.datetime}


def _actual(value: Any, datatype: Any) -> bool:
    kind = _KINDS.get(datatype)
    return True if kind is None else isinstance(value, kind)


def conforms(triples: Iterable[tuple[Any, Any, Any]], shapes_path: str | Path | None = None
             ) -> bool | None:
    """Whether the RDF ``triples`` (rdflib terms) conform to the shapes; None when the
    shapes or the data hold something this checker does not evaluate (ask pyshacl)."""
    try:
        shapes = compile_shapes(shapes_path)
    except Unsupported:
        return None
    data = _Data(triples)
    rdf_type = rdflib.RDF.type
    if rdflib.RDFS.subClassOf in data.by_predicate:
        return None  # class hierarchies in the data: pyshacl follows them
    members: dict[Any, set] = {}
    for s, preds in data.out.items():
        for c in preds.get(rdf_type, ()):
            members.setdefault(c, set()).add(s)
    for shape in shapes:
        focus: set = set()
        for c in shape.target_classes:
            focus |= members.get(c, set())
        for p in shape.target_objects_of:
            focus |= data.by_predicate.get(p, set())
        for f in focus:
            if not _focus_ok(data, f, shape, rdf_type):
                return False
    return True


def _focus_ok(data: _Data, f: Any, shape: NodeShape, rdf_type: Any) -> bool:
    """One focus node of ``shape``: its own constraints and each property's."""
    if not _value_ok(data, f, shape.values, rdf_type):
        return False
    for prop in shape.properties:
        values = data.objects(f, prop.path)
        if len(values) < prop.min_count:
            return False
        if prop.max_count is not None and len(values) > prop.max_count:
            return False
        for other in prop.disjoint:
            if values & data.objects(f, other):
                return False
        if prop.unique_lang:
            langs = [str(v.language).lower() for v in values
                     if isinstance(v, Literal) and v.language]
            if len(langs) != len(set(langs)):
                return False
        for v in values:
            if not _value_ok(data, v, prop.values, rdf_type):
                return False
    return True


def _same(term: Any) -> Any:
    return term


def conforms_after(before: AbstractSet[tuple], after: AbstractSet[tuple],
                   term: Callable[[Any], Any] = _same,
                   shapes_path: str | Path | None = None) -> bool | None:
    """Whether the triples ``after`` conform, given that ``before`` (the version they were
    made from) conforms to the same shapes: only the nodes the difference can change are
    checked, so a write of one row costs a look at that row's nodes, not at the whole graph.

    What a node's conformance depends on, with these shapes: its own triples (values,
    counts, ``sh:disjoint``, ``sh:uniqueLang``), the types of the nodes its values name
    (``sh:class``), and whether it is a focus node (its types; whether it is the object of
    a ``sh:targetObjectsOf`` predicate). So the nodes checked are every subject of a triple
    added or removed, the object of one whose predicate targets objects, and every node
    naming a subject whose type changed. ``term`` turns a term of the triples into rdflib's
    (the triples may be kept in another, hashable, form); None as :func:`conforms` says.

    >>> from rdflib import Literal, URIRef
    >>> from polku.io import rdf
    >>> from polku.graph import new_graph
    >>> g = new_graph("demo")
    >>> g.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> before = set(rdf.to_rdflib_triples(g))
    >>> g.nodes["kela"]["kind"] = "nobody"
    >>> conforms_after(before, set(rdf.to_rdflib_triples(g)))
    False
    >>> g.nodes["kela"]["kind"] = "municipality"
    >>> conforms_after(before, set(rdf.to_rdflib_triples(g)))
    True
    """
    try:
        shapes = compile_shapes(shapes_path)
    except Unsupported:
        return None
    changed = (after - before) | (before - after)
    if not changed:
        return True
    rdf_type = rdflib.RDF.type
    kinds: dict[Any, Any] = {}  # a predicate as it is given -> as rdflib's

    def predicate(p: Any) -> Any:
        found = kinds.get(p)
        if found is None:
            found = kinds[p] = term(p)
        return found

    objects_of = {p for shape in shapes for p in shape.target_objects_of}
    affected: set = set()
    retyped: set = set()
    for s, p, o in changed:
        rp = predicate(p)
        if rp == rdflib.RDFS.subClassOf:
            return None  # class hierarchies in the data: pyshacl follows them
        affected.add(s)
        if rp in objects_of:
            affected.add(o)
        if rp == rdf_type:
            retyped.add(s)
    if retyped:  # a node that names one whose type changed is checked again
        affected |= {s for s, _, o in after if o in retyped}
    rows = []
    targeted: dict[Any, set] = {}  # targeting predicate -> affected nodes it is used on
    for t in after:
        s, p, o = t
        if s in affected:
            rows.append(t)
        if o in affected:
            rp = predicate(p)
            if rp in objects_of:
                targeted.setdefault(rp, set()).add(o)
    named = {o for _, _, o in rows}
    rows += [t for t in after if t[0] in named and t[0] not in affected
             and predicate(t[1]) == rdf_type]
    data = _Data((term(s), predicate(p), term(o)) for s, p, o in rows)
    for f in affected:
        rf = term(f)
        types = data.objects(rf, rdf_type)
        for shape in shapes:
            if not (any(c in types for c in shape.target_classes)
                    or any(f in targeted.get(p, ()) for p in shape.target_objects_of)):
                continue
            if not _focus_ok(data, rf, shape, rdf_type):
                return False
    return True
