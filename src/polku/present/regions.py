"""Regions side by side for people: a terminal table, CSV, and a self-contained page with a
small-multiples chart (inline SVG, nothing fetched), in the reader's language. The figures
come from :func:`polku.analyses.regions.compare_regions`."""

from __future__ import annotations

import csv
import io
from html import escape
from typing import Any

from polku.errors import HUGE
from polku.graph import DEFAULT_TEXT_LANG
from polku.present import langmarks
from polku.present.i18n import Name, Translator, kind_name, translator
from polku.words import N_

#: measure -> (its label, how it is written: count, share, days, ratio, rate)
MEASURE_WORDS: dict[str, tuple[str, str]] = {
    "people": (N_("people in segments"), "count"),
    "needs_covered": (N_("needs covered"), "share"),
    "median_wait_days": (N_("median wait on hand-offs (days)"), "days"),
    "information_travels": (N_("referrals where information travels"), "share"),
    "leads_per_measure": (N_("leads per plan measure"), "ratio"),
    "findings_per_10k_total": (N_("findings per 10,000 people"), "rate"),
}
#: colours of the regions' bars (at least 3:1 against white, told apart also by the label)
COLOURS = ("#1f5fa8", "#b3541e", "#2b7a3d", "#7b3fa0", "#8a6d00", "#a3324a")


def _value(v: Any, how: str, tr: Translator) -> str:
    if v is None:
        return "–"
    if isinstance(v, str):  # a suppressed small cell, as privacy shows it
        return v
    if how == "share":
        return tr.percent(v)
    if how in ("days", "ratio", "rate") and abs(v) < HUGE:
        # the true value rounded once, a half up as Translator.percent rounds a share
        # (3 / 7,600 × 10,000 = 3.947 is 3,9, never 3.95 and then 4,0)
        from decimal import ROUND_HALF_UP, Decimal

        tenths = float(Decimal(repr(float(v))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        return tr.number(tenths, 1 if how != "days" or v % 1 else None)
    return tr.number(v)


#: decimals a file for programs (CSV, JSON) keeps of a share, rate, ratio or wait: the
#: table's precision (a whole percent, a tenth) is for people, and a program rounding
#: again from four decimals reads what the table reads (3.9474, never 3.95 and then 4.0)
FILE_DECIMALS = 4


def for_files(v: Any) -> Any:
    """A figure as the CSV and JSON write it: a fraction rounded once to
    :data:`FILE_DECIMALS` decimals, a half up as the table rounds; a count, a suppressed
    cell's text or nothing as it is.

    >>> for_files(3 / 7600 * 10000), for_files(0.00005), for_files(7600), for_files("<5")
    (3.9474, 0.0001, 7600, '<5')
    """
    if not isinstance(v, float) or not abs(v) < HUGE:  # a tenth of 1e300 is no figure
        return v
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(v)).quantize(Decimal(1).scaleb(-FILE_DECIMALS),
                                           rounding=ROUND_HALF_UP))


