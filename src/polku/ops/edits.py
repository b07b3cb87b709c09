"""Row edits: a designer's change to one workbook row, checked with exactly the workbook
import's rules and written to wherever the graph lives.

The designers' unit of work is a row of a workbook sheet (``docs/workbook.md``). An edit
creates, changes or deletes one row; the whole workbook, with the edit applied in memory,
then goes through :func:`polku.io.workbook.read_workbook` and the SHACL shapes — the same
checks ``polku import`` runs — and only a workbook that passes is written. A graph kept as
Turtle, JSON-LD or in Neo4j is edited through its sheets (:func:`polku.io.workbook.sheet_rows`
gives them back losslessly) and written whole; a CSV folder gets only the changed sheet
rewritten, an ``.xlsx`` keeps its other sheets and formatting.

Rows are named by a key: the ``id`` column, ``actor~subject`` for responsibilities
(``actor~subject~role`` when the actor holds several roles on the subject) and
``path~step`` for designed paths, the finding key for follow-ups.

A follow-up written through :func:`stamped` gets ``updated`` (the time, UTC) and ``by``
(who wrote it) filled in, so the sheet says who last touched it.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol

import networkx as nx

from polku.io import atomic, csvpatch, workbook
from polku.io.encodings import HEAD, utf16_codec
from polku.io.rowdiff import header_change, row_changes
from polku.errors import PolkuError, PolkuErrors
# the sheets and one row edit on them live in io (an analysis tries edits on copies too);
# named here as well, where the write contract has always had them
from polku.io.sheets import (  # noqa: F401
    KEY_COLUMNS, KEY_SEPARATOR, SHEET_ATTRS, Change, EditConflict, RowNotFound, Sheets, apply,
    as_tables, cell_text, find_row, key_columns, known_sheet, row_key, row_values,
    sheets_of_graph, sheets_of_tables, unknown_columns, writable_columns)

if TYPE_CHECKING:
    from polku.io.validate import Conforming


class StaleVersion(EditConflict):
    """The graph changed since the writer read it (found where the write happens)."""


#: a check of the graph as it is where it lives, run in the same transaction as the write
#: (Neo4j); it raises :class:`StaleVersion` when someone else changed it first
Expect = Callable[[nx.MultiDiGraph], None]


def unchanged_since(seen: nx.MultiDiGraph) -> Expect:
    """An :data:`Expect` that passes only while the graph where it lives is still ``seen``
    (compared as canonical Turtle), for writers without an ETag of their own: ``polku
    undo`` and the batch writes of the CLI, which a server over the same Neo4j region may
    have overtaken between the read and the write.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(name="r"); g.add_node("a", type="outcome", name="A")
    >>> unchanged_since(g)(g.copy())
    >>> h = g.copy(); h.add_node("b", type="outcome", name="B")
    >>> unchanged_since(g)(h)
    Traceback (most recent call last):
    polku.ops.edits.StaleVersion: the graph changed since it was read (someone else wrote first): run the command again
    """
    from polku.io.rdf import graph_turtle

    def expect(now: nx.MultiDiGraph) -> None:
        # computed only when a store checks (Neo4j): files are guarded by the write lock
        if digest(graph_turtle(now).encode()) != digest(graph_turtle(seen).encode()):
            raise StaleVersion("the graph changed since it was read (someone else wrote "
                               "first): run the command again")
    return expect


def check(sheets: Sheets, name: str, where: str, file_of: Callable[[str], str],
          graph_attrs: Mapping[str, Any] | None = None) -> nx.MultiDiGraph:
    """The graph the sheets make, checked exactly as ``polku import`` checks a workbook
    (every cell, every reference, the SHACL shapes); every problem raised at once as
    :class:`PolkuErrors`."""
    return checked(sheets, name, where, file_of, graph_attrs)[0]


def checked(sheets: Sheets, name: str, where: str, file_of: Callable[[str], str],
            graph_attrs: Mapping[str, Any] | None = None,
            since: "Conforming | None" = None) -> tuple[nx.MultiDiGraph, "Conforming | None"]:
    """:func:`check`, and what the next version's check of the shapes may start from;
    ``since`` is that of the version these sheets were edited from (the shapes are then
    checked on the nodes the edit touches: :func:`polku.io.validate.shacl_check`)."""
    from polku.io.validate import shacl_check

    g = workbook.read_workbook(where, name=name, tables=as_tables(sheets, file_of))
    problems, seen = shacl_check(g, where, since)
    if problems:
        raise PolkuErrors(problems)
    for k, v in (graph_attrs or {}).items():
        if k not in SHEET_ATTRS:
            g.graph.setdefault(k, v)
    return g, seen


def stamped(sheet: str, action: str, values: Mapping[str, str] | None, who: str,
            time: str) -> dict[str, str] | None:
    """An edit's values with ``updated`` and ``by`` set on a follow-up that is created or
    changed (other sheets' values as they are).

    >>> stamped("followups", "update", {"status": "resolved"}, "anna", "2026-12-03T10:47:00Z")
    {'status': 'resolved', 'updated': '2026-12-03T10:47:00Z', 'by': 'anna'}
    >>> stamped("actors", "update", {"name": "Kela"}, "anna", "2026-12-03T10:47:00Z")
    {'name': 'Kela'}
    """
    if values is None or sheet != "followups" or action not in ("create", "update", "replace"):
        return None if values is None else dict(values)
    return {**values, "updated": time, "by": who}


#: the columns a write stamps itself on a follow-up (:func:`stamped`)
STAMPS = ("updated", "by")


def unchanged(change: Change) -> bool:
    """True when an update leaves its row as it was (a follow-up's own stamps aside: a save
    that changes nothing else changes nothing): such a save writes nothing, logs nothing
    and makes no new version — before equal to after is no change.

    >>> unchanged(Change("update", "actors", "kela", {"id": "kela", "name": "Kela"},
    ...                  {"id": "kela", "name": "Kela"}))
    True
    >>> unchanged(Change("update", "followups", "k", {"key": "k", "status": "open",
    ...                  "by": "anna"}, {"key": "k", "status": "open", "by": "ville"}))
    True
    >>> unchanged(Change("update", "actors", "kela", {"name": "Kela"}, {"name": "Kela FPA"}))
    False
    """
    if change.action not in ("update", "replace") or change.before is None \
            or change.after is None:
        return False
    ignored = STAMPS if change.sheet == "followups" else ()

    def own(row: Mapping[str, str]) -> dict[str, str]:
        return {k: v for k, v in row.items() if k not in ignored}
    return own(change.before) == own(change.after)


# -- where graphs live ---------------------------------------------------------------------

class RowStore(Protocol):
    """A place a graph lives that takes row edits: it hands out the workbook's sheets,
    names the file a sheet's problems are reported in, and writes an edited workbook."""

    def sheets(self, current: nx.MultiDiGraph) -> Sheets: ...

    def file_of(self, sheet: str) -> str: ...

    def write(self, sheets: Sheets, g: nx.MultiDiGraph, changed: str,
              expect: Expect | None = None) -> None: ...


@dataclass
class CsvFolder:
    """A workbook folder: an edit rewrites only the changed sheet's CSV file (atomically),
    and in it only the cells, rows and columns it changes (:mod:`polku.io.csvpatch`); the
    other files, and every other byte of the changed one, stay as the designer left them."""
    path: Path

    def sheets(self, current: nx.MultiDiGraph) -> Sheets:
        return sheets_of_tables(workbook.read_tables(self.path))

    def file_of(self, sheet: str) -> str:
        return f"{self.path.name}/{sheet}.csv"

    def write(self, sheets: Sheets, g: nx.MultiDiGraph, changed: str,
              expect: Expect | None = None) -> None:
        header, rows = sheets[changed]
        file = self.path / f"{changed}.csv"
        # in the file's own encoding: UTF-8, or the UTF-16 the reader takes too (its
        # byte-order mark kept as the text's first character, so written back as it was)
        encoding = "utf-8"
        try:
            data = file.read_bytes()
            encoding = utf16_codec(data[:HEAD]) or encoding
            text: str | None = data.decode(encoding)
        except (OSError, UnicodeDecodeError):  # a new sheet: written whole
            text = None
        new = csvpatch.patched(text, header, rows) if text is not None else None
        if new is None:
            buf = io.StringIO(newline="")
            w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n",
                               extrasaction="ignore")
            w.writeheader()
            w.writerows(workbook.neutral_rows(rows))
            new = buf.getvalue()
        atomic.write_bytes(file, new.encode(encoding))


