"""The ``timeline`` view: the action plan as a Gantt chart.

Months run along the top; each measure is one bar over the months it runs, in rows grouped
by goal. A bar's colour says who leads the measure (each combination of leads its own
colour, named in the legend). What the findings say about a measure marks its bar, so the
chart and the findings never disagree: a measure whose division of work is still to be
agreed (``deferred-responsibility``) is hatched with a dashed border, one with several
leads (``multiple-leads``) has a thick amber border, one with no lead a red one.
Milestones the plan's text names (:func:`polku.analyses.schedule.milestones`) are diamonds on their
month, and a red line marks today. Measures without months say so in their row.

The chart is one inline SVG drawn here (no network drawing, no script needed to read it),
followed by the same facts as a table for screen readers and keyboard users.

>>> from polku.io.plan import SAMPLE, parse_plan
>>> from polku.present.views.facts import Facts
>>> from datetime import date
>>> v = timeline_view(parse_plan(SAMPLE).graph, Facts(parse_plan(SAMPLE).graph, []),
...                   today=date(2026, 5, 15))
>>> v.kind, v.chart.count('class="gantt-bar"'), 'class="gantt-today"' in v.chart
('timeline', 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
from markupsafe import Markup, escape

from polku import clock
from polku.analyses.plan_findings import plan_tally
from polku.graph import DEFAULT_TEXT_LANG
from polku.present.i18n import Translator, translator
from polku.analyses.schedule import month_index, month_name, plan_schedule
from polku.present.views.facts import KIND_COLOURS, SEVERITY_COLOURS, Facts, View
from polku.present.views.plan import measure_number

#: colours for lead combinations, after the actors' own kind colours
LEAD_SET_COLOURS = ("#e76f51", "#8338ec", "#2a9d8f", "#3d5a80", "#b5838d", "#f4a261",
                    "#588157", "#48bfe3", "#9c6644", "#6d6875")
NO_LEAD_COLOUR = "#dee2e6"
DEFERRED_BORDER = "#5c4d7d"
TODAY_COLOUR = "#c1121f"
MILESTONE_COLOUR = "#111827"
#: the bar colour under the hatching in the legend's sample (any lead's colour may be)
HATCH_SAMPLE = "#8d99ae"

MONTH_WIDTH = 30
LABEL_WIDTH = 440
ROW_HEIGHT = 30
GOAL_HEIGHT = 44
AXIS_HEIGHT = 64
#: width of one character of the today label (12 px, bold), to keep it inside the chart
TODAY_CHAR = 7.5
BAR_HEIGHT = 18
#: characters of a measure's title that fit its label at 13 px beside the number
LABEL_CHARS = 56
#: the language of a milestone's words: they are read off the plan's text around a Finnish
#: month name (:func:`polku.analyses.schedule.milestones`)
MILESTONE_LANG = DEFAULT_TEXT_LANG


@dataclass(frozen=True)
class Layout:
    """Where the months are: ``first`` is the month index at the chart's left edge."""
    first: int
    months: int
    left: float = LABEL_WIDTH

    def x(self, month: str) -> float:
        return self.left + (month_index(month) - self.first) * MONTH_WIDTH

    def x_of_day(self, day: date) -> float:
        import calendar

        into = (day.day - 1) / calendar.monthrange(day.year, day.month)[1]
        return self.left + (day.year * 12 + day.month - 1 - self.first + into) * MONTH_WIDTH

    @property
    def width(self) -> float:
        return self.left + self.months * MONTH_WIDTH + 24


