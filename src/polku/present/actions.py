"""The action list per organisation as a file to take away: .xlsx, .csv or JSON.

``polku actions GRAPH [--actor ID] --format xlsx|csv|json`` (and the API's
``/api/graphs/NAME/actions?format=``) give one row per organisation and finding it
answers for (:func:`polku.analyses.accountable.by_actor`: its units' findings included),
then one per finding nobody answers for, under :data:`NOBODY` with an empty ``actor``
(:func:`groups_of`): the organisation, the finding's severity, what it is about in words,
the plan measures on it, and its follow-up (status, owner, due date, note), so a leader
can take the list into a meeting or a spreadsheet of their own. With ``--actor`` the
rows are the findings that actor answers for, under its organisation.

The CSV and the .xlsx are read by people: their headings and words (severity, the kind's
name, the finding as the report says it, the subject by its name, status, the measures' and
owner's names, the due date as the reader writes dates, how late an overdue follow-up is) are
in the reader's language; the ids a program matches on (organisation, subject, finding key)
stand in their own columns at the end. The CSV starts with a byte order mark, so that a
spreadsheet reads it as UTF-8 (Excel showed "Ã¤" for "ä" without one); the .xlsx has its due
dates as date cells, its long texts wrapped, the header row frozen and a filter.
The JSON is read by programs: what code reads is a code in every language (``severity``
``error``, ``kind`` ``long-wait``, ``status`` ``in-progress``, ``measures`` a list of ids,
``owner`` as recorded) and the words people read travel beside them (``severity_name``,
``kind_name``, ``status_name``, ``measure_names``, ``owner_name``, ``subject_name``,
``overdue_name``; ``due`` is ``YYYY-MM-DD`` and ``overdue`` true or false); only those,
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

#: the columns of the CSV and the sheet, in order: the row's field each shows → its heading
#: (English source; fi/sv in the catalogues). People read the first ones (words, names);
#: the ids a program matches on come last.
COLUMNS = {
    "actor_name": N_("organisation"), "severity_name": N_("severity"), "kind_name": N_("kind"),
    "message": N_("finding"), "subject_name": N_("subject"),
    "measure_names": N_("plan measures"), "status_name": N_("status"),
    "owner_name": N_("owner"), "due": N_("due date"), "overdue_name": N_("overdue"),
    "note": N_("note"),
    "actor": N_("organisation id"), "subject": N_("subject id"), "key": N_("finding key"),
}

#: the columns whose texts run long: wrapped in the sheet, at these widths (characters)
WRAPPED = {"message": 60, "subject_name": 36, "measure_names": 36, "note": 40,
           "actor_name": 28, "owner_name": 28}

#: the group of the findings nobody is accountable for (its ``actor`` is empty): the
#: report's heading for them, so that the report and its list say the same
NOBODY = N_("Nobody is accountable")

#: a spreadsheet reads a CSV as UTF-8 only when it starts with this mark (Excel reads one
#: without it in the machine's 8-bit code page: "ä" became "Ã¤")
BOM = "\ufeff"


def shown(row: Mapping[str, Any], field: str, tr: Translator) -> str:
    """A row's cell as people read it in a CSV: a list joined, a date as ``tr`` writes it.

    >>> shown({"measure_names": ["A", "B"]}, "measure_names", translator("fi"))
    'A; B'
    >>> shown({"due": "2026-01-15"}, "due", translator("sv")), shown({"due": ""}, "due", translator("fi"))
    ('15.1.2026', '')
    """
    value = row[field]
    if field == "due":
        return tr.day(value) if value else ""
    return "; ".join(value) if isinstance(value, list) else str(value)


def days_late(due: str, today: str) -> int:
    """How many days past ``due`` ``today`` is (both ``YYYY-MM-DD``; 0 for a date not
    read).

    >>> days_late("2026-01-15", "2026-02-01"), days_late("soon", "2026-02-01")
    (17, 0)
    """
    from datetime import date

    try:
        return (date.fromisoformat(today) - date.fromisoformat(due)).days
    except ValueError:
        return 0


def groups_of(g: nx.MultiDiGraph, findings: Iterable[Finding], actor: str | None = None
              ) -> dict[str, list[Finding]]:
    """The action list's groups: organisation → its findings, organisations by id, then
    ``""`` → the findings nobody is accountable for (:data:`NOBODY`: a list handed round
    must not lose the very findings that need an owner). With ``actor`` the findings given
    are the ones asked for (:func:`polku.analyses.accountable.for_actor`: those ``actor``
    or one of its units answers for), all under ``actor``'s organisation (the top of its
    chain, as the whole list groups them: a unit's rows are its organisation's rows), and
    none is nobody's.

    >>> from polku.graph import add_edge, new_graph
    >>> g = new_graph("g")
    >>> for a in ("keusote", "unit"): g.add_node(a, type="actor", kind="wellbeing-county")
    >>> add_edge(g, "unit", "keusote", "part_of")
    >>> fs = [Finding("dead-end", "error", "s", accountable=("unit",)),
    ...       Finding("segment-without-lead", "warning", "seg")]
    >>> {who: [f.subject for f in mine] for who, mine in groups_of(g, fs).items()}
    {'keusote': ['s'], '': ['seg']}
    >>> list(groups_of(g, fs[:1], "unit"))
    ['keusote']
    """
    from polku.analyses.handoffs import organisation

    if actor is not None:
        return {organisation(g, actor): [f for f in findings if f.accountable]}
    findings = list(findings)
    groups = dict(by_actor(g, findings))
    nobody = [f for f in findings if not f.accountable]
    if nobody:
        groups[""] = nobody
    return groups


def action_rows(g: nx.MultiDiGraph, findings: Iterable[Finding],
                followups: Mapping[str, Mapping[str, Any]] | None = None,
                actor: str | None = None, tr: Translator | None = None,
                today: str | None = None) -> list[dict[str, Any]]:
    """One row per (organisation, finding), organisations by id, findings in their order;
    ``followups`` are the follow-ups as they stand (:func:`polku.followup.effective`, which
    says which are overdue; ``today``, default the clock's, counts the days late). A
    row holds codes and ids (the same in every language) and, beside them, the words
    people read in ``tr``'s language (see the module doc); a referral, which has no name,
    is named by its two ends (:func:`polku.present.messages.subject_name`).

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> rows = action_rows(g, [Finding("long-wait", "warning", "r", (), "odottaa", accountable=("kela",))],
    ...                    tr=translator("fi"))
    >>> r = rows[0]
    >>> r["actor_name"], r["severity"], r["severity_name"], r["status"], r["status_name"]
    ('Kela', 'warning', 'varoitus', 'new', 'uusi')
    >>> r["kind"], r["kind_name"], r["measures"], r["key"], r["subject_name"]
    ('long-wait', 'pitkä odotusaika', [], 'long-wait:r', 'r')
    >>> late = {"long-wait:r": {"status": "in-progress", "due": "2026-01-15", "overdue": True}}
    >>> r = action_rows(g, [Finding("long-wait", "warning", "r", (), "odottaa", accountable=("kela",))],
    ...                 late, tr=translator("fi"), today="2026-02-01")[0]
    >>> r["due"], r["overdue"], r["overdue_name"]
    ('2026-01-15', True, '17 päivää myöhässä')
    """
    from polku.followup import today as today_in_finland
    from polku.present.i18n import merged_region_names
    from polku.present.messages import subject_name

    tr = tr or translator()
    followups = followups or {}
    today = today or today_in_finland()
    regions = merged_region_names(g, tr.lang)
    rows = []
    for who, mine in groups_of(g, findings, actor).items():
        who_name = tr.label(g, who) if who else tr(NOBODY)
        for f in mine:
            fu = followups.get(f.key) or {}
            status = str(fu.get("status") or "new")
            owner = str(fu["owner"]) if fu.get("owner") else ""
            due = str(fu.get("due") or "")
            late = days_late(due, today) if fu.get("overdue") else 0
            rows.append({
                "actor": who, "actor_name": who_name,
                "severity": f.severity, "severity_name": severity_name(f.severity, tr),
                "kind": f.kind, "kind_name": kind_name(f.kind, tr),
                "message": f.message, "subject": f.subject,
                "subject_name": subject_name(g, f.subject, tr, regions),
                "measures": list(f.measures),
                "measure_names": [tr.label(g, m) for m in f.measures],
                "status": status, "status_name": status_name(status, tr),
                "owner": owner, "owner_name": tr.label(g, owner) if owner else "",
                "due": due, "overdue": bool(fu.get("overdue")),
                "overdue_name": tr.ngettext("{n} day overdue", "{n} days overdue", late).format(
                    n=tr.number(late)) if fu.get("overdue") else "",
                "note": str(fu.get("note") or ""),
                "key": f.key})
    return rows


def action_list(g: nx.MultiDiGraph, findings: Iterable[Finding], actor: str | None = None,
                tr: Translator | None = None, plain: bool = False) -> list[dict[str, Any]]:
    """The action list of the findings an audience was answered
    (:func:`polku.ops.operations.answer` with the ``findings`` operation) worded from the
    graph that audience reads, ``g``, with the graph's follow-ups as they stand: what
    ``polku actions`` and the API's ``/actions`` both send, so each door only says who
    reads (a file meant for others, a reader without a token: the public). ``plain``
    words the findings as the report does, by names only
    (:meth:`~polku.present.i18n.Translator.plainly`: the CSV and the sheet, read by
    people); otherwise the command line's sentences keep the ids in brackets."""
    from polku.followup import effective, today
    from polku.present.messages import worded

    tr = tr or translator()
    found = worded(findings, g, tr.plainly() if plain else tr)
    states = effective(g.graph.get("followups") or {}, {f.key for f in found}, today())
    return action_rows(g, found, states, actor, tr)


def headings(tr: Translator) -> list[str]:
    return [tr(h) for h in COLUMNS.values()]


def actions_csv(rows: list[dict[str, Any]], tr: Translator | None = None) -> str:
    """The rows as CSV text (comma-separated, headings and dates in ``tr``'s language;
    :func:`actions_csv_file` is the file, with its byte order mark); a cell that
    starts like a formula (a name or a note typed ``=HYPERLINK(…)``) gets a leading ``'``,
    so that the spreadsheet it is opened in shows it rather than runs it."""
    from polku.io.workbook import neutral

    tr = tr or translator()
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headings(tr))
    for r in rows:
        w.writerow([neutral(shown(r, k, tr)) for k in COLUMNS])
    return buf.getvalue()


