"""Which known name a name that polku does not know most likely meant: ``capacity_per_mont``
for ``capacity_per_month``, ``Size`` for ``size``, ``name_se`` for ``name_sv``; or which it
names in other words (``storlek`` for ``size``: :func:`named_otherwise`). The workbook's
warnings (:mod:`polku.io.unknown_names`) and its refusal of a column that looks like a count
of people (:func:`polku.io.workbook.read_rows`) ask it; names only, no file is read.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable, Mapping

#: how close (difflib's ratio, after folding case and separators) a name must be to a
#: known one to be taken for a typo of it: ``provider`` for ``providers`` is 0.94,
#: ``referals`` for ``referrals`` 0.94, ``notes`` for ``needs`` 0.6
CUTOFF = 0.8
#: language suffixes written for one polku reads: ``name_se`` is Swedish (``name_sv``),
#: ``name_fi`` the primary (Finnish) ``name``; any other suffix (``name_de``,
#: ``description_sv``) is a language column of its own, kept on purpose
LANGUAGE_ALIASES = {"se": "sv", "sw": "sv", "swe": "sv", "sve": "sv", "ruotsi": "sv",
                    "eng": "en", "gb": "en", "uk": "en", "fi": "", "fin": "", "suomi": ""}


def folded(name: str) -> str:
    """A name as it is compared: lower case, spaces, hyphens and dots as ``_``.

    >>> folded(" Capacity per-month ")
    'capacity_per_month'
    """
    return re.sub(r"[\s.\-]+", "_", name.strip().casefold())


def meant(name: str, known: Iterable[str], missing: Iterable[str]) -> str | None:
    """The name of ``missing`` (known names the workbook lacks) that ``name`` most likely
    meant, or None; ``known`` is every known name (a language column of a known one is no
    typo).

    >>> cols = ["id", "name", "name_sv", "name_en", "providers", "description"]
    >>> meant("provider", cols, ["providers", "name_sv"]), meant("Name SV", cols, ["name_sv"])
    ('providers', 'name_sv')
    >>> meant("name_se", cols, ["name_sv"]), meant("name_de", cols, ["name_sv", "name_en"])
    ('name_sv', None)
    >>> meant("description_sv", cols, ["description"]), meant("contact_unit", cols, ["name_sv"])
    (None, None)
    """
    missing = sorted(missing)
    if not missing:
        return None
    f = folded(name)
    by_folded = {folded(m): m for m in missing}
    if f in by_folded:
        return by_folded[f]
    base, sep, code = f.rpartition("_")
    if sep and base in set(known) and 2 <= len(code) <= 6 and code.isalpha():
        if code not in LANGUAGE_ALIASES:
            return None  # a language of its own: name_de, description_sv
        target = base + ("_" + LANGUAGE_ALIASES[code] if LANGUAGE_ALIASES[code] else "")
        return target if target in missing else None
    close = difflib.get_close_matches(f, list(by_folded), n=1, cutoff=CUTOFF)
    return by_folded[close[0]] if close else None


def named_otherwise(name: str, words: Mapping[str, str], missing: Iterable[str]) -> str | None:
    """The name of ``missing`` that ``name`` is in other words (``words``: another name,
    folded -> the known name it is; :data:`polku.io.workbook.COLUMN_WORDS`), or None.

    >>> words = {"storlek": "size", "koko": "size", "kapacitet": "capacity_per_month"}
    >>> named_otherwise("Storlek", words, ["size"]), named_otherwise("koko", words, [])
    ('size', None)
    >>> named_otherwise("koko_alue", words, ["size"])
    """
    known = words.get(folded(name))
    return known if known is not None and known in set(missing) else None
