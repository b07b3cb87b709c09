"""Text from data made safe inside Markdown, for every Markdown writer (the report's
Markdown, ``polku findings --format markdown``, the Mermaid export's ``.md`` heading).

A name is data: written into Markdown as it is, ``**lihava**`` turns bold,
``[klikkaa](javascript:…)`` a link, a ``|`` a new table column, a line break and ``#`` a new
heading, and ``<script>`` raw HTML. :func:`md_text` backslash-escapes every ASCII character
that CommonMark gives a meaning inside a line, and those that start a block at its start (a
backslash before any ASCII punctuation stands for the character itself), writes ``&``, ``<`` and ``>`` as entities (so no HTML tag and no entity a
name spells, such as ``&#x202E;``, is ever read as one), and turns line breaks into spaces
(a name stays on its line). Inside a code span no escape works: :func:`md_code` is for an
id there (ids are ``[a-z0-9_-]``; what it does is for a table's ``|`` and a line break).
"""

from __future__ import annotations

import re

#: the characters CommonMark (with GitHub's tables and strikethrough) may read as markup
#: anywhere in a line, each written after a backslash. The others it allows to escape
#: ({ } ( ) + - .) mean nothing inside a line: a link needs the [ ] escaped here, a list
#: item or a thematic break a line's start (:data:`_LINE_START`); escaped everywhere they
#: would make every "Keski-Uusimaa (TYP)" of a file people also read raw a row of backslashes
_PUNCTUATION = re.compile(r"([\\`*_\[\]#!|~])")
#: what starts a block only at the start of a line: a list item (- + 1. 1)), a heading's
#: or a thematic break's first character is escaped there
_LINE_START = re.compile(r"^(\s*)([-+=](?=[\s\-+=]|$)|\d{1,9}(?=[.)](?:\s|$)))")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_text(text: object) -> str:
    """``text`` (a name, a title, a sentence that quotes one) as Markdown that reads as
    exactly that text, on one line.

    >>> md_text("Työvalmiit | sarake [klikkaa](javascript:alert(1)) **lihava**")
    'Työvalmiit \\\\| sarake \\\\[klikkaa\\\\](javascript:alert(1)) \\\\*\\\\*lihava\\\\*\\\\*'
    >>> md_text("<script>&x\\n# otsikko")
    '&lt;script&gt;&amp;x \\\\# otsikko'
    >>> md_text("Keski-Uusimaa (TYP)"), md_text("- lista"), md_text("1. kohta")
    ('Keski-Uusimaa (TYP)', '\\\\- lista', '1\\\\. kohta')
    >>> md_text("1.1 Tilannekuva"), md_text("-5 %")
    ('1.1 Tilannekuva', '-5 %')
    """
    text = _LINE_BREAKS.sub(" ", str(text))
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + (
        "\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), text, 1)
    return re.sub("[&<>]", lambda m: _ENTITIES[m.group()], text)


def md_code(text: object) -> str:
    """An id inside a code span (`` `{md_code(id)}` ``), where a backslash is itself: on
    one line, a table's ``|`` escaped (GitHub's tables read ``\\|`` in a code span as ``|``),
    a backtick (no id has one) as an apostrophe so the span cannot end early.

    >>> md_code("seg-a")
    'seg-a'
    """
    return _LINE_BREAKS.sub(" ", str(text)).replace("`", "'").replace("|", "\\|")
