"""The RACI matrix (:mod:`polku.raci`) as a terminal table, CSV, JSON, an .xlsx a leader can
forward, and a self-contained HTML page (sortable, filterable, usable from the keyboard).

Printers only: every decision about rows, cells and marks is made in :func:`polku.raci.raci`.
Files are written atomically (:mod:`polku.atomic`).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from polku import atomic
from polku.i18n import N_, Translator, translator
from polku.raci import MARK_LABELS, ROLE_CODES, ROLE_LABELS, TYPE_LABELS, Raci

FORMATS = ("table", "csv", "xlsx", "json", "html")
#: formats that are files (the command needs ``-o``)
BINARY_FORMATS = ("xlsx",)

#: cell fill per role in the .xlsx and the page (light, so the text stays readable)
ROLE_FILLS = {"lead": "1F6FEB", "participant": "8CC4FF", "consulted": "D8E8F8",
              "informed": "F1F3F5"}
ROLE_TEXT = {"lead": "FFFFFF", "participant": "0B2540", "consulted": "0B2540",
             "informed": "3D4450"}
MARK_FILLS = {"no-lead": "FFEBE9", "several-leads": "FFF8C5", "deferred": "FFF8C5"}
#: the words of roles, marks and row types in the catalogues (English source texts), for
#: pages in the reader's language; the Finnish printers keep :mod:`polku.raci`'s own words
ROLE_WORDS = {"lead": N_("lead"), "participant": N_("participant"),
              "consulted": N_("consulted"), "informed": N_("informed")}
MARK_WORDS = {"no-lead": N_("no lead"), "several-leads": N_("several leads"),
              "deferred": N_("division of work still to be agreed")}
TYPE_WORDS = {"segment": N_("client segment"), "service": N_("service"),
              "referral": N_("referral"), "measure": N_("plan measure")}


def _row_name(row) -> str:
    """A row's name: its label, and a referral's two ends (a referral's label is its id)."""
    if not row.detail:
        return row.label
    return row.detail if row.label == row.subject else f"{row.label}: {row.detail}"


def raci_table(m: Raci) -> str:
    """The matrix for a terminal: one letter per role (legend first), marked rows flagged.

    >>> from polku.raci import Cell, Raci, Row
    >>> m = Raci("g", "all", ("kela",), {"kela": "Kela"},
    ...          (Row("s", "service", "Palvelu", "", None, ()),), (Cell("kela", "s", "lead"),))
    >>> print(raci_table(m))
    RACI g: 1 subjects, 1 actors (P = päävastuu, M = mukana, K = konsultoitava, T = tiedotettava)
    <BLANKLINE>
    subject  kela  mark
    s        P
    """
    legend = ", ".join(f"{ROLE_CODES[r]} = {ROLE_LABELS[r]}" for r in ROLE_LABELS)
    head = f"RACI {m.graph}: {len(m.rows)} subjects, {len(m.actors)} actors ({legend})"
    width = max([len("subject")] + [len(r.subject) for r in m.rows]) + 2
    cols = [max(len(a), 1) + 2 for a in m.actors]
    lines = [head, "", "subject".ljust(width) + "".join(a.ljust(w) for a, w in zip(m.actors, cols))
             + "mark"]
    for r in m.rows:
        cells = [(ROLE_CODES.get(c.role, "?") if (c := m.cell(a, r.subject)) else "").ljust(w)
                 for a, w in zip(m.actors, cols)]
        mark = f"⚠ {MARK_LABELS[r.mark]}" if r.mark else ""
        lines.append((r.subject.ljust(width) + "".join(cells) + mark).rstrip())
    counts = m.marked()
    if any(counts.values()):
        lines += ["", "; ".join(f"{n} × {MARK_LABELS[k]}" for k, n in counts.items() if n)]
    return "\n".join(lines)


def raci_csv(m: Raci) -> str:
    """One row per subject: id, name, type, mark, then one column per actor (the role in
    words), then the notes (``actor: note``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["subject", "name", "type", "mark", *m.actors, "notes"])
    for r in m.rows:
        cells = [m.cell(a, r.subject) for a in m.actors]
        notes = "; ".join(f"{c.actor}: {c.note}".replace("\n", " ") for c in cells if c and c.note)
        w.writerow([r.subject, _row_name(r), TYPE_LABELS.get(r.type, r.type),
                    MARK_LABELS.get(r.mark, "") if r.mark else "",
                    *[ROLE_LABELS.get(c.role, c.role) if c else "" for c in cells], notes])
    return buf.getvalue()


def raci_json(m: Raci) -> str:
    """The exchange shape (:meth:`polku.raci.Raci.to_json`), one cell per line."""
    doc = m.to_json()
    cells = ",\n  ".join(json.dumps(c, ensure_ascii=False) for c in doc["cells"])
    return ('{"actors": ' + json.dumps(doc["actors"], ensure_ascii=False) + ',\n "subjects": '
            + json.dumps(doc["subjects"], ensure_ascii=False) + ',\n "cells": ['
            + (f"\n  {cells}\n " if cells else "") + "]}")


def raci_xlsx_bytes(m: Raci) -> bytes:
    """An .xlsx: sheet ``RACI`` (frozen headers, roles in words and colour, the plan's role
    text as a cell comment, marked rows shaded) and sheet ``Selitteet`` (what it all means)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = "RACI"
    fixed = ["tunnus", "nimi", "tyyppi", "huomio"]
    ws.append(fixed + [m.actor_labels.get(a, a) for a in m.actors])
    ws.append(["", "", "", ""] + list(m.actors))
    bold = Font(bold=True)
    for row in ws.iter_rows(min_row=1, max_row=2):
        for c in row:
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for r in m.rows:
        ws.append([r.subject, _row_name(r), TYPE_LABELS.get(r.type, r.type),
                   MARK_LABELS[r.mark] if r.mark else ""])
        n = ws.max_row
        if r.mark:
            for col in range(1, 5):
                ws.cell(n, col).fill = PatternFill("solid", fgColor=MARK_FILLS[r.mark])
        for j, a in enumerate(m.actors, start=5):
            c = m.cell(a, r.subject)
            if not c:
                continue
            cell = ws.cell(n, j, ROLE_LABELS.get(c.role, c.role))
            cell.fill = PatternFill("solid", fgColor=ROLE_FILLS.get(c.role, "FFFFFF"))
            cell.font = Font(color=ROLE_TEXT.get(c.role, "000000"), bold=c.role == "lead")
            if c.note:
                cell.comment = Comment(c.note, "polku", width=320, height=120)
    widths = [28, 48, 14, 24] + [16] * len(m.actors)
    for i, wdt in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = wdt
    ws.freeze_panes = "E3"
    ws.auto_filter.ref = f"A2:{get_column_letter(max(4, 4 + len(m.actors)))}{ws.max_row}"
    legend = book.create_sheet("Selitteet")
    legend.append(["merkintä", "tarkoittaa"])
    for role, word in ROLE_LABELS.items():
        legend.append([word, role])
    for mark, word in MARK_LABELS.items():
        legend.append([word, {"no-lead": "nobody in charge (no lead, no owner)",
                              "several-leads": "several actors lead", "deferred":
                              "the division of work is to be agreed later"}[mark]])
    legend.append([])
    legend.append(["Solun kommentti", "suunnitelman tai työkirjan vastuuteksti"])
    legend.append(["Aineisto", m.graph])
    legend.column_dimensions["A"].width = 28
    legend.column_dimensions["B"].width = 60
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def raci_html(m: Raci) -> str:
    """The matrix as one self-contained page (no network: inline style and script)."""
    env = _env()
    env.globals.update(translator("fi").jinja_globals())
    return env.get_template("raci.html").render(**raci_context(m))


def raci_section(m: Raci, tr: Translator) -> Markup:
    """The matrix with its controls as an HTML section in the language of ``tr``, for a
    page that has its own frame (the web UI's RACI page)."""
    env = _env()
    env.globals.update(tr.jinja_globals())
    return Markup(env.get_template("raci-table.html").render(**raci_context(m, tr)))


def raci_context(m: Raci, tr: Translator | None = None) -> dict:
    """What the RACI templates need (the page and the report's section share them); the
    words of roles, marks and types in the language of ``tr``, or :mod:`polku.raci`'s
    Finnish without one."""
    role_labels = ROLE_LABELS if tr is None else {r: tr(w) for r, w in ROLE_WORDS.items()}
    mark_labels = MARK_LABELS if tr is None else {k: tr(w) for k, w in MARK_WORDS.items()}
    type_labels = TYPE_LABELS if tr is None else {t: tr(w) for t, w in TYPE_WORDS.items()}
    rows = []
    for r in m.rows:
        cells = []
        for a in m.actors:
            c = m.cell(a, r.subject)
            cells.append(None if c is None else {
                "role": c.role, "label": role_labels.get(c.role, c.role), "note": c.note or ""})
        rows.append({"subject": r.subject, "name": _row_name(r), "type": r.type,
                     "type_label": type_labels.get(r.type, r.type), "mark": r.mark,
                     "mark_label": mark_labels.get(r.mark, "") if r.mark else "",
                     "kinds": list(r.kinds), "cells": cells})
    return {"m": m, "rows": rows, "actors": [{"id": a, "label": m.actor_labels.get(a, a)}
                                            for a in m.actors],
            "role_labels": role_labels, "mark_labels": mark_labels, "counts": m.marked(),
            "type_labels": {t: type_labels[t] for t in TYPE_LABELS
                            if any(r.type == t for r in m.rows)}}


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("polku", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True,
                       lstrip_blocks=True)


TEXT_PRINTERS: dict[str, Callable[[Raci], str]] = {
    "table": raci_table, "csv": raci_csv, "json": raci_json, "html": raci_html}


def write_raci(m: Raci, out: str | Path, format: str) -> Path:
    """Write the matrix to ``out`` in ``format``, atomically."""
    out = Path(out)
    if format in BINARY_FORMATS:
        atomic.write_bytes(out, raci_xlsx_bytes(m))
    else:
        text = TEXT_PRINTERS[format](m)
        atomic.write_text(out, text if text.endswith("\n") else text + "\n")
    return out
