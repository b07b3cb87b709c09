"""CPSV-AP data from other publishers in: public services, the organisations behind them,
their audiences.

:func:`read_cpsv_ap` takes any CPSV-AP RDF (Turtle, JSON-LD, RDF/XML, N-Triples) and makes
polku's graph of it: every ``cpsv:PublicService`` a service; the organisations named by
``cv:hasCompetentAuthority`` (a ``lead`` responsibility) and ``cpsv:provides`` (a provider;
when a service names no provider, its competent authority provides it) actors; ``dct:audience``
concepts segments; ``cv:hasLegalResource`` the legal basis; ``dct:spatial`` an actor's region.
Ids come from ``dct:identifier`` when it is a valid id, else from the name. What had no
place in polku's graph is counted per property in the report, so nothing goes silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import networkx as nx

from polku.io import rdf
from polku.io.areas import NAMES
from polku.errors import PolkuError
from polku.graph import add_edge, new_graph
from polku.io.naming import guess_kind, slug, unique
from polku.io.workbook import ID_RE

CV = rdf.CV
CPSV = rdf.CPSV
DCT = rdf.DCT
SKOS = rdf.SKOS
FOAF = "http://xmlns.com/foaf/0.1/"
ELI = "http://data.europa.eu/eli/ontology#"
FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".jsonld": "json-ld", ".json": "json-ld",
           ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".nt": "nt"}
#: predicates polku reads, per kind of resource
READ = {rdf.TYPE, DCT + "identifier", DCT + "title", DCT + "description", SKOS + "prefLabel",
        FOAF + "name", CV + "hasCompetentAuthority", DCT + "audience", CV + "hasLegalResource",
        DCT + "spatial", CPSV + "provides"}


@dataclass
class CpsvImport:
    graph: nx.MultiDiGraph
    #: predicate (as a CURIE where polku knows the prefix) -> triples that had no place
    unplaced: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: what ``unplaced`` counts
    unit: ClassVar[str] = "triple"


def _curie(iri: str) -> str:
    for prefix, ns in sorted(rdf.PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def read_cpsv_ap(path: str | Path, name: str | None = None) -> CpsvImport:
    """Read another publisher's CPSV-AP file into polku's graph (see the module doc)."""
    import rdflib

    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise PolkuError("unknown RDF file: expected .ttl, .jsonld, .rdf or .nt", file=str(path))
    try:
        data = rdflib.Graph().parse(path, format=fmt)
    except Exception as e:  # rdflib raises many types for bad input
        detail = " ".join(str(e).split())
        raise PolkuError(f"cannot parse as {fmt} ({e.__class__.__name__}: {detail[:300]})",
                         file=str(path)) from None
    triples = list(rdf.from_rdflib_triples(data))
    rdf.refuse_hetu([(s, p, o.value) for s, p, o in triples if isinstance(o, rdf.Lit)],
                    str(path))
    by_subject: dict[str, list[tuple[str, object]]] = {}
    classes: dict[str, set[str]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
        if p == rdf.TYPE:
            classes.setdefault(s, set()).add(str(o))
    if any(rdf.GRAPH_CLASS in c for c in classes.values()):
        raise PolkuError("this is already a polku graph: read it as it is (every command "
                         "takes it) or export it", file=str(path))
    services = sorted(s for s, c in classes.items() if rdf.PUBLIC_SERVICE in c)
    if not services:
        raise PolkuError("no cpsv:PublicService in the data: nothing to import", file=str(path))

    def texts(s: str, *preds: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in preds:
            for pp, o in by_subject.get(s, ()):
                if pp == p and isinstance(o, rdf.Lit):
                    out.setdefault(o.lang or "fi", o.value)
        return out

    def objects(s: str, p: str) -> list[str]:
        return sorted(str(o) for pp, o in by_subject.get(s, ()) if pp == p
                      and not isinstance(o, rdf.Lit))

    result = CpsvImport(new_graph(name or slug(path.stem, "cpsv-ap")))
    g = result.graph
    g.graph.update({"title": f"CPSV-AP: {path.name}", "illustrative": False,
                    "source": f"CPSV-AP-tiedosto {path.name}"})
    taken: set[str] = set()
    ids: dict[str, str] = {}
    placed: set[str] = set()

    def node_id(s: str, names: dict[str, str], fallback: str) -> str:
        ident = next((o.value for p, o in by_subject.get(s, ())
                      if p == DCT + "identifier" and isinstance(o, rdf.Lit)), None)
        if ident and ID_RE.match(ident) and ident not in taken:
            taken.add(ident)
            return ident
        base = slug(names.get("fi") or next(iter(names.values()), "") or
                    re.split(r"[/#]", s.rstrip("/"))[-1], fallback)
        return unique(base, taken)

    def add_named(s: str, node_type: str, fallback: str, **attrs: object) -> str:
        if s in ids:
            return ids[s]
        names = texts(s, DCT + "title", SKOS + "prefLabel", FOAF + "name")
        primary = names.get("fi") or next(iter(names.values()), None)
        if primary is None:
            primary = re.split(r"[/#]", s.rstrip("/"))[-1] or s
            result.notes.append(f"<{s}> has no name: named after its IRI")
        nid = node_id(s, names, fallback)
        ids[s] = nid
        placed.add(s)
        node: dict[str, object] = {"type": node_type, "name": primary, **attrs}
        ident = next((o.value for p, o in by_subject.get(s, ())
                      if p == DCT + "identifier" and isinstance(o, rdf.Lit)), None)
        if ident is not None and ident != nid:
            node["extra"] = {"identifier": ident}  # the publisher's own id, kept
        for lang, col in (("sv", "name_sv"), ("en", "name_en")):
            if lang in names and names[lang] != primary:
                node[col] = names[lang]
        desc = texts(s, DCT + "description")
        if desc:
            node["description"] = desc.get("fi") or next(iter(desc.values()))
        g.add_node(nid, **node)
        return nid

    def add_actor(s: str) -> str:
        if s in ids:
            return ids[s]
        names = texts(s, SKOS + "prefLabel", DCT + "title", FOAF + "name")
        public = CV + "PublicOrganisation" in classes.get(s, set())
        where = []
        for o in objects(s, DCT + "spatial"):
            placed.add(o)
            where.append(NAMES.get(o) or next(iter(texts(o, SKOS + "prefLabel").values()), None))
        attrs: dict[str, object] = {"kind": guess_kind(names.get("fi") or
                                                       next(iter(names.values()), ""), public)}
        if any(where):
            attrs["region"] = "; ".join(w for w in where if w)
        return add_named(s, "actor", "toimija", **attrs)

    for s in services:
        sid = add_named(s, "service", "palvelu")
        laws = []
        for law in objects(s, CV + "hasLegalResource"):
            title = texts(law, DCT + "title", ELI + "title")
            laws.append(title.get("fi") or next(iter(title.values()), law))
            placed.add(law)
        if laws:
            g.nodes[sid]["legal_basis"] = "; ".join(laws)
        for authority in objects(s, CV + "hasCompetentAuthority"):
            aid = add_actor(authority)
            add_edge(g, aid, sid, "responsibility", key="responsibility:lead", role="lead")
        for audience in objects(s, DCT + "audience"):
            seg = add_named(audience, "segment", "segmentti")
            add_edge(g, sid, seg, "for_segment")
    for s, pos in by_subject.items():
        for p, o in pos:
            if p == CPSV + "provides" and str(o) in ids and ids[str(o)] in g and \
                    g.nodes[ids[str(o)]]["type"] == "service":
                add_edge(g, add_actor(s), ids[str(o)], "provides")
    for sid in [n for n, d in g.nodes(data=True) if d["type"] == "service"]:
        if not any(k == "provides" for *_, k in g.in_edges(sid, data="kind")):
            leads = [u for u, _, d in g.in_edges(sid, data=True) if d.get("role") == "lead"]
            for aid in leads:
                add_edge(g, aid, sid, "provides")
            if leads:
                result.notes.append(f"{sid}: no cpsv:provides; its competent authority "
                                    "provides it")
    for s, pos in by_subject.items():
        for p, _ in pos:
            if s not in placed or p not in READ:
                key = _curie(p)
                result.unplaced[key] = result.unplaced.get(key, 0) + 1
    return result
