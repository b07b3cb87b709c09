"""The plan's schedule: its measures over the months, grouped by goal, with milestones.

A leader reads a plan by time: what runs now, what ends soon, who leads what when, and
which dates the plan promised. :func:`plan_schedule` turns the plan layer of a graph into
plain data for a Gantt chart: one row per measure (start and end month, leads and
participants, the kinds of the findings on it, so that the chart marks exactly what the
findings say), grouped by goal, and the milestones the plan's text names ("Benchmark
lokakuussa" inside a measure that runs through 2026 is a milestone in 2026-10).

>>> from polku.io.plan import SAMPLE, parse_plan
>>> s = plan_schedule(parse_plan(SAMPLE).graph)
>>> s["first"], s["last"], [m["id"] for g in s["goals"] for m in g["measures"]]
('2026-01', '2026-09', ['measure-1-1'])
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import networkx as nx

from polku.finding import Finding
from polku.io.plan import _MONTH_STEMS, plan_summary

#: "lokakuussa" (in October), "lokakuussa 2027": a month the text pins something to.
_IN_MONTH = re.compile(r"(?<![\wåäö])(?P<stem>%s)kuussa(?:\s+(?P<year>\d{4}))?(?![\wåäö])"
                       % "|".join(_MONTH_STEMS), re.IGNORECASE)
#: a milestone's words: what comes before the month in its sentence, at most this long
MILESTONE_WORDS = 6
#: the measure's texts that may name milestones
MILESTONE_FIELDS = ("name", "note", "actions", "outputs")


def month_index(month: str) -> int:
    """``YYYY-MM`` as a month count, so months subtract.

    >>> month_index("2026-03") - month_index("2025-12")
    3
    """
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_name(index: int) -> str:
    """The inverse of :func:`month_index`.

    >>> month_name(month_index("2027-01"))
    '2027-01'
    """
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _dated(start: Any, end: Any) -> bool:
    pattern = r"\d{4}-\d{2}"
    return bool(isinstance(start, str) and isinstance(end, str)
                and re.fullmatch(pattern, start) and re.fullmatch(pattern, end)
                and start <= end)


def milestones(text: str, start: str | None = None, end: str | None = None) -> list[dict[str, str]]:
    """The milestones ``text`` names with a month: ``[{"month", "label"}]``.

    A month without a year falls on its first occurrence between ``start`` and ``end``
    (the measure's months); without those, or outside them, it is not placed. The label is
    the words before the month in the same sentence.

    >>> milestones("Benchmark lokakuussa", "2026-01", "2026-12")
    [{'month': '2026-10', 'label': 'Benchmark'}]
    >>> milestones("Väliraportti kesäkuussa 2027. Loppuseminaari joulukuussa", "2027-01", "2027-12")
    [{'month': '2027-06', 'label': 'Väliraportti'}, {'month': '2027-12', 'label': 'Loppuseminaari'}]
    >>> milestones("Benchmark lokakuussa")
    []
    """
    found = []
    for m in _IN_MONTH.finditer(text or ""):
        number = next(n for stem, n in _MONTH_STEMS.items() if m["stem"].lower() == stem)
        if m["year"]:
            month = f"{int(m['year']):04d}-{number:02d}"
        elif start and end and _dated(start, end):
            candidates = [month_name(i) for i in range(month_index(start), month_index(end) + 1)
                          if month_name(i).endswith(f"-{number:02d}")]
            if not candidates:
                continue
            month = candidates[0]
        else:
            continue
        before = re.split(r"[.;:!?\n•→]|(?<!\w)-\s", text[:m.start()])[-1].split()
        label = " ".join(before[-MILESTONE_WORDS:]) or m.group(0)
        found.append({"month": month, "label": label})
    return found


def plan_schedule(g: nx.MultiDiGraph, findings: Iterable[Finding | dict] = ()) -> dict[str, Any]:
    """The plan as a schedule (see the module doc).

    Returns ``{"first", "last"`` (the months the dated measures span, or None),
    ``"goals": [{"id", "title", "measures": [...]}]}``; each measure has ``id``,
    ``title``, ``start``, ``end`` (None when the plan gives no months), ``leads``,
    ``participants``, ``deferred``, ``findings`` (the kinds of ``findings`` on it, sorted) and
    ``milestones``. Measures without a goal come last under the goal id None.
    """
    summary = plan_summary(g)
    kinds: dict[str, set[str]] = {}
    for f in findings:
        d = f.to_dict() if isinstance(f, Finding) else f
        kinds.setdefault(d["subject"], set()).add(d["kind"])
    goals = [{"id": goal["id"], "title": goal["title"], "measures": []}
             for goal in summary["goals"]]
    by_goal = {goal["id"]: goal for goal in goals}
    dated: list[tuple[str, str]] = []
    for m in summary["measures"]:
        start, end = m["start"], m["end"]
        if not _dated(start, end):
            start = end = None
        else:
            dated.append((start, end))
        data = g.nodes[m["id"]]
        text = ". ".join(str(data[f]) for f in MILESTONE_FIELDS if data.get(f))
        row = {"id": m["id"], "title": m["title"], "start": start, "end": end,
               "leads": m["leads"], "participants": m["participants"],
               "deferred": m["deferred"], "findings": sorted(kinds.get(m["id"], ())),
               "milestones": milestones(text, start, end)}
        if m["goal"] not in by_goal:
            by_goal[m["goal"]] = {"id": m["goal"], "title": None, "measures": []}
            goals.append(by_goal[m["goal"]])
        by_goal[m["goal"]]["measures"].append(row)
    return {"first": min((s for s, _ in dated), default=None),
            "last": max((e for _, e in dated), default=None),
            "goals": [goal for goal in goals if goal["measures"]]}
