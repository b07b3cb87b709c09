"""What a workbook names that polku does not read: warnings, never errors.

A column polku does not know is kept as an extra property, and a sheet it does not know is
not read (``docs/workbook.md``). Both are right for what a designer added on purpose, and
both lose a figure without a word when the name is a typo: ``capacity_per_mont`` keeps
every capacity as an extra column, so the capacity findings vanish; ``referals.csv`` is
never read. So every name is compared with the known ones, and a workbook gets
:func:`workbook_warnings`: one :class:`polku.errors.Note` (file, sheet, row 1, column, a
catalogued template) for

- an unknown column whose name is close to a known column of its sheet that the header
  lacks (another case, a space or hyphen for ``_``, a typo, ``name_se`` for ``name_sv``),
  or is its name in other words (``kapacitet``, :data:`polku.io.workbook.COLUMN_WORDS`),
  with a "did you mean";
- a CSV file or .xlsx sheet that is no sheet of polku's: not read, with a "did you mean"
  where a known sheet the workbook lacks is close (hidden files and files that are not CSV
  are no sheets and are passed over).

- a follow-up whose key names an id that is no node its kind is about, or a pair of steps
  its path does not take in that order: it reads as resolved, which is right for a
  finding whose node was removed (its history) and hides a typo (:func:`followup_warnings`).
- a designed path named again on a row other than its first step's, differently: the
  name is read from the first step's row alone (:func:`path_name_warnings`).

A name the reader's own errors already point at (a missing required column or sheet, with
its hint) gets no warning beside it. Only names and header rows are read (and the ids,
where the workbook has follow-ups, and the ``paths`` sheet's cells): cheap, and never an
error of its own (what cannot be read is the reader's to say).

>>> [n.message for n in column_warnings("w/services.csv", "services",
...                                     ["id", "name", "capacity_per_mont", "contact_unit"])]
["unknown column 'capacity_per_mont', kept as an extra column: did you mean 'capacity_per_month'?"]
"""

from __future__ import annotations

import csv
from pathlib import Path

from polku.errors import NodeTypes, Note, Said
from polku.io.near_names import folded, meant  # noqa: F401 (meant's home, and its doctests)
from polku.io.near_names import named_otherwise
from polku.io.workbook import (SHEETS, _utf8_lines, column_words, csv_sheet_files,
                               is_workbook)
from polku.privacy import NAME_NOT_SHOWN, PEOPLE_COLUMNS, find_hetu
from polku.words import N_

COLUMN_WARNING = N_("unknown column '{name}', kept as an extra column: did you mean "
                    "'{close}'?")
#: a known column in other words (:data:`polku.io.workbook.COLUMN_WORDS`: kapacitet)
OTHER_WORDS_WARNING = N_("unknown column '{name}', kept as an extra column: column names are "
                         "English; did you mean '{close}'?")
SHEET_WARNING = N_("the sheet '{name}' is not read: it is not one of polku's sheets")
CLOSE_SHEET_WARNING = N_("the sheet '{name}' is not read: it is not one of polku's sheets; "
                         "did you mean '{close}'?")
#: the warnings about a name (a sheet's, a column's) that may be misspelt: what can be the
#: cause of a workbook's errors (a column kept as an extra one, a sheet not read)
NAME_WARNINGS = frozenset({COLUMN_WARNING, OTHER_WORDS_WARNING, SHEET_WARNING,
                           CLOSE_SHEET_WARNING})
FOLLOWUP_NODE_WARNING = N_("the follow-up of '{key}' names '{ref}', which is no {targets} of "
                           "the workbook: it reads as resolved (removed, or a typo?)")
FOLLOWUP_PAIR_WARNING = N_("the follow-up of '{key}': the path '{path}' has no step '{a}' "
                           "followed by '{b}': it reads as resolved (the path redrawn, or "
                           "a typo?)")

PATH_NAME_WARNING = N_("the path '{path}' takes its name from the row of its first step (row "
                       "{row}, '{name}'): '{other}' here is not read")
