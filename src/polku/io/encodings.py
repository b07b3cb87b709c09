"""Which Unicode encoding a text file a spreadsheet or word processor saved is in, from its
first bytes: the one rule the workbook's CSV sheets and the plan table are read by (and an
edit of a CSV sheet writes it back in), so that a file one reader takes the other takes too.
"""

from __future__ import annotations

#: how many bytes of a file its encoding is told from
HEAD = 4096


def utf16_codec(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` (a file's first bytes) begins a UTF-16
    text, as Word and Excel save "Unicode text", LibreOffice its "Unicode" CSV and Windows
    PowerShell its output: with a byte-order mark, or without one when the text is plainly
    little- or big-endian (a quarter of its bytes are zeros, all on the same side: the
    high bytes of its ASCII); else None. A file decoded with the codec keeps its
    byte-order mark as the character U+FEFF, so that it is written back byte for byte.

    >>> utf16_codec("\\ufeffid".encode("utf-16-le")), utf16_codec("id,name".encode("utf-16-be"))
    ('utf-16-le', 'utf-16-be')
    >>> utf16_codec(b"id,name"), utf16_codec(b"\\xef\\xbb\\xbfid")
    (None, None)
    """
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be"
    if b"\x00" not in head:
        return None
    zeros_even, zeros_odd = head[0::2].count(0), head[1::2].count(0)
    if zeros_odd >= len(head) // 4 and zeros_even == 0:
        return "utf-16-le"
    if zeros_even >= len(head) // 4 and zeros_odd == 0:
        return "utf-16-be"
    return None
