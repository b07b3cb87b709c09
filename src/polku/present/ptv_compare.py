"""The PTV comparison for people: a terminal text and a self-contained page, in the
reader's language (the figures come from :func:`polku.analyses.ptv_diff.compare`).

:func:`ptv_worded` puts names beside the comparison's codes (the services and organisations
by their names, the columns by the names :mod:`polku.present.cells` gives them, each
proposed edit as a sentence); the text, the page and the API's JSON read it. The edits
themselves stay in the write API's terms: they are applied as they are."""

from __future__ import annotations

from html import escape
from typing import Any, Mapping

import networkx as nx

from polku.io.sheets import KEY_SEPARATOR
from polku.present.cells import cell_shown, column_shown, sheet_shown
from polku.present.i18n import Translator, role_name, translator, type_name
from polku.words import N_

#: the compared fields that a column of the workbook holds under another name (PTV's
#: producers are a service's providers)
FIELD_COLUMNS = {"producers": "providers"}
#: the compared fields no column holds (the organisations PTV names responsible are the
#: service's leads in the responsibilities sheet)
FIELD_WORDS = {"responsible": N_("Responsible organisations")}
#: a proposed edit of a row of another sheet, as a sentence (``what``: the sheet's thing)
EDIT_WORDS = {"create": N_("add {what} {name}"), "update": N_("change {what} {name}: {changes}"),
              "delete": N_("remove {what} {name}")}
#: a proposed edit of a service's or an organisation's row, as a sentence of its own per
#: sheet: the thing's word bends with the sentence (Swedish "lägg till tjänsten X")
SHEET_EDIT_WORDS = {
    "services": {"create": N_("add service {name}"),
                 "update": N_("change service {name}: {changes}"),
                 "delete": N_("remove service {name}")},
    "actors": {"create": N_("add actor {name}"),
               "update": N_("change actor {name}: {changes}"),
               "delete": N_("remove actor {name}")}}
#: a proposed edit of a responsibility: PTV's responsible organisation is the service's lead
#: (the subject of every responsibility the comparison proposes is a service)
RESPONSIBILITY_WORDS = {"create": N_("add lead: {actor} leads {subject}"),
                        "delete": N_("remove lead: {actor} no longer leads {subject}")}
#: the columns whose values are PTV codes with their Finnish names (``KR1 Kansalaiset``):
#: shown by the name in the reader's language, the code beside
CODED_COLUMNS = frozenset({"target_groups", "service_classes"})
#: the columns a created row takes from the catalogue that its sentence does not repeat
#: (its name is said, its description is long, the PTV codes are for programs)
QUIET_COLUMNS = frozenset({"id", "name", "name_sv", "name_en", "description", "ptv_id",
                           "service_classes", "organization_type", "kind"})


def _value(v: Any) -> str:
    return "–" if v in (None, "") else str(v)


def field_shown(sheet: str, field: str, tr: Translator) -> str:
    """A compared field's name in ``tr``'s language: the column's that holds it.

    >>> fi, en = translator("fi"), translator("en")
    >>> field_shown("services", "producers", fi), field_shown("actors", "name", en)
    ('Tuottajat', 'Name')
    """
    if field in FIELD_WORDS:
        return tr(FIELD_WORDS[field])
    return column_shown(sheet, FIELD_COLUMNS.get(field, field), tr)


def coded_shown(value: Any, code_names: Mapping[str, Mapping[str, str]], lang: str) -> str:
    """A cell of PTV codes as the workbook keeps them (``KR1.2 Lapset ja lapsiperheet;
    KR1 Kansalaiset``: the code, then the Finnish name) with each name in ``lang`` where the
    catalogue gave one (else the stored name) and the code beside it in parentheses, as an
    area names its municipality; a part with an unknown code stays as it is.

    >>> names = {"KR1": {"fi": "Kansalaiset", "sv": "Medborgare"}}
    >>> coded_shown("KR1 Kansalaiset; KR9 Muut", names, "sv")
    'Medborgare (KR1); KR9 Muut'
    >>> coded_shown("KR1 Kansalaiset", names, "en"), coded_shown("", names, "fi")
    ('Kansalaiset (KR1)', '–')
    """
    parts = []
    for part in (p.strip() for p in str(value or "").split(";")):
        if not part:
            continue
        code, _, stored = part.partition(" ")
        if code not in code_names:
            parts.append(part)
            continue
        names = code_names[code]
        name = names.get(lang) or names.get("fi") or stored.strip()
        parts.append(f"{name} ({code})" if name else code)
    return "; ".join(parts) or "–"