PATH_UNNAMED_WARNING = N_("the path '{path}' takes its name from the row of its first step "
                          "(row {row}), which gives none: '{other}' here is not read")


def _quoted(name: str) -> str | Said:
    """A name as a warning may quote it (never an identity code: a page anyone reads
    shows it; :data:`polku.privacy.NAME_NOT_SHOWN` instead, in the reader's language)."""
    return Said(NAME_NOT_SHOWN) if find_hetu(name) is not None else name


def column_warnings(file: str, sheet: str, header: list[str]) -> list[Note]:
    """The warnings of one known sheet's header: each unknown column close to a known
    column the header lacks (row 1, the column named). A required column the header lacks
    is the reader's error, with its own hint: no warning points at it too."""
    columns = SHEETS[sheet].columns
    known = [c.name for c in columns]
    required = {c.name for c in columns if c.required}
    present = set(header)
    missing = [name for name in known if name not in present]
    out = []
    for h in header:
        if not h or h in known or find_hetu(h) is not None:
            continue
        otherwise = named_otherwise(h, column_words(sheet), missing)
        if otherwise is not None:
            # a required or people column in other words is the reader's error
            if otherwise not in required and otherwise not in PEOPLE_COLUMNS.get(sheet, ()):
                out.append(Note(OTHER_WORDS_WARNING, params={"name": h, "close": otherwise},
                                file=file, sheet=sheet, row=1, column=h))
            continue
        target = meant(h, known, missing)
        # a column like a count of people is the reader's error (it cannot be kept), not a
        # warning beside it
        if target is not None and target not in required \
                and target not in PEOPLE_COLUMNS.get(sheet, ()):
            out.append(Note(COLUMN_WARNING, params={"name": h, "close": target}, file=file,
                            sheet=sheet, row=1, column=h))
    return out


def sheet_warnings(names: dict[str, str]) -> list[Note]:
    """The warnings of a workbook's sheets: ``names`` is every sheet it has (a CSV file's
    name without ``.csv``, an .xlsx sheet's name) -> its file. Each that is no known sheet
    is not read; a "did you mean" names a known sheet the workbook lacks that is close (not
    a required one: its missing is the reader's error, with the same hint)."""
    known = list(SHEETS)
    missing = [s for s in known if s not in names]
    out = []
    for name, file in sorted(names.items()):
        if name in SHEETS:
            continue
        # a file saved with its ending in capitals (segments.CSV) is compared by its name
        # alone, as one whose name is in another case (Segments.csv) is
        target = meant(name[:-4] if name.lower().endswith(".csv") else name, known, missing)
        if target is not None and SHEETS[target].required:
            continue
        shown = _quoted(name)
        if target is None:
            out.append(Note(SHEET_WARNING, params={"name": shown}, file=file))
        else:
            out.append(Note(CLOSE_SHEET_WARNING, params={"name": shown, "close": target},
                            file=file))
    return out


def workbook_warnings(path: str | Path) -> list[Note]:
    """Every warning of the workbook at ``path`` (a CSV folder or an .xlsx; anything else
    has none): its unknown sheets, then its known sheets' unknown columns that look meant,
    sheet by sheet as :data:`polku.io.workbook.SHEETS` orders them.

    >>> workbook_warnings("graphs/keski-uusimaa")
    []
    """
    path = Path(path)
    if not is_workbook(path) or not path.exists():
        return []
    try:
        names, headers = _csv_names(path) if path.is_dir() else _xlsx_names(path)
    except Exception:  # noqa: BLE001 - a workbook that cannot be read is the reader's to say
        return []
    out = sheet_warnings(names)
    for sheet in SHEETS:
        if sheet in headers:
            out += column_warnings(names[sheet], sheet, headers[sheet])
    if "paths" in headers:
        out += path_name_warnings(path)
    if "followups" in headers:
        out += followup_warnings(path)
    return out


