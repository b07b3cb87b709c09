"""The national service catalogue (PTV, Suomi.fi palvelutietovaranto) in: open-API v11 JSON.

:func:`read_ptv` reads Service and Organization objects as the API gives them (one object,
a list, a page ``{"itemList": [...]}``, or a dict of them by id) into the typed graph, ready
to be written as a workbook that a designer completes with segments and referrals:

- names and descriptions in Finnish, Swedish and English;
- organisations with their roles: ``Responsible`` → a ``lead`` responsibility,
  ``Producer`` → a provider, ``OtherResponsible`` → a ``participant``;
- target groups (KR codes) and service classes (P codes) kept as coded concepts, the
  service's extra columns ``target_groups`` and ``service_classes`` (``KR1 Kansalaiset``),
  their names in every language PTV gives in :attr:`PtvImport.code_names`;
- the areas (municipalities by code, or nationwide) as the extra column ``area``;
- legislation as the legal basis; PTV's own ids in the extra column ``ptv_id``;
- organisation records become actors: business id (Y-tunnus), names in every language
  (Swedish and English in their columns, others as ``name@xx``), kind from the
  organisation type (else from the name, :func:`polku.io.naming.guess_kind`, and a unit's
  whose name says none from its parent), the municipality or area as region/``area``, the parent organisation
  as ``part_of``; the services an organisation record lists link to it in their roles.

Older API versions are recognised by their shape (:func:`organisation_version`,
:func:`service_version`) and named in a notice; a record whose version cannot be read is
refused with its file and the reason. What has no place (service channels, vouchers,
ontology terms …) is counted in the report. A personal identity code anywhere refuses the
file.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from polku.errors import Note, PolkuError, Problems, Said, os_reason
from polku.graph import add_edge, new_graph
from polku.io.naming import guess_kind, kind_in_name, kinds_from_parents, slug, unique
from polku.privacy import HETU_MESSAGE, find_hetu
from polku.words import N_

LANG_COLUMN = {"fi": "name", "sv": "name_sv", "en": "name_en"}
ROLE_OF = {"Responsible": "lead", "OtherResponsible": "participant"}
#: the Service fields polku reads; the rest is reported as having no place
READ = {"id", "type", "serviceNames", "serviceDescriptions", "organizations", "targetGroups",
        "serviceClasses", "areaType", "areas", "legislation", "languages", "publishingStatus",
        "modified", "sourceId"}


#: the Organization fields polku reads
ORG_READ = {"id", "organizationNames", "displayNameType", "businessCode", "organizationType",
            "municipality", "areaType", "areas", "parentOrganizationId", "parentOrganization",
            "services", "publishingStatus", "modified", "sourceId", "organizationRootId",
            "businessName", "oid"}
#: fields any organisation record of any version has one of (what makes it one)
ORG_MARKERS = ("organizationNames", "businessCode", "organizationType", "organizationRootId")
#: PTV organisation type -> polku's actor kind (other types: guessed from the name)
KIND_OF_TYPE = {"Municipality": "municipality", "State": "state"}
CURRENT = "v11"


def organisation_version(org: dict) -> str:
    """Which open-API version an Organization object has the shape of; raise
    :class:`ValueError` with the reason when no version polku reads has that shape.

    v7 and older name the parent ``parentOrganization`` and the e-mails
    ``emailAddresses``; v8 and v9 put ``organizationId`` in every item of ``services``,
    which v10 and v11 leave out (their shapes are otherwise the same).

    >>> organisation_version({"id": "x", "organizationNames": [], "parentOrganization": None})
    'v7 or older'
    >>> organisation_version({"id": "x", "organizationNames": [], "parentOrganizationId": None,
    ...                       "services": [{"organizationId": "x", "service": {}}]})
    'v8–v9'
    >>> organisation_version({"id": "x", "organizationNames": [], "services": []})
    'v11'
    >>> organisation_version({"businessCode": "0209602-6", "names": []})
    Traceback (most recent call last):
    ValueError: no 'organizationNames' (every open-API version since v1 names an organisation there)
    """
    if not isinstance(org.get("organizationNames"), list):
        # the reason is a catalogued text: the edge words it (Said)
        raise ValueError(N_("no 'organizationNames' (every open-API version since v1 names "
                            "an organisation there)"))
    if not org.get("id"):
        raise ValueError(N_("no 'id' (PTV's id of the organisation)"))
    if "parentOrganization" in org or "emailAddresses" in org:
        return N_("v7 or older")
    if any(isinstance(x, dict) and "organizationId" in x for x in org.get("services") or []):
        return "v8–v9"
    return CURRENT


def service_version(svc: dict) -> str:
    """Which open-API version a Service object has the shape of: v11 added
    ``responsibleSoteOrganization`` (and ``newUri`` on target groups); without them the
    record is of an earlier version, whose fields polku reads the same way.

    >>> service_version({"serviceNames": [], "responsibleSoteOrganization": None})
    'v11'
    >>> service_version({"serviceNames": [], "targetGroups": [{"uri": "x"}]})
    'v10 or older'
    """
    if "responsibleSoteOrganization" in svc or any(
            isinstance(t, dict) and "newUri" in t for t in svc.get("targetGroups") or []):
        return CURRENT
    return N_("v10 or older")


@dataclass
class PtvImport:
    graph: nx.MultiDiGraph
    services: int = 0
    organisations: int = 0
    #: what had no place: "<file>: <field>" -> how many services had it
    unplaced: dict[str, int] = field(default_factory=dict)
    #: what the reader noticed (an older API version, a service channel ...): located,
    #: catalogued notes the edge words in the reader's language
    notes: list[Note] = field(default_factory=list)
    #: the same for organisation records
    unplaced_organisations: dict[str, int] = field(default_factory=dict)
    #: PTV id -> node id, for the services and organisations read
    node_of: dict[str, str] = field(default_factory=dict)
    #: a service's PTV id -> the names of its service channels (not placed in the graph;
    #: ``ptv compare`` compares them with a model that keeps a ``channels`` column)
    channels: dict[str, list[str]] = field(default_factory=dict)
    #: a target group's or service class's code -> its name in every language PTV gives
    #: (``{"KR1": {"fi": "Kansalaiset", "sv": "Medborgare", "en": "Citizens"}}``): the
    #: workbook keeps the Finnish ``KR1 Kansalaiset``, a reader of another language is shown
    #: the name in theirs (:func:`polku.present.ptv_compare.ptv_worded`)
    code_names: dict[str, dict[str, str]] = field(default_factory=dict)


def _texts(items: Any, kind: str | None = None) -> dict[str, str]:
    """language -> value from PTV's ``[{"language", "value", "type"}]`` lists."""
    out: dict[str, str] = {}
    for item in items or []:
        if not isinstance(item, dict) or not item.get("value"):
            continue
        if kind is not None and item.get("type") != kind:
            continue
        out.setdefault(str(item.get("language") or "fi"), str(item["value"]).strip())
    return out


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a JSON value with its JSON path, to look for identity codes: a
    field's name too (with the path of the object that has it, which a message may quote:
    the name may not be quoted), before its value (whose path holds the name)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k in value:
            yield where or "$", str(k)
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def _is_record(x: Any) -> bool:
    """A PTV Service or Organization object (of any open-API version)."""
    return isinstance(x, dict) and ("serviceNames" in x or any(m in x for m in ORG_MARKERS))


