"""RDF ⇄ the typed graph: the one place that knows how polku's graph is spelled in RDF.

Nothing else in polku parses or builds RDF. The mapping follows ``ontology/polku.ttl``:
services are ``cpsv:PublicService``, organisations ``org:Organization`` (public ones also
``cv:PublicOrganisation``), names ``dct:title`` with language tags (fi, sv, en), target
segments ``dct:audience``, needs and their factors ``skos:Concept`` in concept schemes.
Responsibilities and path steps, which are edges with attributes in the graph, become
resources of their own. Every resource carries its workbook id as ``dct:identifier``.

Reading is fast because it skips rdflib: pyoxigraph parses Turtle (0.3 s for 100k triples
where rdflib's parser takes 6 s) and the triples go straight into networkx. rdflib is used
where its features are needed: SHACL validation (pyshacl) and JSON-LD.

Writing Turtle is deterministic: fixed prefixes, subjects sorted, ``a`` first and then
predicates sorted, objects sorted; a graph kept in git diffs line by line.
"""

from __future__ import annotations

import math
import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple
from urllib.parse import quote, unquote

import networkx as nx

from polku.io import atomic
from polku.io.naming import graph_name_of
from polku.errors import CellError, Figure, NodeTypes, PolkuError, PolkuErrors, Said, os_reason
from polku.followup import check_key
from polku.words import N_
from polku.graph import (MERGED_FROM, add_edges, merged_from_order, name_of, new_graph,
                         parent_cycles, part_of_parents, regions, repeated_steps)
from polku.bounds import out_of_bounds

POLKU = "https://w3id.org/polku/ontology#"
EXTRA = "https://w3id.org/polku/extra#"
DATA = "https://w3id.org/polku/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
CPSV = "http://purl.org/vocab/cpsv#"
CV = "http://data.europa.eu/m8g/"
OWL = "http://www.w3.org/2002/07/owl#"
FOAF = "http://xmlns.com/foaf/0.1/"
#: VoID: each region of a merged graph is a ``void:Dataset`` (written as a full IRI: a
#: prefix of its own would change the header of every file polku writes)
VOID = "http://rdfs.org/ns/void#"
#: polku's concept scheme of participation roles (``ontology/polku.ttl``): data, not
#: vocabulary, so outside the ontology's namespace
ROLE_SCHEME = "https://w3id.org/polku/role"
ROLE = ROLE_SCHEME + "/"

PREFIXES = {
    "cpsv": CPSV, "cv": CV, "dct": DCT, "foaf": FOAF, "org": ORG, "owl": OWL, "polku": POLKU,
    "polkurole": ROLE, "polkux": EXTRA, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD,
}
TYPE = RDF + "type"
IDENTIFIER = DCT + "identifier"

#: node type -> its main class, and the classes that are implied by it (not read back)
CLASSES: dict[str, str] = {
    "actor": POLKU + "Actor",
    "service": POLKU + "Service",
    "outcome": POLKU + "Outcome",
    "need": POLKU + "Need",
    "segment": POLKU + "Segment",
    "referral": POLKU + "Referral",
    "path": POLKU + "Path",
    "goal": POLKU + "Goal",
    "measure": POLKU + "Measure",
    "indicator": POLKU + "Indicator",
    "risk": POLKU + "Risk",
}
PUBLIC_SERVICE = CPSV + "PublicService"
#: classes read as node types: polku's own, and CPSV-AP's public service (other publishers'
#: data, and polku's Turtle written before polku:Service)
TYPE_OF_CLASS = {**{v: k for k, v in CLASSES.items()}, PUBLIC_SERVICE: "service"}
LOCATION = DCT + "Location"
COMPETENT_AUTHORITY = CV + "hasCompetentAuthority"
PARTICIPATION = CV + "Participation"
HAS_PARTICIPATION = CV + "hasParticipation"
HAS_PARTICIPANT = CV + "hasParticipant"
PARTICIPATION_ROLE = CV + "role"
#: the languages a participation is described in (its role's labels are in these)
PARTICIPATION_LANGS = ("fi", "sv", "en")
#: actor kinds that are public organisations (cv:PublicOrganisation); a joint municipal
#: authority (kuntayhtymä) is one, owned by its municipalities
PUBLIC_ACTOR_KINDS = {"wellbeing-county", "employment-area", "municipality", "joint-authority",
                      "kela", "state"}
FACTOR = POLKU + "Factor"
GRAPH_CLASS = POLKU + "Graph"
#: a region of a merged graph: its own graph sheet, ``dct:isPartOf`` the merged graph, which
#: ``dct:hasPart`` it (the same IRI as the region's own ``polku:Graph``)
REGION_CLASS = VOID + "Dataset"
HAS_PART = DCT + "hasPart"
IS_PART_OF = DCT + "isPartOf"
#: a merged graph's shared actor -> the IRI each region's own graph gives it (its
#: :data:`polku.graph.MERGED_FROM`: the regions that held it, and by what id)
MERGED_FROM_PREDICATE = POLKU + "mergedFrom"
RESPONSIBILITY = POLKU + "Responsibility"
STEP = POLKU + "PathStep"
FOLLOW_UP = POLKU + "FollowUp"
#: a follow-up's fields -> predicates (``owner`` points to the actor; the rest are literals)
FOLLOW_UP_FIELDS: dict[str, str] = {
    "status": POLKU + "status", "owner": POLKU + "owner", "due": POLKU + "due",
    "note": RDFS + "comment", "updated": DCT + "modified", "by": POLKU + "updatedBy"}

