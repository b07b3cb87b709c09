"""Validation: is this workbook or graph a valid polku graph, and if not, what exactly is wrong.

Two layers: the workbook reader checks cells and references (file, sheet, row, column);
the SHACL shapes in ``polku/ontology/shapes.ttl`` (package data) check the RDF graph (pyshacl), so a graph that
arrives as Turtle or JSON-LD from elsewhere is held to the same rules. A graph that conforms
is recognised in milliseconds by :mod:`polku.io.shapes` (the same shapes evaluated in
Python); pyshacl runs when that check finds a problem, so the problems are pyshacl's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

from polku.io import rdf
from polku.errors import Phrase, PolkuError, PolkuErrors, Said
from polku.gcpause import gc_paused
from polku.io import workbook
from polku.io.load import load_graph
from polku.progress import Progress, silent
from polku.words import N_

SH = "http://www.w3.org/ns/shacl#"


def ontology_path(name: str) -> Path:
    """A file of polku's ontology (``polku.ttl``, ``shapes.ttl``), shipped inside the
    package so that an installed polku (wheel, not only a checkout) can validate.

    >>> ontology_path("shapes.ttl").name
    'shapes.ttl'
    """
    path = Path(str(resources.files("polku") / "ontology" / name))
    if not path.exists():
        raise PolkuError(N_("the ontology file is missing from this installation"), params={},
                         file=str(path))
    return path


#: a SHACL violation as polku says it: the property, the shape's message (catalogued in
#: :data:`SHAPE_MESSAGES`), the value found
SHACL_TEMPLATES = {"pathvalue": N_("{path}: {message} (found {value})"),
                   "path": N_("{path}: {message}"),
                   "value": N_("{message} (found {value})"), "": N_("{message}")}
#: every ``sh:message`` of ``ontology/shapes.ttl``, marked for the catalogues (a test keeps
#: this list and the shapes in step)
SHAPE_MESSAGES = (
    N_("needs exactly one id (dct:identifier) of the letters a–z (without å, ä and ö), "
       "digits, '-' and '_'"),
    N_("needs a name (dct:title with a language tag, one per language)"),
    N_("needs exactly one kind from the list of actor kinds"),
    N_("can be a unit of one parent actor only"),
    N_("can only provide services"),
    N_("capacity per month must be one number, 0 or more"),
    N_("places must be one whole number, 1 or more"),
    N_("entry must be one boolean"),
    N_("can only address needs"),
    N_("can only be limited to segments"),
    N_("organised must be jointly or separately"),
    N_("a need needs a name (skos:prefLabel)"),
    N_("a need needs exactly one id"),
    N_("size must be one whole number, 0 or more"),
    N_("participation rate must be one share between 0 and 1"),
    N_("needs must be needs"),
    N_("entries must be services"),
    N_("a referral starts at exactly one service"),
    N_("a referral ends at exactly one service or outcome"),
    N_("a referral cannot go from a service to itself"),
    N_("a referral has at most one owner, an actor"),
    N_("volume per month must be one number, 0 or more"),
    N_("median wait must be one number of days, 0 or more"),
    N_("information flow must be yes, no or unknown"),
    N_("a responsibility belongs to exactly one actor"),
    N_("a responsibility is on exactly one service, referral, segment or measure"),
    N_("role must be lead, participant, consulted or informed"),
    N_("a path is for exactly one segment"),
    N_("a path needs at least one step"),
    N_("a step needs one order number, 1 or more"),
    N_("a step is exactly one service or outcome"),
    N_("a follow-up names exactly one finding by its key (kind:subject[:detail])"),
    N_("status must be new, in-progress, resolved or accepted-risk"),
    N_("a follow-up has at most one owner, an actor"),
    N_("due must be one date (YYYY-MM-DD)"),
)


@dataclass(frozen=True)
class Conforming:
    """A graph's triples (:func:`polku.io.rdf.to_triples`' plain terms), checked and found to
    conform to ``shapes``: the check of a version made from it looks only at what changed
    (:func:`polku.io.shapes.conforms_after`)."""
    triples: frozenset
    shapes: tuple


def shacl_check(g: nx.MultiDiGraph, source: str | None = None,
                since: Conforming | None = None) -> tuple[list[PolkuError], Conforming | None]:
    """:func:`shacl_problems` of the typed graph ``g``, and when it conforms, what the next
    version's check may start from. With ``since`` (the version ``g`` was made from, found
    to conform to the same shapes) only the nodes the difference touches are checked; the
    problems of a graph that does not conform are pyshacl's, as always.

    >>> from polku.graph import new_graph
    >>> g = new_graph("demo"); g.add_node("kela", type="actor", name="Kela", kind="kela")
    >>> problems, seen = shacl_check(g)
    >>> problems, len(seen.triples) > 0
    ([], True)
    >>> g.nodes["kela"]["kind"] = "nobody"
    >>> [p.node for p in shacl_check(g, since=seen)[0]], shacl_check(g, since=seen)[1]
    (['kela'], None)
    """
    from polku.io.shapes import Unsupported, compile_shapes, conforms, conforms_after

    try:
        shapes = compile_shapes()
    except Unsupported:
        return shacl_problems(g, source), None
    triples = frozenset(rdf.to_triples(g))
    term = rdf.rdflib_term
    if since is not None and since.shapes is shapes:
        ok = conforms_after(since.triples, triples, term)
    else:
        ok = conforms([(term(s), term(p), term(o)) for s, p, o in triples])
    if ok:
        return [], Conforming(triples, shapes)
    return shacl_problems(g, source), None


def shacl_problems(g, source: str | None = None) -> list[PolkuError]:
    """Every SHACL violation of the graph, each naming the node (by workbook id) and path.

    ``g`` is the typed graph, or an rdflib Graph holding RDF exactly as it was given.
    """
    import rdflib

    from polku.io.shapes import conforms

    # the plain-Python check of the same shapes answers a conforming graph in milliseconds;
    # pyshacl (seconds) runs when it does not conform, so its problems are what is reported
    if isinstance(g, rdflib.Graph):
        data = g
        if conforms(data):
            return []
    else:
        terms = list(rdf.to_rdflib_triples(g))
        if conforms(terms):
            return []
        data = rdflib.Graph()
        for k, v in rdf.PREFIXES.items():
            data.bind(k, v)
        for t in terms:
            data.add(t)
    import pyshacl

    shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                           advanced=False, allow_warnings=True)
    if conforms:
        return []
    problems = []
    ident = rdflib.URIRef(rdf.IDENTIFIER)
    for result in report.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")):
        focus = report.value(result, rdflib.URIRef(SH + "focusNode"))
        path = report.value(result, rdflib.URIRef(SH + "resultPath"))
        message = report.value(result, rdflib.URIRef(SH + "resultMessage"))
        value = report.value(result, rdflib.URIRef(SH + "value"))
        node_id = data.value(focus, ident) or focus
        prefix = ""
        if path is not None:
            prefix = data.namespace_manager.normalizeUri(path) + ": "
        params = {"path": prefix[:-2], "message": Said(str(message))}
        if value is not None and str(value) != str(focus):
            params["value"] = value.n3(data.namespace_manager)
        problems.append(PolkuError(SHACL_TEMPLATES[("path" if path is not None else "")
                                                   + ("value" if "value" in params else "")],
                                   params=params, file=source, node=str(node_id)))
    return sorted(problems, key=str)


def validate(source: str | Path, progress: Progress = silent) -> nx.MultiDiGraph:
    """Load ``source`` (any input :func:`polku.io.load.load_graph` takes) and check it whole.

    Returns the graph when it is valid; raises :class:`PolkuErrors` listing every problem.
    ``progress`` hears of each step (reading, the SHACL check: tens of seconds nationally).
    """
    path = Path(str(source))
    if path.suffix.lower() in (".ttl", ".turtle", ".jsonld", ".json") and path.is_file():
        # check the RDF as it was written, not as polku would read it: every violation at
        # once, before loading stops at the first thing the analyses cannot use
        progress(Phrase(N_("reading {name}"), name=path.name))
        if path.suffix.lower() in (".ttl", ".turtle"):
            rdf.parse_turtle_triples(path.read_bytes(), str(path))  # its syntax errors are clearer
        data = rdf.rdflib_graph(path)
        rdf.refuse_hetu_in_triples(rdf.from_rdflib_triples(data), str(source))
        progress(Phrase(N_("checking the SHACL shapes")))
        problems = shacl_problems(data, str(source))
        if problems:
            raise PolkuErrors(problems)
        return load_graph(source)
    progress(Phrase(N_("reading {name}"), name=path.name or source))
    if workbook.is_workbook(path):  # with progress sheet by sheet (big workbooks)
        with gc_paused():
            g = workbook.read_workbook(path, progress=progress)
    else:
        g = load_graph(source)
    progress(Phrase(N_("checking the SHACL shapes")))
    problems = shacl_problems(g, str(source))
    if problems:
        raise PolkuErrors(problems)
    return g