def named(name: str, node: str) -> str:
    """A thing as the comparison names it: by its name, its id in parentheses.

    >>> named("Kela", "kela"), named("", "x"), named("x", "x")
    ('Kela (kela)', 'x', 'x')
    """
    return f"{name} ({node})" if name and name != node else node


def _with_created(g: nx.MultiDiGraph, edits: list[dict[str, Any]]) -> nx.MultiDiGraph:
    """``g`` with the services and organisations the edits create, so that every edit can
    name what it names (a responsibility for a service added by an earlier edit)."""
    types = {"services": "service", "actors": "actor"}
    created = [e for e in edits if e["action"] == "create" and e["sheet"] in types]
    if not created:
        return g
    h = g.copy()
    for e in created:
        row = e.get("row") or {}
        h.add_node(e["key"], type=types[e["sheet"]],
                   **{k: row[k] for k in ("name", "name_sv", "name_en") if row.get(k)})
    return h


def _cell(sheet: str, column: str, value: Any, h: nx.MultiDiGraph, tr: Translator,
          code_names: Mapping[str, Mapping[str, str]]) -> tuple[str, str]:
    """:func:`cell_shown`, PTV's coded columns in the reader's language (:func:`coded_shown`)."""
    if column in CODED_COLUMNS:
        return column_shown(sheet, column, tr), coded_shown(value, code_names, tr.lang)
    return cell_shown(sheet, column, value, h, tr)