#: node attribute -> predicate; attributes not listed use ``polku:<attribute>``
ATTRS: dict[str, str] = {
    "description": DCT + "description",
    "kind": POLKU + "actorKind",
    "business_id": POLKU + "businessId",
    "region": POLKU + "region",
    "capacity_per_month": POLKU + "capacityPerMonth",
    "places": POLKU + "places",
    "entry": POLKU + "isEntryPoint",
    "method": POLKU + "method",
    "legal_basis": POLKU + "legalBasis",
    "size": POLKU + "size",
    "participation_rate": POLKU + "participationRate",
    "volume_per_month": POLKU + "volumePerMonth",
    "median_wait_days": POLKU + "medianWaitDays",
    "information_flow": POLKU + "informationFlow",
    "organised": POLKU + "organised",
    # plan layer (polku.io.plan)
    "start": POLKU + "startMonth",
    "end": POLKU + "endMonth",
    "target_groups": POLKU + "targetGroups",
    "deferred_text": POLKU + "deferredText",
}
#: the graph's own attributes (the workbook's ``graph`` sheet) -> predicate
GRAPH_ATTRS: dict[str, str] = {
    "title": DCT + "title",
    "description": DCT + "description",
    "region": POLKU + "region",
    "illustrative": POLKU + "illustrative",
    "source": DCT + "source",
    "min_cell": POLKU + "min_cell",
}
GRAPH_ATTR_OF_PREDICATE = {v: k for k, v in GRAPH_ATTRS.items()}
#: the graph's translated titles by the language tag of their ``dct:title``; the primary
#: title is Finnish, as the workbook's text columns are, unless the extra column
#: ``title_lang`` says otherwise (as a node's ``name_lang``); a title in another language
#: lives in the extra column ``title@de`` (as a node's ``name@fr``)
TITLE_OF_LANG = {"sv": "title_sv", "en": "title_en"}
LANG_OF_TITLE = {"title": "fi", **{v: k for k, v in TITLE_OF_LANG.items()}}
#: the graph's region in Swedish and English (the graph sheet's ``region_sv``/``region_en``):
#: ``polku:region`` tagged with the language, beside the untagged primary one
REGION_OF_LANG = {"sv": "region_sv", "en": "region_en"}
TITLE_IN_EXTRA = re.compile(r"^title@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
#: the titles of the graph's concept schemes (``<graph>/segments``, ``/needs``, ``/factors``)
#: in every language a title is written in: data, as the ontology's labels are (the classes'
#: ``rdfs:label`` in the plural; a segment is an *asiakasryhmä* everywhere in polku)
SCHEME_TITLES: dict[str, dict[str, str]] = {
    "segments": {"fi": "Asiakasryhmät", "sv": "Kundgrupper", "en": "Client segments"},
    "needs": {"fi": "Tarpeet", "sv": "Behov", "en": "Needs"},
    "factors": {"fi": "Työkykytekijät", "sv": "Arbetsförmågefaktorer",
                "en": "Work-ability factors"},
}
#: attributes that hold a list (one triple per item, read back as a list)
LIST_ATTRS: set[str] = {"parts", "suppressed"}
#: edge kind -> predicate from the edge's source to its target
EDGES: dict[str, str] = {
    "part_of": ORG + "subOrganizationOf",
    "provides": CPSV + "provides",
    "addresses": POLKU + "addressesNeed",
    "for_segment": DCT + "audience",
    "has_need": POLKU + "hasNeed",
    "entry": POLKU + "entryService",
    "from": POLKU + "fromService",
    "to": POLKU + "toNode",
    "owner": POLKU + "owner",
    "path_segment": POLKU + "forSegment",
    "in_goal": POLKU + "inGoal",
    "subject": POLKU + "worksOn",
    "has_indicator": POLKU + "hasIndicator",
    "has_risk": POLKU + "hasRisk",
}
EDGE_OF_PREDICATE = {v: k for k, v in EDGES.items()}
NAME_PREDICATE = {"need": SKOS + "prefLabel"}
LANG_OF_NAME = {"name": "fi", "name_sv": "sv", "name_en": "en"}
NAME_OF_LANG = {v: k for k, v in LANG_OF_NAME.items()}
#: texts in languages the workbook has no column for live in extra columns ``name@fr``,
#: ``description@de``; the text columns' own language is Finnish unless the extra column
#: ``name_lang`` / ``description_lang`` says otherwise (data from another publisher that has
#: no Finnish text). Both are written as language-tagged RDF and read back the same way.
TEXT_IN_EXTRA = re.compile(r"^(name|description)@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
ATTR_OF_PREDICATE = {v: k for k, v in ATTRS.items()}


class Lit(NamedTuple):
    """An RDF literal; IRIs are plain ``str``."""
    value: str
    datatype: str | None = None
    lang: str | None = None


Triple = tuple[str, str, "str | Lit"]


def node_iri(base: str, node: str) -> str:
    """A node's IRI: under the graph's namespace ``base``, or, for a merged graph's
    ``region/id``, under that region's own namespace.

    >>> node_iri(base_iri("national"), "keski-uusimaa/kela")
    'https://w3id.org/polku/id/keski-uusimaa/kela'
    """
    return DATA + node if "/" in node else base + node


def base_iri(name: str) -> str:
    """The namespace of one graph's resources: ids are only unique within a region."""
    return f"{DATA}{quote(name, safe='')}/"


def _literal(value: object) -> Lit:
    if isinstance(value, bool):
        return Lit("true" if value else "false", XSD + "boolean")
    if isinstance(value, int):
        return Lit(str(value), XSD + "integer")
    if isinstance(value, float):
        if not math.isfinite(value):
            return Lit(repr(value), XSD + "double")
        # every finite number a decimal, written out: repr's exponent form (1e-05, 1e+16)
        # made an xsd:double, which the shapes refuse as 'not one number' for a capacity
        # the workbook rules had read as one
        text = repr(value)
        if "e" in text:
            text = format(Decimal(text), "f")
        return Lit(text, XSD + "decimal")
    return Lit(str(value))


def _python(lit: Lit) -> object:
    """A literal's value; a number literal whose text is no number (``"x"^^xsd:integer``)
    as its text, which the checks of what arrives refuse with its node
    (:func:`structural_problems`) instead of a parser's traceback."""
    dt = lit.datatype
    if dt == XSD + "boolean":
        return lit.value.strip() in ("true", "1")
    try:
        if dt in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            return int(lit.value)
        if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(lit.value)
    except ValueError:
        return lit.value
    return lit.value


def _attr_predicate(attr: str) -> str:
    return ATTRS.get(attr) or POLKU + attr


# -- graph -> triples ----------------------------------------------------------------------

def to_triples(g: nx.MultiDiGraph) -> Iterator[Triple]:
    """The graph as RDF triples (IRIs as ``str``, literals as :class:`Lit`)."""
    name = g.graph.get("name", "graph")
    base = base_iri(name)
    yield base, TYPE, GRAPH_CLASS
    yield base, IDENTIFIER, Lit(name)
    yield from _sheet_triples(base, g.graph)
    yield from _region_triples(base, regions(g))

    def iri(node: str) -> str:
        return node_iri(base, node)

    factors: set[str] = set()
    yield from _cpsv_ap_triples(g, base)
    for node, data in g.nodes(data=True):
        s = iri(node)
        node_type = data["type"]
        yield s, TYPE, CLASSES[node_type]
        yield s, IDENTIFIER, Lit(node)
        if node_type == "actor":
            yield s, TYPE, ORG + "Organization"
            # W3C ORG makes an organisation a foaf:Agent; said outright, since CPSV-AP's
            # shapes ask a participant to be one and validators infer nothing
            yield s, TYPE, FOAF + "Agent"
        if node_type == "need":
            yield s, TYPE, SKOS + "Concept"
            yield s, SKOS + "inScheme", base + "needs"
        extra = data.get("extra") or {}
        name_pred = NAME_PREDICATE.get(node_type, DCT + "title")

        def names(text: str, tag: str) -> Iterator[Triple]:
            # tag: the literal's RDF language tag (data, not a reader's language)
            yield s, name_pred, Lit(text, None, tag)
            if node_type in LABELLED_TWICE:
                yield s, SKOS + "prefLabel", Lit(text, None, tag)

        for attr, value in data.items():
            if attr in ("type", "extra"):
                continue
            if attr in LANG_OF_NAME:
                lang = extra.get("name_lang", "fi") if attr == "name" else LANG_OF_NAME[attr]
                yield from names(str(value), lang)
            elif attr == "description":
                # CPSV-AP wants language-tagged text; workbooks are written in Finnish
                yield s, DCT + "description", Lit(str(value), None,
                                                  extra.get("description_lang", "fi"))
            elif attr == "factor" and node_type == "need":
                factor = base + "factor-" + quote(str(value), safe="")
                factors.add(str(value))
                yield s, SKOS + "broader", factor
            elif attr == MERGED_FROM:
                for item in value:  # a regional id: the IRI the region's graph gives it
                    yield s, MERGED_FROM_PREDICATE, node_iri(base, str(item))
            elif isinstance(value, (list, tuple)):
                for item in value:
                    yield s, _attr_predicate(attr), _literal(item)
            else:
                yield s, _attr_predicate(attr), _literal(value)
        for col, value in extra.items():
            text = TEXT_IN_EXTRA.match(col)
            if text and text.group(1) == "name":
                yield from names(str(value), text.group(2))
            elif col == "name_fi" and extra.get("name_lang", "fi") != "fi":
                # the Finnish name of a row named in another language first: a label @fi
                yield from names(str(value), "fi")
            elif text:
                yield s, DCT + "description", Lit(str(value), None, text.group(2))
            else:
                yield s, EXTRA + quote(col, safe=""), Lit(str(value))
    if any(t == "need" for _, t in g.nodes(data="type")):
        yield base + "needs", TYPE, SKOS + "ConceptScheme"
        yield from _scheme_titles(base, "needs")
    if factors:
        yield base + "factors", TYPE, SKOS + "ConceptScheme"
        yield from _scheme_titles(base, "factors")
    for factor in factors:
        f = base + "factor-" + quote(factor, safe="")
        yield f, TYPE, SKOS + "Concept"
        yield f, TYPE, FACTOR
        yield f, SKOS + "prefLabel", Lit(factor)
        yield f, SKOS + "inScheme", base + "factors"
        yield f, SKOS + "topConceptOf", base + "factors"

    for u, v, d in g.edges(data=True):
        kind = d["kind"]
        if kind == "responsibility":
            r = f"{base}responsibility/{u}/{v}/{d['role']}"
            yield r, TYPE, RESPONSIBILITY
            yield r, POLKU + "actor", iri(u)
            yield r, POLKU + "subject", iri(v)
            yield r, POLKU + "role", Lit(d["role"])
            if d.get("note"):
                yield r, RDFS + "comment", Lit(d["note"])
            for col, value in (d.get("extra") or {}).items():
                yield r, EXTRA + quote(col, safe=""), Lit(str(value))
        elif kind == "step":
            st = f"{iri(u)}/step/{d['order']}"
            yield iri(u), POLKU + "hasStep", st
            yield st, TYPE, STEP
            yield st, POLKU + "order", _literal(int(d["order"]))
            yield st, POLKU + "stepNode", iri(v)
            for col, value in (d.get("extra") or {}).items():
                yield st, EXTRA + quote(col, safe=""), Lit(str(value))
        else:
            yield iri(u), EDGES.get(kind, POLKU + kind), iri(v)

    for key, record in sorted((g.graph.get("followups") or {}).items()):
        f = f"{base}followup/{quote(key, safe='')}"
        yield f, TYPE, FOLLOW_UP
        yield f, POLKU + "finding", Lit(key)
        for attr, predicate in FOLLOW_UP_FIELDS.items():
            value = record.get(attr)
            if value in (None, ""):
                continue
            if attr == "owner":
                yield f, predicate, iri(str(value))
            elif attr == "due":
                yield f, predicate, Lit(str(value), XSD + "date")
            else:
                yield f, predicate, Lit(str(value))
        for col, value in (record.get("extra") or {}).items():
            yield f, EXTRA + quote(col, safe=""), Lit(str(value))


def _sheet_triples(s: str, sheet: dict) -> Iterator[Triple]:
    """A graph sheet's facts about the graph resource ``s`` (a graph's own, or a region's
    of a merged graph): its columns by :data:`GRAPH_ATTRS`, the titles and the region names
    language-tagged, its extra columns as ``polkux:`` (a title in another language as a
    tagged ``dct:title``)."""
    for key, predicate in GRAPH_ATTRS.items():
        if key in LANG_OF_TITLE:
            continue
        if sheet.get(key) is not None and sheet.get(key) != "":
            yield s, predicate, _literal(sheet[key])
    # the titles as language-tagged text, as the nodes' names
    extra = sheet.get("extra") or {}
    for key, tag in LANG_OF_TITLE.items():
        if sheet.get(key) not in (None, ""):
            if key == "title":
                tag = extra.get("title_lang", tag)
            yield s, DCT + "title", Lit(str(sheet[key]), None, tag)
    for tag, key in REGION_OF_LANG.items():
        if sheet.get(key) not in (None, ""):
            yield s, GRAPH_ATTRS["region"], Lit(str(sheet[key]), None, tag)
    for col, value in extra.items():
        tagged = TITLE_IN_EXTRA.match(col)
        if tagged:
            yield s, DCT + "title", Lit(str(value), None, tagged.group(1))
        else:
            yield s, EXTRA + quote(col, safe=""), Lit(str(value))


def _region_triples(base: str, sheets: list[dict]) -> Iterator[Triple]:
    """A merged graph's regions (:func:`polku.graph.regions`): each region's graph sheet as
    a ``void:Dataset`` under the IRI of the region's own graph, ``dct:isPartOf`` the merged
    graph (``base``), which ``dct:hasPart`` it; the region it describes also as
    ``dct:spatial`` code-list areas where polku knows them (derived, as an organisation's:
    the text in ``polku:region`` is what is read back)."""
    from polku.io.areas import NAMES, locations

    for sheet in sheets:
        r = base_iri(str(sheet["id"]))
        yield base, HAS_PART, r
        yield r, TYPE, REGION_CLASS
        yield r, IS_PART_OF, base
        yield r, IDENTIFIER, Lit(str(sheet["id"]))
        yield from _sheet_triples(r, sheet)
        for place in locations(sheet.get("region")):
            yield r, DCT + "spatial", place
            yield place, TYPE, LOCATION
            if place in NAMES:
                yield place, SKOS + "prefLabel", Lit(NAMES[place], None, "fi")


#: node types whose names are also ``skos:prefLabel`` (CPSV-AP labels organisations so, and
#: segments are concepts of the graph's audience scheme)
LABELLED_TWICE = {"actor", "segment"}


def public_actors(g: nx.MultiDiGraph) -> set[str]:
    """Actors that are public organisations by their kind."""
    return {n for n, d in g.nodes(data=True)
            if d["type"] == "actor" and d.get("kind") in PUBLIC_ACTOR_KINDS}


def competent_authorities(g: nx.MultiDiGraph, service: str,
                          public: set[str] | None = None) -> list[str]:
    """The public organisations that answer for ``service`` in CPSV-AP's sense: its public
    leads; else its public providers (one is the sole provider's case); else the nearest
    public parent of its leads or providers (a unit's organisation). ``[]`` when no public
    organisation answers for it (a club house run by an association).

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("keusote", type="actor", kind="wellbeing-county")
    >>> g.add_node("klubi", type="actor", kind="third-sector")
    >>> g.add_node("s", type="service", name="S")
    >>> add_edge(g, "klubi", "s", "provides")
    >>> competent_authorities(g, "s")
    []
    >>> add_edge(g, "keusote", "s", "responsibility", key="responsibility:lead", role="lead")
    >>> competent_authorities(g, "s")
    ['keusote']
    """
    public = public_actors(g) if public is None else public
    leads = sorted({u for u, _, d in g.in_edges(service, data=True)
                    if d["kind"] == "responsibility" and d.get("role") == "lead"})
    providers = sorted({u for u, _, k in g.in_edges(service, data="kind") if k == "provides"})
    for group in (leads, providers):
        found = [a for a in group if a in public]
        if found:
            return found
    parents: set[str] = set()
    for actor in leads + providers:
        seen = {actor}
        while True:
            up = [v for _, v, k in g.out_edges(actor, data="kind") if k == "part_of"]
            if not up or up[0] in seen:
                break
            actor = up[0]
            seen.add(actor)
            if actor in public:
                parents.add(actor)
                break
    return sorted(parents)


def has_description(data: dict) -> bool:
    """Whether a node has a description in some language (CPSV-AP requires one)."""
    return bool(data.get("description")) or any(
        k.startswith("description@") for k in (data.get("extra") or {}))


def _places(data: dict) -> list[str]:
    """An actor's places: its region's code-list IRIs and the places another publisher gave
    that polku has no name for (the extra column ``spatial``, IRIs separated by spaces)."""
    from polku.io.areas import locations

    spatial = str((data.get("extra") or {}).get("spatial") or "").split()
    return sorted(set(locations(data.get("region")) + spatial))


ELI = "http://data.europa.eu/eli/ontology#"
#: the ELI of a statute of the Finnish statute book (Suomen säädöskokoelma) in Finlex
FINLEX_ELI = "http://data.finlex.fi/eli/sd/{year}/{number}"
_STATUTE = re.compile(r"(?<![\d/.])(\d{1,4})/(\d{4})(?![\d/])")


def finlex_statutes(legal_basis: str) -> list[str]:
    """The Finlex ELIs of the statutes a legal basis cites by number (``380/2023``, the
    number and year of the statute book), sorted. A section (``1301/2014, 17 §``) is cited
    by its statute: a section's ELI needs its chapter, which the text does not give.

    >>> finlex_statutes("Sosiaalihuoltolaki 1301/2014, 17 §; Laki 380/2023")
    ['http://data.finlex.fi/eli/sd/2014/1301', 'http://data.finlex.fi/eli/sd/2023/380']
    """
    return sorted({FINLEX_ELI.format(year=year, number=int(number))
                   for number, year in _STATUTE.findall(legal_basis)
                   if int(number) > 0 and 1734 <= int(year) <= 2100})


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[Triple, ...]:
    """The triples of the ontology polku ships (``polku/ontology/polku.ttl``), read once."""
    from importlib import resources

    path = Path(str(resources.files("polku") / "ontology" / "polku.ttl"))
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PolkuError(N_("cannot read the file ({reason})"), params={
            "reason": os_reason(e)}, file=str(path)) from None
    return tuple(parse_turtle_triples(data, str(path)))


@lru_cache(maxsize=1)
def _scheme_titles(base: str, scheme: str) -> Iterator[Triple]:
    """The ``dct:title`` of one of the graph's concept schemes, one per language."""
    for tag, title in SCHEME_TITLES[scheme].items():
        yield base + scheme, DCT + "title", Lit(title, None, tag)


def role_scheme_triples() -> tuple[Triple, ...]:
    """What the ontology says of polku's participation roles: the concept scheme
    ``https://w3id.org/polku/role`` and its concepts, sorted. A CPSV-AP export carries them
    whole, so a consumer reads each ``cv:role`` as a labelled ``skos:Concept``."""
    return tuple(sorted(t for t in _ontology_triples()
                        if t[0] == ROLE_SCHEME or t[0].startswith(ROLE)))


@lru_cache(maxsize=1)
def participation_roles() -> dict[str, dict[str, str]]:
    """polku's participation roles, as the ontology names them: role -> label by language
    (read once; not to be changed by the caller).

    >>> participation_roles()["provider"]
    {'en': 'provider', 'fi': 'tuottaja', 'sv': 'producent'}
    >>> sorted(participation_roles())
    ['consulted', 'informed', 'lead', 'participant', 'provider']
    """
    roles: dict[str, dict[str, str]] = {}
    for s, p, o in role_scheme_triples():
        if s.startswith(ROLE) and p == SKOS + "prefLabel" and type(o) is Lit and o.lang:
            roles.setdefault(s[len(ROLE):], {})[o.lang] = o.value
    return {role: dict(sorted(labels.items())) for role, labels in sorted(roles.items())}


def name_in(data: dict, tag: str) -> str:
    """A node's name for the RDF language tag ``tag`` (data, not a reader's language): its
    name in that language where it has one, else its primary name (a proper name reads the
    same in every language).

    >>> name_in({"name": "Keusote", "name_sv": "Keusote sv"}, "sv")
    'Keusote sv'
    >>> name_in({"name": "Tax-on-web", "extra": {"name_lang": "en"}}, "fi")
    'Tax-on-web'
    >>> name_in({"name": "Vasa stad", "extra": {"name_lang": "sv", "name_fi": "Vaasa"}}, "fi")
    'Vaasa'
    """
    found = name_of(data, tag)
    return found[0] if found else ""


def participations(g: nx.MultiDiGraph, service: str) -> list[tuple[str, str]]:
    """Who takes part in ``service`` and how, as CPSV-AP 3.2.0's ``cv:Participation``s
    say it: (actor, role) for each provider (role ``provider``) and each responsibility on
    it (``lead``, ``participant``, ``consulted``, ``informed``), sorted.

    >>> from polku.graph import new_graph, add_edge
    >>> g = new_graph()
    >>> g.add_node("klubi", type="actor"); g.add_node("keusote", type="actor")
    >>> g.add_node("s", type="service")
    >>> add_edge(g, "klubi", "s", "provides")
    >>> add_edge(g, "keusote", "s", "responsibility", key="responsibility:lead", role="lead")
    >>> participations(g, "s")
    [('keusote', 'lead'), ('klubi', 'provider')]
    """
    roles = participation_roles()
    out = set()
    for u, _, d in g.in_edges(service, data=True):
        role = "provider" if d["kind"] == "provides" else \
            d.get("role") if d["kind"] == "responsibility" else None
        if role in roles and g.nodes[u].get("type") == "actor":
            out.add((u, str(role)))
    return sorted(out)


def participation_id(service: str, actor: str, role: str) -> str:
    """A participation's ``dct:identifier``, as its IRI ends under the graph's namespace.

    >>> participation_id("alkuhaastattelu", "tyollisyysalue", "provider")
    'participation/alkuhaastattelu/tyollisyysalue/provider'
    """
    return f"participation/{service}/{actor}/{role}"


def participation_texts(service: dict, actor: dict, role: str) -> list[Lit]:
    """A participation's description in Finnish, Swedish and English (CPSV-AP asks for
    one): the service, the role's label, the organisation, each in that language where it
    has a name in it. The reader knows them again as polku's own.

    >>> [t.value for t in participation_texts({"name": "Alkuhaastattelu"},
    ...                                       {"name": "Keusote"}, "provider")]
    ['Alkuhaastattelu: tuottaja Keusote', 'Alkuhaastattelu: producent Keusote', \
'Alkuhaastattelu: provider Keusote']
    """
    label = participation_roles()[role]
    return [Lit(f"{name_in(service, tag)}: {label[tag]} {name_in(actor, tag)}", None, tag)
            for tag in PARTICIPATION_LANGS]


def _participation_triples(g: nx.MultiDiGraph, base: str, service: str) -> Iterator[Triple]:
    """A public service's ``cv:Participation``s (:func:`participations`): each with its
    ``dct:identifier`` (:func:`participation_id`), its participant, its role from polku's
    scheme and its description (:func:`participation_texts`)."""
    for actor, role in participations(g, service):
        ident = participation_id(service, actor, role)
        p = base + ident
        yield node_iri(base, service), HAS_PARTICIPATION, p
        yield p, TYPE, PARTICIPATION
        yield p, IDENTIFIER, Lit(ident)
        yield p, HAS_PARTICIPANT, node_iri(base, actor)
        yield p, PARTICIPATION_ROLE, ROLE + role
        for text in participation_texts(g.nodes[service], g.nodes[actor], role):
            yield p, DCT + "description", text


def _cpsv_ap_triples(g: nx.MultiDiGraph, base: str) -> Iterator[Triple]:
    """What CPSV-AP 3.2.0's shapes ask for beyond polku's own facts, all derived from them:
    public organisations as ``cv:PublicOrganisation`` with a ``dct:spatial`` location from
    the code lists (the actor's region, else the graph's, else Finland); a service that a
    public organisation answers for and that has a description as ``cpsv:PublicService``
    with its ``cv:hasCompetentAuthority``, and its providers and responsible organisations
    as ``cv:Participation``s (:func:`_participation_triples`; the roles' concept scheme
    comes along whole, :func:`role_scheme_triples`); segments as ``skos:Concept``s of the
    graph's audience scheme; the statutes a public service's legal basis cites by number as
    its ``cv:hasLegalResource``, their Finlex ELIs (:func:`finlex_statutes`). (Names of
    organisations and segments also as ``skos:prefLabel``, every actor also a
    ``foaf:Agent``, descriptions language-tagged: see :func:`to_triples`.)"""
    from polku.io.areas import NAMES, locations

    public = public_actors(g)
    fallback = locations(g.graph.get("region")) or locations("koko maa")
    places: set[str] = set()
    for node in sorted(public):
        s = node_iri(base, node)
        yield s, TYPE, CV + "PublicOrganisation"
        where = _places(g.nodes[node]) or fallback
        for place in where:
            places.add(place)
            yield s, DCT + "spatial", place
    for node, data in g.nodes(data=True):
        if data["type"] == "actor" and node not in public:
            for place in _places(data):
                places.add(place)
                yield node_iri(base, node), DCT + "spatial", place
    for place in sorted(places):
        yield place, TYPE, LOCATION
        if place in NAMES:
            yield place, SKOS + "prefLabel", Lit(NAMES[place], None, "fi")
    segments = False
    roles = False
    for node, data in g.nodes(data=True):
        if data["type"] == "service" and has_description(data):
            authorities = competent_authorities(g, node, public)
            if authorities:
                yield node_iri(base, node), TYPE, PUBLIC_SERVICE
                for a in authorities:
                    yield node_iri(base, node), COMPETENT_AUTHORITY, node_iri(base, a)
                for t in _participation_triples(g, base, node):
                    roles = True
                    yield t
                for law in finlex_statutes(str(data.get("legal_basis") or "")):
                    yield node_iri(base, node), CV + "hasLegalResource", law
                    yield law, TYPE, ELI + "LegalResource"
        elif data["type"] == "segment":
            segments = True
            yield node_iri(base, node), TYPE, SKOS + "Concept"
            yield node_iri(base, node), SKOS + "inScheme", base + "segments"
    if segments:
        yield base + "segments", TYPE, SKOS + "ConceptScheme"
        yield from _scheme_titles(base, "segments")
    if roles:
        yield from role_scheme_triples()


# -- triples -> graph ----------------------------------------------------------------------

def _id_of_iri(iri: str) -> str:
    return unquote(re.split(r"[/#]", iri.rstrip("/"))[-1])


def refuse_hetu(literals: list[tuple[str, str, str]], source: str | None = None) -> None:
    """Refuse RDF whose literal holds a personal identity code, naming the resource and the
    property (``literals``: subject, predicate, text)."""
    from polku.privacy import HETU_MESSAGE, first_hetu

    i = first_hetu(text for _, _, text in literals)
    if i is not None:
        s, p, _ = literals[i]
        raise PolkuError(N_("<{predicate}> {problem}"),
                         params={"predicate": p, "problem": Said(HETU_MESSAGE)},
                         file=source, node=s)


def refuse_bidi(literals: list[tuple[str, str, str]], source: str | None = None) -> None:
    """Refuse RDF whose literal holds a bidirectional control (:mod:`polku.io.bidi`),
    naming the resource, the property, the character and where it is in the text."""
    from polku.io.bidi import BIDI_CONTROL, bidi_params

    if BIDI_CONTROL.search("\n".join(text for _, _, text in literals)) is None:
        return
    for s, p, text in literals:
        if (bidi := bidi_params(text)) is not None:
            raise PolkuError(N_("<{predicate}> holds a bidirectional control character, "
                                "{invisible}, at character {position}: it turns the text "
                                "shown after it backwards; delete it"),
                             params={"predicate": p, **bidi}, file=source, node=s)


def refuse_hetu_in_addresses(iris: Iterable[str], source: str | None = None) -> None:
    """Refuse RDF whose address (an IRI: a resource, a property, a class) holds a personal
    identity code, without quoting it: a resource with no ``dct:identifier`` is named by
    its address, and a property's becomes a column name."""
    from polku.privacy import HETU_MESSAGE, first_hetu

    if first_hetu(unquote(i) for i in iris) is not None:
        raise PolkuError(N_("an address (IRI) of the data {problem}"),
                         params={"problem": Said(HETU_MESSAGE)}, file=source)


def refuse_hetu_in_triples(triples: Iterable[Triple], source: str | None = None) -> None:
    """:func:`refuse_hetu` for the literals and :func:`refuse_hetu_in_addresses` for the
    addresses of ``triples``."""
    literals, iris = [], set()
    for s, p, o in triples:
        iris.update((s, p))
        if isinstance(o, Lit):
            literals.append((s, p, o.value))
        else:
            iris.add(str(o))
    refuse_hetu(literals, source)
    refuse_hetu_in_addresses(iris, source)


def _graph_attrs(pos: Iterable[tuple[str, "str | Lit"]]) -> dict[str, object]:
    """The graph's own attributes from the triples about its ``polku:Graph`` resource."""
    attrs: dict[str, object] = {}
    extra: dict[str, str] = {}
    titles: list[Lit] = []
    for p, o in pos:
        if type(o) is not Lit:
            continue
        if p == DCT + "title":
            titles.append(o)
        elif p == GRAPH_ATTRS["region"] and (o.lang or "").lower() in REGION_OF_LANG:
            attrs[REGION_OF_LANG[o.lang.lower()]] = o.value
        elif p in GRAPH_ATTR_OF_PREDICATE:
            attrs[GRAPH_ATTR_OF_PREDICATE[p]] = _python(o)
        elif p.startswith(EXTRA):
            extra[unquote(p[len(EXTRA):])] = o.value
    # placed once the extra columns are known: ``title_lang`` says the primary title's
    own = extra.get("title_lang", "fi")
    for o in titles:
        # an untagged title (polku before titles had languages) is the primary one
        if o.lang is None or o.lang == own:
            attrs["title"] = o.value
        elif o.lang.lower() in TITLE_OF_LANG:
            attrs[TITLE_OF_LANG[o.lang.lower()]] = o.value
        else:
            extra[f"title@{o.lang}"] = o.value
    if extra:
        attrs["extra"] = extra
    return attrs


def _place_texts(texts: list[tuple[str, str | None, str]], attrs: dict[str, object],
                 extra: dict[str, str]) -> None:
    """Put a node's language-tagged names and descriptions where :func:`to_triples` took
    them from: the text columns in their language (Finnish, or ``name_lang`` /
    ``description_lang``), ``name_sv``/``name_en``, a Finnish name beside another main
    name's language in ``name_fi``, else ``name@fr``-style extra columns.
    An untagged text is read as the column's own language."""
    for col, lang, value in texts:
        own = extra.get(f"{col}_lang", "fi")
        if lang is None or lang == own:
            attrs[col] = value
        elif col == "name" and lang == "fi":
            # the Finnish name of a node named in another language first: the workbook's
            # name_fi (polku.graph.name_of)
            extra["name_fi"] = value
        elif col == "name" and lang in NAME_OF_LANG:
            attrs[NAME_OF_LANG[lang]] = value
        else:
            extra[f"{col}@{lang}"] = value


def from_triples(triples: Iterable[Triple], name: str | None = None,
                 source: str | None = None, title: str | None = None) -> nx.MultiDiGraph:
    """Build the typed graph from RDF triples (the inverse of :func:`to_triples`).

    Node ids are read from ``dct:identifier``; a resource without one is named by the
    last segment of its IRI. ``name`` and ``title`` are used when the data names no
    ``polku:Graph``.
    Raises :class:`PolkuError` naming the RDF node when the data cannot be placed.
    """
    by_subject: dict[str, list[tuple[str, str | Lit]]] = {}
    classes: dict[str, set[str]] = {}
    idents: dict[str, str] = {}
    literals: list[tuple[str, str, str]] = []
    iris: set[str] = set()
    for s, p, o in triples:
        iris.add(s)
        iris.add(p)
        if type(o) is Lit:
            literals.append((s, p, o.value))
        else:
            iris.add(o)  # type: ignore[arg-type]
        if p == TYPE:
            classes.setdefault(s, set()).add(o)  # type: ignore[arg-type]
        elif p == IDENTIFIER and type(o) is Lit:
            idents[s] = o.value
        else:
            by_subject.setdefault(s, []).append((p, o))

    refuse_hetu(literals, source)
    refuse_hetu_in_addresses(iris, source)
    refuse_bidi(literals, source)
    graph_name = name
    graph_attrs: dict[str, object] = {"title": title} if title else {}
    ids: dict[str, str] = {}
    types: dict[str, str] = {}
    responsibilities: list[str] = []
    steps: list[str] = []
    followup_resources: list[str] = []
    factor_label: dict[str, str] = {}
    for s, cls in classes.items():
        if GRAPH_CLASS in cls:
            graph_name = idents.get(s, graph_name)
            graph_attrs = _graph_attrs(by_subject.get(s, ()))
            parts = sorted({o for p, o in by_subject.get(s, ())
                            if p == HAS_PART and type(o) is not Lit})
            if parts:  # a merged graph: each region's own graph sheet
                graph_attrs["regions"] = sorted(
                    ({"id": idents.get(r) or _id_of_iri(r),  # type: ignore[arg-type]
                      **_graph_attrs(by_subject.get(r, ()))} for r in parts),  # type: ignore[arg-type]
                    key=lambda sheet: str(sheet["id"]))
        elif RESPONSIBILITY in cls:
            responsibilities.append(s)
        elif STEP in cls:
            steps.append(s)
        elif FOLLOW_UP in cls:
            followup_resources.append(s)
        elif FACTOR in cls:
            factor_label[s] = next((o.value for p, o in by_subject.get(s, ())
                                    if p == SKOS + "prefLabel" and type(o) is Lit), s)
        else:
            node_type = next((TYPE_OF_CLASS[c] for c in sorted(cls) if c in TYPE_OF_CLASS), None)
            if node_type is not None:
                types[s] = node_type
                ids[s] = idents.get(s) or _id_of_iri(s)
    seen_ids: dict[str, str] = {}
    for s, node in ids.items():
        if node in seen_ids:
            raise PolkuError(N_("the id '{id}' (dct:identifier) is also used by <{other}>"),
                             params={"id": node, "other": seen_ids[node]}, file=source, node=s)
        seen_ids[node] = s

    def node_of(o: str | Lit, s: str, p: str) -> str:
        if type(o) is Lit or o not in ids:
            raise PolkuError(N_("<{predicate}> points to {value}, which is not a polku "
                                "resource"), params={"predicate": p, "value": repr(o)}, node=s)
        return ids[o]  # type: ignore[index]

    def extra_of(pos: list[tuple[str, str | Lit]]) -> dict[str, str]:
        return {unquote(p[len(EXTRA):]): o.value for p, o in pos
                if p.startswith(EXTRA) and type(o) is Lit}  # type: ignore[union-attr]

    skip = {SKOS + "inScheme", POLKU + "hasStep"}
    names = {DCT + "title", SKOS + "prefLabel"}
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, str, str, dict]] = []
    path_of_step: dict[str, str] = {}
    for s, node_type in types.items():
        node = ids[s]
        attrs: dict[str, object] = {"type": node_type}
        extra: dict[str, str] = {}
        texts: list[tuple[str, str | None, str]] = []
        for p, o in by_subject.get(s, ()):
            if p in skip:
                if p == POLKU + "hasStep":
                    path_of_step[o] = node  # type: ignore[index]
                continue
            if type(o) is Lit:
                if p in names:
                    texts.append(("name", o.lang, o.value))
                elif p == DCT + "description":
                    texts.append(("description", o.lang, o.value))
                elif p.startswith(EXTRA):
                    extra[unquote(p[len(EXTRA):])] = o.value
                else:
                    attr = ATTR_OF_PREDICATE.get(p) or (
                        p[len(POLKU):] if p.startswith(POLKU) else None)
                    if attr is None:
                        continue
                    value = _python(o)
                    if attr in LIST_ATTRS:
                        attrs.setdefault(attr, []).append(value)  # type: ignore[union-attr]
                    else:
                        attrs[attr] = value
            elif p == MERGED_FROM_PREDICATE and o.startswith(DATA):  # type: ignore[union-attr]
                attrs.setdefault(MERGED_FROM, []).append(o[len(DATA):])  # type: ignore[union-attr,index]
            elif p == SKOS + "broader" and node_type == "need":
                attrs["factor"] = factor_label.get(o, _id_of_iri(o))
            else:
                kind = EDGE_OF_PREDICATE.get(p) or (p[len(POLKU):] if p.startswith(POLKU) else None)
                if kind is not None:
                    edges.append((node, node_of(o, s, p), kind, {"kind": kind}))
        for attr in LIST_ATTRS & attrs.keys():
            attrs[attr] = sorted(attrs[attr])  # type: ignore[type-var]
        if MERGED_FROM in attrs:
            attrs[MERGED_FROM] = sorted(attrs[MERGED_FROM], key=merged_from_order)  # type: ignore[arg-type]
        _place_texts(texts, attrs, extra)
        if extra:
            attrs["extra"] = extra
        nodes.append((node, attrs))

    for s in responsibilities:
        pos = by_subject.get(s, [])
        values = dict(pos)
        try:
            actor = node_of(values[POLKU + "actor"], s, POLKU + "actor")
            subject = node_of(values[POLKU + "subject"], s, POLKU + "subject")
            role = values[POLKU + "role"]
        except KeyError as e:
            raise PolkuError(N_("the responsibility has no <{predicate}>"),
                             params={"predicate": e.args[0]}, node=s) from None
        rattrs: dict[str, object] = {"kind": "responsibility",
                                     "role": role.value if type(role) is Lit else str(role)}
        comment = values.get(RDFS + "comment")
        if type(comment) is Lit:
            rattrs["note"] = comment.value
        if extra := extra_of(pos):
            rattrs["extra"] = extra
        edges.append((actor, subject, f"responsibility:{rattrs['role']}", rattrs))
    for s in steps:
        pos = by_subject.get(s, [])
        values = dict(pos)
        path = path_of_step.get(s)
        order = values.get(POLKU + "order")
        if path is None or POLKU + "stepNode" not in values or type(order) is not Lit:
            raise PolkuError(N_("the path step belongs to no path, or lacks its node or "
                                "order"), params={}, node=s)
        number = _python(order)
        if isinstance(number, float) and math.isfinite(number) and number.is_integer():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise PolkuError(N_("polku:order must be a whole number, 1 or more, not {value}"),
                             params={"value": order.value}, file=source, node=s)
        sattrs: dict[str, object] = {"kind": "step", "order": number}
        if extra := extra_of(pos):
            sattrs["extra"] = extra
        edges.append((path, node_of(values[POLKU + "stepNode"], s, POLKU + "stepNode"),
                      f"step:{sattrs['order']}", sattrs))

    followups: dict[str, dict[str, object]] = {}
    field_of = {p: a for a, p in FOLLOW_UP_FIELDS.items()}
    for s in followup_resources:
        pos = by_subject.get(s, [])
        key = next((o.value for p, o in pos if p == POLKU + "finding" and type(o) is Lit), None)
        if key is None:
            raise PolkuError(N_("the follow-up names no finding (polku:finding)"), params={},
                             node=s)
        record: dict[str, object] = {}
        for p, o in pos:
            attr = field_of.get(p)
            if attr == "owner":
                record[attr] = node_of(o, s, p)
            elif attr is not None and type(o) is Lit:
                record[attr] = o.value
        if extra := extra_of(pos):
            record["extra"] = extra
        followups[key] = record

    g = new_graph(graph_name or "graph")
    g.graph.update(graph_attrs)
    if followups:
        g.graph["followups"] = followups
    g.add_nodes_from(nodes)
    add_edges(g, edges)
    if g.number_of_nodes() == 0:
        raise PolkuError(N_("holds no polku resources (actors, services, segments, …): is it "
                            "a polku graph?"), params={}, file=source)
    problems = structural_problems(g, source)
    if problems:
        raise PolkuErrors(problems)
    return g