def compared(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The comparison as its JSON and CSV write it in ``lang``: each region's ``title`` and
    ``region_name`` in that language where the graph gives them (as ``/api/graphs`` and
    ``polku show`` give a title), the ``title_sv``, ``region_name_en``, … kept beside them
    as data; a region named by its title for want of a region follows its title; every
    figure rounded once for a file (:func:`for_files`).

    >>> r = {"region": "a", "title": "A-alue", "title_sv": "A-området", "region_name": "A",
    ...      "region_name_sv": "Å"}
    >>> [(x["title"], x["region_name"]) for x in compared({"regions": [r]}, "sv")["regions"]]
    [('A-området', 'Å')]
    >>> compared({"regions": [r]}, "en")["regions"][0]["title"]
    'A-alue'
    >>> untitled = {"region": "b", "title": "B", "title_en": "Bee", "region_name": "B"}
    >>> compared({"regions": [untitled]}, "en")["regions"][0]["region_name"]
    'Bee'
    """
    def worded(r: dict[str, Any]) -> dict[str, Any]:
        title = r.get(f"title_{lang}") or r.get("title")
        region = title if r.get("region_name") == r.get("title") else \
            r.get(f"region_name_{lang}") or r.get("region_name")
        figures = {m: for_files(r[m]) for m in MEASURE_WORDS if m in r}
        per_10k = {k: for_files(v) for k, v in (r.get("findings_per_10k") or {}).items()}
        return dict(r, title=title, region_name=region, **figures,
                    **({"findings_per_10k": per_10k} if "findings_per_10k" in r else {}))

    return dict(result, regions=[worded(r) for r in result.get("regions", [])])


def region_names(regions: list[dict[str, Any]], lang: str | None = None) -> list[str]:
    """The regions as people know them (the graph sheet's ``region``: "Keski-Uusimaa"),
    else their titles (in ``lang`` where the graph gives one), else their ids: whichever
    tells them apart first.

    >>> region_names([{"region": "a", "title": "A 2026", "region_name": "A"},
    ...               {"region": "b", "title": "B", "region_name": "B"}])
    ['A', 'B']
    >>> region_names([{"region": "a", "title": "A 2026", "region_name": "A"},
    ...               {"region": "a2", "title": "A 2027", "region_name": "A",
    ...                "title_sv": "A år 2027"}], "sv")
    ['A 2026', 'A år 2027']
    >>> region_names([{"region": "a", "title": "A", "region_name": "Keski-Suomi",
    ...                "region_name_sv": "Mellersta Finland"}], "sv")
    ['Mellersta Finland']
    """
    return [name.text for name in regions_named(regions, lang)]


def regions_named(regions: list[dict[str, Any]], lang: str | None = None) -> list[Name]:
    """:func:`region_names` and the language each is written in: ``lang`` where the graph
    gives the name in it, else the graph sheet's own (Finnish); an id is in none.

    >>> regions_named([{"region": "a", "title": "A", "region_name": "Keski-Suomi",
    ...                 "region_name_sv": "Mellersta Finland"},
    ...                {"region": "b", "title": "B", "region_name": "Kainuu"}], "sv")
    [Name(text='Mellersta Finland', lang='sv'), Name(text='Kainuu', lang='fi')]
    """
    def said(r: dict[str, Any], key: str) -> Name:
        if key in ("title", "region_name"):
            # a title, or a region named by its title for want of a region: in the reader's
            # language where the graph gives it; the region's Swedish or English name
            # where there is one
            own = "title" if key == "title" or r.get(key) == r.get("title") else key
            if lang and r.get(f"{own}_{lang}"):
                return Name(str(r[f"{own}_{lang}"]), lang)
            if r.get(key) and r.get(key) != r["region"]:
                return Name(str(r[key]), DEFAULT_TEXT_LANG)
        return Name(str(r.get(key) or r["region"]), None)

    for key in ("region_name", "title", "region"):
        names = [said(r, key) for r in regions]
        if len({n.text for n in names}) == len(names):
            return names
    return [Name(r["region"], None) for r in regions]


def _kind_rate(kind: str, tr: Translator) -> str:
    """A finding kind's rate as a figure's label, by the kind's name in the reader's
    language."""
    return tr("{kind} per 10,000 people").format(kind=kind_name(kind, tr))


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words (a word
    longer than that stands on its own line), never inside a number.

    >>> _wrapped("över kapaciteten per 10 000 personer", 26)
    ['över kapaciteten per', '10 000 personer']
    """
    lines: list[str] = []
    words: list[str] = []
    for word in text.split():
        # a number's groups of three stay together ("10 000")
        if words and words[-1][-1:].isdigit() and word.isdigit() and len(word) == 3:
            words[-1] += " " + word
        else:
            words.append(word)
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def regions_table(result: dict[str, Any], tr: Translator | None = None) -> list[list[str]]:
    """The comparison as rows of text: a header, one row per measure and per finding kind
    (per 10,000 people), a column per region."""
    tr = tr or translator()
    regions = result["regions"]
    rows = [[tr("figure")] + [tr.mark(*n) for n in regions_named(regions, tr.lang)]]
    for m in result["measures"]:
        label, how = MEASURE_WORDS[m]
        rows.append([tr(label)] + [_value(r.get(m), how, tr) for r in regions])
    for kind in result["kinds"]:
        rows.append([_kind_rate(kind, tr)]
                    + [_value(r["findings_per_10k"].get(kind, 0 if r["findings_per_10k"] else None),
                              "rate", tr) for r in regions])
    return rows


def regions_text(result: dict[str, Any], tr: Translator | None = None) -> str:
    """The table for a terminal, columns aligned; illustrative regions marked."""
    tr = tr or translator()
    rows = regions_table(result, tr)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                       enumerate(zip(r, widths))).rstrip() for r in rows]
    notes = _notes(result, tr)
    return "\n".join(lines + [""] + notes if notes else lines)


def _notes(result: dict[str, Any], tr: Translator) -> list[str]:
    notes = [tr("{region}: illustrative data, not real figures").format(region=name)
             for name, r in zip([tr.mark(*n) for n in regions_named(result["regions"], tr.lang)],
                                result["regions"])
             if r["illustrative"]]
    if result.get("min_cell"):
        notes.append(tr.ngettext("Segments under {n} person are left out of the totals.",
                                 "Segments under {n} people are left out of the totals.",
                                 result["min_cell"]).format(n=result["min_cell"]))
    return notes


def regions_csv(result: dict[str, Any], lang: str = DEFAULT_TEXT_LANG) -> str:
    """One row per region, one column per figure (machine-readable: plain numbers rounded
    once as the JSON's, :func:`compared`; the kinds' rates as ``findings_per_10k:<kind>``);
    the title in ``lang`` where the graph gives one, as the JSON's; a title that starts
    like a formula gets a leading ``'``, as in every CSV polku writes."""
    from polku.io.workbook import neutral

    result = compared(result, lang)
    buf = io.StringIO(newline="")
    cols = ["region", "title", "illustrative", "suppressed_segments"] + result["measures"] + [
        f"findings_per_10k:{k}" for k in result["kinds"]]
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in result["regions"]:
        row = {**r, **{f"findings_per_10k:{k}": r["findings_per_10k"].get(k, 0)
                       if r["findings_per_10k"] else "" for k in result["kinds"]}}
        w.writerow(["" if row.get(c) is None else
                    ("yes" if row[c] is True else "no" if row[c] is False else
                     neutral(row[c]) if isinstance(row[c], str) else row[c])
                    for c in cols])
    return buf.getvalue()


