"""A workbook's sheets as rows of cell text, and one row edit on them: the write contract's
row rules without any store behind them.

:mod:`polku.ops.edits` builds the edits people make on these (and writes them where the
graph lives); an analysis that tries an edit on a copy (:mod:`polku.analyses.suggest`) uses
the same functions, so a suggestion is applied exactly as the write API will apply it.

Rows are named by a key: the ``id`` column, ``actor~subject`` for responsibilities
(``actor~subject~role`` when the actor holds several roles on the subject),
``path~step`` for designed paths and the finding key for follow-ups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from polku.errors import PolkuError
from polku.io import workbook
from polku.words import N_

#: sheet -> (header, rows of cell text): a workbook as the editor holds it
Sheets = dict[str, tuple[list[str], list[dict[str, str]]]]

#: the columns that name a row, per sheet (default: ``id``)
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "responsibilities": ("actor", "subject", "role"), "paths": ("path", "step"),
    "followups": ("finding",)}
#: graph attributes the sheets themselves hold: never carried over from the graph before
#: an edit (a deleted follow-up must stay deleted)
SHEET_ATTRS = ("followups",)
KEY_SEPARATOR = "~"


class RowNotFound(PolkuError):
    """The sheet or the row an edit names does not exist."""


class EditConflict(PolkuError):
    """The edit cannot be applied as asked (an ambiguous key, nothing left to undo, a
    source that cannot take writes)."""


def key_columns(sheet: str) -> tuple[str, ...]:
    """The columns whose values make a row's key.

    >>> key_columns("services"), key_columns("paths")
    (('id',), ('path', 'step'))
    """
    return KEY_COLUMNS.get(sheet, ("id",))


def row_key(sheet: str, row: Mapping[str, str]) -> str:
    """The key of a row: its id, ``actor~subject`` or ``path~step``.

    >>> row_key("responsibilities", {"actor": "kela", "subject": "s1", "role": "lead"})
    'kela~s1'
    >>> row_key("services", {"id": "s1", "name": "S"})
    's1'
    """
    cols = key_columns(sheet)[:2]
    return KEY_SEPARATOR.join(row.get(c, "") for c in cols)


def cell_text(value: object, column: str = "") -> str:
    """A JSON value as the workbook cell that says it: lists joined with ``;``, booleans
    ``yes``/``no``, numbers as written, ``null`` empty.

    >>> cell_text(["kela", "keusote"]), cell_text(True), cell_text(40.5), cell_text(None)
    ('kela;keusote', 'yes', '40.5', '')

    A JSON number past what a number can hold (``1e400``) reaches here infinite (Python's
    JSON reader makes it so): said too large, never as ``inf``, which the writer never
    sent:
    >>> cell_text(float("inf"), "capacity_per_month")
    Traceback (most recent call last):
    polku.errors.PolkuError: column 'capacity_per_month': the number is too large (past what a number can hold)
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        raise PolkuError(N_("the number is too large (past what a number can hold)"),
                         column=column or None, params={})
    if isinstance(value, (int, float)):
        # a JSON number has no thousands separator: 1.125 is written so that it reads so
        return workbook.number_text(value) if isinstance(value, float) else str(value)
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, str):
        return value.strip()
    raise PolkuError(N_("a cell holds text, a number, a boolean or a list, not {kind}"),
                     column=column or None, params={"kind": type(value).__name__})


def known_sheet(sheet: str) -> None:
    """:class:`RowNotFound` for a sheet the workbook has not, naming the sheets and the one
    likely meant (``close``: ``referrals`` for ``referals``).

    >>> known_sheet("services")
    >>> known_sheet("referals")
    Traceback (most recent call last):
    polku.io.sheets.RowNotFound: sheet 'referals': no sheet named 'referals' (sheets: graph, actors, services, outcomes, needs, segments, referrals, goals, measures, indicators, risks, responsibilities, paths, followups); did you mean 'referrals'?
    """
    if sheet not in workbook.SHEETS:
        from polku.graph import likely_id

        raise RowNotFound(N_("no sheet named '{sheet}' (sheets: {sheets})"), sheet=sheet,
                          params={"sheet": sheet, "sheets": ", ".join(workbook.SHEETS)},
                          close=likely_id(sheet, dict.fromkeys(workbook.SHEETS, {})))


def row_values(sheet: str, body: Mapping[str, Any]) -> dict[str, str]:
    """An edit's JSON body (column → value) as cell text, with the column names checked."""
    known_sheet(sheet)
    values: dict[str, str] = {}
    for column, value in body.items():
        if not isinstance(column, str) or not column.strip() or column != column.strip():
            raise PolkuError(N_("'{name}' is not a column name"), sheet=sheet,
                             column=str(column), params={"name": column})
        values[column] = cell_text(value, column)
    return values