#: attributes the analyses compute with, and what they must hold
NUMBERS = ("capacity_per_month", "places", "size", "participation_rate", "volume_per_month",
           "median_wait_days")
#: the numbers that are shares, 0 to 1
SHARES = ("participation_rate",)
#: the numbers that are whole, 1 or more
WHOLE = ("places",)
#: the numbers that are whole, 0 or more: people in a segment are counted whole (a
#: referral's clients a month are an average, and may be a fraction)
COUNTED = ("size",)


def structural_problems(g: nx.MultiDiGraph, source: str | None = None,
                        with_edges: bool = True) -> list[PolkuError]:
    """What every command relies on, checked when a graph arrives as RDF: numbers are
    numbers, a referral runs from one service to one service or outcome, a step is a
    service or outcome and does not follow itself, an actor's chain of parents ends (no
    circle), a follow-up's key is of a kind polku knows, in its shape: the workbook's rules. (The SHACL shapes say all this and more; ``polku validate`` runs
    them, but they are too slow to run before every analysis.) ``with_edges=False``: the
    nodes' own values only, for a graph of some nodes read without their edges (what
    ``polku neo4j findings`` reads of a region)."""
    problems = []
    for node, data in g.nodes(data=True):
        for attr in NUMBERS:
            value = data.get(attr)
            if value is None:
                continue
            problem = _number_problem(attr, value)
            if problem is not None:
                template, params = problem
                # ``attribute`` names what the value is (the public reads a people
                # count's problem without its value: polku.privacy.published_error)
                problems.append(PolkuError(template, params={
                    "predicate": _attr_predicate(attr).replace(POLKU, "polku:"),
                    "attribute": attr, **params}, file=source, node=node))
        if "entry" in data and not isinstance(data["entry"], bool):
            problems.append(PolkuError(N_("polku:isEntryPoint must be true or false, not "
                                          "{value}"), params={"value": repr(data["entry"])},
                                       file=source, node=node))
        if data["type"] == "referral":
            for kind, allowed in (("from", ("service",)), ("to", ("service", "outcome"))
                                  ) if with_edges else ():
                ends = [v for _, v, k in g.out_edges(node, data="kind") if k == kind]
                if len(ends) != 1 or g.nodes[ends[0]]["type"] not in allowed:
                    problems.append(PolkuError(
                        N_("{predicate} must be exactly one {types}"),
                        params={"predicate": EDGES[kind].replace(POLKU, "polku:"),
                                "types": NodeTypes(allowed)}, file=source, node=node))
            flow = data.get("information_flow", "unknown")
            if flow not in ("yes", "no", "unknown"):
                problems.append(PolkuError(N_("polku:informationFlow must be yes, no or "
                                              "unknown, not {value}"),
                                           params={"value": repr(flow)}, file=source, node=node))
    # a follow-up's key names a kind polku knows, in its shape: as the workbook's cell
    for key in sorted(g.graph.get("followups") or {}):
        try:
            check_key(str(key))
        except CellError as e:
            problems.append(PolkuError(e.msgid, params=e.params, file=source))
    # a circle of parents has no top organisation: refused as the workbook refuses it
    for circle in parent_cycles(part_of_parents(g)) if with_edges else ():
        if len(circle) == 1:
            problems.append(PolkuError(N_("an actor cannot be its own parent"), params={},
                                       file=source, node=circle[0]))
        else:
            problems.append(PolkuError(
                N_("org:subOrganizationOf runs in a circle: {circle}; an actor's chain of "
                   "parents must end at an actor without one"),
                params={"circle": " → ".join((*circle, circle[0]))}, file=source,
                node=circle[0]))
    steps: dict[str, list[tuple[int, str]]] = {}
    for u, v, d in g.edges(data=True) if with_edges else ():
        if d["kind"] == "step" and isinstance(d.get("order"), int):
            steps.setdefault(u, []).append((d["order"], v))
    for path, its_steps in steps.items():
        for before, step, node in repeated_steps(its_steps):
            problems.append(PolkuError(N_("steps {before} and {step} are both {node}: a step "
                                          "cannot follow itself"),
                                       params={"before": before, "step": step, "node": node},
                                       file=source, node=path))
    for u, v, d in g.edges(data=True) if with_edges else ():
        if d["kind"] == "step" and g.nodes[v]["type"] not in ("service", "outcome"):
            problems.append(PolkuError(N_("step {order} is {node}, which is not a service or "
                                          "outcome"), params={"order": d["order"], "node": v},
                                       file=source, node=u))
    return problems


