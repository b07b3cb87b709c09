"""What a write changes in a sheet, row by row and column by column: the sheet's rows as
its file holds them against the rows it should hold. The CSV and .xlsx stores of
:mod:`polku.ops.edits` then touch only those rows and cells (README: "A save changes only
what the person changed").

>>> d = row_changes([{"id": "a"}, {"id": "b"}, {"id": "c"}],
...                 [{"id": "a"}, {"id": "b", "n": "1"}, {"id": "d"}])
>>> d.changed, d.deleted, d.added
([(1, 1), (2, 2)], [], [])
>>> d = row_changes([{"id": "a"}, {"id": "b"}], [{"id": "b"}, {"id": "c"}])
>>> d.changed, d.deleted, d.added
([], [0], [(1, 1)])
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Mapping, Sequence

Row = Mapping[str, str]


@dataclass
class RowChanges:
    #: (old row, new row): the old row's cells become the new row's
    changed: list[tuple[int, int]] = field(default_factory=list)
    #: old rows taken away
    deleted: list[int] = field(default_factory=list)
    #: (the old row it follows, -1 for before the first; new row): rows added
    added: list[tuple[int, int]] = field(default_factory=list)


def _key(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((h, v) for h, v in row.items() if v))


def row_changes(old: Sequence[Row], new: Sequence[Row]) -> RowChanges:
    """How ``old`` (the rows the file holds, in its order) becomes ``new``: rows the same
    are left, a run of rows that differ is changed pairwise, and what is left over is taken
    away or added (difflib's alignment, so a row deleted in the middle is not read as every
    later row changed)."""
    old_keys, new_keys = [_key(r) for r in old], [_key(r) for r in new]
    # the rows before and after a change are most of a sheet: compared as they come first
    low = 0
    while low < min(len(old_keys), len(new_keys)) and old_keys[low] == new_keys[low]:
        low += 1
    high = 0
    while high < min(len(old_keys), len(new_keys)) - low and \
            old_keys[-1 - high] == new_keys[-1 - high]:
        high += 1
    matcher = difflib.SequenceMatcher(None, old_keys[low:len(old_keys) - high],
                                      new_keys[low:len(new_keys) - high], autojunk=False)
    out = RowChanges()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        i1, i2, j1, j2 = i1 + low, i2 + low, j1 + low, j2 + low
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        out.changed.extend((i1 + k, j1 + k) for k in range(pairs))
        out.deleted.extend(range(i1 + pairs, i2))
        # after the row before them: the last one paired, or the one kept before the run
        out.added.extend((i1 + pairs - 1, j) for j in range(j1 + pairs, j2))
    return out


def header_change(old: Sequence[str], new: Sequence[str]) -> tuple[list[int], list[str]] | None:
    """The columns a write takes away (their places in ``old``) and adds (at the header's
    end, in order), or None when ``new`` moves a column (no write does).

    >>> header_change(["id", "a", "b"], ["id", "b", "c"])
    ([1], ['c'])
    >>> header_change(["id", "a"], ["a", "id"]) is None
    True
    """
    kept = [h for h in old if h in new]
    added = list(new[len(kept):])
    if list(new[:len(kept)]) != kept or any(h in old for h in added):
        return None
    return [i for i, h in enumerate(old) if h not in new], added