def actions_csv_file(rows: list[dict[str, Any]], tr: Translator | None = None) -> str:
    """The CSV as a file for a spreadsheet, from every door (the command, the API): the
    text of :func:`actions_csv` after a byte order mark (:data:`BOM`).

    >>> actions_csv_file([], translator("en")).startswith(BOM + "organisation,severity,")
    True
    """
    return BOM + actions_csv(rows, tr)


#: how a due date cell is written in the sheet, per language (Excel's format codes)
DATE_FORMATS = {"fi": "d.m.yyyy", "sv": "d.m.yyyy", "en": "d mmm yyyy"}


def actions_xlsx(rows: list[dict[str, Any]], tr: Translator | None = None,
                 title: str = "") -> bytes:
    """The rows as an .xlsx workbook: one sheet, headings bold and frozen, a filter on every
    column, the long texts wrapped at sensible widths (a finding ran 60 characters wide
    under the next column), due dates as date cells the reader's way (``15.1.2026``) and an
    overdue follow-up's date and lateness in red."""
    from datetime import date

    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    tr = tr or translator()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = tr("Actions")[:31]
    ws.append(headings(tr))
    top = Alignment(vertical="top")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    fields = list(COLUMNS)
    due_col = fields.index("due") + 1
    late_cols = (due_col, fields.index("overdue_name") + 1)
    late_fill, late_font = PatternFill("solid", fgColor="FFEBE9"), Font(color="A40E26", bold=True)
    wrapped = Alignment(vertical="top", wrap_text=True)
    for r in rows:
        ws.append([shown(r, k, tr) if k != "due" else
                   (date.fromisoformat(r["due"]) if _iso(r["due"]) else r["due"] or None)
                   for k in fields])
        n = ws.max_row
        for j, k in enumerate(fields, start=1):
            cell = ws.cell(n, j)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
            cell.alignment = wrapped if k in WRAPPED else top
        if isinstance(ws.cell(n, due_col).value, date):
            ws.cell(n, due_col).number_format = DATE_FORMATS.get(tr.lang, "yyyy-mm-dd")
        if r.get("overdue"):
            for j in late_cols:
                ws.cell(n, j).fill, ws.cell(n, j).font = late_fill, late_font
    ws.freeze_panes = "A2"
    last = get_column_letter(len(fields))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 2)}"
    heads = headings(tr)
    for i, key in enumerate(fields, start=1):
        if key in WRAPPED:
            width = WRAPPED[key]
        else:  # short words and ids: as wide as the longest (a filter's arrow beside the head)
            width = min(40, max([len(heads[i - 1]) + 3]
                                + [len(shown(r, key, tr)) for r in rows[:500]]) + 2)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.print_title_rows = "1:1"
    if title:
        book.properties.title = title
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _iso(text: str) -> bool:
    """Whether ``text`` is an ISO date (``YYYY-MM-DD``)."""
    from polku.followup import DATE_RE

    return bool(text and DATE_RE.match(text))