def path_name_warnings(path: str | Path) -> list[Note]:
    """The warnings of the ``paths`` sheet of the workbook at ``path``: a path's names
    (``name``, ``name_sv``, ``name_en``) are read from the row of its first step, the
    lowest step number wherever the rows are sorted
    (:func:`polku.io.workbook.first_step_row`); each other row of the path that gives a
    name other than that row's is not read, and says so, on its row and column, naming
    the first step's row. Only the ``paths`` sheet is read for it, raw."""
    from polku.io.workbook import PATH_NAMES, cell_as_text

    try:
        found = _paths_cells(Path(path))
    except Exception:  # noqa: BLE001 - what cannot be read is the reader's to say
        return []
    if found is None:
        return []
    file, header, body = found
    if not {"path", "step"} <= set(header):
        return []
    at = {c: header.index(c) for c in ("path", "step", *PATH_NAMES) if c in header}

    def cell(cells: list, column: str) -> str:
        i = at.get(column)
        return cell_as_text(cells[i]).strip() if i is not None and i < len(cells) else ""

    rows: dict[str, list[tuple[int, float | None, list]]] = {}
    for row, cells in body:
        pid = cell(cells, "path")
        if not pid:
            continue
        try:
            step: float | None = float(cell(cells, "step").replace(",", "."))
        except ValueError:
            step = None
        rows.setdefault(pid, []).append((row, step, cells))
    out: list[Note] = []
    for pid, prow in rows.items():
        stepped = [r for r in prow if r[1] is not None]
        # the earlier row on a tie, the first row where no step is a number: as the reader
        first_row, _, first = min(stepped, key=lambda r: r[1]) if stepped else prow[0]
        for column in PATH_NAMES:
            if column not in at:
                continue
            name = cell(first, column)
            for row, _, cells in prow:
                other = cell(cells, column)
                if row == first_row or not other or other == name:
                    continue
                where = {"file": file, "sheet": "paths", "row": row, "column": column}
                if name:
                    out.append(Note(PATH_NAME_WARNING, params={
                        "path": _quoted(pid), "row": first_row, "name": _quoted(name),
                        "other": _quoted(other)}, **where))
                else:
                    out.append(Note(PATH_UNNAMED_WARNING, params={
                        "path": _quoted(pid), "row": first_row, "other": _quoted(other)},
                        **where))
    return sorted(out, key=lambda n: (n.row, PATH_NAMES.index(n.column)))


def _paths_cells(path: Path) -> tuple[str, list[str], list[tuple[int, list]]] | None:
    """The ``paths`` sheet of a workbook, raw: its file, its header and its rows, each with
    its number as a spreadsheet shows it (the header row 1); None without such a sheet."""
    if path.is_dir():
        file = csv_sheet_files(path).get("paths")
        if file is None or not file.is_file():
            return None
        records = list(csv.reader(_utf8_lines(file)))
        if not records:
            return None
        return (str(file), [h.strip() for h in records[0]],
                list(enumerate(records[1:], start=2)))
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if "paths" not in book.sheetnames:
            return None
        rows = book["paths"].iter_rows(values_only=True)
        header = ["" if h is None else str(h).strip() for h in next(rows, ())]
        return str(path), header, [(n, list(cells)) for n, cells in enumerate(rows, start=2)]
    finally:
        book.close()