@dataclass
class XlsxFile:
    """An ``.xlsx`` workbook: in the changed sheet only the cells a write changes are set
    (numbers stay numbers) and only the rows and columns it adds or deletes; every other
    cell keeps its value, formula and formatting, as do the other sheets; the file is
    replaced atomically."""
    path: Path

    def sheets(self, current: nx.MultiDiGraph) -> Sheets:
        return sheets_of_tables(workbook.read_tables(self.path))

    def file_of(self, sheet: str) -> str:
        return self.path.name

    def write(self, sheets: Sheets, g: nx.MultiDiGraph, changed: str,
              expect: Expect | None = None) -> None:
        import openpyxl

        header, rows = sheets[changed]
        book = openpyxl.load_workbook(self.path)
        spec = workbook.SHEETS[changed]
        if changed not in book.sheetnames or not _set_changed_cells(
                book[changed], self._read(changed), spec, header, rows):
            # a new sheet, or a change that cannot be placed cell by cell: written whole
            ws = book[changed] if changed in book.sheetnames else book.create_sheet(changed)
            if ws.max_row:
                ws.delete_rows(1, ws.max_row)
            ws.append(header)
            for row in rows:  # each row's cells made whole, never looked up (linear)
                ws.append(workbook.xlsx_cells(
                    ws, [_xlsx_value(spec.column(h), row.get(h, "")) for h in header]))
        workbook.save_xlsx(book, self.path)  # atomic; on a full disk no archive left open

    def _read(self, sheet: str) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
        """The sheet's header and rows (their row numbers and cell text) as the workbook
        reader reads them (values, not formulas), or None when it cannot be read."""
        try:
            tables = workbook.read_tables(self.path)
        except PolkuError:
            return None
        if sheet not in tables:
            return None
        _, header, body = tables[sheet]
        return header, [(n, workbook.row_texts(sheet, header, cells)) for n, cells in body]