def actions_json(graph: str, rows: list[dict[str, Any]]) -> str:
    """The rows for programs: codes and ids as they are, the words beside them."""
    return json.dumps({"graph": graph, "actions": rows}, ensure_ascii=False, indent=2)


def actions_table(title: str, rows: list[dict[str, Any]], tr: Translator | None = None,
                  whose: str = "") -> str:
    """The rows for a terminal: one block per organisation (its name and how many
    actions; the findings nobody is accountable for last, under :data:`NOBODY`), each
    finding on a line (severity, kind, the finding), its plan measures and follow-up on
    the next with its key, to copy into ``polku suggest --finding KEY``. ``whose`` names
    the actor the list was asked for (``--actor``), said under the title: its rows stand
    under its organisation, which answers for more.

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
    if whose:
        lines.append(tr("Only the findings {actor} or one of its units answers for").format(
            actor=whose))
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
                more.append(tr("due: {due}").format(due=tr.day(r["due"]))
                            + (" " + tr("(overdue)") if r.get("overdue") else ""))
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
    only), how it is written from (graph name, title, rows, translator, and the name of
    the actor it was asked for or ""), the suffix of its file, and whether people read it
    (``plain``: the findings worded by names only, :func:`action_list`)."""
    media_type: str
    binary: bool
    write: Callable[[str, str, list[dict[str, Any]], Translator, str], "str | bytes"]
    suffix: str = ""
    plain: bool = False


#: the action list's formats, by name (the CLI's ``--format`` and the API's ``?format=``)
ACTION_FORMATS: Mapping[str, ActionFormat] = {
    "xlsx": ActionFormat("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         True, lambda name, title, rows, tr, whose:
                         actions_xlsx(rows, tr, title), "xlsx", plain=True),
    "csv": ActionFormat("text/csv; charset=utf-8", False,
                        lambda name, title, rows, tr, whose: actions_csv_file(rows, tr), "csv",
                        plain=True),
    "json": ActionFormat("application/json", False,
                         lambda name, title, rows, tr, whose: actions_json(name, rows) + "\n",
                         "json"),
    "table": ActionFormat("text/plain; charset=utf-8", False,
                          lambda name, title, rows, tr, whose:
                          actions_table(title, rows, tr, whose) + "\n", "txt"),
}


def action_format_of(suffix: str) -> str | None:
    """The action list's format a file's suffix names (``.txt`` is the table), or None.

    >>> action_format_of(".XLSX"), action_format_of(".txt"), action_format_of(".pdf")
    ('xlsx', 'table', None)
    """
    wanted = suffix.lower().lstrip(".")
    return next((name for name, f in ACTION_FORMATS.items() if f.suffix == wanted), None)