def _edit_worded(e: dict[str, Any], h: nx.MultiDiGraph, g: nx.MultiDiGraph,
                 changed: dict[str, dict[str, Any]], tr: Translator,
                 code_names: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """One proposed edit with its names and its sentence (``label``)."""
    sheet, key, action = e["sheet"], str(e["key"]), e["action"]
    row = e.get("row") or {}
    out = dict(e, sheet_name=sheet_shown(sheet, tr))
    if sheet == "responsibilities":
        actor, subject, role = (key.split(KEY_SEPARATOR) + ["", "", ""])[:3]
        out.update(actor_name=tr.label(h, actor), subject_name=tr.label(h, subject),
                   role_name=role_name(role, tr))
        template = RESPONSIBILITY_WORDS.get(action) if role == "lead" else None
        if template:
            out["label"] = tr(template).format(actor=out["actor_name"],
                                               subject=named(out["subject_name"], subject))
        else:  # a role the comparison does not propose today: the three parts
            parts = " – ".join((out["actor_name"], out["role_name"],
                                named(out["subject_name"], subject)))
            out["label"] = tr(EDIT_WORDS[action]).format(what=out["sheet_name"], name=parts,
                                                         changes="")
        return out
    out["name"] = tr.label(h, key)
    out["column_names"] = {c: column_shown(sheet, c, tr) for c in row}
    thing = named(out["name"], key)
    if action == "update":
        fields = (changed.get(key) or {}).get("fields", {})
        changes = []
        for column, new in row.items():
            if column == "providers":  # all the model's providers (PTV's producers are some)
                old = ";".join(sorted(u for u, _, k in g.in_edges(key, data="kind")
                                      if k == "provides")) if key in g else ""
            else:
                old = (fields.get(column) or [None])[0]
            changes.append("{column}: {old} → {new}".format(
                column=out["column_names"][column],
                old=_cell(sheet, column, old, h, tr, code_names)[1],
                new=_cell(sheet, column, new, h, tr, code_names)[1]))
        out["label"] = _sentence(sheet, "update", tr).format(
            what=out["sheet_name"], name=thing, changes="; ".join(changes))
        return out
    out["label"] = _sentence(sheet, action, tr).format(what=out["sheet_name"], name=thing,
                                                       changes="")
    if action == "create":
        cells = [_cell(sheet, c, v, h, tr, code_names) for c, v in row.items()
                 if c not in QUIET_COLUMNS and v not in (None, "")]
        if cells:
            out["label"] += ": " + "; ".join(f"{c}: {v}" for c, v in cells)
    return out


def _sentence(sheet: str, action: str, tr: Translator) -> str:
    """The template of an edit of a row of ``sheet`` in ``tr``'s language."""
    return tr(SHEET_EDIT_WORDS.get(sheet, EDIT_WORDS)[action])


def ptv_worded(result: dict[str, Any], g: nx.MultiDiGraph, tr: Translator,
               code_names: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """:func:`polku.analyses.ptv_diff.compare` with names in ``tr``'s language beside its
    codes (``g`` is the model compared): ``type_name`` and ``label`` (its name in the
    reader's language) of each entry, ``field_names`` of a changed one's fields and
    ``values_shown``, its model's and catalogue's values as people read them (PTV's codes
    by their names in ``code_names``: :attr:`polku.io.ptv.PtvImport.code_names`), and per
    proposed edit ``sheet_name``,
    ``name`` (a responsibility: ``actor_name``, ``subject_name``, ``role_name``),
    ``column_names`` of its row and ``label``, the edit as a sentence; ``summary``, the
    counts as a sentence (:func:`summary`). Everything the result had stays as it was (the
    edits are applied as they are).

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph(); g.add_node("s", type="service", name="Työpaja")
    >>> g.add_node("a", type="actor", name="Kaupunki", name_sv="Staden")
    >>> add_edge(g, "a", "s", "provides")
    >>> edits = [{"action": "create", "sheet": "actors", "key": "b", "row": {"id": "b",
    ...           "name": "Yhdistys", "name_sv": "Föreningen"}},
    ...          {"action": "update", "sheet": "services", "key": "s", "row": {"providers": "a;b"}}]
    >>> r = ptv_worded({"missing": [], "gone": [], "changed": [], "edits": edits}, g,
    ...                translator("sv"))
    >>> [e["label"] for e in r["edits"]]
    ['lägg till aktören Föreningen (b)', 'ändra uppgifter om tjänsten Työpaja (s) – Producenter: Staden → Staden; Föreningen']
    """
    h = _with_created(g, result["edits"])
    changed = {c["id"]: c for c in result["changed"]}
    codes = code_names or {}

    def entry(item: dict[str, Any]) -> dict[str, Any]:
        return dict(item, type_name=type_name(item["type"], tr), label=tr.label(h, item["id"]))

    def values(fields: dict[str, list[Any]]) -> dict[str, list[str]]:
        return {f: [coded_shown(v, codes, tr.lang) if f in CODED_COLUMNS else _value(v)
                    for v in pair] for f, pair in fields.items()}

    sheet = {"service": "services", "actor": "actors"}
    return dict(
        result,
        summary=summary(result, tr),
        missing=[entry(i) for i in result["missing"]],
        gone=[entry(i) for i in result["gone"]],
        changed=[dict(entry(i), field_names={f: field_shown(sheet.get(i["type"], ""), f, tr)
                                             for f in i["fields"]},
                      values_shown=values(i["fields"]))
                 for i in result["changed"]],
        edits=[_edit_worded(e, h, g, changed, tr, codes) for e in result["edits"]])


def edit_line(number: int, edit: dict[str, Any]) -> str:
    """One proposed edit of :func:`ptv_worded`'s answer, numbered as ``--pick`` takes it."""
    return f"{number:>3}. {edit['label']}"


def summary(result: dict[str, Any], tr: Translator) -> str:
    """How many entries are missing, gone and changed and how many edits are proposed, each
    count with its words in the singular or the plural it takes (Swedish "1 ändrad",
    "2 ändrade").

    >>> r = {"missing": [1], "gone": [], "changed": [1], "edits": [1, 2]}
    >>> summary(r, translator("sv"))
    'PTV: 1 saknas i ekosystemet, 0 borta ur servicedatalagret, 1 ändrad; 2 föreslagna ändringar'
    """
    n = {k: len(result[k]) for k in ("missing", "gone", "changed", "edits")}
    return tr("PTV: {missing}, {gone}, {changed}; {edits}").format(
        missing=tr.ngettext("{n} missing from the graph", "{n} missing from the graph",
                            n["missing"]).format(n=n["missing"]),
        gone=tr.ngettext("{n} gone from the catalogue", "{n} gone from the catalogue",
                         n["gone"]).format(n=n["gone"]),
        changed=tr.ngettext("{n} changed", "{n} changed", n["changed"]).format(n=n["changed"]),
        edits=tr.ngettext("{n} proposed edit", "{n} proposed edits",
                          n["edits"]).format(n=n["edits"]))


def compare_text(result: dict[str, Any], tr: Translator | None = None) -> str:
    """The comparison (:func:`ptv_worded`'s answer) for a terminal: ``+`` missing from the
    model, ``-`` gone from the catalogue, ``~`` changed (model → catalogue), then the
    proposed edits in words, numbered as ``--pick`` takes them."""
    tr = tr or translator()
    lines = [result["summary"]]
    for sign, key in (("+", "missing"), ("-", "gone")):
        for item in result[key]:
            lines.append(f"{sign} {item['type_name']} {named(item['label'], item['id'])} "
                         f"PTV {item['ptv_id']}")
    for item in result["changed"]:
        lines.append(f"~ {item['type_name']} {named(item['label'], item['id'])} "
                     f"PTV {item['ptv_id']}")
        for field, (old, new) in item["values_shown"].items():
            lines.append(f"    {item['field_names'][field]}: {old} → {new}")
    if result["edits"]:
        lines.append(tr("proposed edits (polku ptv compare … --apply [--pick 1,3]):"))
        lines += [edit_line(i, e) for i, e in enumerate(result["edits"], 1)]
    return "\n".join(lines)


def compare_html(result: dict[str, Any], model_name: str, tr: Translator | None = None) -> str:
    """The comparison (:func:`ptv_worded`'s answer) as one self-contained page (no
    scripts, nothing fetched)."""
    tr = tr or translator()
    e = escape

    def table(caption: str, head: list[str], rows: list[list[str]]) -> str:
        if not rows:
            return f"<h2>{e(caption)}</h2><p>{e(tr('None.'))}</p>"
        cells = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
        return (f"<h2>{e(caption)}</h2><table><thead><tr>"
                + "".join(f'<th scope="col">{e(h)}</th>' for h in head)
                + f"</tr></thead><tbody>{cells}</tbody></table>")

    kind, ident, name = tr("kind"), tr("id"), tr("name")
    parts = [
        table(tr("In the catalogue, missing from the graph"), [kind, name, ident, "PTV"],
              [[i["type_name"], i["label"], i["id"], i["ptv_id"]] for i in result["missing"]]),
        table(tr("In the graph, gone from the catalogue"), [kind, name, ident, "PTV"],
              [[i["type_name"], i["label"], i["id"], i["ptv_id"]] for i in result["gone"]]),
        table(tr("Changed in the catalogue"), [name, tr("field"), tr("graph"), tr("catalogue")],
              [[named(i["label"], i["id"]), i["field_names"][f], a, b]
               for i in result["changed"] for f, (a, b) in i["values_shown"].items()]),
        table(tr("Proposed edits"), ["#", tr("edit")],
              [[str(n), x["label"]] for n, x in enumerate(result["edits"], 1)]),
    ]
    title = tr("{graph} and the national service catalogue (PTV)").format(graph=model_name)
    style = ("body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1a1a1a}"
             "table{border-collapse:collapse;margin-bottom:1.5rem}"
             "th,td{border:1px solid #868e96;padding:.3rem .6rem;text-align:left;"
             "vertical-align:top}th{background:#e9ecef}")
    return (f'<!DOCTYPE html>\n<html lang="{tr.html_lang}"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{style}</style></head><body><main>"
            f"<h1>{e(title)}</h1><p>" + e(compare_text(result, tr).splitlines()[0])
            + "</p>" + "".join(parts) + "</main></body></html>\n")
