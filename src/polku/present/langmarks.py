"""Names (and other text picked by language: titles, descriptions, regions) marked with the
language they are in, for HTML (WCAG 2.1 3.1.2 Language of Parts).

A Swedish or English page names a node in the page's language where the graph gives that
name (``name_sv``/``name_en``), else by its primary name, which is Finnish. A screen reader
reads such a name with the page's voice unless the HTML says otherwise, so every page marks
it: ``<span lang="fi">Ohjaamo-polku</span>``, or ``lang`` on the element that holds only it
(``<td lang="fi">``, ``<option lang="fi">``).

How the language travels from the picker to the HTML: a translator that marks
(:meth:`polku.present.i18n.Translator.marking`) gives such a name back wrapped in three
private-use characters with its language between them (:func:`marked`); the wrapped text
survives every join, f-string and ``format`` between the picker and the template (a finding
message names its nodes inside a sentence), and the page, once rendered, turns each wrapped
name into markup (:func:`html`): a ``<span lang>`` in text (the space before it inside, so
that a line breaks where it did), ``lang`` on the element it fills,
a ``<tspan lang>`` in SVG text, and plain text where no markup may stand (an attribute, the
page's ``<title>``). The language itself is data from the picker, never read off the text.
Plain-text outputs (the command line, JSON, markdown, CSV) use a translator that does not
mark, or :func:`unmarked`.

>>> m = marked("Ohjaamo-polku", "fi")
>>> unmarked("Väg: " + m), pieces("Väg: " + m)
('Väg: Ohjaamo-polku', [('Väg: ', None), ('Ohjaamo-polku', 'fi')])
>>> html('<p title="' + m + '">Väg: ' + m + '</p><td>' + m + '</td>')
'<p title="Ohjaamo-polku">Väg:<span lang="fi"> Ohjaamo-polku</span></p><td lang="fi">Ohjaamo-polku</td>'
"""

from __future__ import annotations

import re

#: start of a marked name, between its language and its text, its end (Unicode private use)
OPEN, BETWEEN, CLOSE = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile("[\ue000-\ue002]")
_MARKED = re.compile("\ue000([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)\ue001([^\ue000-\ue002]*)\ue002")
#: a whole element's start tag, for lang on the element a name fills alone
_START = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*>\Z")
#: the start of an element that holds text only and may hold a name whole
_RAW = re.compile(r"<(title|textarea)\b[^>]*>", re.I)
_TOKEN = re.compile(r"<(script|style|title|textarea)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^>]*>",
                    re.S | re.I)
