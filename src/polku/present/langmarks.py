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
from bisect import bisect_right

#: start of a marked name, between its language and its text, its end (Unicode private use)
OPEN, BETWEEN, CLOSE = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile("[\ue000-\ue002]")
_MARKED = re.compile("\ue000([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)\ue001([^\ue000-\ue002]*)\ue002")
#: a whole element's start tag, for lang on the element a name fills alone
_START = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*>\Z")
#: the start of an element that holds text only and may hold a name whole
_RAW = re.compile(r"<(title|textarea)\b[^>]*>", re.I)
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

    Only the tags and texts that hold a mark are looked at, each found from its mark
    (:class:`_Page`): a national report has millions of tags and some thousands of marks,
    and a walk over every tag took a Swedish report seconds.

    >>> html('<select><option value="p">' + marked("Polku", "fi") + '</option></select>')
    '<select><option value="p" lang="fi">Polku</option></select>'
    >>> html('<svg><text x="1">Väg ' + marked("Polku", "fi") + '</text><title>'
    ...      + marked("Polku", "fi") + '</title></svg>')
    '<svg><text x="1">Väg<tspan lang="fi"> Polku</tspan></text><title lang="fi">Polku</title></svg>'
    >>> html('<script>var a = "' + marked("P", "fi") + '";</script><p>' + marked("P", "fi") + '</p>')
    '<script>var a = "P";</script><p lang="fi">P</p>'
    """
    if OPEN not in page:
        return _MARKS.sub("", page) if BETWEEN in page or CLOSE in page else page
    doc = _Page(page)
    # start of a token -> (its end, what it becomes); the tokens holding a mark, in order
    new: dict[int, tuple[int, str]] = {}
    done = 0
    at = page.find(OPEN)
    while at >= 0:
        start, end, markup = doc.token(at)
        if markup:
            new[start] = (end, _markup(page[start:end]))
        else:
            _text_token(doc, start, end, new)
        done = end
        at = page.find(OPEN, done)
    out: list[str] = []
    at = 0
    for start in sorted(new):
        end, text = new[start]
        out += (page[at:start], text)
        at = end
    out.append(page[at:])
    return "".join(out)


#: the tokens of a page that hold text only, whole: scripts, styles, titles, text areas,
#: comments (every other token is a tag, ``<`` to ``>``, or text between tokens)
_RAW_BLOCK = re.compile(r"<(script|style|title|textarea)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
                        re.S | re.I)
#: an SVG element's start or end tag
_SVG_TAG = re.compile(r"<(/?)svg[^>]*>", re.I)


class _Page:
    """A page cut into tokens: tags, blocks of text-only content (:data:`_RAW_BLOCK`) and text,
    found from any position without a walk over the tokens before it: a ``<`` outside a
    block always starts a tag (rendered pages escape it in text and attributes)."""

    def __init__(self, page: str) -> None:
        self.page = page
        blocks = [(m.start(), m.end()) for m in _RAW_BLOCK.finditer(page)]
        self.block_starts = [b[0] for b in blocks]
        self.block_ends = [b[1] for b in blocks]
        self.blocks = {b[0]: b[1] for b in blocks}
        # how deep in SVG the page is after each SVG tag outside a block
        self.svg_at: list[int] = []
        self.svg_depth: list[int] = []
        depth = 0
        for m in _SVG_TAG.finditer(page):
            if self.block(m.start()) is not None:
                continue
            if m.group(1):
                depth = max(0, depth - 1)
            elif not m.group(0).endswith("/>"):
                depth += 1
            self.svg_at.append(m.start())
            self.svg_depth.append(depth)

    def block(self, at: int) -> tuple[int, int] | None:
        """The block (start, end) that holds position ``at``, if any."""
        i = bisect_right(self.block_starts, at) - 1
        if i >= 0 and at < self.block_ends[i]:
            return self.block_starts[i], self.block_ends[i]
        return None

    def token(self, at: int) -> tuple[int, int, bool]:
        """The token that holds position ``at``: (start, end, is markup)."""
        page = self.page
        block = self.block(at)
        if block is not None:
            return block[0], block[1], True
        lt, gt = page.rfind("<", 0, at), page.rfind(">", 0, at)
        if lt > gt:  # in a tag
            end = page.find(">", at)
            return lt, (len(page) if end < 0 else end + 1), True
        end = page.find("<", at)
        return gt + 1, (len(page) if end < 0 else end), False

    def markup_before(self, start: int) -> tuple[int, str]:
        """The markup token that ends where a text token starts (start, text), or (start,
        "") at the page's start."""
        if start == 0:
            return 0, ""
        i = bisect_right(self.block_ends, start) - 1
        if i >= 0 and self.block_ends[i] == start:
            return self.block_starts[i], self.page[self.block_starts[i]:start]
        lt = self.page.rfind("<", 0, start)
        return lt, self.page[lt:start]

    def markup_after(self, end: int) -> str:
        """The markup token that starts where a text token ends ("" at the page's end)."""
        if end >= len(self.page):
            return ""
        if end in self.blocks:
            return self.page[end:self.blocks[end]]
        gt = self.page.find(">", end)
        return self.page[end:gt + 1]

    def in_svg(self, at: int) -> bool:
        """Whether position ``at`` is inside an SVG element."""
        i = bisect_right(self.svg_at, at) - 1
        return i >= 0 and self.svg_depth[i] > 0


def _markup(text: str) -> str:
    """A tag or a block that holds a mark, as written out: a title or text area filled
    by one name with that name's ``lang``, else the names as plain text."""
    raw = _RAW.match(text) if text[:9].lower().startswith(("<title", "<textarea")) else None
    if raw:
        # text only: lang on the element when one name fills it, else plain text
        inner = text[raw.end():text.rindex("</")]
        lang = whole(inner)
        start = _with_lang(raw.group(0), lang) if lang and " lang=" not in raw.group(0) \
            else raw.group(0)
        text = start + unmarked(inner) + text[text.rindex("</"):]
    return unmarked(text)


def _text_token(doc: _Page, start: int, end: int, new: dict[int, tuple[int, str]]) -> None:
    """Write out the text token ``start:end`` of ``doc``, which holds a mark, into
    ``new``: ``lang`` on the element it fills alone (the tag before it rewritten too), plain
    text in a text-only element, a ``<tspan>`` in SVG text, else ``<span lang>``s."""
    text = doc.page[start:end]
    before_at, before = doc.markup_before(start)
    after = doc.markup_after(end)
    opened = _START.match(before)
    element = opened.group(1).lower() if opened else ""
    lang = whole(text)
    if (lang and opened and element not in _VOID and not before.endswith("/>")
            and " lang=" not in before
            and after.lower().startswith(f"</{element}")):
        # the tag as written out (its marks gone)
        new[before_at] = (start, _with_lang(unmarked(before), lang))
        new[start] = (end, unmarked(text))
    elif element in _TEXT_ONLY:
        new[start] = (end, unmarked(text))
    elif doc.in_svg(start):
        # in SVG text a <tspan> may carry the language; elsewhere no markup may stand
        inside = element in ("text", "tspan") or before.lower().startswith("</tspan")
        new[start] = (end, _spans(text, "tspan") if inside else unmarked(text))
    else:
        new[start] = (end, _spans(text, "span"))