def _number_problem(attr: str, value: object) -> tuple[str, dict[str, object]] | None:
    """What is wrong with the figure ``value`` of ``attr`` as the workbook's rules read a
    cell of its column (a number, finite, 0 or more, a share at most 1, places whole and 1
    or more, a size whole, and within :data:`polku.bounds.BOUNDS`), as ``(template,
    params)``; None when
    nothing is. The node's message names its predicate, never its value: the public reads
    a people count's problem too (:func:`polku.privacy.published_error`).

    >>> _number_problem("median_wait_days", 14), _number_problem("median_wait_days", 1e300)[1]
    (None, {'most': 3650.0})
    >>> _number_problem("capacity_per_month", float("nan"))[0]
    '{predicate} must be a finite number'
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return N_("{predicate} must be a number, not {value}"), {"value": repr(value)}
    if not math.isfinite(value):
        return N_("{predicate} must be a finite number"), {}
    if value < 0:
        return N_("{predicate} cannot be negative"), {}
    if attr in SHARES and value > 1:
        return N_("{predicate} must be a share between 0 and 1"), {}
    if attr in WHOLE and (not float(value).is_integer() or value < 1):
        return N_("{predicate} must be a whole number, 1 or more"), {}
    if attr in COUNTED and not float(value).is_integer():
        return N_("{predicate} must be a whole number, 0 or more"), {}
    out = out_of_bounds(attr, value)
    return None if out is None else (out[1], dict(out[2]))


# -- Turtle ---------------------------------------------------------------------------------

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def _iri_term(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for prefix, ns in prefixes:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or _PN_LOCAL.match(local):
                return f"{prefix}:{local}"
    return "<" + iri.replace("\\", "\\u005C").replace(">", "\\u003E") + ">"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def _lit_term(lit: Lit, prefixes: list[tuple[str, str]]) -> str:
    if lit.datatype in (XSD + "integer", XSD + "boolean") and re.fullmatch(r"-?\d+|true|false", lit.value):
        return lit.value
    body = f'"{_escape(lit.value)}"'
    if lit.lang:
        return f"{body}@{lit.lang}"
    if lit.datatype and lit.datatype != XSD + "string":
        return f"{body}^^{_iri_term(lit.datatype, prefixes)}"
    return body


def turtle(triples: Iterable[Triple], base: str | None = None) -> str:
    """Serialise triples as deterministic Turtle (see the module doc)."""
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    if base:
        prefixes = [("", base)] + prefixes
    by_subject: dict[str, set[tuple[str, str]]] = {}
    for s, p, o in triples:
        obj = _lit_term(o, prefixes) if isinstance(o, Lit) else _iri_term(o, prefixes)
        by_subject.setdefault(s, set()).add((p, obj))
    lines = [f"@prefix {k}: <{v}> ." for k, v in sorted(PREFIXES.items())]
    if base:
        lines.insert(0, f"@prefix : <{base}> .")
    lines.append("")
    for s in sorted(by_subject):
        pos = by_subject[s]
        preds = sorted({p for p, _ in pos}, key=lambda p: (p != TYPE, p))
        chunks = []
        for p in preds:
            objs = sorted(o for pp, o in pos if pp == p)
            pred = "a" if p == TYPE else _iri_term(p, prefixes)
            chunks.append(f"    {pred} " + ",\n        ".join(objs))
        lines.append(_iri_term(s, prefixes) + "\n" + " ;\n".join(chunks) + " .\n")
    return "\n".join(lines)


def graph_turtle(g: nx.MultiDiGraph) -> str:
    """The graph as deterministic Turtle text."""
    return turtle(to_triples(g), base_iri(g.graph.get("name", "graph")))


def write_turtle(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the graph as Turtle, atomically (temporary file renamed into place)."""
    atomic.write_text(path, graph_turtle(g))