def lead_colours(g: nx.MultiDiGraph, lead_sets: list[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """One colour per combination of leads: a single lead keeps its organisation kind's
    colour (as in every other view), combinations take the next spare colour."""
    colours: dict[tuple[str, ...], str] = {}
    spare = iter(LEAD_SET_COLOURS * 10)
    for leads in lead_sets:
        if leads in colours:
            continue
        own = KIND_COLOURS.get(g.nodes[leads[0]].get("kind", "")) if len(leads) == 1 else None
        if not leads:
            colours[leads] = NO_LEAD_COLOUR
        elif own and own not in colours.values():
            colours[leads] = own
        else:
            colour = next(spare)
            while colour in colours.values():
                colour = next(spare)
            colours[leads] = colour
    return colours


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` characters (the last one cut)."""
    words, out, line = " ".join(str(text).split()).split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _short(out[-1] + " …", width)
    return out


def _svg_text(x: float, y: float, text: str, cls: str, **attrs: Any) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}"{extra}>{escape(text)}</text>'


def _axis(layout: Layout, top: float, bottom: float, tr: Translator) -> list[str]:
    """Year bands, month numbers and month lines."""
    out = []
    for i in range(layout.months):
        month = month_name(layout.first + i)
        x = layout.left + i * MONTH_WIDTH
        year, number = int(month[:4]), int(month[5:])
        if year % 2:
            out.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{MONTH_WIDTH}" '
                       f'height="{bottom - top:.1f}" class="gantt-oddyear"/>')
        if number == 1 or i == 0:
            out.append(_svg_text(x + 4, top + 34, str(year), "gantt-year"))
        out.append(_svg_text(x + MONTH_WIDTH / 2, top + 54, str(number), "gantt-month",
                             text_anchor="middle"))
        cls = "gantt-gridyear" if number == 1 else "gantt-grid"
        out.append(f'<line x1="{x:.1f}" y1="{top + 40:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                   f'class="{cls}"/>')
    return out


def timeline_view(g: nx.MultiDiGraph, facts: Facts, today: date | None = None) -> View:
    """The plan as a Gantt chart (see the module doc); ``today`` (default: the date in
    Finland when the page is drawn, :func:`polku.clock.today`) places the today line."""
    tr: Translator = getattr(facts, "tr", None) or translator()
    today = today or clock.today()  # in Finland, as every date polku shows
    findings = [f for fs in facts.findings.values() for f in fs]
    schedule = plan_schedule(g, findings)
    rows = [m for goal in schedule["goals"] for m in goal["measures"]]
    colours = lead_colours(g, [tuple(m["leads"]) for m in rows])
    first = month_index(schedule["first"]) if schedule["first"] else today.year * 12
    last = month_index(schedule["last"]) if schedule["last"] else first + 11
    # whole years on the axis: a reader finds a month by its place in the year
    first -= first % 12
    last += 11 - last % 12
    layout = Layout(first=first, months=last - first + 1)

    body: list[str] = []
    table: list[dict[str, Any]] = []
    y = float(AXIS_HEIGHT)
    for goal in schedule["goals"]:
        # goals and measures by their names in the reader's language, else in the plan's
        # (each line and label marked with it: one language per text element)
        title, lang = (tr.name(g, goal["id"]) if goal["title"]
                       else (tr("Measures with no goal"), None))
        lines = _wrap(title, int(layout.width / 7.6), 2)
        body.append(f'<rect x="0" y="{y:.1f}" width="{layout.width:.1f}" '
                    f'height="{GOAL_HEIGHT - 4}" class="gantt-goalband"/>')
        for i, line in enumerate(lines):
            body.append(_svg_text(8, y + 16 + i * 16, tr.mark(line, lang), "gantt-goal"))
        y += GOAL_HEIGHT
        for m in goal["measures"]:
            number = measure_number(m["id"])
            name, lang = tr.name(g, m["id"])
            label = f"{number} {tr.mark(name, lang)}"
            leads = tuple(m["leads"])
            marks = set(m["findings"])
            body.append(f'<g class="gantt-row" data-measure="{escape(m["id"])}">')
            body.append(f'<title>{escape(label)}</title>')
            # shortened as plain text (the marks are no characters a reader sees)
            short_name = _short(name, LABEL_CHARS - len(number) - 1)
            body.append(_svg_text(8, y + ROW_HEIGHT / 2 + 5,
                                  f"{number} {tr.mark(short_name, lang)}", "gantt-label"))
            if m["start"]:
                x0, x1 = layout.x(m["start"]), layout.x(m["end"]) + MONTH_WIDTH
                cls = ["gantt-bar"]
                if "deferred-responsibility" in marks or m["deferred"]:
                    cls.append("deferred")
                if "multiple-leads" in marks:
                    cls.append("several-leads")
                if "no-lead" in marks or not leads:
                    cls.append("no-lead")
                top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
                # what the bar's marks mean, where a pointer rests on it
                bar_title = " · ".join(t for t in (label, tr.month_range(m["start"], m["end"]),
                                                   _marks_text(marks, m["deferred"], tr)) if t)
                body.append(f'<rect x="{x0 + 1:.1f}" y="{top:.1f}" width="{x1 - x0 - 2:.1f}" '
                            f'height="{BAR_HEIGHT}" rx="4" fill="{colours[leads]}" '
                            f'class="{" ".join(cls)}" data-measure="{escape(m["id"])}">'
                            f'<title>{escape(bar_title)}</title></rect>')
                if "deferred" in cls:
                    body.append(f'<rect x="{x0 + 1:.1f}" y="{top:.1f}" '
                                f'width="{x1 - x0 - 2:.1f}" height="{BAR_HEIGHT}" rx="4" '
                                f'class="gantt-hatch" fill="url(#gantt-hatch)"/>')
                lead_text = ", ".join(tr.label(g, a) for a in leads) or tr("no lead")
                if x1 - x0 > 7 * len(lead_text) + 12:
                    body.append(_svg_text(x0 + 7, top + BAR_HEIGHT - 5, lead_text, "gantt-bartext"))
                for ms in m["milestones"]:
                    cx = layout.x(ms["month"]) + MONTH_WIDTH / 2
                    cy = y + ROW_HEIGHT / 2
                    body.append(f'<g class="gantt-milestone" data-month="{ms["month"]}">'
                                f'<title>{escape(ms["label"])} · {ms["month"]}</title>'
                                f'<polygon points="{cx:.1f},{cy - 10:.1f} {cx + 10:.1f},{cy:.1f} '
                                f'{cx:.1f},{cy + 10:.1f} {cx - 10:.1f},{cy:.1f}"/>'
                                + _svg_text(cx + 13, cy - 6, tr.mark(ms["label"], MILESTONE_LANG),
                                            "gantt-mslabel")
                                + '</g>')
            else:
                body.append(_svg_text(layout.left + 6, y + ROW_HEIGHT / 2 + 5,
                                      tr("no months in the plan"), "gantt-nomonths"))
            body.append("</g>")
            table.append({"id": m["id"], "label": label, "goal": goal["id"],
                          "start": m["start"], "end": m["end"],
                          # the months as the reader's language writes them, for the table
                          "start_shown": tr.month(m["start"]) if m["start"] else None,
                          "end_shown": tr.month(m["end"]) if m["end"] else None,
                          "leads": ", ".join(tr.label(g, a) for a in leads) or tr("no lead"),
                          "participants": ", ".join(tr.label(g, a) for a in m["participants"]),
                          "marks": _marks_text(marks, m["deferred"], tr),
                          "milestones": "; ".join(
                              f"{tr.month(ms['month'])} {tr.mark(ms['label'], MILESTONE_LANG)}"
                              for ms in m["milestones"])})
            y += ROW_HEIGHT
    bottom = y + 8
    axis = _axis(layout, 0, bottom, tr)
    today_line = []
    if layout.first <= today.year * 12 + today.month - 1 < layout.first + layout.months:
        tx = layout.x_of_day(today)
        text = tr("today {date}").format(date=tr.day(today))
        # The line starts below the axis (year and month labels stay clear of it); its
        # label sits in the band above the years, beside a small marker, and turns to
        # the left of the line near the chart's right edge.
        right = tx + 10 + TODAY_CHAR * len(text) > layout.width
        today_line = [f'<g class="gantt-today" data-date="{today.isoformat()}">'
                      f'<line x1="{tx:.1f}" y1="{AXIS_HEIGHT - 2:.1f}" x2="{tx:.1f}" '
                      f'y2="{bottom:.1f}"/>'
                      f'<polygon points="{tx - 5:.1f},{AXIS_HEIGHT - 9:.1f} '
                      f'{tx + 5:.1f},{AXIS_HEIGHT - 9:.1f} {tx:.1f},{AXIS_HEIGHT - 2:.1f}"/>'
                      + _svg_text(tx - 6 if right else tx + 6, 14, text, "gantt-todaylabel",
                                  text_anchor="end" if right else "start") + '</g>']
    height = bottom + 4
    title = tr("Plan timeline · {graph}").format(graph=tr.title(g))
    svg = (f'<svg class="gantt" xmlns="http://www.w3.org/2000/svg" role="img" '
           f'aria-labelledby="gantt-title" width="{layout.width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {layout.width:.0f} {height:.0f}">'
           f'<title id="gantt-title">{escape(title)}</title>'
           '<defs><pattern id="gantt-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="3" height="8" fill="#ffffff" '
           'fill-opacity="0.55"/></pattern></defs>'
           + "".join(axis) + "".join(body) + "".join(today_line) + "</svg>")
    legend = [{"item": "heading", "label": tr("Colour: who leads")}]
    legend += [{"item": "node", "shape": "box", "colour": colour,
                "border": colour, "label": ", ".join(tr.label(g, a) for a in leads)
                or tr("no lead")} for leads, colour in colours.items()]
    legend += [{"item": "heading", "label": tr("Marks")},
               # drawn as the bars are: stripes over a bar's colour, a dashed border
               {"item": "node", "shape": "box", "colour": HATCH_SAMPLE, "border": DEFERRED_BORDER,
                "dash": "4 3", "hatch": True,
                "label": tr("hatched, dashed: division of work still to be agreed")},
               {"item": "node", "shape": "box", "colour": "#ffffff",
                "border": SEVERITY_COLOURS["warning"],
                "label": tr("thick amber border: several leads")},
               {"item": "node", "shape": "box", "colour": "#ffffff",
                "border": SEVERITY_COLOURS["error"], "label": tr("red border: no lead")},
               {"item": "node", "shape": "diamond", "colour": MILESTONE_COLOUR,
                "border": MILESTONE_COLOUR, "label": tr("milestone named in the plan")},
               {"item": "edge", "colour": TODAY_COLOUR, "width": 2, "dash": "5 4",
                "label": tr("today")}]
    span = (tr.month_range(schedule["first"], schedule["last"]) if schedule["first"]
            else tr("no months"))
    tally = plan_tally(g)  # counted as the findings and the plan view count
    # as the plan view's subtitle: each count in its own words, the findings' after names
    subtitle = " · ".join((
        tr.ngettext("{n} measure", "{n} measures", tally["measures"]).format(
            n=tally["measures"]),
        span,
        tr("division of work deferred: {n}").format(n=tally["deferred"]),
        tr("with several leads: {n}").format(n=tally["multiple_leads"]),
        tr("without months: {n}").format(n=tally["undated"])))
    return View(kind="timeline", title=title, subtitle=subtitle, nodes=[], edges=[],
                legend=legend, hierarchical=False, physics=False, chart=Markup(svg),
                table={"title": tr("The timeline as a table"),
                       "headers": [tr("measure"), tr("starts"), tr("ends"), tr("leads"),
                                   tr("taking part"), tr("marks"), tr("milestones")],
                       "rows": table})


def _marks_text(marks: set[str], deferred: bool, tr: Translator) -> str:
    texts = []
    if "deferred-responsibility" in marks or deferred:
        texts.append(tr("division of work still to be agreed"))
    if "multiple-leads" in marks:
        texts.append(tr("several leads"))
    if "no-lead" in marks:
        texts.append(tr("no lead"))
    return "; ".join(texts)
