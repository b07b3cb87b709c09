"""The table of options on a help page, laid out so that nothing in it is cut off.

Apart from :mod:`polku.cli.help` because it builds on rich's tables, which only a help page
needs: every other run of the command line starts without loading them.
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text


def _plain(cell: object) -> str:
    """The text of one cell of typer's options table (a ``Text``, a ``Columns`` of them, a
    string)."""
    if isinstance(cell, str):
        return cell
    if hasattr(cell, "plain"):
        return str(cell.plain)
    return " ".join(_plain(item) for item in getattr(cell, "renderables", []))


def _longest_piece(text: str) -> int:
    """The widest piece of a type cell (``<int range> [x>=0]``: the type, then its range),
    which the cell may wrap between but never inside.

    >>> _longest_piece("<float range> [x>=0.02]")
    13
    """
    return max((len(piece) for piece in re.split(r"\s+(?=\[)", text.strip())), default=0)


def _choices_folded(cell: object, width: int) -> object:
    """A type cell listing choices (``<turtle|jsonld|…>``) longer than ``width``, broken
    into lines after a ``|`` (rich would break inside a choice: ``gra`` / ``phml``); any
    other cell as it is.

    >>> _choices_folded(Text("<turtle|jsonld|xlsx|graphml>"), 15).plain
    '<turtle|jsonld|\\nxlsx|graphml>'
    """
    if not isinstance(cell, Text) or len(cell.plain) <= width or "|" not in cell.plain:
        return cell
    # the places a line may end: after each "|", and the cell's end
    ends = [m.end() for m in re.finditer(r"\|", cell.plain)] + [len(cell.plain)]
    lines: list[Text] = []
    start = end = 0
    for stop in ends:
        if stop - start > width and end > start:
            lines.append(cell[start:end])
            start = end
        end = stop
    lines.append(cell[start:])
    return Text("\n").join(lines)


#: the widest the type column gets at 80 columns (a quarter of a wider terminal): a longer
#: choice (``<turtle|jsonld|xlsx|…>``) folds
TYPES_WIDTH = 20


def options_table(table: Table, width: int = 80) -> Table:
    """typer's table of options (or arguments) laid out so nothing in it is cut off: rich
    would narrow every column to fit a terminal and end an option's or an environment
    variable's name with "…" (``--session-recheck-sec…`` at 80 columns). Columns typer
    leaves empty (short and secondary names polku has none of) are dropped, the names are
    never wrapped, the type column is as wide as its widest piece, and the help takes the
    rest, folding a word too long for it onto the next line rather than cutting it; on a
    terminal ``width`` columns wide the type column takes at most a quarter of it (but 20),
    so a wide terminal shows a list of choices on one line."""
    if len(table.columns) < 2:
        return table
    # typer's row: [required mark], long, short and secondary names, the type, the help
    *names, types, helps = table.columns
    for column in names:
        column.no_wrap = True
    widest = max((_longest_piece(_plain(c)) for c in types._cells), default=0)
    # a long choice list folds where the terminal is narrow: between choices, never inside
    types.max_width = min(widest, max(TYPES_WIDTH, width // 4)) or None
    if types.max_width:
        types._cells = [_choices_folded(c, types.max_width) for c in types._cells]
    helps.overflow = "fold"
    for cell in helps._cells:  # typer's Columns of Texts: each Text says how it overflows
        for text in getattr(cell, "renderables", [cell]):
            if isinstance(text, Text):
                text.overflow = "fold"
    table.columns = [column for column in table.columns
                     if column is helps or any(_plain(c).strip() for c in column._cells)]
    for index, column in enumerate(table.columns):
        column._index = index  # rich pads a column by its place (the first and last less)
    return table


class OptionsTable(Table):
    """The table of an options panel, its columns laid out by :func:`options_table` when
    it is drawn (typer builds it row by row, columns unset)."""

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        options_table(self, options.max_width)
        return super().__rich_console__(console, options)