def is_ptv_json(path: str | Path) -> bool:
    """Whether ``path`` holds PTV open-API JSON (services, organisations or a service
    channel: one, a list, or a page of them), for telling a user who gave it to another
    reader which command reads it. A file that is not JSON is not PTV JSON.

    >>> import json, tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    ...     json.dump({"itemList": [{"id": "x", "serviceNames": []}]}, f)
    >>> is_ptv_json(f.name)
    True
    """
    try:
        data = json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return False
    if isinstance(data, dict) and isinstance(data.get("itemList"), list):
        data = data["itemList"]
    if isinstance(data, dict) and ("serviceChannelNames" in data or _is_record(data)):
        return True
    return isinstance(data, list) and bool(data) and all(_is_record(x) for x in data)


def _records(data: Any, file: str) -> tuple[list[dict], list[dict], list[Note]]:
    """The Service and Organization objects in one file, and notes about what else it
    held. An organisation record whose version cannot be read is refused here."""
    if isinstance(data, dict) and isinstance(data.get("itemList"), list):
        data = data["itemList"]

    is_record = _is_record
    if isinstance(data, dict) and "serviceChannelNames" in data:
        names = _texts(data.get("serviceChannelNames"))
        return [], [], [Note(N_("a service channel ({kind}) '{name}', not a service: "
                                "channels have no place in polku's graph"),
                             params={"kind": str(data.get("serviceChannelType", "?")),
                                     "name": names.get("fi") or next(iter(names.values()), "?")},
                             file=file)]
    if is_record(data):
        data = [data]
    elif isinstance(data, dict) and data and all(is_record(v) for v in data.values()):
        data = list(data.values())
    if not isinstance(data, list) or not data or not all(is_record(x) for x in data):
        raise PolkuError(N_("not PTV service JSON (nor organisation JSON): expected v11 "
                            "Service objects (with serviceNames) or Organization objects (with "
                            "organizationNames), a list or page (itemList) of them"),
                         params={}, file=file)
    services = [x for x in data if "serviceNames" in x]
    organisations = [x for x in data if "serviceNames" not in x]
    for i, org in enumerate(organisations):
        try:
            organisation_version(org)
        except ValueError as e:
            raise PolkuError(N_("an organisation record whose API version cannot be read "
                                "(record {number}): {reason}"),
                             params={"number": i + 1, "reason": Said(str(e))},
                             file=file) from None
    return services, organisations, []


