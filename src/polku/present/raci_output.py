"""The RACI matrix (:mod:`polku.analyses.raci`) as a terminal table, CSV, JSON, an .xlsx a leader can
forward, and a self-contained HTML page (sortable, filterable, usable from the keyboard).

Printers only: every decision about rows, cells and marks is made in :func:`polku.analyses.raci.raci`.
Every printer speaks the language of its :class:`~polku.present.i18n.Translator` (default Finnish);
ids and the JSON's role values stay English. Files are written atomically
(:mod:`polku.io.atomic`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Callable

import networkx as nx
from markupsafe import Markup, escape

from polku.io import atomic
from polku.io.workbook import neutral
from polku.graph import DEFAULT_TEXT_LANG
from polku.present.langmarks import html as marked_html, unmarked
from polku.present.i18n import (N_, Translator, alphabetical, merged_region_names, role_name,
                                translator)
from polku.present.messages import in_region
from polku.words import ROLE_MEANINGS
from polku.analyses.handoffs import organisation
from polku.analyses.raci import (MARK_LABELS, OWNER_NOTE, ROLE_LABELS, TYPE_LABELS, Raci,
                                 detail)

FORMATS = ("table", "csv", "xlsx", "json", "html")
#: formats that are files (the command needs ``-o``)
BINARY_FORMATS = ("xlsx",)
#: an output file's suffix -> the format it names (``-o raci.xlsx`` needs no ``--format``)
SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".html": "html",
                  ".htm": "html", ".txt": "table"}


def raci_format(format: str | None, output: Path | None) -> str:
    """The format to write: ``--format`` if given, else the one ``-o``'s suffix names, else
    the table. A ``--format`` that another suffix names is refused, located at ``-o``, so
    CSV never lands in a file called ``.xlsx`` (nor the workbook in a ``.csv``).

    >>> raci_format(None, Path("r.xlsx")), raci_format(None, None), raci_format("csv", Path("r"))
    ('xlsx', 'table', 'csv')
    >>> raci_format("csv", Path("r.xlsx"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    polku.errors.PolkuError: r.xlsx: -o's suffix .xlsx says xlsx but --format says csv: ...
    """
    from polku.errors import PolkuError

    named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if format is None:
        return named or "table"
    if named is not None and named != format:
        # every format has a suffix of its own (the table's is .txt)
        wanted = next(sfx for sfx, f in SUFFIX_FORMATS.items() if f == format)
        raise PolkuError(N_("-o's suffix {suffix} says {named} but --format says {format}: "
                            "end the name in {wanted} or leave --format out"),
                         params={"named": named, "suffix": output.suffix, "format": format,
                                 "wanted": wanted}, file=str(output), field="output")
    return format


#: cell fill per role in the .xlsx and the page (light, so the text stays readable)
ROLE_FILLS = {"lead": "1F6FEB", "participant": "8CC4FF", "consulted": "D8E8F8",
              "informed": "F1F3F5"}
ROLE_TEXT = {"lead": "FFFFFF", "participant": "0B2540", "consulted": "0B2540",
             "informed": "3D4450"}
MARK_FILLS = {"no-lead": "FFEBE9", "several-leads": "FFF8C5", "deferred": "FFF8C5"}


role_label = role_name


def role_codes(tr: Translator) -> dict[str, str]:
    """Role → its code in the terminal table: the first letter of its word in ``tr``'s
    language, or its first two where an earlier role has that letter (P, O, K, T in
    Finnish; H, D, Hö, I in Swedish; L, P, C, I in English).

    >>> role_codes(translator("fi")), list(role_codes(translator("sv")).values())
    ({'lead': 'P', 'participant': 'O', 'consulted': 'K', 'informed': 'T'}, ['H', 'D', 'Hö', 'I'])
    """
    codes: dict[str, str] = {}
    for role in ROLE_LABELS:
        word = role_name(role, tr)
        code = word[:1].upper()
        codes[role] = code if code not in codes.values() else word[:2].capitalize()
    return codes


def role_code(role: str, tr: Translator) -> str:
    """One role's code in the terminal table (:func:`role_codes`; ``?`` for an unknown
    role)."""
    return role_codes(tr).get(role, "?")


def mark_label(mark: str | None, tr: Translator) -> str:
    """What a row mark says in ``tr``'s language (empty for no mark)."""
    return tr(MARK_LABELS[mark]) if mark in MARK_LABELS else ""


def type_label(kind: str, tr: Translator) -> str:
    """What rows of a subject type are called in ``tr``'s language."""
    return tr(TYPE_LABELS[kind]) if kind in TYPE_LABELS else kind


def raci_worded(m: Raci, g: nx.MultiDiGraph, tr: Translator) -> Raci:
    """The matrix of :func:`polku.analyses.raci.raci` with its subjects, a referral's ends and
    the actors named in ``tr``'s language, and a referral owner's note translated."""
    owner = tr(OWNER_NOTE)
    # a merged graph's regions each have their "Alueen työnantajat": a name says its region
    regions = merged_region_names(g, tr.lang)

    def named(node: str) -> str:
        return in_region(tr, tr.label(g, node), node, regions)

    rows = tuple(replace(r, label=named(r.subject), detail=detail(g, r.subject, named))
                 for r in m.rows)
    cells = tuple(replace(c, note="\n".join(owner if line == OWNER_NOTE else line
                                            for line in c.note.split("\n")))
                  if c.note else c for c in m.cells)
    return replace(m, rows=rows, cells=cells, title=tr.title(g),
                   actor_labels={a: named(a) for a in m.actors})


#: the organisations a regional matrix is about: their columns come first
PRINCIPAL_KINDS = ("wellbeing-county", "employment-area")


def principal(g: nx.MultiDiGraph, actor: str) -> bool:
    """Whether the actor is (a unit of) a principal organisation (:data:`PRINCIPAL_KINDS`)."""
    return any(g.nodes.get(x, {}).get("kind") in PRINCIPAL_KINDS
               for x in (actor, organisation(g, actor)))


def by_involvement(m: Raci, g: nx.MultiDiGraph, lang: str = "fi") -> Raci:
    """The matrix with its actors ordered for people who read it: the principal
    organisations (:data:`PRINCIPAL_KINDS`: the wellbeing services county and the
    employment area, with their units) first, then by involvement (filled cells, leads
    counted first), then by name in the order of the alphabet of ``lang``, the language
    the labels are in; the rows are unchanged.

    >>> from polku.analyses.raci import Cell, Raci, Row
    >>> from polku.graph import new_graph
    >>> g = new_graph("g")
    >>> g.add_node("a", type="actor", kind="municipality"); g.add_node("h", type="actor", kind="wellbeing-county")
    >>> rows = (Row("s", "service", "S", "", None, ()), Row("t", "service", "T", "", None, ()))
    >>> m = Raci("g", "all", ("a", "h"), {}, rows, (Cell("a", "s", "lead"), Cell("a", "t", "lead"), Cell("h", "s", "informed")))
    >>> by_involvement(m, g).actors
    ('h', 'a')
    """
    cells: dict[str, list[int]] = {a: [0, 0] for a in m.actors}
    for c in m.cells:
        cells[c.actor][0] += 1
        cells[c.actor][1] += c.role == "lead"

    order = sorted(m.actors, key=lambda a: (not principal(g, a), -cells[a][0], -cells[a][1],
                                            alphabetical(unmarked(m.actor_labels.get(a, a)),
                                                         lang), a))
    return replace(m, actors=tuple(order))


def row_name(row) -> str:
    """A row's name: its label, and a referral's two ends (a referral's label is its id)."""
    if not row.detail:
        return row.label
    return row.detail if row.label == row.subject else f"{row.label}: {row.detail}"


#: the widest a column's name or a row's name may be in the terminal table
ACTOR_WIDTH, SUBJECT_WIDTH = 30, 48


#: what a referral's row name puts between its source and its target (:func:`detail`)
ARROW = " → "
#: the fewest characters a cut referral's row keeps of its source's name, or all of a
#: shorter one (its target gets the rest first)
SOURCE_LEAST = 12


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def subject_cell(row, n: int = SUBJECT_WIDTH) -> str:
    """A row's name cut to ``n`` characters for the terminal table. A referral's is cut
    from its source side, keeping ``→ target``: the target gets all that the source leaves
    of the cell, the source keeping :data:`SOURCE_LEAST` characters (all of a shorter
    name), so the cell is used to its width; cut from the end, a referral from a service of
    a long name read as that service's own row.

    >>> from polku.analyses.raci import Row
    >>> def referral(source, target):
    ...     return Row("r", "referral", "r", f"{source} → {target}", None, ())
    >>> subject_cell(referral("Matalan kynnyksen kohtaamispaikka ja vertaistuki",
    ...                       "Kuntouttava työtoiminta"), 40)  # a long source, a short target
    'Matalan kynny… → Kuntouttava työtoiminta'
    >>> subject_cell(referral("Kela", "Ammatillinen kuntoutusselvitys ja työkokeilu yhdessä "
    ...                       "työpaikan kanssa"))  # a short source: the rest is the target's
    'Kela → Ammatillinen kuntoutusselvitys ja työkok…'
    >>> subject_cell(referral("Matalan kynnyksen kohtaamispaikka",
    ...                       "Ammatillinen kuntoutusselvitys ja työkokeilu"), 40)  # both long
    'Matalan kyn… → Ammatillinen kuntoutusse…'
    >>> subject_cell(Row("s", "service", "Matalan kynnyksen kohtaamispaikka", "", None, ()), 20)
    'Matalan kynnyksen k…'
    """
    name = " ".join(row_name(row).split())
    if len(name) <= n or row.type != "referral" or ARROW not in name:
        return _cut(name, n)
    # the last arrow: a source's name may hold one, and it is the target that must show
    source, target = name.rsplit(ARROW, 1)
    target = _cut(target, max(n - len(ARROW) - min(len(source), SOURCE_LEAST), 1))
    return _cut(source, n - len(ARROW) - len(target)) + ARROW + target


def raci_table(m: Raci, tr: Translator | None = None) -> str:
    """The matrix for a terminal, with names (not ids) as column and row heads, cut to fit
    (``--format csv`` or ``json`` carry the ids): a code per role (legend first), marked
    rows flagged.

    >>> from polku.analyses.raci import Cell, Raci, Row
    >>> m = Raci("g", "all", ("kela",), {"kela": "Kela"},
    ...          (Row("s", "service", "Palvelu", "", None, ()),), (Cell("kela", "s", "lead"),),
    ...          title="Alue")
    >>> print(raci_table(m))
    RACI Alue: 1 kohde, 1 toimija (P = päävastuu, O = osallistuja, K = kuultava, T = tiedotettava)
    <BLANKLINE>
    kohde    Kela  merkintä
    Palvelu  P
    >>> print(raci_table(m, translator("en")).splitlines()[0])
    RACI Alue: 1 subject, 1 actor (L = lead, P = participant, C = consulted, I = informed)
    """
    tr = tr or translator()
    codes = role_codes(tr)
    legend = ", ".join(f"{codes[r]} = {role_label(r, tr)}" for r in ROLE_LABELS)
    head = "RACI " + _counts(m, tr) + f" ({legend})"
    subject, mark_head = tr("subject"), tr("mark")
    names = {r.subject: subject_cell(r) for r in m.rows}
    actors = [_cut(m.actor_labels.get(a, a), ACTOR_WIDTH) for a in m.actors]
    width = max([len(subject)] + [len(n) for n in names.values()]) + 2
    cols = [max(len(a), 1) + 2 for a in actors]
    lines = [head, "", subject.ljust(width) + "".join(a.ljust(w) for a, w in zip(actors, cols))
             + mark_head]
    for r in m.rows:
        cells = [(codes.get(c.role, "?") if (c := m.cell(a, r.subject)) else "").ljust(w)
                 for a, w in zip(m.actors, cols)]
        mark = f"⚠ {mark_label(r.mark, tr)}" if r.mark else ""
        lines.append((names[r.subject].ljust(width) + "".join(cells) + mark).rstrip())
    counts = m.marked()
    if any(counts.values()):
        lines += ["", "; ".join(f"{n} × {mark_label(k, tr)}" for k, n in counts.items() if n)]
    return "\n".join(lines)


def raci_counts(m: Raci, tr: Translator) -> str:
    """How many subjects and actors a matrix holds, each in its plural form
    ("1 kohde, 3 toimijaa")."""
    return ", ".join((
        tr.ngettext("{n} subject", "{n} subjects", len(m.rows)).format(
            n=tr.number(len(m.rows))),
        tr.ngettext("{n} actor", "{n} actors", len(m.actors)).format(
            n=tr.number(len(m.actors)))))


def _counts(m: Raci, tr: Translator) -> str:
    return f"{m.title or m.graph}: {raci_counts(m, tr)}"


def raci_csv(m: Raci, tr: Translator | None = None) -> str:
    """One row per subject: id, name, type, mark, then one column per actor (the role in
    words), then the notes (``actor: note``), for a spreadsheet: the header row in ``tr``'s
    language with the actors by name (as the .xlsx's first row), the notes naming their
    actors too, a byte order mark first (:data:`polku.present.actions.BOM`: a spreadsheet
    reads the file as UTF-8). The actors' ids are the JSON's (:func:`raci_json`).

    >>> from polku.analyses.raci import Cell, Raci, Row
    >>> m = Raci("g", "all", ("kela",), {"kela": "Kela"},
    ...          (Row("s", "service", "Palvelu", "", None, ()),), (Cell("kela", "s", "lead", "sopii"),))
    >>> print(raci_csv(m, translator("sv")).lstrip("\ufeff"))
    id,namn,typ,markering,Kela,anteckningar
    s,Palvelu,tjänst,,huvudansvar,Kela: sopii
    <BLANKLINE>
    """
    from polku.present.actions import BOM

    tr = tr or translator()
    names = {a: unmarked(m.actor_labels.get(a, a)) for a in m.actors}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([neutral(t) for t in (tr("id"), tr("name"), tr("type of subject"), tr("mark"),
                                     *names.values(), tr("notes"))])
    for r in m.rows:
        cells = [m.cell(a, r.subject) for a in m.actors]
        notes = "; ".join(f"{names[c.actor]}: {c.note}".replace("\n", " ")
                          for c in cells if c and c.note)
        w.writerow([neutral(t) for t in (
            r.subject, row_name(r), type_label(r.type, tr), mark_label(r.mark, tr),
            *[role_label(c.role, tr) if c else "" for c in cells], notes)])
    return BOM + buf.getvalue()


def raci_json(m: Raci, tr: Translator | None = None) -> str:
    """The exchange shape (:meth:`polku.analyses.raci.Raci.to_json`), one cell per line."""
    doc = m.to_json()
    cells = ",\n  ".join(json.dumps(c, ensure_ascii=False) for c in doc["cells"])
    return ('{"actors": ' + json.dumps(doc["actors"], ensure_ascii=False) + ',\n "subjects": '
            + json.dumps(doc["subjects"], ensure_ascii=False) + ',\n "cells": ['
            + (f"\n  {cells}\n " if cells else "") + "]}")


#: What each mark means, on the .xlsx's legend sheet.
MARK_MEANINGS = {"no-lead": N_("nobody in charge (no lead, no owner)"),
                 "several-leads": N_("several actors lead"),
                 "deferred": N_("the division of work is to be agreed later")}


def raci_xlsx_bytes(m: Raci, tr: Translator | None = None) -> bytes:
    """An .xlsx: sheet ``RACI`` (frozen headers, roles in words and colour, the plan's role
    text as a cell comment, marked rows shaded) and a legend sheet (what it all means), in
    ``tr``'s language."""
    tr = tr or translator()
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = "RACI"
    fixed = [tr("id"), tr("name"), tr("type of subject"), tr("mark")]
    ws.append(fixed + [m.actor_labels.get(a, a) for a in m.actors])
    ws.append(["", "", "", ""] + list(m.actors))
    bold = Font(bold=True)
    for row in ws.iter_rows(min_row=1, max_row=2):
        for c in row:
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for r in m.rows:
        ws.append([r.subject, row_name(r), type_label(r.type, tr), mark_label(r.mark, tr)])
        n = ws.max_row
        if r.mark:
            for col in range(1, 5):
                ws.cell(n, col).fill = PatternFill("solid", fgColor=MARK_FILLS[r.mark])
        for j, a in enumerate(m.actors, start=5):
            c = m.cell(a, r.subject)
            if not c:
                continue
            cell = ws.cell(n, j, role_label(c.role, tr))
            cell.fill = PatternFill("solid", fgColor=ROLE_FILLS.get(c.role, "FFFFFF"))
            cell.font = Font(color=ROLE_TEXT.get(c.role, "000000"), bold=c.role == "lead")
            if c.note:
                cell.comment = Comment(c.note, "polku", width=320, height=120)
    widths = [28, 48, 14, 24] + [16] * len(m.actors)
    for i, wdt in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = wdt
    ws.freeze_panes = "E3"
    ws.auto_filter.ref = f"A2:{get_column_letter(max(4, 4 + len(m.actors)))}{ws.max_row}"
    legend = book.create_sheet(tr("Legend"))
    legend.append([tr("mark"), tr("explanation")])
    for role in ROLE_LABELS:
        legend.append([role_label(role, tr), tr(ROLE_MEANINGS[role])])
    for mark in MARK_LABELS:
        legend.append([mark_label(mark, tr), tr(MARK_MEANINGS[mark])])
    legend.append([])
    legend.append([tr("Cell comment"), tr("the responsibility text of the plan or the workbook")])
    legend.append([tr("Data"), m.title or m.graph])
    legend.column_dimensions["A"].width = 28
    legend.column_dimensions["B"].width = 60
    for sheet in book.worksheets:
        # a name or a title typed "=HYPERLINK(…)" is text here, never a formula
        for row in sheet.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def raci_html(m: Raci, tr: Translator | None = None, g: nx.MultiDiGraph | None = None) -> str:
    """The matrix as one self-contained page (no network: inline style and script) in
    ``tr``'s language, ``<html lang>`` included: the served page's section
    (:func:`raci_section`, the same template and context), so with the graph ``g`` its
    columns run as the served page's (the principal organisations first) and it filters
    by organisation too. A name in another language than the page's is marked with its
    own (:meth:`~polku.present.i18n.Translator.marking`, WCAG 3.1.2), the organisations'
    in the filter too."""
    tr = (tr or translator()).marking()
    env = _env()
    env.globals.update(tr.jinja_globals())
    return marked_html(env.get_template("raci.html").render(m=m, table=raci_section(m, tr, g)))


def raci_section(m: Raci, tr: Translator, g: nx.MultiDiGraph | None = None) -> Markup:
    """The matrix with its controls as an HTML section in the language of ``tr``, for a
    page that has its own frame (the web UI's RACI page); with the graph ``g``, the
    columns are ordered by involvement (:func:`by_involvement`) and can be filtered by
    organisation."""
    env = _env()
    env.globals.update(tr.jinja_globals())
    return Markup(env.get_template("raci-table.html").render(**raci_context(m, tr, g)))


def raci_context(m: Raci, tr: Translator | None = None, g: nx.MultiDiGraph | None = None
                 ) -> dict:
    """What the RACI templates need (the page and the report's section share them); with
    the graph ``g``, the actors ordered by involvement and grouped by organisation."""
    tr = tr or translator()
    org_of: dict[str, str] = {}
    orgs: list[dict[str, str]] = []
    if g is not None:
        m = by_involvement(m, g, tr.lang)
        org_of = {a: organisation(g, a) for a in m.actors}
        for a in m.actors:  # in column order: the principal organisations first
            if org_of[a] not in {o["id"] for o in orgs}:
                orgs.append({"id": org_of[a], "label": tr.label(g, org_of[a])})
        # the filter is a picker: by name in the reader's alphabet, not in column order
        orgs.sort(key=lambda o: (tr.order(o["label"]), o["id"]))
    # The cells as HTML, written here rather than by the template: a national matrix has
    # some two million cells, nearly all empty, and a template loop over them took most of
    # the report's time. Filled cells are few; a row is its filled cells among empty ones.
    column = {a: i for i, a in enumerate(m.actors)}
    filled: dict[str, list[tuple[int, str]]] = {}
    owner = tr(OWNER_NOTE)
    for c in m.cells:
        filled.setdefault(c.subject, []).append(
            (column[c.actor], _cell_html(c.role, role_label(c.role, tr),
                                         note_in_language(c.note, owner, tr))))
    empty_row = _EMPTY_CELL * len(m.actors)
    # on paper a matrix of many organisations is cut at the page's edge: each subject's
    # holders of each role, in column order, for the printed list (raci-table.html)
    labels = {a: m.actor_labels.get(a, a) for a in m.actors}
    by_role: dict[str, dict[str, list[tuple[int, str]]]] = {}
    for c in m.cells:
        by_role.setdefault(c.subject, {}).setdefault(c.role, []).append(
            (column[c.actor], labels[c.actor]))
    rows = []
    for r in m.rows:
        cells = empty_row
        if r.subject in filled:
            tds = [_EMPTY_CELL] * len(m.actors)
            for i, td in filled[r.subject]:
                tds[i] = td
            cells = "".join(tds)
        rows.append({"subject": r.subject, "name": row_name(r), "type": r.type,
                     "type_label": type_label(r.type, tr), "mark": r.mark,
                     "mark_label": mark_label(r.mark, tr),
                     "kinds": list(r.kinds), "cells_html": Markup(cells),
                     "holders": {role: [name for _, name in sorted(held)]
                                 for role, held in by_role.get(r.subject, {}).items()}})
    return {"m": m, "rows": rows, "actors": [{"id": a, "label": m.actor_labels.get(a, a),
                                             "org": org_of.get(a, a),
                                             "principal": g is not None and principal(g, a)}
                                            for a in m.actors],
            "organisations": orgs,
            # the actor filter's options, by name in the reader's alphabet (the columns
            # stay by involvement): each option's value is its column
            "actor_choices": sorted(
                ((i, m.actor_labels.get(a, a)) for i, a in enumerate(m.actors)),
                key=lambda c: (tr.order(c[1]), m.actors[c[0]])),
            "role_labels": {r: role_label(r, tr) for r in ROLE_LABELS},
            "mark_labels": {k: mark_label(k, tr) for k in MARK_LABELS}, "counts": m.marked(),
            "type_labels": {t: type_label(t, tr) for t in TYPE_LABELS
                            if any(r.type == t for r in m.rows)}}


_EMPTY_CELL = '<td class="role" data-sort=""></td>'


def note_in_language(note: str | None, owner: str, tr: Translator) -> str | None:
    """A cell's note as a page of ``tr``'s language shows it: each line the plan or the
    workbook gave is in the workbook's language (Finnish), marked as such on a page in
    another (:meth:`~polku.present.i18n.Translator.mark`, WCAG 3.1.2: a Swedish screen
    reader read "Päätös ja maksatus" with its Swedish voice); polku's own words for a
    referral's owner (``owner``, already in the reader's language) stay unmarked.

    >>> from polku.present.langmarks import pieces
    >>> sv = translator("sv").marking()
    >>> pieces(note_in_language("ägare\\nPäätös ja maksatus", "ägare", sv))
    [('ägare\\n', None), ('Päätös ja maksatus', 'fi')]
    >>> fi = translator("fi").marking()
    >>> note_in_language("Päätös", "omistaja", fi), note_in_language(None, "", sv)
    ('Päätös', None)
    """
    if not note:
        return note
    return "\n".join(line if line == owner else tr.mark(line, DEFAULT_TEXT_LANG)
                      for line in note.split("\n"))


def _cell_html(role: str, label: str, note: str | None) -> str:
    """One filled cell of the matrix's table (the role's class and sort key, its label, the
    responsibility text behind a disclosure), every text escaped.

    >>> _cell_html("lead", "vastuussa", "<b>")
    '<td class="role r-lead" data-sort="lead"><details><summary>vastuussa</summary><p>&lt;b&gt;</p></details></td>'
    """
    role, label = escape(role), escape(label)
    head = f'<td class="role r-{role}" data-sort="{role}">'
    if note:
        return f"{head}<details><summary>{label}</summary><p>{escape(note)}</p></details></td>"
    return f"{head}{label}</td>"


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("polku", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True,
                       lstrip_blocks=True)


TEXT_PRINTERS: dict[str, Callable[..., str]] = {
    "table": raci_table, "csv": raci_csv, "json": raci_json, "html": raci_html}


def raci_text(m: Raci, format: str, tr: Translator | None = None,
              g: nx.MultiDiGraph | None = None) -> str:
    """The matrix in a text ``format`` (:data:`TEXT_PRINTERS`); the page (``html``) is given
    the graph ``g``, which orders its columns and groups them by organisation as the served
    page does."""
    if format in PAGE_FORMATS:
        return TEXT_PRINTERS[format](m, tr, g)
    return TEXT_PRINTERS[format](m, tr)


#: the formats that are pages: their names are worded by a marking translator
#: (:meth:`polku.present.i18n.Translator.marking`), so that one in another language than
#: the page's says so (WCAG 3.1.2)
PAGE_FORMATS = frozenset({"html"})


def write_raci(m: Raci, out: str | Path, format: str, tr: Translator | None = None,
               g: nx.MultiDiGraph | None = None) -> Path:
    """Write the matrix to ``out`` in ``format`` (the words in ``tr``'s language; the page
    with the graph ``g``, :func:`raci_text`), atomically."""
    out = Path(out)
    if format in BINARY_FORMATS:
        atomic.write_bytes(out, raci_xlsx_bytes(m, tr))
    else:
        text = raci_text(m, format, tr, g)
        atomic.write_text(out, text if text.endswith("\n") else text + "\n")
    return out
