"""CPSV-AP data from other publishers in: public services, the organisations behind them,
their audiences.

:func:`read_cpsv_ap` takes any CPSV-AP RDF (Turtle, JSON-LD, RDF/XML, N-Triples) and makes
polku's graph of it: every ``cpsv:PublicService`` a service; the organisations named by
``cv:hasCompetentAuthority`` (a ``lead`` responsibility), by its ``cv:hasParticipation``s
(CPSV-AP 3.2.0's way: a ``cv:Participation``'s ``cv:hasParticipant`` in the ``cv:role``
of polku's participation roles, ``https://w3id.org/polku/role/provider`` a provider, ``lead``,
``participant``, ``consulted`` and ``informed`` responsibilities) and by ``cpsv:provides``
(a provider, as files before 3.2.0 and polku's own say it; when a service names no provider,
its competent authority provides it) actors; an actor's ``org:subOrganizationOf`` its
parent (``part_of``), a unit whose name says no kind taking its parent's
(:func:`polku.io.naming.kinds_from_parents`); ``dct:audience`` concepts segments;
``cv:hasLegalResource`` the legal basis; ``dct:spatial`` an actor's region (a place polku has
no name for is kept as its IRI in the extra column ``spatial``). A participation with no
participant, or with no role polku knows, is not read: a note names it, and its triples are
listed as having no place.

Nothing is lost silently. Texts keep their language tags: Finnish, Swedish and English go to
the workbook's name columns; a text with no Finnish version names the node in its own
language (``name_lang``); other languages go to extra columns (``name@fr``,
``description@de``) that are written back as tagged RDF. Ids come from ``dct:identifier``
when it is a valid id, else from the name (the publisher's id is kept). Every triple the
graph has no place for is listed in :attr:`CpsvImport.unplaced_triples` and counted per
property.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import networkx as nx

from polku.io import rdf
from polku.io.areas import NAMES
from polku.errors import NodeName, Note, PolkuError
from polku.words import N_
from polku.graph import add_edge, new_graph
from polku.io.naming import guess_kind, kind_in_name, kinds_from_parents, slug, unique
from polku.io.workbook import ID_RE

CV = rdf.CV
CPSV = rdf.CPSV
DCT = rdf.DCT
SKOS = rdf.SKOS
FOAF = "http://xmlns.com/foaf/0.1/"
#: W3C ORG: a unit is ``org:subOrganizationOf`` its parent (the workbook's ``parent``)
SUB_ORGANIZATION_OF = rdf.EDGES["part_of"]
ELI = "http://data.europa.eu/eli/ontology#"
FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".jsonld": "json-ld", ".json": "json-ld",
           ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".nt": "nt"}
#: predicates polku reads, per kind of resource
READ = {rdf.TYPE, DCT + "identifier", DCT + "title", DCT + "description", SKOS + "prefLabel",
        FOAF + "name", CV + "hasCompetentAuthority", DCT + "audience", CV + "hasLegalResource",
        DCT + "spatial", CPSV + "provides", rdf.HAS_PARTICIPATION, rdf.HAS_PARTICIPANT,
        rdf.PARTICIPATION_ROLE, SUB_ORGANIZATION_OF}


#: classes that polku's graph keeps (as a node type, an actor's kind or a place)
KEPT_CLASSES = {rdf.PUBLIC_SERVICE, CV + "PublicOrganisation", rdf.ORG + "Organization",
                FOAF + "Organization", FOAF + "Agent", SKOS + "Concept", DCT + "Location",
                ELI + "LegalResource"}
NAME_PREDICATES = (DCT + "title", SKOS + "prefLabel", FOAF + "name")
#: the order in which a language names a node that has no Finnish name
PRIMARY_ORDER = ("sv", "en")


@dataclass
class CpsvImport:
    graph: nx.MultiDiGraph
    #: predicate (as a CURIE where polku knows the prefix) -> triples that had no place
    unplaced: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: every input triple the graph has no place for, as read
    unplaced_triples: list[rdf.Triple] = field(default_factory=list)
    #: what ``unplaced`` counts
    unit: ClassVar[str] = "triple"


def _curie(iri: str) -> str:
    for prefix, ns in sorted({**rdf.PREFIXES, "foaf": FOAF, "eli": ELI}.items(),
                             key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def text_columns(col: str, texts: dict[str | None, str]) -> tuple[dict[str, str],
                                                                   dict[str, str]]:
    """Where a node's texts in several languages go: (attributes, extra columns).

    ``col`` is ``name`` or ``description``; ``texts`` maps a language tag (``None`` for an
    untagged text, read as Finnish) to the text.

    >>> text_columns("name", {"en": "Tax-on-web"})
    ({'name': 'Tax-on-web'}, {'name_lang': 'en'})
    >>> text_columns("name", {"fi": "Verot", "sv": "Skatter", "fr": "Impôts"})
    ({'name': 'Verot', 'name_sv': 'Skatter'}, {'name@fr': 'Impôts'})
    >>> text_columns("description", {"fr": "Service", "en": "A service"})
    ({'description': 'A service'}, {'description_lang': 'en', 'description@fr': 'Service'})
    """
    attrs: dict[str, str] = {}
    extra: dict[str, str] = {}
    if not texts:
        return attrs, extra
    fi = texts.get("fi", texts.get(None))
    others = sorted(lang for lang in texts if lang not in (None, "fi"))
    if fi is not None:
        attrs[col], primary = fi, "fi"
    else:
        primary = next((lang for lang in PRIMARY_ORDER if lang in texts), others[0])
        attrs[col] = texts[primary]
        extra[f"{col}_lang"] = primary
    for lang in others:
        if lang == primary:
            continue
        if col == "name" and lang in rdf.NAME_OF_LANG:
            attrs[rdf.NAME_OF_LANG[lang]] = texts[lang]
        else:
            extra[f"{col}@{lang}"] = texts[lang]
    return attrs, extra


def _merged_id(classes: dict[str, set[str]],
               by_subject: dict[str, list[tuple[str, object]]]) -> str | None:
    """One node id of a polku graph that says it was merged (its ids hold their region,
    ``keski-uusimaa/ips``, as :func:`polku.analyses.merge.is_merged` tells a loaded graph),
    else ``None``."""
    for s, cls in sorted(classes.items()):
        if not cls & rdf.TYPE_OF_CLASS.keys():
            continue  # not a node of the graph (the graph, a region's sheet, a law)
        for p, o in by_subject.get(s, ()):
            if p == DCT + "identifier" and isinstance(o, rdf.Lit) and "/" in o.value:
                return o.value
    return None


def read_cpsv_ap(path: str | Path, name: str | None = None) -> CpsvImport:
    """Read another publisher's CPSV-AP file into polku's graph (see the module doc)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise PolkuError(N_("unknown RDF file: expected .ttl, .jsonld, .rdf or .nt"),
                         params={}, file=str(path))
    try:
        data = rdf.parse_rdflib(path, fmt)
    except PolkuError:
        raise
    except Exception as e:  # rdflib raises many types for bad input
        detail = " ".join(str(e).split())
        raise PolkuError(N_("cannot parse as {format} ({detail})"), params={
            "format": fmt, "detail": f"{e.__class__.__name__}: {detail[:300]}"},
            file=str(path)) from None
    triples = sorted(set(rdf.from_rdflib_triples(data)), key=repr)
    rdf.refuse_hetu_in_triples(triples, str(path))
    by_subject: dict[str, list[tuple[str, object]]] = {}
    classes: dict[str, set[str]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
        if p == rdf.TYPE:
            classes.setdefault(s, set()).add(str(o))
    if any(rdf.GRAPH_CLASS in c for c in classes.values()):
        merged = _merged_id(classes, by_subject)
        if merged is not None:
            # no workbook can hold it (polku.io.workbook.write_workbook refuses it): say
            # what can be done with it rather than the export that fails
            raise PolkuError(N_("this is already a polku graph, a merged national graph (ids "
                                "such as '{qualified}'): read it as it is, as every command "
                                "takes it (polku findings {file}); a merged graph makes no "
                                "workbook, as a workbook's ids hold no region: each region's "
                                "workbook comes from that region's own graph"),
                             params={"file": str(path), "qualified": merged}, file=str(path))
        raise PolkuError(N_("this is already a polku graph: read it as it is (every command "
                            "takes it), or make a workbook of it with polku export {file} "
                            "--to xlsx -o {workbook}"),
                         params={"file": str(path),
                                 "workbook": Path(path).with_suffix(".xlsx").name},
                         file=str(path))
    services = sorted(s for s, c in classes.items() if rdf.PUBLIC_SERVICE in c)
    if not services:
        raise PolkuError(N_("no cpsv:PublicService in the data: nothing to import"),
                         params={}, file=str(path))

    used: set[tuple[str, str, object]] = set()  # the triples the graph keeps

    def texts(s: str, *preds: str) -> dict[str | None, str]:
        """The subject's text per language tag, the first predicate first; a second,
        different text in the same language has no place (it is left unused)."""
        out: dict[str | None, str] = {}
        for p in preds:
            for pp, o in by_subject.get(s, ()):
                if pp == p and isinstance(o, rdf.Lit) and out.get(o.lang, o.value) == o.value:
                    out[o.lang] = o.value
                    used.add((s, p, o))
        return out

    def objects(s: str, p: str) -> list[str]:
        return sorted(str(o) for pp, o in by_subject.get(s, ()) if pp == p
                      and not isinstance(o, rdf.Lit))

    def identifier(s: str) -> str | None:
        for p, o in by_subject.get(s, ()):
            if p == DCT + "identifier" and isinstance(o, rdf.Lit):
                used.add((s, p, o))
                return o.value
        return None

    result = CpsvImport(new_graph(name or slug(path.stem, "cpsv-ap")))
    g = result.graph
    # the title polku makes of the file's name is in no language (``zxx``, BCP 47): not
    # Finnish, so another publisher's data gains no Finnish text
    g.graph.update({"title": f"CPSV-AP: {path.name}", "illustrative": False,
                    "source": f"CPSV-AP-tiedosto {path.name}",
                    "extra": {"title_lang": "zxx"}})
    taken: set[str] = set()
    ids: dict[str, str] = {}
    #: actors whose name says no kind: a unit of these takes its parent's
    unsaid: set[str] = set()

    def node_id(ident: str | None, s: str, primary: str, fallback: str) -> str:
        if ident and ID_RE.match(ident) and ident not in taken:
            taken.add(ident)
            return ident
        base = slug(primary or re.split(r"[/#]", s.rstrip("/"))[-1], fallback)
        return unique(base, taken)

    def add_named(s: str, node_type: str, fallback: str, **attrs: object) -> str:
        if s in ids:
            return ids[s]
        names = texts(s, *NAME_PREDICATES)
        if any(lang is None for lang in names) and "fi" not in names:
            result.notes.append(Note(N_("<{iri}> has a name with no language tag: read as "
                                        "Finnish"), params={"iri": s}))
        node, extra = text_columns("name", names)
        if not names:
            node["name"] = re.split(r"[/#]", s.rstrip("/"))[-1] or s
            result.notes.append(Note(N_("<{iri}> has no name: named after its IRI"),
                                     params={"iri": s}))
        desc, desc_extra = text_columns("description", texts(s, DCT + "description"))
        extra.update(desc_extra)
        ident = identifier(s)
        nid = node_id(ident, s, str(node["name"]), fallback)
        ids[s] = nid
        for cls in classes.get(s, ()):
            if cls in KEPT_CLASSES:
                used.add((s, rdf.TYPE, cls))
        if ident is not None and ident != nid:
            extra["identifier"] = ident  # the publisher's own id, kept
        extra.update(attrs.pop("extra", {}))  # type: ignore[arg-type]
        g.add_node(nid, type=node_type, **node, **desc, **attrs)
        if extra:
            g.nodes[nid]["extra"] = extra
        return nid

    def add_actor(s: str) -> str:
        if s in ids:
            return ids[s]
        public = CV + "PublicOrganisation" in classes.get(s, set())
        where, unknown = [], []
        for o in objects(s, DCT + "spatial"):
            used.add((s, DCT + "spatial", o))
            for cls in classes.get(o, ()):
                if cls == DCT + "Location":
                    used.add((o, rdf.TYPE, cls))
            if o in NAMES:
                where.append(NAMES[o])
                texts(o, SKOS + "prefLabel")  # polku writes the code list's own name
            else:
                unknown.append(o)
                label = next(iter(texts(o, SKOS + "prefLabel").values()), None)
                if label:
                    where.append(label)
        names = texts(s, SKOS + "prefLabel", DCT + "title", FOAF + "name")
        primary = names.get("fi") or names.get(None) or next(iter(names.values()), "")
        attrs: dict[str, object] = {"kind": guess_kind(primary, public)}
        if where:
            attrs["region"] = "; ".join(where)
        if unknown:
            attrs["extra"] = {"spatial": " ".join(unknown)}
        aid = add_named(s, "actor", "toimija", **attrs)
        if kind_in_name(primary) is None:
            unsaid.add(aid)
        return aid

    roles = rdf.participation_roles()
    # what polku's ontology says of its roles is polku's own: placed, not listed
    role_scheme = set(rdf.role_scheme_triples())

    def publisher_id(nid: str) -> str:
        """The node's id as the file gave it (``dct:identifier``), else polku's."""
        return str((g.nodes[nid].get("extra") or {}).get("identifier", nid))

    def add_participation(s: str, sid: str, part: str) -> None:
        """One ``cv:Participation`` of service ``s``: its participant in its role, or a
        note naming it when it has no participant or no role polku knows."""
        participants = objects(part, rdf.HAS_PARTICIPANT)
        said = objects(part, rdf.PARTICIPATION_ROLE)
        known = [r for r in said if r.startswith(rdf.ROLE) and r[len(rdf.ROLE):] in roles]
        service = NodeName.of(g.nodes, sid)
        if not participants:
            as_text = [o.value for pp, o in by_subject.get(part, ())
                       if pp == rdf.HAS_PARTICIPANT and isinstance(o, rdf.Lit)]
            if as_text:
                result.notes.append(Note(N_(
                    "a participation of {service} names its participant as text ({text}), "
                    "not as an organisation (cv:hasParticipant takes an agent's address): it "
                    "is not read"), params={"service": service, "text": ", ".join(
                        repr(t) for t in sorted(as_text))}, file=str(path), node=part))
                return
            result.notes.append(Note(N_("a participation of {service} names no participant "
                                        "(cv:hasParticipant): it is not read"),
                                     params={"service": service}, file=str(path), node=part))
            return
        for r in said:
            if r not in known:
                result.notes.append(Note(N_("a participation of {service} has the role "
                                            "<{role}>, which polku does not know (its roles: "
                                            "{roles}): that role is not read"),
                                         params={"service": service, "role": r,
                                                 "roles": ", ".join(roles)},
                                         file=str(path), node=part))
        if not said:
            result.notes.append(Note(N_("a participation of {service} names no role "
                                        "(cv:role): it is not read"),
                                     params={"service": service}, file=str(path), node=part))
        if not known:
            return
        used.add((s, rdf.HAS_PARTICIPATION, part))
        if rdf.PARTICIPATION in classes.get(part, ()):
            used.add((part, rdf.TYPE, rdf.PARTICIPATION))
        for r in known:
            used.add((part, rdf.PARTICIPATION_ROLE, r))
        for who in participants:
            used.add((part, rdf.HAS_PARTICIPANT, who))
            aid = add_actor(who)
            for r in known:
                role = r[len(rdf.ROLE):]
                if role == "provider":
                    add_edge(g, aid, sid, "provides")
                else:
                    add_edge(g, aid, sid, "responsibility", key=f"responsibility:{role}",
                             role=role)
                # the id and description polku writes for it are derived from what the
                # graph keeps (written again on export); another publisher's are listed
                own = {rdf.Lit(rdf.participation_id(publisher_id(sid), publisher_id(aid),
                                                    role))}
                own.update(rdf.participation_texts(g.nodes[sid], g.nodes[aid], role))
                used.update((part, p, o) for p, o in by_subject.get(part, ())
                            if p in (DCT + "identifier", DCT + "description") and o in own)

    for s in services:
        sid = add_named(s, "service", "palvelu")
        laws = []
        for law in objects(s, CV + "hasLegalResource"):
            used.add((s, CV + "hasLegalResource", law))
            title = texts(law, DCT + "title", ELI + "title")
            laws.append(title.get("fi") or next(iter(title.values()), law))
            for cls in classes.get(law, ()):
                if cls in KEPT_CLASSES:
                    used.add((law, rdf.TYPE, cls))
        if laws:
            g.nodes[sid]["legal_basis"] = "; ".join(laws)
        for authority in objects(s, CV + "hasCompetentAuthority"):
            used.add((s, CV + "hasCompetentAuthority", authority))
            aid = add_actor(authority)
            add_edge(g, aid, sid, "responsibility", key="responsibility:lead", role="lead")
        for part in objects(s, rdf.HAS_PARTICIPATION):
            add_participation(s, sid, part)
        for audience in objects(s, DCT + "audience"):
            used.add((s, DCT + "audience", audience))
            seg = add_named(audience, "segment", "segmentti")
            add_edge(g, sid, seg, "for_segment")
    for s, pos in list(by_subject.items()):
        for p, o in pos:
            if p == CPSV + "provides" and str(o) in ids and \
                    g.nodes[ids[str(o)]]["type"] == "service":
                used.add((s, p, o))
                add_edge(g, add_actor(s), ids[str(o)], "provides")
    for sid in [n for n, d in g.nodes(data=True) if d["type"] == "service"]:
        if not any(k == "provides" for *_, k in g.in_edges(sid, data="kind")):
            leads = [u for u, _, d in g.in_edges(sid, data=True) if d.get("role") == "lead"]
            for aid in leads:
                add_edge(g, aid, sid, "provides")
            if leads:
                result.notes.append(Note(N_("{service}: no provider is named (a "
                                            "participation with the role provider, or "
                                            "cpsv:provides); its competent authority "
                                            "provides it"), params={
                                             "service": NodeName.of(g.nodes, sid)}))
    # each actor's parent (W3C ORG, as polku writes it): one, as the workbook's parent
    # column holds; a parent no service names comes in as an actor too, with its own
    # parent. A second parent, or one that is no organisation here, is listed unplaced
    actors = [s for s, nid in ids.items() if g.nodes[nid]["type"] == "actor"]
    while actors:
        s = actors.pop()
        for up in objects(s, SUB_ORGANIZATION_OF)[:1]:
            if up in ids and g.nodes[ids[up]]["type"] != "actor" or ids.get(up) == ids[s]:
                continue
            if up not in ids:
                actors.append(up)
            used.add((s, SUB_ORGANIZATION_OF, up))
            add_edge(g, ids[s], add_actor(up), "part_of")
    # a unit whose name says no kind is of its parent's kind ('Keusoten työkykytiimi' is
    # the wellbeing county's, not the state's for being a public organisation)
    kinds_from_parents(g, unsaid)
    if any(p == rdf.PARTICIPATION_ROLE for _, p, _ in used):
        used.update(role_scheme)  # the scheme came along with the roles read
    for t in triples:
        if t not in used:
            result.unplaced_triples.append(t)
            key = _curie(t[1])
            result.unplaced[key] = result.unplaced.get(key, 0) + 1
    return result