def _as_text(cell: Any) -> None:
    """A cell's text that starts like a formula kept as text (a name, not a formula), and a
    date shown as the workbook writes dates."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    elif type(cell.value) is datetime.date:
        cell.number_format = "yyyy-mm-dd"


def _set_changed_cells(ws: Any, read: tuple[list[str], list[tuple[int, list[str]]]] | None,
                       spec: workbook.Sheet, header: list[str],
                       rows: list[dict[str, str]]) -> bool:
    """The sheet ``ws`` changed from what it holds (``read``) to ``header`` and ``rows``
    cell by cell (:func:`polku.io.rowdiff.row_changes`); False, changing nothing, when the
    change cannot be placed so (a column moved, the sheet unread)."""
    if read is None:
        return False
    old_header, body = read
    columns = header_change(old_header, header)
    if columns is None:
        return False
    dropped, added = columns
    body = [(n, [t for i, t in enumerate(texts) if i not in dropped]) for n, texts in body
            if any(texts)]
    old_rows = [{h: t for h, t in zip(header, texts) if h and t} for _, texts in body]
    changes = row_changes(old_rows, rows)
    for i in reversed(dropped):
        ws.delete_cols(i + 1)
    for k, name in enumerate(added):
        ws.cell(row=1, column=len(old_header) - len(dropped) + k + 1, value=name)
    for i, j in changes.changed:
        number = body[i][0]
        for c, h in enumerate(header):
            if h and old_rows[i].get(h, "") != rows[j].get(h, ""):
                cell = ws.cell(row=number, column=c + 1)
                cell.value = _xlsx_value(spec.column(h), rows[j].get(h, ""))
                _as_text(cell)
    # rows added after the row before them, rows deleted: from the bottom up, so that the
    # row numbers still to use stay right; added after the last row they fill the rows
    # below it, elsewhere rows are inserted for them
    last = body[-1][0] if body else 1
    steps: list[tuple[int, int, list[int]]] = [(body[i][0], 0, []) for i in changes.deleted]
    after: dict[int, list[int]] = {}
    for i, j in changes.added:
        after.setdefault(body[i][0] if i >= 0 else 1, []).append(j)
    steps += [(number, 1, js) for number, js in after.items()]
    for number, kind, js in sorted(steps, key=lambda s: (s[0], s[1]), reverse=True):
        if kind == 0:
            ws.delete_rows(number)
            continue
        if number != last:
            ws.insert_rows(number + 1, len(js))
        for k, j in enumerate(js):
            for c, h in enumerate(header):
                value = _xlsx_value(spec.column(h), rows[j].get(h, ""))
                if value is not None:
                    cell = ws.cell(row=number + 1 + k, column=c + 1, value=value)
                    _as_text(cell)
    return True


def _kind(col: workbook.Column | None) -> str | None:
    """How a column's cells are read (None: an extra column, whose cells are text)."""
    return None if col is None else col.kind