def parse_turtle_triples(data: bytes, source: str = "<data>") -> list[Triple]:
    """Parse Turtle bytes with pyoxigraph; a syntax error names the file, line and column."""
    import pyoxigraph as ox

    literal = ox.Literal
    string = XSD + "string"
    datatypes: dict[object, str | None] = {}  # datatype NamedNode -> str, looked up once
    out: list[Triple] = []
    append = out.append
    try:
        for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
            o = t.object
            if type(o) is literal:
                if o.language:
                    obj: str | Lit = Lit(o.value, None, o.language)
                else:
                    dt = o.datatype
                    if dt not in datatypes:
                        datatypes[dt] = None if dt.value == string else dt.value
                    obj = Lit(o.value, datatypes[dt])
            else:
                obj = o.value
            append((t.subject.value, t.predicate.value, obj))
    except SyntaxError as e:
        # the line is said as polku says a place (rivi 3); the parser's own English words
        # after it, kept as they are
        # (a token on one line: 'at line 2 between columns 13 and 16', where it starts)
        at = re.match(r"Parser error (?:at|between) line (\d+) (?:column|between columns) "
                      r"(\d+)(?: and (?:line \d+ column )?\d+)?: (.*)", str(e), re.S)
        if at is None:
            raise PolkuError(N_("Turtle syntax error: {detail}"), params={"detail": str(e)},
                             file=source) from None
        raise PolkuError(N_("Turtle syntax error at character {column} of the line (the "
                            "parser says: {detail})"),
                         params={"column": int(at[2]),
                                 "detail": re.sub(r"\s*\(line \d+\)$", "", at[3])},
                         file=source, row=int(at[1])) from None
    return out


