"""The national service catalogue (PTV, Suomi.fi palvelutietovaranto) in: open-API v11 JSON.

:func:`read_ptv` reads Service objects as the API gives them (one object, a list, a page
``{"itemList": [...]}``, or a dict of them by id) into the typed graph, ready to be written
as a workbook that a designer completes with segments and referrals:

- names and descriptions in Finnish, Swedish and English;
- organisations with their roles: ``Responsible`` → a ``lead`` responsibility,
  ``Producer`` → a provider, ``OtherResponsible`` → a ``participant``;
- target groups (KR codes) and service classes (P codes) kept as coded concepts, the
  service's extra columns ``target_groups`` and ``service_classes`` (``KR1 Kansalaiset``);
- the areas (municipalities by code, or nationwide) as the extra column ``area``;
- legislation as the legal basis; PTV's own ids in the extra column ``ptv_id``.

What has no place (service channels, vouchers, ontology terms …) is counted in the report.
A personal identity code anywhere refuses the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from polku.errors import PolkuError
from polku.graph import add_edge, new_graph
from polku.io.naming import guess_kind, slug, unique
from polku.privacy import HETU_MESSAGE, find_hetu

LANG_COLUMN = {"fi": "name", "sv": "name_sv", "en": "name_en"}
ROLE_OF = {"Responsible": "lead", "OtherResponsible": "participant"}
#: the Service fields polku reads; the rest is reported as having no place
READ = {"id", "type", "serviceNames", "serviceDescriptions", "organizations", "targetGroups",
        "serviceClasses", "areaType", "areas", "legislation", "languages", "publishingStatus",
        "modified", "sourceId"}


@dataclass
class PtvImport:
    graph: nx.MultiDiGraph
    services: int = 0
    organisations: int = 0
    #: what had no place: "<file>: <field>" -> how many services had it
    unplaced: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


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
    """Every string in a JSON value with its JSON path, to look for identity codes."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def _services(data: Any, file: str) -> tuple[list[dict], list[str]]:
    """The Service objects in one file, and notes about what else it held."""
    if isinstance(data, dict) and isinstance(data.get("itemList"), list):
        data = data["itemList"]
    if isinstance(data, dict) and "serviceNames" in data:
        data = [data]
    elif isinstance(data, dict) and data and all(
            isinstance(v, dict) and "serviceNames" in v for v in data.values()):
        data = list(data.values())
    elif isinstance(data, dict) and "serviceChannelNames" in data:
        names = _texts(data.get("serviceChannelNames"))
        return [], [f"{file}: a service channel ({data.get('serviceChannelType', '?')}) "
                    f"'{names.get('fi') or next(iter(names.values()), '?')}', not a service: "
                    "channels have no place in polku's graph"]
    if not isinstance(data, list) or not data or not all(
            isinstance(x, dict) and "serviceNames" in x for x in data):
        raise PolkuError("not PTV service JSON: expected v11 Service objects (with "
                         "serviceNames), a list or page (itemList) of them", file=file)
    return data, []


def read_ptv(paths: list[str | Path], name: str = "ptv") -> PtvImport:
    """Read PTV v11 JSON files into one graph named ``name`` (see the module doc)."""
    result = PtvImport(new_graph(name))
    g = result.graph
    g.graph.update({"title": "PTV-palvelukuvaukset", "illustrative": False,
                    "source": "Suomi.fi-palvelutietovaranto (PTV), avoin rajapinta v11: "
                              + ", ".join(Path(p).name for p in paths)})
    taken: set[str] = set()
    actor_of: dict[str, str] = {}  # PTV organisation id -> actor id
    for path in paths:
        file = str(path)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except OSError as e:
            raise PolkuError(f"cannot read the file ({e.strerror})", file=file) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise PolkuError(f"not JSON ({e})", file=file) from None
        for where, text in _strings(data):
            if len(text) >= 11 and find_hetu(text) is not None:
                raise PolkuError(f"the field {where} {HETU_MESSAGE}", file=file)
        services, notes = _services(data, file)
        result.notes += notes
        for svc in services:
            _add_service(result, svc, file, taken, actor_of)
    if result.services == 0:
        raise PolkuError("no PTV service in " + ", ".join(str(p) for p in paths)
                         + (": " + "; ".join(result.notes) if result.notes else ""))
    return result


def _add_service(result: PtvImport, svc: dict, file: str, taken: set[str],
                 actor_of: dict[str, str]) -> None:
    g = result.graph
    names = _texts(svc.get("serviceNames"), "Name") or _texts(svc.get("serviceNames"))
    if not names:
        raise PolkuError(f"service {svc.get('id')} has no name", file=file)
    primary = names.get("fi") or names.get("sv") or next(iter(names.values()))
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
            label = _texts(item.get("name")).get("fi", "")
            coded.append(f"{item.get('code', '')} {label}".strip())
        if coded:
            extra[column] = "; ".join(coded)
    extra["area"] = _area(svc)
    attrs["extra"] = {k: v for k, v in extra.items() if v}
    g.add_node(sid, **attrs)
    result.services += 1
    for org in svc.get("organizations") or []:
        info = org.get("organization") or {}
        oid, oname = str(info.get("id") or ""), str(info.get("name") or "").strip()
        if not oid or not oname:
            continue
        if oid not in actor_of:
            aid = unique(slug(oname, "toimija"), taken)
            actor_of[oid] = aid
            g.add_node(aid, type="actor", name=oname, kind=guess_kind(oname),
                       extra={"ptv_id": oid})
            result.organisations += 1
        aid = actor_of[oid]
        role = org.get("roleType")
        if role == "Producer":
            add_edge(g, aid, sid, "provides")
        elif role in ROLE_OF:
            add_edge(g, aid, sid, "responsibility", key=f"responsibility:{ROLE_OF[role]}",
                     role=ROLE_OF[role])
    for key, value in svc.items():
        if key not in READ and value not in (None, [], {}, ""):
            where = f"{Path(file).name}: {key}"
            result.unplaced[where] = result.unplaced.get(where, 0) + 1


def _area(svc: dict) -> str:
    """``koko maa`` for a nationwide service, else its municipalities (name and code)."""
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