def read_ptv(paths: list[str | Path], name: str = "ptv") -> PtvImport:
    """Read PTV v11 JSON files into one graph named ``name`` (see the module doc)."""
    texts = []
    for path in paths:
        try:
            texts.append((str(path), Path(path).read_bytes()))
        except OSError as e:
            raise PolkuError(N_("cannot read the file ({reason})"),
                             params={"reason": os_reason(e)}, file=str(path)) from None
    return read_ptv_texts(texts, name)


def read_ptv_texts(texts: list[tuple[str, str | bytes]], name: str = "ptv") -> PtvImport:
    """:func:`read_ptv` of files already in memory (an upload): ``(file name, content)``
    pairs, the name used in messages and the graph's source."""
    result = PtvImport(new_graph(name))
    g = result.graph
    # the title in the three languages a reader may choose (graph.title picks one)
    g.graph.update({"title": "PTV-palvelukuvaukset", "title_sv": "PTV-tjänstebeskrivningar",
                    "title_en": "PTV service descriptions", "illustrative": False,
                    "source": "Suomi.fi-palvelutietovaranto (PTV), avoin rajapinta v11: "
                              + ", ".join(Path(p).name for p, _ in texts)})
    taken: set[str] = set()
    actor_of: dict[str, str] = {}  # PTV organisation id -> actor id
    services: list[tuple[dict, str]] = []
    organisations: list[tuple[dict, str]] = []
    for file, content in texts:
        try:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) \
                else content.removeprefix("\ufeff")
            data = json.loads(text)
        # what was expected first (a user gave another file: README.md, a workbook), then
        # where it breaks in the reader's words (the decoder's own reason is English)
        except UnicodeDecodeError as e:
            raise PolkuError(N_("not PTV JSON: expected the open API's Service or Organization "
                                "objects as JSON text, but the file is not UTF-8 text (byte "
                                "0x{byte} at offset {offset})"),
                             params={"byte": f"{e.object[e.start]:02x}", "offset": e.start},
                             file=file) from None
        except json.JSONDecodeError as e:
            raise PolkuError(N_("not PTV JSON: expected the open API's Service or Organization "
                                "objects as JSON text, but the file is not JSON (it breaks at "
                                "line {line}, column {column})"),
                             params={"line": e.lineno, "column": e.colno}, file=file) from None
        for where, text in _strings(data):
            if len(text) >= 11 and find_hetu(text) is not None:
                raise PolkuError(N_("the field {field} {problem}"),
                                 params={"field": where, "problem": Said(HETU_MESSAGE)},
                                 file=file)
        svcs, orgs, notes = _records(data, file)
        result.notes += notes
        services += [(x, file) for x in svcs]
        organisations += [(x, file) for x in orgs]
    # organisations first, so that the services' organisations are these actors
    for org, file in organisations:
        with _record_shape("organisation", org, file):
            _add_organisation(result, org, file, taken, actor_of)
    for svc, file in services:
        with _record_shape("service", svc, file):
            _add_service(result, svc, file, taken, actor_of)
    for org, file in organisations:
        with _record_shape("organisation", org, file):
            _link_organisation(result, org, file, actor_of)
    # a unit whose type and name say no kind is of its parent's kind (PTV's types say only
    # a municipality or the state: a municipality's youth services are the municipality's)
    kinds_from_parents(g, [n for n, d in g.nodes(data=True) if d["type"] == "actor"
                           and (d.get("extra") or {}).get("organization_type") not in KIND_OF_TYPE
                           and kind_in_name(str(d.get("name", ""))) is None])
    if result.services == 0 and result.organisations == 0:
        files = ", ".join(p for p, _ in texts)
        if result.notes:
            raise PolkuError(N_("no PTV service or organisation in {files}: {notes}"),
                             params={"files": files, "notes": Problems(result.notes)})
        raise PolkuError(N_("no PTV service or organisation in {files}"),
                         params={"files": files})
    return result