def followup_warnings(path: str | Path) -> list[Note]:
    """The warnings of the ``followups`` sheet of the workbook at ``path``: each follow-up
    whose key (one its kind can have: :func:`polku.followup.check_key`, else the reader's
    error) names an id that is no node of a type its kind is about, or a pair of steps
    its path does not take in that order, reads as resolved for good. Such a row may be
    history (its finding went with a removed node, or the path was redrawn), so it is no
    error; it may be a typo, which a silent "resolved" would hide. Each names the row and
    the id likely meant, or the key of the other pair's order. The ids of every sheet are
    read for it (raw, unparsed), only where the workbook has follow-ups."""
    from polku.followup import key_nodes
    from polku.graph import likely_id
    from polku.io.naming import ID_RE
    from polku.io.workbook import cell_as_text, folded_id, read_tables

    try:
        tables = read_tables(path)
    except Exception:  # noqa: BLE001 - what cannot be read is the reader's to say
        return []
    if "followups" not in tables:
        return []
    types: dict[str, str] = {}
    #: the ids the reader refuses where they are defined ('Velka'), folded: a key naming
    #: one ('over-capacity:velka') is that row's problem, said there, not a warning here
    refused: set[str] = set()
    steps: dict[str, list[tuple[float, str]]] = {}
    for name, (_, header, body) in tables.items():
        node_type = SHEETS[name].node_type
        if node_type and "id" in header:
            at = header.index("id")
            for _, cells in body:
                node = cell_as_text(cells[at]).strip() if at < len(cells) else ""
                if node and ID_RE.match(node):
                    types.setdefault(node, node_type)
                elif node:  # never offered as the id meant
                    refused.add(folded_id(node))
        if name == "paths" and {"path", "step", "node"} <= set(header):
            at_path, at_step, at_node = (header.index(c) for c in ("path", "step", "node"))
            for _, cells in body:
                pid, step, node = (cell_as_text(cells[i]).strip() if i < len(cells) else ""
                                   for i in (at_path, at_step, at_node))
                try:
                    number = float(step.replace(",", "."))
                except ValueError:
                    continue
                if pid:
                    types.setdefault(pid, "path")
                    steps.setdefault(pid, []).append((number, node))
    file, header, body = tables["followups"]
    if "finding" not in header:
        return []
    at = header.index("finding")
    out: list[Note] = []
    for row, cells in body:
        key = cell_as_text(cells[at]).strip() if at < len(cells) else ""
        if not key or find_hetu(key) is not None:
            continue
        nodes = key_nodes(key)
        where = {"file": file, "sheet": "followups", "row": row, "column": "finding"}
        for ref, wanted in nodes:
            if types.get(ref) not in wanted and folded_id(ref) in refused:
                break
            if types.get(ref) not in wanted:
                close = likely_id(ref, {n: {} for n, t in types.items() if t in wanted})
                out.append(Note(FOLLOWUP_NODE_WARNING, params={
                    "key": key, "ref": ref, "targets": NodeTypes(wanted)}, close=close,
                    **where))
                break
        else:
            if key.startswith("path-broken:") and len(nodes) == 3:
                (pid, _), (a, _), (b, _) = nodes
                ordered = [n for _, n in sorted(steps.get(pid, []))]
                pairs = set(zip(ordered, ordered[1:]))
                if (a, b) not in pairs:
                    other = f"path-broken:{pid}:{b}+{a}" if (b, a) in pairs else None
                    out.append(Note(FOLLOWUP_PAIR_WARNING, params={
                        "key": key, "path": pid, "a": a, "b": b}, close=other, **where))
    return out


def _csv_names(folder: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A CSV folder's sheets (file name without ``.csv`` -> file) and the header row of
    each known one that can be read. Hidden files and what is not a CSV file are passed
    over."""
    names: dict[str, str] = {}
    headers: dict[str, list[str]] = {}
    # the reader reads <sheet>.csv as spelt: SERVICES.CSV is a name of its own
    for name, p in sorted(csv_sheet_files(folder).items()):
        if not p.is_file():
            continue
        names[name] = str(p)
        if name in SHEETS:
            try:
                first = next(csv.reader(_utf8_lines(p)), [])
            except Exception:  # noqa: BLE001 - the reader says what is wrong with it
                continue
            headers[name] = [h.strip() for h in first]
    return names, headers


def _xlsx_names(book_path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """An .xlsx's sheets (name -> the file) and the header row of each known one."""
    import openpyxl

    book = openpyxl.load_workbook(book_path, read_only=True, data_only=True)
    try:
        names = {name: str(book_path) for name in book.sheetnames}
        headers = {}
        for name in book.sheetnames:
            if name in SHEETS:
                first = next(book[name].iter_rows(max_row=1, values_only=True), ())
                headers[name] = ["" if h is None else str(h).strip() for h in first]
        return names, headers
    finally:
        book.close()
