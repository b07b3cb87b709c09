"""The PTV comparison for people: a terminal text and a self-contained page, in the
reader's language (the figures come from :func:`polku.analyses.ptv_diff.compare`)."""

from __future__ import annotations

from html import escape
from typing import Any

from polku.present.i18n import Translator, translator
from polku.words import N_

TYPE_WORDS = {"service": N_("service"), "actor": N_("organisation")}
FIELD_WORDS = {"name": N_("name"), "name_sv": N_("name (sv)"), "name_en": N_("name (en)"),
               "area": N_("area"), "target_groups": N_("target groups"),
               "producers": N_("producers"), "responsible": N_("responsible"),
               "channels": N_("channels"), "business_id": N_("business id"),
               "region": N_("region")}
ACTION_WORDS = {"create": N_("create"), "update": N_("update"), "delete": N_("delete")}


def _value(v: Any) -> str:
    return "–" if v in (None, "") else str(v)


def edit_line(number: int, edit: dict[str, Any], tr: Translator) -> str:
    """One proposed edit, numbered as ``--pick`` takes it."""
    row = edit.get("row") or {}
    what = ", ".join(f"{k}={v}" for k, v in row.items() if k not in ("id", "description"))
    return (f"{number:>3}. {tr(ACTION_WORDS[edit['action']])} {edit['sheet']} {edit['key']}"
            + (f": {what}" if what and edit["action"] == "update" else ""))


def compare_text(result: dict[str, Any], tr: Translator | None = None) -> str:
    """The comparison for a terminal: ``+`` missing from the model, ``-`` gone from the
    catalogue, ``~`` changed (model → catalogue), then the proposed edits numbered."""
    tr = tr or translator()
    lines = [tr("PTV: {missing} missing from the model, {gone} gone from the catalogue, "
                "{changed} changed; {edits} proposed edits").format(
        missing=len(result["missing"]), gone=len(result["gone"]),
        changed=len(result["changed"]), edits=len(result["edits"]))]
    for sign, key in (("+", "missing"), ("-", "gone")):
        for item in result[key]:
            lines.append(f"{sign} {tr(TYPE_WORDS[item['type']])} {item['id']} "
                         f"({item['name']}) PTV {item['ptv_id']}")
    for item in result["changed"]:
        lines.append(f"~ {tr(TYPE_WORDS[item['type']])} {item['id']} PTV {item['ptv_id']}")
        for field, (old, new) in item["fields"].items():
            lines.append(f"    {tr(FIELD_WORDS.get(field, field))}: {_value(old)} → "
                         f"{_value(new)}")
    if result["edits"]:
        lines.append(tr("proposed edits (polku ptv compare … --apply [--pick 1,3]):"))
        lines += [edit_line(i, e, tr) for i, e in enumerate(result["edits"], 1)]
    return "\n".join(lines)


def compare_html(result: dict[str, Any], model_name: str, tr: Translator | None = None) -> str:
    """The comparison as one self-contained page (no scripts, nothing fetched)."""
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
        table(tr("In the catalogue, missing from the model"), [kind, ident, name, "PTV"],
              [[tr(TYPE_WORDS[i["type"]]), i["id"], i["name"], i["ptv_id"]]
               for i in result["missing"]]),
        table(tr("In the model, gone from the catalogue"), [kind, ident, name, "PTV"],
              [[tr(TYPE_WORDS[i["type"]]), i["id"], i["name"], i["ptv_id"]]
               for i in result["gone"]]),
        table(tr("Changed in the catalogue"), [ident, tr("field"), tr("model"), tr("catalogue")],
              [[i["id"], tr(FIELD_WORDS.get(f, f)), _value(a), _value(b)]
               for i in result["changed"] for f, (a, b) in i["fields"].items()]),
        table(tr("Proposed edits"), ["#", tr("edit")],
              [[str(n), edit_line(n, x, tr).split(". ", 1)[1]]
               for n, x in enumerate(result["edits"], 1)]),
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