#: columns a write may give a row though its sheet's header lacks them, besides the sheet's
#: own (:data:`polku.io.workbook.SHEETS`): those polku reads for a text in another language
#: (:func:`polku.graph.name_of`, :func:`polku.graph.titled`,
#: :meth:`polku.present.i18n.Translator.text`): the Finnish name of a row named in another
#: language first, and the language a name, description or title is written in. The
#: service form offers ``name_fi``.
LANGUAGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name_fi", "name_lang"), "description": ("description_lang",),
    "title": ("title_lang",)}
UNKNOWN_COLUMN = N_("no column '{name}' in this sheet: a write fills the sheet's own columns "
                    "and the extra columns it already has (a new extra column is added in "
                    "the workbook itself)")


def writable_columns(sheet: str, header: Iterable[str] = ()) -> list[str]:
    """The columns a write may give a row of ``sheet`` whose header is ``header``: the
    sheet's own, their language columns (:data:`LANGUAGE_COLUMNS`) and every extra column
    the header already has.

    >>> writable_columns("referrals", ["id", "from", "to", "channel"])[-2:]
    ['information_flow', 'channel']
    >>> "name_fi" in writable_columns("services"), "name_fi" in writable_columns("referrals")
    (True, False)
    """
    own = [c.name for c in workbook.SHEETS[sheet].columns]
    languages = [x for c in own for x in LANGUAGE_COLUMNS.get(c, ())]
    return list(dict.fromkeys([*own, *languages, *header]))


def unknown_columns(sheets: Sheets, sheet: str, values: Mapping[str, str],
                    file: str | None = None) -> PolkuError | None:
    """The refusal of a write that gives a column its sheet does not have (no column of
    the sheet's own, nor an extra column its header has), each named (with a did you mean
    where a column the write may give is close); None when there is none. Written, it
    would add the column to every row of the sheet, and a typo (``median_wait_day``)
    would keep its value where nothing reads it while the column meant stays as it was.
    A name no column may have (an identity code, a formula start, a separator:
    :func:`polku.io.workbook.column_name_problem`) is left to the workbook rules, which
    refuse it without quoting what must not be shown.

    >>> s = {"referrals": (["id", "from", "to", "median_wait_days"], [])}
    >>> unknown_columns(s, "referrals", {"median_wait_day": "3"}).close
    'median_wait_days'
    >>> unknown_columns(s, "referrals", {"id": "r", "owner": "kela"}) is None
    True
    """
    from polku.errors import PolkuErrors
    from polku.io.near_names import meant

    header = sheets.get(sheet, ([], []))[0]
    writable = writable_columns(sheet, header)
    found = [PolkuError(UNKNOWN_COLUMN, file=file, sheet=sheet, column=name,
                        params={"name": name},
                        close=meant(name, writable, writable))
             for name in values
             if name not in writable and workbook.column_name_problem(name) is None]
    if not found:
        return None
    return found[0] if len(found) == 1 else PolkuErrors(found)


@dataclass(frozen=True)
class Change:
    """What an edit did to one row: the row before and after (``None`` = no row)."""
    action: str
    sheet: str
    key: str
    before: dict[str, str] | None
    after: dict[str, str] | None
    #: columns the edit added to the sheet's header (an undo takes them away again)
    added: tuple[str, ...] = ()


def _matches(sheet: str, row: Mapping[str, str], key: str) -> bool:
    parts = key.split(KEY_SEPARATOR)
    cols = key_columns(sheet)
    if len(parts) > len(cols) or (len(cols) > 1 and len(parts) < 2):
        return False
    for col, part in zip(cols, parts):
        have = row.get(col, "")
        if col == "role":
            have = _role(have)
            part = _role(part)
        if col == "step":
            if have.strip() != part.strip():
                try:
                    if workbook.parse_number(have) != workbook.parse_number(part):
                        return False
                except ValueError:
                    return False
            continue
        if have != part:
            return False
    return True


def _role(text: str) -> str:
    word = text.strip().lower()
    return workbook.ROLE_WORDS.get(word, word)


def find_row(sheets: Sheets, sheet: str, key: str) -> int:
    """The index of the row named ``key`` in ``sheet``, or :class:`RowNotFound`."""
    known_sheet(sheet)
    rows = sheets.get(sheet, ([], []))[1]
    hits = [i for i, row in enumerate(rows) if _matches(sheet, row, key)]
    if not hits:
        raise RowNotFound(N_("no row '{key}' in sheet '{sheet}'"), sheet=sheet,
                          params={"key": key, "sheet": sheet})
    if len(hits) > 1:
        roles = ", ".join(rows[i].get("role", "") for i in hits)
        raise EditConflict(N_("{n} rows have the key '{key}' (roles {roles}): name one as "
                              "actor{sep}subject{sep}role"), sheet=sheet,
                           params={"n": len(hits), "key": key, "roles": roles,
                                   "sep": KEY_SEPARATOR})
    return hits[0]