def _xlsx_value(col: workbook.Column | None, text: str) -> object:
    """A cell's text as the .xlsx holds it (:func:`polku.io.workbook.xlsx_value`: a number
    as a number, a date as a date, the rest as text)."""
    return workbook.xlsx_value(_kind(col), text)


@dataclass
class GraphFile:
    """A Turtle or JSON-LD file: the edited graph is written whole (atomically), in the
    file's own format."""
    path: Path

    def sheets(self, current: nx.MultiDiGraph) -> Sheets:
        return sheets_of_graph(current)

    def file_of(self, sheet: str) -> str:
        return self.path.name

    def write(self, sheets: Sheets, g: nx.MultiDiGraph, changed: str,
              expect: Expect | None = None) -> None:
        from polku.io.load import save_graph

        save_graph(g, self.path)


@dataclass
class Neo4jRegion:
    """A region of a Neo4j database: the edited graph is pushed in one transaction
    (credentials from ``NEO4J_USER`` / ``NEO4J_PASSWORD``), which first checks ``expect``
    against the region as it is in the database (several servers share one database: the
    version check and the write are one transaction)."""
    uri: str

    def sheets(self, current: nx.MultiDiGraph) -> Sheets:
        return sheets_of_graph(current)

    def file_of(self, sheet: str) -> str:
        from polku.io.neo4jstore import target

        return f"Neo4j region '{target(self.uri).region or ''}'"

    def write(self, sheets: Sheets, g: nx.MultiDiGraph, changed: str,
              expect: Expect | None = None) -> None:
        from polku.io.neo4jstore import push_graph, target

        t = target(self.uri)
        push_graph(g, t.uri, t.user, t.password, t.database, t.region, expect=expect)


def row_store(source: str | Path) -> RowStore:
    """The :class:`RowStore` for a graph's source (a path or a Neo4j URI)."""
    text = str(source)
    from polku.io.neo4jstore import is_neo4j_uri

    if is_neo4j_uri(text):
        return Neo4jRegion(text)
    path = Path(text)
    if path.is_dir():
        return CsvFolder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return XlsxFile(path)
    return GraphFile(path)


def digest(data: bytes) -> str:
    """A short content hash (an ETag's value).

    >>> len(digest(b"polku")), digest(b"polku") == digest(b"polku"), digest(b"a") == digest(b"b")
    (20, True, False)
    """
    return hashlib.sha256(data).hexdigest()[:20]