def read_turtle(path: str | Path) -> nx.MultiDiGraph:
    """Load a Turtle file into the typed graph."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PolkuError(N_("cannot read the file ({reason})"), params={
            "reason": os_reason(e)}, file=str(path)) from None
    if not data.strip():
        raise PolkuError(N_("the file is empty"), params={}, file=str(path))
    name, title = graph_name_of(path)
    return from_triples(parse_turtle_triples(data, str(path)), name=name, source=str(path),
                        title=title)


# -- rdflib (SHACL, JSON-LD) ----------------------------------------------------------------

def to_rdflib(g: nx.MultiDiGraph):  # -> rdflib.Graph
    """The graph as an rdflib Graph in the default store (what pyshacl needs)."""
    import rdflib

    out = rdflib.Graph()
    for k, v in PREFIXES.items():
        out.bind(k, v)
    for t in to_rdflib_triples(g):
        out.add(t)
    return out


def to_rdflib_triples(g: nx.MultiDiGraph) -> Iterator[tuple]:
    """The graph's triples as rdflib terms, without building an rdflib Graph (what
    :func:`to_rdflib` adds, and what :mod:`polku.io.shapes` checks)."""
    for s, p, o in to_triples(g):
        yield _rdflib_term(s), _rdflib_term(p), _rdflib_term(o)


def rdflib_term(term: "str | Lit"):  # -> rdflib.URIRef | rdflib.Literal
    """One term of :func:`to_triples` as rdflib's (made once per term)."""
    return _rdflib_term(term)


