""":func:`polku.present.langmarks.html` finds the tokens that hold a mark from the mark
itself, without walking every tag of a page; held here to the plain walk over every token
(what it did before: the same bytes on random well-formed pages, whose text and attributes
are escaped as rendered pages' are)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from polku.present import langmarks
from polku.present.langmarks import (_MARKS, _RAW, _START, _TEXT_ONLY, _VOID, BETWEEN, CLOSE,
                                     OPEN, _spans, _with_lang, marked, unmarked, whole)

_TOKEN = re.compile(r"<(script|style|title|textarea)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^>]*>",
                    re.S | re.I)


def walked(page: str) -> str:
    """The plain walk: every token of the page in order, the SVG depth counted on the way."""
    if OPEN not in page:
        return _MARKS.sub("", page) if BETWEEN in page or CLOSE in page else page
    tokens: list[tuple[bool, str]] = []
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
            raw = _RAW.match(text)
            if raw and OPEN in text:
                inner = text[raw.end():text.rindex("</")]
                lang = whole(inner)
                start = _with_lang(raw.group(0), lang) if lang and " lang=" not in raw.group(0) \
                    else raw.group(0)
                text = start + unmarked(inner) + text[text.rindex("</"):]
            out.append(unmarked(text))
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
                and " lang=" not in before and after.lower().startswith(f"</{element}")):
            out[-1] = _with_lang(out[-1], lang)
            out.append(unmarked(text))
        elif element in _TEXT_ONLY:
            out.append(unmarked(text))
        elif svg:
            inside = element in ("text", "tspan") or before.lower().startswith("</tspan")
            out.append(_spans(text, "tspan") if inside else unmarked(text))
        else:
            out.append(_spans(text, "span"))
    return "".join(out)


words = st.one_of(
    st.builds(marked, st.sampled_from(["Polku", "A B", "Nuoret", ""]),
              st.sampled_from(["fi", "sv", "en"])),
    st.sampled_from(["Väg ", "x", " ", "&lt;b&gt;", "\n"]))
tags = st.sampled_from(["<p>", "</p>", "<td>", "</td>", "<option value='x'>", "</option>",
                        "<svg>", "</svg>", "<SVG>", "</Svg>", "<svg/>", "<text x='1'>",
                        "</text>", "<tspan>", "</tspan>", "<br>", "<span lang='sv'>",
                        "</span>", "<li>", "</li>", "<td lang='fi'>", "<style>p>a{}</style>"])
pieces = st.one_of(
    words, tags, tags,
    st.builds('<a title="{}">'.format, words),
    st.builds("<script>var a='{}<b>';</script>".format, words),
    st.builds("<!-- {} <p> -->".format, words),
    st.builds("<title>{}</title>".format, words),
    st.builds("<textarea>{}{}</textarea>".format, words, words))


@settings(max_examples=3000, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=14))
def test_html_is_the_walk_over_every_token(parts: list[str]) -> None:
    page = "".join(parts)
    assert langmarks.html(page) == walked(page)


def test_a_mark_in_a_script_after_svg_and_a_title() -> None:
    page = ("<svg><title>" + marked("P", "fi") + "</title><text>Väg " + marked("P", "fi")
            + "</text></svg><script>x='" + marked("P", "fi") + "'</script><p>"
            + marked("P", "fi") + "</p>")
    assert langmarks.html(page) == walked(page) == (
        '<svg><title lang="fi">P</title><text>Väg<tspan lang="fi"> P</tspan></text></svg>'
        "<script>x='P'</script><p lang=\"fi\">P</p>")
