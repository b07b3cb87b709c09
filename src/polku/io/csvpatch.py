"""A workbook folder's CSV sheet changed in place: a write rewrites only the cells whose text
changes, and adds or takes away only the rows and columns it adds or takes away; every
other byte of the file (its spacing, quotes, decimal commas, extra columns, line ends, a
byte-order mark) stays as the designer's spreadsheet saved it (README: "A save changes
only what the person changed"), so an undo gives the file back byte for byte.

:func:`patched` compares the rows the sheet should hold with the rows the file holds, as
the workbook reader reads them, and edits the file's text where they differ. It answers
None when it cannot place a change (a header reordered): the caller then writes the sheet
whole, as it always could.

>>> text = 'id,name\\r\\n"a", A \\r\\nb,B\\r\\n'
>>> patched(text, ["id", "name"], [{"id": "a", "name": "A"}, {"id": "b", "name": "Bee"}])
'id,name\\r\\n"a", A \\r\\nb,Bee\\r\\n'
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from polku.io.rowdiff import header_change, row_changes
from polku.io.workbook import neutral

BOM = "\ufeff"


@dataclass(eq=False)
class _Record:
    """One record of the file: its text as written (quotes and spaces kept), the line break
    that ends it ("" for a last line without one), and its cells as the workbook reader
    reads them (unquoted, stripped)."""
    content: str
    ending: str
    cells: list[str]

    def text(self) -> str:
        return self.content + self.ending


_LINE_BREAK = re.compile(r"(\r\n|\n|\r)")


def _records(text: str) -> list[_Record] | None:
    """The file's records, split by the csv module itself (a line break inside quotes
    belongs to its cell; a record ends at LF, CRLF or a lone CR, as the reader splits
    lines); None when the csv module refuses the text."""
    parts = _LINE_BREAK.split(text)
    lines = [parts[i] + parts[i + 1] for i in range(0, len(parts) - 1, 2)]
    if parts[-1]:
        lines.append(parts[-1])
    consumed: list[str] = []

    def feed() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line

    records = []
    try:
        for cells in csv.reader(feed()):
            raw = "".join(consumed)
            consumed.clear()
            body = raw.rstrip("\r\n")
            records.append(_Record(body, raw[len(body):], [c.strip() for c in cells]))
    except csv.Error:
        return None
    return records


def _fields(content: str) -> list[str]:
    """A record's fields as written, split at the commas outside quotes (``",".join`` of
    them gives the record back)."""
    fields: list[str] = []
    start = 0
    quoted = False
    for i, c in enumerate(content):
        if c == '"' and (quoted or i == start):
            # a quote opens a quoted cell at its start; inside one, "" is a quote and a
            # lone one closes it (text after it, up to the comma, still belongs to the cell)
            quoted = not quoted
        elif c == "," and not quoted:
            fields.append(content[start:i])
            start = i + 1
    fields.append(content[start:])
    return fields


def _field(text: str) -> str:
    """A cell's text as a CSV field polku writes it: quoted only where it must be (a comma,
    a quote, a line break), as the csv module writes it, and with a ``'`` before a formula
    start (:func:`polku.io.workbook.neutral`)."""
    if not text:
        return ""
    text = neutral(text)
    out = io.StringIO()
    # the line terminator is what makes the writer quote a line break: written, then cut
    csv.writer(out, lineterminator="\r\n").writerow([text])
    return out.getvalue()[:-2]


def _row(header: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """A record's cells as the sheets hold a row: by column name, empty cells left out."""
    return {h: c for h, c in zip(header, cells) if h and c}


def _neutral(row: Mapping[str, str]) -> dict[str, str]:
    """A row with each cell as polku writes it: two rows that read alike compare equal."""
    return {h: neutral(v) for h, v in row.items()}


def _read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a sheet's text as the workbook reader gives them (blank rows
    left out): what a patched text must say."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [], []
    header = [h.strip() for h in rows[0]]
    body = [_row(header, [c.strip() for c in r]) for r in rows[1:]]
    return header, [r for r in body if r]


def patched(text: str, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str | None:
    """``text`` (a CSV sheet as its file holds it) changed to say ``header`` and ``rows``
    (the sheet's cell text, as :func:`polku.io.sheets.sheets_of_tables` reads it), touching
    only what differs; None when a change cannot be placed so (the caller writes the sheet
    whole). The cells written are :func:`polku.io.workbook.neutral`; a cell not written
    stays as it is, a formula start a designer typed included."""
    bom = BOM if text.startswith(BOM) else ""
    records = _records(text[len(bom):])
    if not records or "".join(r.text() for r in records) != text[len(bom):]:
        return None  # the split does not give the text back: never guess
    old_header = records[0].cells
    header = list(header)
    columns = header_change(old_header, header)
    if columns is None:
        return None  # a column moved: not a change a write makes
    dropped, added = columns
    ending = next((r.ending for r in records if r.ending), "\n")
    if dropped or added:
        # a column taken away (an undo of the write that added it: empty in every row)
        # leaves every record that has its field; one added goes to the header's end
        for record in records:
            fields = _fields(record.content)
            if any(i < len(fields) for i in dropped):
                for i in reversed(dropped):
                    if i < len(fields):
                        del fields[i]
                    if i < len(record.cells):
                        del record.cells[i]
                record.content = ",".join(fields)
        records[0].content = ",".join([*_fields(records[0].content),
                                       *(_field(h) for h in added)])
        records[0].cells = [*records[0].cells, *added]

    # the file's rows (a blank record is no row: it stays where it is) against the rows wanted
    body = [r for r in records[1:] if any(r.cells)]
    old_rows = [_row(header, r.cells) for r in body]
    new_rows = [dict(r) for r in rows]
    changes = row_changes(old_rows, new_rows)
    for i, j in changes.changed:
        _change_cells(body[i], header, old_rows[i], new_rows[j])
    gone = {id(body[i]) for i in changes.deleted}
    position = {id(r): i for i, r in enumerate(records)}
    placed: dict[int, list[_Record]] = {}  # a record's index -> the records written after it
    for after, j in changes.added:
        fresh = _Record(",".join(_field(new_rows[j].get(h, "")) for h in header), ending, [])
        placed.setdefault(position[id(body[after])] if after >= 0 else 0, []).append(fresh)
    out: list[_Record] = []
    for index, record in enumerate(records):
        if id(record) not in gone:
            out.append(record)
        for new in placed.get(index, ()):
            if out and not out[-1].ending:  # a last line without its line break gets one
                out[-1].ending = ending
            out.append(new)
    result = "".join(r.text() for r in out)
    # read back as the reader reads it (a ' before a formula start taken away again)
    read_header, read_rows = _read(result)
    if read_header != header or [_neutral(r) for r in read_rows] != \
            [_neutral(_row(header, [r.get(h, "") for h in header])) for r in new_rows]:
        return None  # not what the sheet must say: written whole instead
    return bom + result


def _change_cells(record: _Record, header: Sequence[str], old: Mapping[str, str],
                  new: Mapping[str, str]) -> None:
    """The cells of ``record`` whose text changes from ``old`` to ``new``, rewritten; the
    others kept as written. A cell past the record's last field gets the empty fields
    before it (a short row reads them as empty)."""
    fields = _fields(record.content)
    for i, h in enumerate(header):
        if not h or old.get(h, "") == new.get(h, ""):
            continue
        value = _field(new.get(h, ""))
        if i < len(fields):
            fields[i] = value
        elif value:
            fields.extend([""] * (i - len(fields)))
            fields.append(value)
    record.content = ",".join(fields)