#: elements whose content is text only: a name there is marked on the element or not at all
_TEXT_ONLY = {"option", "title", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


def marked(text: str, lang: str | None) -> str:
    """``text`` marked as written in ``lang`` (as it is without a language).

    >>> marked("Nuoret", None), len(marked("Nuoret", "fi"))
    ('Nuoret', 11)
    """
    text = _MARKS.sub("", text)  # a name cannot make marks of its own
    return f"{OPEN}{lang}{BETWEEN}{text}{CLOSE}" if lang else text


def unmarked(text: str) -> str:
    """``text`` without its marks: the names as plain text.

    >>> unmarked(marked("Nuoret", "fi") + " → Unga")
    'Nuoret → Unga'
    """
    if OPEN not in text:
        return text
    return _MARKS.sub("", _MARKED.sub(r"\2", text))


def pieces(text: str) -> list[tuple[str, str | None]]:
    """``text`` as its pieces in order, each with its marked language (None: the page's).

    >>> pieces("A " + marked("B", "fi"))
    [('A ', None), ('B', 'fi')]
    """
    out: list[tuple[str, str | None]] = []
    at = 0
    for m in _MARKED.finditer(text):
        if m.start() > at:
            out.append((_MARKS.sub("", text[at:m.start()]), None))
        out.append((m.group(2), m.group(1)))
        at = m.end()
    if at < len(text):
        out.append((_MARKS.sub("", text[at:]), None))
    return out


def whole(text: str) -> str | None:
    """The language of ``text`` when it is one marked name and nothing else (spaces aside).

    >>> whole(" " + marked("Nuoret", "fi") + "\\n"), whole("Unga " + marked("Nuoret", "fi"))
    ('fi', None)
    """
    m = _MARKED.fullmatch(text.strip())
    return m.group(1) if m else None


def _with_lang(tag: str, lang: str) -> str:
    """A start tag with ``lang`` added (``<td>`` → ``<td lang="fi">``)."""
    end = -2 if tag.endswith("/>") else -1
    return f'{tag[:end]} lang="{lang}"{tag[end:]}'


#: a marked text and the one space before it, which goes inside its element: Chromium
#: breaks a line at a space before an element of another language otherwise than at the
#: same space inside it, so a table cell ("1.2 Tilannekuva …") could wrap where it did not
_SPACED = re.compile(" ?" + _MARKED.pattern)


def _spans(text: str, tag: str) -> str:
    """``text`` with each marked text in a ``<tag lang>``, the space before it inside.

    >>> _spans("Väg " + marked("Polku", "fi"), "span")
    'Väg<span lang="fi"> Polku</span>'
    """
    def element(m: re.Match) -> str:
        space = " " if m.group(0).startswith(" ") else ""
        return f'<{tag} lang="{m.group(1)}">{space}{m.group(2)}</{tag}>'

    return _SPACED.sub(element, text)


def html(page: str) -> str:
    """A rendered page (or fragment) with its marked names as markup: ``lang`` on the
    element a name fills alone, else a ``<span lang>`` around it (``<tspan>`` in SVG text);
    in an attribute, a comment, a script, a style, and in elements that hold text only
    (``<title>``, ``<textarea>``; ``<option>`` but by its own ``lang``), the name as plain
    text. A page with no marks comes back as it was.

    >>> html('<select><option value="p">' + marked("Polku", "fi") + '</option></select>')
    '<select><option value="p" lang="fi">Polku</option></select>'
    >>> html('<svg><text x="1">Väg ' + marked("Polku", "fi") + '</text><title>'
    ...      + marked("Polku", "fi") + '</title></svg>')
    '<svg><text x="1">Väg<tspan lang="fi"> Polku</tspan></text><title lang="fi">Polku</title></svg>'
    """
    if OPEN not in page:
        return _MARKS.sub("", page) if BETWEEN in page or CLOSE in page else page
    tokens: list[tuple[bool, str]] = []  # (is markup, text)
    at = 0
    for m in _TOKEN.finditer(page):
        if m.start() > at:
            tokens.append((False, page[at:m.start()]))
        tokens.append((True, m.group(0)))
        at = m.end()
    if at < len(page):
        tokens.append((False, page[at:]))
    out: list[str] = []
    svg = 0
    for i, (markup, text) in enumerate(tokens):
        if markup:
            low = text[:9].lower()
            if low.startswith("<svg") and not text.endswith("/>"):
                svg += 1
            elif low.startswith("</svg"):
                svg = max(0, svg - 1)
            # most tags of a national report are neither: looked at by their start first
            raw = _RAW.match(text) if low.startswith(("<title", "<textarea")) else None
            if raw and OPEN in text:
                # text only: lang on the element when one name fills it, else plain text
                inner = text[raw.end():text.rindex("</")]
                lang = whole(inner)
                start = _with_lang(raw.group(0), lang) if lang and " lang=" not in raw.group(0) \
                    else raw.group(0)
                text = start + unmarked(inner) + text[text.rindex("</"):]
            out.append(unmarked(text) if OPEN in text or BETWEEN in text else text)
            continue
        if OPEN not in text:
            out.append(text)
            continue
        before = tokens[i - 1][1] if i and tokens[i - 1][0] else ""
        after = tokens[i + 1][1] if i + 1 < len(tokens) and tokens[i + 1][0] else ""
        start = _START.match(before)
        element = start.group(1).lower() if start else ""
        lang = whole(text)
        if (lang and start and element not in _VOID and not before.endswith("/>")
                and " lang=" not in before
                and after.lower().startswith(f"</{element}")):
            out[-1] = _with_lang(out[-1], lang)  # the tag as written out (its marks gone)
            out.append(unmarked(text))
        elif element in _TEXT_ONLY:
            out.append(unmarked(text))
        elif svg:
            # in SVG text a <tspan> may carry the language; elsewhere no markup may stand
            inside = element in ("text", "tspan") or before.lower().startswith("</tspan")
            out.append(_spans(text, "tspan") if inside else unmarked(text))
        else:
            out.append(_spans(text, "span"))
    return "".join(out)
