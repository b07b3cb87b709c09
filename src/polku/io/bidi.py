"""Bidirectional controls: refused in every text polku reads.

The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) change the
direction of the text *around* them until they are closed: a name ending in U+202E
(RIGHT-TO-LEFT OVERRIDE) turns polku's own sentence after it backwards ("1,140 people"
reads "041,1") and a file name ``abc\\u202egnp.exe`` reads ``abcexe.png``. No name needs one
(a right-to-left script orders itself), so every reader refuses them where they are read:
a workbook cell (CSV, .xlsx, the rows an API write makes), an RDF literal, a served graph's
file name. The marks U+200E and U+200F (LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK) change
nothing around them and real Arabic or Hebrew names may carry them: they are kept.
"""

from __future__ import annotations

import re
import unicodedata

#: the controls that open or close a direction run (embedding, override, isolate)
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def char_code(c: str) -> str:
    """A character nobody sees, named by its code and its Unicode name.

    >>> char_code("\\u202e"), char_code("\\u200b")
    ('U+202E RIGHT-TO-LEFT OVERRIDE', 'U+200B ZERO WIDTH SPACE')
    """
    return f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip()


def bidi_at(text: str) -> int | None:
    """The index of the first bidirectional control in ``text``, else None.

    >>> bidi_at("abc\\u202egnp"), bidi_at("\\u200fשלום\\u200e"), bidi_at("abc")
    (3, None, None)
    """
    if text.isascii():
        return None
    m = BIDI_CONTROL.search(text)
    return None if m is None else m.start()


def bidi_params(text: str) -> dict[str, object] | None:
    """The params of a message that names the first bidirectional control in ``text``
    (``invisible``: its code and name; ``position``: counted from 1), else None.

    >>> bidi_params("ab\\u2066c")
    {'invisible': 'U+2066 LEFT-TO-RIGHT ISOLATE', 'position': 3}
    """
    at = bidi_at(text)
    if at is None:
        return None
    return {"invisible": char_code(text[at]), "position": at + 1}


def visible(text: str) -> str:
    """``text`` with each bidirectional control written as its code in brackets: a file's
    name quoted in a message that must not turn the message around it.

    >>> visible("rlo\\u202etxt.exe")
    'rlo[U+202E]txt.exe'
    """
    return BIDI_CONTROL.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