@contextmanager
def _record_shape(kind: str, record: dict, file: str) -> Iterator[None]:
    """Refuse a record whose fields are not of the types PTV's schema gives them (a list
    where an object belongs, a number for a list of areas...) with its file and id, not a
    traceback: such a record cannot be read as any version of the API."""
    try:
        yield
    except (TypeError, AttributeError, KeyError, ValueError) as e:
        ident = record.get("id") if isinstance(record, dict) else None
        template = N_("the service record {id} does not have the shape of a PTV service "
                      "record, so it cannot be read ({detail})") if kind == "service" else \
            N_("the organisation record {id} does not have the shape of a PTV organisation "
               "record, so it cannot be read ({detail})")
        # the detail is Python's own (the field that failed), quoted as it is
        raise PolkuError(template, params={"id": str(ident), "detail":
                                           f"{type(e).__name__}: {e}"}, file=file) from None


def _add_organisation(result: PtvImport, org: dict, file: str, taken: set[str],
                      actor_of: dict[str, str]) -> None:
    """One Organization record as an actor (see the module doc)."""
    from polku.io.cpsvap import text_columns

    g = result.graph
    oid = str(org["id"])
    version = organisation_version(org)
    display = {str(d.get("language")): d.get("type") for d in org.get("displayNameType") or []
               if isinstance(d, dict)}
    names: dict[str | None, str] = {}
    alternates: list[str] = []
    for item in org.get("organizationNames") or []:
        if not isinstance(item, dict) or not item.get("value"):
            continue
        lang, kind = str(item.get("language") or "fi"), item.get("type") or "Name"
        if kind == display.get(lang, "Name") and lang not in names:
            names[lang] = str(item["value"]).strip()
        else:
            alternates.append(f"{lang}: {str(item['value']).strip()}")
    if not names:
        raise PolkuError(N_("organisation {id} has no name"), params={"id": oid}, file=file)
    attrs, extra = text_columns("name", names)  # type: ignore[arg-type]
    name = str(attrs["name"])
    if oid in actor_of:  # the same organisation twice (two files): the first one stands
        result.notes.append(Note(N_("organisation {id} '{name}' read already"),
                                 params={"id": oid, "name": name}, file=file))
        return
    if version != CURRENT:
        result.notes.append(Note(N_("organisation '{name}' has the shape of PTV open API "
                                    "{version}: read as such"),
                                 params={"name": name, "version": Said(version)},
                                 file=Path(file).name))
    aid = unique(slug(name, "toimija"), taken)
    actor_of[oid] = aid
    result.node_of[oid] = aid
    kind = KIND_OF_TYPE.get(str(org.get("organizationType"))) or guess_kind(name)
    node: dict[str, Any] = {"type": "actor", **attrs, "kind": kind}
    if org.get("businessCode"):
        node["business_id"] = str(org["businessCode"]).strip()
    municipality = org.get("municipality") or {}
    if org.get("areaType") == "Nationwide":
        node["region"] = "koko maa"
    elif kind == "municipality" and municipality:
        label = _texts(municipality.get("name") or municipality.get("names")).get("fi")
        if label:
            node["region"] = label
    extra["ptv_id"] = oid
    if org.get("organizationType"):
        extra["organization_type"] = str(org["organizationType"])
    if area := _area(org):
        extra["area"] = area
    if alternates:
        extra["alternate_names"] = "; ".join(alternates)
    node["extra"] = extra
    g.add_node(aid, **node)
    result.organisations += 1
    for key, value in org.items():
        if key not in ORG_READ and value not in (None, [], {}, ""):
            where = f"{Path(file).name}: {key}"
            result.unplaced_organisations[where] = result.unplaced_organisations.get(where, 0) + 1


def _link_organisation(result: PtvImport, org: dict, file: str,
                       actor_of: dict[str, str]) -> None:
    """An organisation record's parent (``part_of``) and the services it lists, in their
    roles, where those are among the records read."""
    g = result.graph
    aid = actor_of[str(org["id"])]
    parent = org.get("parentOrganizationId") or org.get("parentOrganization")
    if isinstance(parent, dict):
        parent = parent.get("id")
    if parent and str(parent) in actor_of and actor_of[str(parent)] != aid:
        add_edge(g, aid, actor_of[str(parent)], "part_of")
    elif parent:
        g.nodes[aid]["extra"]["parent_ptv_id"] = str(parent)
    elsewhere = 0
    for item in org.get("services") or []:
        sid = result.node_of.get(str((item.get("service") or {}).get("id")))
        if sid is None or g.nodes[sid]["type"] != "service":
            elsewhere += 1
            continue
        _link(g, aid, sid, item.get("roleType"))
    if elsewhere:
        result.notes.append(Note(N_("{actor} lists services that are not in the files read "
                                    "({count})"),
                                 params={"actor": g.nodes[aid]["name"], "count": elsewhere},
                                 file=Path(file).name))