@lru_cache(maxsize=1 << 18)
def _rdflib_term(term: "str | Lit"):  # -> rdflib.URIRef | rdflib.Literal
    """One term as rdflib's (terms are immutable, and the versions of one graph repeat
    nearly all of them, so each is made once)."""
    import rdflib

    if isinstance(term, Lit):
        return rdflib.Literal(term.value, lang=term.lang,
                              datatype=rdflib.URIRef(term.datatype) if term.datatype else None)
    return rdflib.URIRef(term)


def from_rdflib_triples(graph) -> Iterator[Triple]:
    import rdflib

    for s, p, o in graph:
        if isinstance(o, rdflib.Literal):
            dt = str(o.datatype) if o.datatype else None
            yield str(s), str(p), Lit(str(o), None if dt == XSD + "string" else dt, o.language)
        else:
            yield str(s), str(p), str(o)


def remote_context(data: bytes) -> str | None:
    """The first context a JSON-LD document names by address (a string ``@context``, one
    in a list, or an ``@import``: at any depth, a node's own context too), which rdflib
    would fetch from the network or read from a local file; None when every context is
    written in the document itself (and for text that is no JSON: the parser says what is
    wrong with it).

    >>> remote_context(b'{"@context": {"name": "http://schema.org/name"}, "name": "x"}')
    >>> remote_context(b'{"@graph": [{"@context": ["http://10.0.0.1/c", {}]}]}')
    'http://10.0.0.1/c'
    >>> remote_context(b'{"@context": {"@import": "file:///etc/c.json"}}')
    'file:///etc/c.json'
    """
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return None
    stack = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                contexts = inner if key == "@context" and isinstance(inner, list) else [inner]
                if key == "@import" or key == "@context":
                    named = next((c for c in contexts if isinstance(c, str)), None)
                    if named is not None:
                        return named
                stack.append(inner)
    return None