def apply(sheets: Sheets, action: str, sheet: str, key: str | None = None,
          values: Mapping[str, str] | None = None,
          drop: tuple[str, ...] | list[str] = ()) -> tuple[Sheets, Change]:
    """``sheets`` with one row created, updated (only the columns given; an empty value
    clears a cell, one that says what the cell says in other words keeps the cell's:
    :func:`polku.io.workbook.same_meaning`), replaced whole, or deleted; and the change. Nothing is checked here
    beyond the row's existence: :func:`check` runs the import's rules on the result.
    ``drop``: header columns to take away when no row holds a value in them any more (an
    undo of the edit that added them).

    >>> s = {"actors": (["id", "name", "kind"], [{"id": "kela", "name": "Kela", "kind": "kela"}])}
    >>> s2, change = apply(s, "update", "actors", "kela", {"name": "Kela FPA"})
    >>> s2["actors"][1][0]["name"], change.before["name"], s["actors"][1][0]["name"]
    ('Kela FPA', 'Kela', 'Kela')
    >>> s = {"services": (["id", "entry"], [{"id": "s", "entry": "nej"}])}
    >>> apply(s, "update", "services", "s", {"entry": "no"})[1].after
    {'id': 's', 'entry': 'nej'}
    """
    known_sheet(sheet)
    values = dict(values or {})
    header, rows = sheets.get(sheet, ([c.name for c in workbook.SHEETS[sheet].columns], []))
    header, rows = list(header), [dict(r) for r in rows]
    added = tuple(c for c in values if c not in header)
    header.extend(added)
    out = dict(sheets)

    def without_dropped(header: list[str]) -> list[str]:
        return [h for h in header if h not in drop or any(r.get(h) for r in rows)]

    if action == "create":
        after = {c: v for c, v in values.items() if v != ""}
        _not_blank(sheet, after, len(rows) + 2)
        rows.append(after)
        out[sheet] = (without_dropped(header), rows)
        return out, Change(action, sheet, row_key(sheet, after), None, after, added)
    if key is None:
        raise RowNotFound(f"no row named in sheet '{sheet}'", sheet=sheet)
    index = find_row(sheets, sheet, key)
    before = rows[index]
    if action == "delete":
        del rows[index]
        out[sheet] = (without_dropped(header), rows)
        return out, Change(action, sheet, row_key(sheet, before), before, None)
    if action == "update":
        # a cell sent back in other words than the sheet's (a stored ``nej`` as ``no``,
        # ``30,5`` as ``30.5``) keeps the designer's own: it was not changed
        after = {**before, **{c: before[c] if c in before
                              and workbook.same_meaning(sheet, c, before[c], v) else v
                              for c, v in values.items()}}
    elif action == "replace":
        after = dict(values)
    else:
        raise PolkuError(N_("unknown edit action '{action}'"), params={"action": action},
                         field="action")
    after = {c: v for c, v in after.items() if v != ""}
    _not_blank(sheet, after, index + 2)
    rows[index] = after
    out[sheet] = (without_dropped(header), rows)
    return out, Change("update", sheet, row_key(sheet, after), before, after, added)


def _not_blank(sheet: str, row: Mapping[str, str], number: int) -> None:
    """Refuse a row an edit would leave with no value at all. The workbook's readers skip a
    blank row, so it would pass every check and be written as a line of commas: a create
    that adds nothing, or an update that is really a delete, logged under the empty key
    that no undo can find again. Its key column is what is missing."""
    if not any(row.values()):
        column = key_columns(sheet)[0]
        raise PolkuError(N_("the required value '{name}' is empty"), params={"name": column},
                         sheet=sheet, row=number, column=column, field=column)


def as_tables(sheets: Sheets, file_of: Callable[[str], str]) -> workbook.Tables:
    """The sheets as the raw tables :func:`polku.io.workbook.read_rows` checks; rows numbered
    as in a spreadsheet (the header is row 1)."""
    return {name: (file_of(name), header,
                   [(i + 2, [row.get(h, "") for h in header]) for i, row in enumerate(rows)])
            for name, (header, rows) in sheets.items()}


def sheets_of_graph(g: nx.MultiDiGraph) -> Sheets:
    """A graph as the workbook sheets that say it (those with rows, and the required ones)."""
    required = {n for n, s in workbook.SHEETS.items() if s.required}
    return {n: (h, rows) for n, (h, rows) in workbook.sheet_rows(g).items()
            if rows or n in required}


def sheets_of_tables(tables: workbook.Tables) -> Sheets:
    """Raw workbook cells as text rows keyed by column (empty cells left out)."""
    out: Sheets = {}
    for name, (_, header, body) in tables.items():
        rows = []
        for _, cells in body:
            texts = workbook.row_texts(name, header, cells)
            if not any(texts):
                continue
            rows.append({h: t for h, t in zip(header, texts) if h and t})
        out[name] = (list(header), rows)
    return out