def small_multiples_svg(result: dict[str, Any], tr: Translator | None = None) -> str:
    """One small bar chart per measure and per finding kind, a bar per region, all on
    their own scales; inline SVG with a title and description for screen readers (the
    table beside it says the same)."""
    tr = tr or translator()
    regions = result["regions"]
    panels: list[tuple[str, str, list[Any]]] = []
    for m in result["measures"]:
        label, how = MEASURE_WORDS[m]
        panels.append((tr(label), how, [r.get(m) for r in regions]))
    for kind in result["kinds"]:
        panels.append((_kind_rate(kind, tr), "rate",
                       [r["findings_per_10k"].get(kind, 0) if r["findings_per_10k"] else None
                        for r in regions]))
    names = regions_named(regions, tr.lang)
    cols, pw, bar, gap, line = 3, 300, 22, 8, 15
    # a title wraps rather than run into the next panel (about 7 px a bold character at 12 px)
    titles = [_wrapped(label, 38) for label, _, _ in panels]
    head = 12 + line * max(len(t) for t in titles) if titles else 12
    ph = head + 16 + len(regions) * (bar + gap)
    rows_n = (len(panels) + cols - 1) // cols
    width, height = cols * pw, rows_n * ph
    e = escape
    title = tr("Regions side by side")
    desc = tr("One small chart per figure, a bar per region; the table gives the same "
              "figures.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="rs-title rs-desc" '
           'font-family="system-ui, sans-serif" font-size="12">',
           f'<title id="rs-title">{e(title)}</title>',
           f'<desc id="rs-desc">{e(desc)}</desc>']
    for i, (label, how, values) in enumerate(panels):
        x0, y0 = (i % cols) * pw, (i // cols) * ph
        numbers = [v for v in values if isinstance(v, (int, float))]
        top = max(numbers) if numbers else 0
        out.append(f'<g transform="translate({x0},{y0})">')
        out.append('<text font-weight="600" fill="#1a1a1a">' + "".join(
            f'<tspan x="8" y="{18 + k * line}">{e(t)}</tspan>' for k, t in enumerate(titles[i]))
            + "</text>")
        for j, ((name, lang), v) in enumerate(zip(names, values)):
            y = head + 4 + j * (bar + gap)
            # a long name cut short keeps the whole one on hover (18 characters fit before
            # the bar: 'Mellersta Finland', 'Central Uusimaa' whole); cut as plain text,
            # then marked with its language
            shown = e(tr.mark(name, lang)) if len(name) <= 18 else (
                f"<title>{e(tr.mark(name, lang))}</title>"
                f"<tspan>{e(tr.mark(name[:17] + '…', lang))}</tspan>")
            out.append(f'<text x="8" y="{y + 15}" fill="#1a1a1a">{shown}</text>')
            length = (v / top * 120) if isinstance(v, (int, float)) and top > 0 else 0
            out.append(f'<rect x="130" y="{y}" width="{length:.1f}" height="{bar}" '
                       f'fill="{COLOURS[j % len(COLOURS)]}"/>')
            out.append(f'<text x="{134 + length:.1f}" y="{y + 15}" fill="#1a1a1a">'
                       f'{e(_value(v, how, tr))}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def regions_html(result: dict[str, Any], tr: Translator | None = None) -> str:
    """The comparison as one self-contained page: the chart, the table, what is illustrative
    and what was left out (nothing fetched: a Content-Security-Policy blocks it)."""
    tr = (tr or translator()).marking()  # a page: a name in another language marked
    e = escape
    rows = regions_table(result, tr)
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in rows[0])
    body = "".join("<tr>" + f'<th scope="row">{e(r[0])}</th>'
                   + "".join(f"<td>{e(c)}</td>" for c in r[1:]) + "</tr>" for r in rows[1:])
    notes = "".join(f"<li>{e(x)}</li>" for x in _notes(result, tr))
    title = tr("Regions side by side")
    style = ("body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}"
             "table{border-collapse:collapse;margin-top:1.5rem}"
             "th,td{border:1px solid #868e96;padding:.3rem .6rem}td{text-align:right}"
             "thead th{background:#e9ecef}tbody th{text-align:left;font-weight:normal}"
             "svg{max-width:100%;height:auto}")
    page = (f'<!DOCTYPE html>\n<html lang="{tr.html_lang}"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{style}</style></head><body><main>"
            f"<h1>{e(title)}</h1>" + (f"<ul>{notes}</ul>" if notes else "")
            + f"<figure>{small_multiples_svg(result, tr)}</figure>"
            + f"<table><caption>{e(title)}</caption><thead><tr>{head}</tr></thead>"
            + f"<tbody>{body}</tbody></table></main></body></html>\n")
    # a region named in another language than the page's is marked with it (WCAG 3.1.2)
    return langmarks.html(page)