#: the most pieces of text an RDF/XML document's entity references may expand to in
#: element content (rdflib joins an element's text piece by piece, which takes time growing
#: with the square of their number: 80,000 took 17 s, and ten nested entities for ever)
MOST_ENTITY_PIECES = 10_000
_PREDEFINED = frozenset({"amp", "lt", "gt", "apos", "quot"})
_ENTITY_REF = re.compile(r"&([^&;#\s]+);")


def entity_pieces(data: bytes, most: int = MOST_ENTITY_PIECES) -> int:
    """How many pieces of text the entity references in an XML document's element content
    expand to, each nested reference counted (counting stops past ``most``); 0 for XML
    the parser refuses (rdflib then says what is wrong with it). Attribute values are
    expanded by the XML parser itself, which guards them.

    >>> doc = b'<!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;">]><r>&b;&b; &amp;</r>'
    >>> entity_pieces(doc)
    8
    """
    import xml.parsers.expat

    values: dict[str, str] = {}
    refs: list[str] = []
    parser = xml.parsers.expat.ParserCreate()

    def declared(name, is_parameter, value, *_rest) -> None:
        if not is_parameter and value is not None:
            values[name] = value

    def other(text: str) -> None:  # a reference in content: not expanded, handed here
        if text.startswith("&") and not text.startswith("&#") and text[1:-1] not in _PREDEFINED:
            refs.append(text[1:-1])

    parser.EntityDeclHandler = declared
    parser.DefaultHandler = other  # set: content references are not expanded
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return 0
    counted: dict[str, int] = {}

    def pieces(name: str, depth: int = 0) -> int:
        if name not in counted:
            inner = _ENTITY_REF.findall(values.get(name, "")) if depth < 64 else []
            counted[name] = min(most + 1, 1 + sum(pieces(n, depth + 1) for n in inner
                                                  if n not in _PREDEFINED))
        return counted[name]

    total = 0
    for name in refs:
        total += pieces(name)
        if total > most:
            break
    return total


def parse_rdflib(path: Path, fmt: str):  # -> rdflib.Graph
    """``path`` parsed by rdflib in ``fmt``, reading nothing but the file: JSON-LD whose
    context is named by address (:func:`remote_context`) is refused, not fetched (a file
    from another publisher would otherwise make polku ask whatever address it names,
    inside the organisation's network too, or read a local file); RDF/XML's external
    entities are never read (rdflib's parser leaves them out), and RDF/XML whose entities
    expand to more pieces of text than rdflib reads in reasonable time
    (:func:`entity_pieces`) is refused."""
    import rdflib

    if fmt not in ("json-ld", "xml"):
        return rdflib.Graph().parse(path, format=fmt)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PolkuError(N_("cannot read the file ({reason})"), params={
            "reason": os_reason(e)}, file=str(path)) from None
    if fmt == "json-ld":
        named = remote_context(data)
        if named is not None:
            from polku.privacy import find_hetu

            raise PolkuError(N_("the JSON-LD loads its context from elsewhere ({context}): "
                                "polku reads nothing from the network or from other files; "
                                "write the context into the file itself"),
                             params={"context": named[:200] if find_hetu(named) is None
                                     else "@context"}, file=str(path))
    elif entity_pieces(data) > MOST_ENTITY_PIECES:
        raise PolkuError(N_("the RDF/XML's entity references expand to more than {most} "
                            "pieces of text (the shape of an entity bomb, which would take "
                            "hours to read): it is not read"),
                         params={"most": Figure(MOST_ENTITY_PIECES)}, file=str(path))
    # parsed from the bytes checked (the file read once: what was checked is what is read)
    return rdflib.Graph().parse(data=data, format=fmt, publicID=path.absolute().as_uri())


def rdflib_graph(path: str | Path):  # -> rdflib.Graph
    """A Turtle or JSON-LD file parsed by rdflib as it stands (for SHACL)."""
    path = Path(path)
    fmt = "json-ld" if path.suffix.lower() in (".jsonld", ".json") else "turtle"
    try:
        return parse_rdflib(path, fmt)
    except PolkuError:
        raise
    except json.JSONDecodeError as e:  # JSON that is not JSON: where, as polku says it
        raise PolkuError(N_("not valid JSON at character {column} of the line (the parser "
                            "says: {detail})"), params={"column": e.colno, "detail": e.msg},
                         file=str(path), row=e.lineno) from None
    except PolkuError:
        raise
    except OSError as e:
        raise PolkuError(N_("cannot read the file ({reason})"), params={
            "reason": os_reason(e)}, file=str(path)) from None
    except Exception as e:  # rdflib raises many types for bad input
        detail = " ".join(str(e).split())  # rdflib's messages run over several lines
        raise PolkuError(N_("cannot parse as {format} ({detail})"), params={
            "format": fmt, "detail": f"{e.__class__.__name__}: {detail[:300]}"},
            file=str(path)) from None


def jsonld_context() -> dict[str, str]:
    return dict(PREFIXES)


def graph_jsonld(g: nx.MultiDiGraph) -> str:
    """The graph as JSON-LD (compacted with polku's prefixes), the same bytes for the same
    graph in every run: rdflib lists nodes and values in the order of its sets, which
    changes from process to process, and a regional graph kept in git must not churn."""
    import json

    text = to_rdflib(g).serialize(format="json-ld", context=jsonld_context(), indent=2,
                                  sort_keys=True)
    return json.dumps(_in_order(json.loads(text)), ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


def _in_order(value: Any, key: str | None = None) -> Any:
    """``value`` with every JSON-LD set (an array that is not an ``@list``) sorted.

    >>> _in_order({"@graph": [{"@id": "b"}, {"@id": "a"}], "x": {"@list": [2, 1]}})
    {'@graph': [{'@id': 'a'}, {'@id': 'b'}], 'x': {'@list': [2, 1]}}
    """
    import json

    if isinstance(value, dict):
        return {k: _in_order(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_in_order(v) for v in value]
        if key == "@list":  # an RDF list: its order is its meaning
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def write_jsonld(g: nx.MultiDiGraph, path: str | Path) -> None:
    atomic.write_text(path, graph_jsonld(g))


def read_jsonld(path: str | Path) -> nx.MultiDiGraph:
    path = Path(path)
    graph = rdflib_graph(path)
    name, title = graph_name_of(path)
    return from_triples(from_rdflib_triples(graph), name=name, source=str(path), title=title)
