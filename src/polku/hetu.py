"""Finnish personal identity codes (henkilötunnus): found so that personal data is refused.

polku holds aggregates about groups of people, never a person. A code is ``DDMMYY``, a
century sign (``+`` 1800s; ``-``, ``Y``, ``X``, ``W``, ``V``, ``U`` 1900s; ``A``–``F``
2000s), a three-digit individual number and a check character: the nine digits modulo 31
indexed into ``0123456789ABCDEFHJKLMNPRSTUVWXY``. A look-alike whose check character or
date fails is ordinary text.
"""

from __future__ import annotations

import re
from typing import Iterator

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})[-+A-FU-Y](\d{3})([0-9A-Y])"
                       r"(?![0-9A-Za-z])")


def is_valid(day: str, month: str, year: str, number: str, check: str) -> bool:
    """Does a candidate's date exist (roughly: days 1–31) and its check character fit?"""
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return False
    return CHECK_CHARACTERS[int(day + month + year + number) % 31] == check


def find_codes(text: str) -> Iterator[tuple[int, int]]:
    """Start and end offsets of every valid personal identity code in ``text``.

    >>> list(find_codes("client 131052-308T was here"))
    [(7, 18)]
    >>> list(find_codes("131052-308A 2025-01-31 131052308T"))   # wrong check, a date, no sign
    []
    """
    for m in CANDIDATE.finditer(text):
        if is_valid(*m.groups()):
            yield m.start(), m.end()


def contains_code(text: str) -> bool:
    """Is there a valid personal identity code anywhere in ``text``?"""
    return next(find_codes(text), None) is not None