def _link(g: nx.MultiDiGraph, aid: str, sid: str, role: Any) -> None:
    if role == "Producer":
        add_edge(g, aid, sid, "provides")
    elif role in ROLE_OF:
        add_edge(g, aid, sid, "responsibility", key=f"responsibility:{ROLE_OF[role]}",
                 role=ROLE_OF[role])


def _add_service(result: PtvImport, svc: dict, file: str, taken: set[str],
                 actor_of: dict[str, str]) -> None:
    g = result.graph
    names = _texts(svc.get("serviceNames"), "Name") or _texts(svc.get("serviceNames"))
    if not names:
        raise PolkuError(N_("service {id} has no name"), params={"id": str(svc.get("id"))},
                         file=file)
    primary = names.get("fi") or names.get("sv") or next(iter(names.values()))
    version = service_version(svc)
    if version != CURRENT:
        result.notes.append(Note(N_("service '{name}' has the shape of PTV open API "
                                    "{version}: read as such"),
                                 params={"name": primary, "version": Said(version)},
                                 file=Path(file).name))
    sid = unique(slug(primary, "palvelu"), taken)
    attrs: dict[str, Any] = {"type": "service", "name": primary}
    for lang, col in LANG_COLUMN.items():
        if lang != "fi" and lang in names and names[lang] != primary:
            attrs[col] = names[lang]
    desc = _texts(svc.get("serviceDescriptions"), "Description") or \
        _texts(svc.get("serviceDescriptions"), "Summary")
    if desc:
        attrs["description"] = desc.get("fi") or next(iter(desc.values()))
    laws = [(_texts(item.get("names")) or {}).get("fi") for item in svc.get("legislation") or []]
    if any(laws):
        attrs["legal_basis"] = "; ".join(x for x in laws if x)
    extra = {"ptv_id": str(svc.get("id", ""))}
    for key, column in (("targetGroups", "target_groups"), ("serviceClasses", "service_classes")):
        coded = []
        for item in svc.get(key) or []:
            labels = _texts(item.get("name"))
            label = labels.get("fi", "")
            coded.append(f"{item.get('code', '')} {label}".strip())
            if item.get("code") and labels:
                result.code_names.setdefault(str(item["code"]), {}).update(labels)
        if coded:
            extra[column] = "; ".join(coded)
    extra["area"] = _area(svc)
    attrs["extra"] = {k: v for k, v in extra.items() if v}
    g.add_node(sid, **attrs)
    result.services += 1
    if svc.get("id"):
        result.node_of[str(svc["id"])] = sid
        result.channels[str(svc["id"])] = sorted(
            str((c.get("serviceChannel") or {}).get("name") or "").strip()
            for c in svc.get("serviceChannels") or [] if isinstance(c, dict)
            and (c.get("serviceChannel") or {}).get("name"))
    for org in svc.get("organizations") or []:
        info = org.get("organization") or {}
        oid, oname = str(info.get("id") or ""), str(info.get("name") or "").strip()
        if not oid or not oname:
            continue
        if oid not in actor_of:
            aid = unique(slug(oname, "toimija"), taken)
            actor_of[oid] = aid
            result.node_of[oid] = aid
            g.add_node(aid, type="actor", name=oname, kind=guess_kind(oname),
                       extra={"ptv_id": oid})
            result.organisations += 1
        _link(g, actor_of[oid], sid, org.get("roleType"))
    for key, value in svc.items():
        if key not in READ and value not in (None, [], {}, ""):
            where = f"{Path(file).name}: {key}"
            result.unplaced[where] = result.unplaced.get(where, 0) + 1


def _area(svc: dict) -> str:
    """``koko maa`` for a nationwide service (or organisation), else its municipalities
    (name and code)."""
    if svc.get("areaType") == "Nationwide":
        return "koko maa"
    parts = []
    for area in svc.get("areas") or []:
        for m in area.get("municipalities") or []:
            label = _texts(m.get("name")).get("fi", "")
            parts.append(f"{label} ({m.get('code')})" if label else str(m.get("code")))
        if not area.get("municipalities") and area.get("code"):
            parts.append(f"{area.get('type', '')} {area['code']}".strip())
    return "; ".join(parts)
