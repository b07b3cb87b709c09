"""The action list per organisation as a file to take away: .xlsx, .csv or JSON.

``polku actions GRAPH [--actor ID] --format xlsx|csv|json`` (and the API's
``/api/graphs/NAME/actions?format=``) give one row per organisation and finding it
answers for (:func:`polku.analyses.accountable.by_actor`: its units' findings included):
the organisation, the finding's severity, what it is about in words, the plan measures
on it, and its follow-up (status, owner, due date, note), so a leader can take the list into a meeting or a
spreadsheet of their own.

The CSV and the .xlsx are read by people: their headings and words (severity, the kind's
name, status, the measures' and owner's names) are in the reader's language, ids stay ids.
The JSON is read by programs: what code reads is a code in every language (``severity``
``error``, ``kind`` ``long-wait``, ``status`` ``in-progress``, ``measures`` a list of ids,
``owner`` as recorded) and the words people read travel beside them (``severity_name``,
``kind_name``, ``status_name``, ``measure_names``, ``owner_name``); only those,
``actor_name`` and ``message`` change with the language.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from polku.analyses.accountable import by_actor
from polku.finding import Finding
from polku.present.i18n import (N_, Translator, kind_name, severity_name, status_name,
                                translator)

#: the columns of the CSV and the sheet, in order: key → heading (English source; fi/sv in
#: the catalogues); each column shows the row's words (:data:`SHOWN`) where it has them
COLUMNS = {
    "actor": N_("organisation id"), "actor_name": N_("organisation"),
    "severity": N_("severity"), "kind": N_("kind"), "message": N_("finding"),
    "subject": N_("subject"), "measures": N_("plan measures"),
    "status": N_("status"), "owner": N_("owner"), "due": N_("due date"), "note": N_("note"),
    "key": N_("finding key"),
}

#: the column of a row people read for each column that has a code beside its words
SHOWN = {"severity": "severity_name", "kind": "kind_name", "measures": "measure_names",
         "status": "status_name", "owner": "owner_name"}


def shown(row: Mapping[str, Any], key: str) -> str:
    """A row's cell as people read it: its words where the column has them, a list joined.

    >>> shown({"kind": "long-wait", "kind_name": "pitkä odotusaika"}, "kind")
    'pitkä odotusaika'
    >>> shown({"measure_names": ["A", "B"]}, "measures")
    'A; B'
    """
    value = row[SHOWN.get(key, key)]
    return "; ".join(value) if isinstance(value, list) else str(value)


def action_rows(g: nx.MultiDiGraph, findings: Iterable[Finding],
                followups: Mapping[str, Mapping[str, Any]] | None = None,
                actor: str | None = None, tr: Translator | None = None) -> list[dict[str, Any]]:
    """One row per (organisation, finding), organisations by id, findings in their order;
    ``followups`` are the follow-ups as they stand (:func:`polku.followup.effective`). A
    row holds codes and ids (the same in every language) and, beside them, the words
    people read in ``tr``'s language (see the module doc).

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> rows = action_rows(g, [Finding("long-wait", "warning", "r", (), "odottaa", accountable=("kela",))],
    ...                    tr=translator("fi"))
    >>> r = rows[0]
    >>> r["actor_name"], r["severity"], r["severity_name"], r["status"], r["status_name"]
    ('Kela', 'warning', 'varoitus', 'new', 'uusi')
    >>> r["kind"], r["kind_name"], r["measures"], r["key"]
    ('long-wait', 'pitkä odotusaika', [], 'long-wait:r')
    """
    tr = tr or translator()
    followups = followups or {}
    rows = []
    # the findings given are the ones asked for: with ``actor``, all its own (its units'
    # included, polku.analyses.accountable.for_actor), else each organisation's
    groups = {actor: list(findings)} if actor is not None else by_actor(g, findings)
    for who, mine in groups.items():
        for f in mine:
            fu = followups.get(f.key) or {}
            status = str(fu.get("status") or "new")
            owner = str(fu["owner"]) if fu.get("owner") else ""
            rows.append({
                "actor": who, "actor_name": tr.label(g, who),
                "severity": f.severity, "severity_name": severity_name(f.severity, tr),
                "kind": f.kind, "kind_name": kind_name(f.kind, tr),
                "message": f.message, "subject": f.subject,
                "measures": list(f.measures),
                "measure_names": [tr.label(g, m) for m in f.measures],
                "status": status, "status_name": status_name(status, tr),
                "owner": owner, "owner_name": tr.label(g, owner) if owner else "",
                "due": str(fu.get("due") or ""), "note": str(fu.get("note") or ""),
                "key": f.key})
    return rows


def action_list(g: nx.MultiDiGraph, findings: Iterable[Finding], actor: str | None = None,
                tr: Translator | None = None) -> list[dict[str, Any]]:
    """The action list of the findings an audience was answered
    (:func:`polku.ops.operations.answer` with the ``findings`` operation) worded from the
    graph that audience reads, ``g``, with the graph's follow-ups as they stand: what
    ``polku actions`` and the API's ``/actions`` both send, so each door only says who
    reads (a file meant for others, a reader without a token: the public)."""
    from polku.followup import effective, today
    from polku.present.messages import worded

    tr = tr or translator()
    found = worded(findings, g, tr)
    states = effective(g.graph.get("followups") or {}, {f.key for f in found}, today())
    return action_rows(g, found, states, actor, tr)


def headings(tr: Translator) -> list[str]:
    return [tr(h) for h in COLUMNS.values()]


def actions_csv(rows: list[dict[str, Any]], tr: Translator | None = None) -> str:
    """The rows as CSV (UTF-8, comma-separated, headings in ``tr``'s language); a cell that
    starts like a formula (a name or a note typed ``=HYPERLINK(…)``) gets a leading ``'``,
    so that the spreadsheet it is opened in shows it rather than runs it."""
    from polku.io.workbook import neutral

    tr = tr or translator()
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headings(tr))
    for r in rows:
        w.writerow([neutral(shown(r, k)) for k in COLUMNS])
    return buf.getvalue()


def actions_xlsx(rows: list[dict[str, Any]], tr: Translator | None = None,
                 title: str = "") -> bytes:
    """The rows as an .xlsx workbook: one sheet, headings bold and frozen, columns sized."""
    import openpyxl
    from openpyxl.styles import Font

    tr = tr or translator()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = tr("Actions")[:31]
    ws.append(headings(tr))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([shown(r, k) for k in COLUMNS])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
    ws.freeze_panes = "A2"
    for i, key in enumerate(COLUMNS, start=1):
        width = max([len(headings(tr)[i - 1])] + [len(shown(r, key)) for r in rows[:500]])
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(60, width + 2)
    if title:
        book.properties.title = title
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def actions_json(graph: str, rows: list[dict[str, Any]]) -> str:
    """The rows for programs: codes and ids as they are, the words beside them."""
    return json.dumps({"graph": graph, "actions": rows}, ensure_ascii=False, indent=2)


def actions_table(title: str, rows: list[dict[str, Any]], tr: Translator | None = None) -> str:
    """The rows for a terminal: one block per organisation (its name and how many
    actions), each finding on a line (severity, kind, the finding), its plan measures and
    follow-up on the next with its key, to copy into ``polku suggest --finding KEY``.

    >>> rows = [{"actor": "kela", "actor_name": "Kela", "severity_name": "varoitus",
    ...          "kind_name": "pitkä odotusaika", "message": "Odotus 35 pv",
    ...          "measure_names": [], "status_name": "uusi", "owner_name": "", "due": "",
    ...          "note": "", "key": "long-wait:r"}]
    >>> print(actions_table("Alue", rows, translator("fi")))
    Alue: toimenpiteet organisaatioittain
    <BLANKLINE>
    Kela (1)
      varoitus  pitkä odotusaika  Odotus 35 pv
                tila: uusi · tunnus: long-wait:r
    """
    tr = tr or translator()
    lines = [tr("{graph}: actions by organisation").format(graph=title)]
    if not rows:
        lines += ["", tr("(no actions)")]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["actor"], []).append(r)
    for mine in groups.values():
        lines += ["", f"{mine[0]['actor_name']} ({len(mine)})"]
        for r in mine:
            lines.append(f"  {r['severity_name']}  {r['kind_name']}  {r['message']}")
            more = [tr("status: {status}").format(status=r["status_name"])]
            if r["owner_name"]:
                more.append(tr("owner: {owner}").format(owner=r["owner_name"]))
            if r["due"]:
                more.append(tr("due: {due}").format(due=tr.day(r["due"])))
            if r["measure_names"]:
                more.append(tr("plan measures: {measures}").format(
                    measures="; ".join(r["measure_names"])))
            if r["note"]:
                more.append(tr("note: {note}").format(note=r["note"]))
            more.append(tr("key: {key}").format(key=r["key"]))
            lines.append(" " * (4 + len(r["severity_name"])) + " · ".join(more))
    return "\n".join(lines)


@dataclass(frozen=True)
class ActionFormat:
    """One way to take the action list away: its media type, whether it is bytes (a file
    only), how it is written from (graph name, title, rows, translator) and the suffix of
    its file."""
    media_type: str
    binary: bool
    write: Callable[[str, str, list[dict[str, Any]], Translator], "str | bytes"]
    suffix: str = ""


#: the action list's formats, by name (the CLI's ``--format`` and the API's ``?format=``)
ACTION_FORMATS: Mapping[str, ActionFormat] = {
    "xlsx": ActionFormat("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         True, lambda name, title, rows, tr: actions_xlsx(rows, tr, title),
                         "xlsx"),
    "csv": ActionFormat("text/csv; charset=utf-8", False,
                        lambda name, title, rows, tr: actions_csv(rows, tr), "csv"),
    "json": ActionFormat("application/json", False,
                         lambda name, title, rows, tr: actions_json(name, rows) + "\n", "json"),
    "table": ActionFormat("text/plain; charset=utf-8", False,
                          lambda name, title, rows, tr: actions_table(title, rows, tr) + "\n",
                          "txt"),
}


def action_format_of(suffix: str) -> str | None:
    """The action list's format a file's suffix names (``.txt`` is the table), or None.

    >>> action_format_of(".XLSX"), action_format_of(".txt"), action_format_of(".pdf")
    ('xlsx', 'table', None)
    """
    wanted = suffix.lower().lstrip(".")
    return next((name for name, f in ACTION_FORMATS.items() if f.suffix == wanted), None)
