"""The plan's schedule (polku.analyses.schedule): measures over months by goal, the marks the
findings give, and the milestones the plan's text names."""

from __future__ import annotations

from pathlib import Path

from polku.analyses.findings import find
from polku.io.load import load_graph
from polku.analyses.schedule import milestones, plan_schedule

ROOT = Path(__file__).resolve().parents[1]


def test_the_plans_benchmark_is_a_milestone_in_october_2026():
    g = load_graph(ROOT / "graphs" / "plan.ttl")
    s = plan_schedule(g, find(g))
    rows = {m["id"]: m for goal in s["goals"] for m in goal["measures"]}
    assert rows["measure-1-2"]["milestones"] == [{"month": "2026-10", "label": "Benchmark"}]
    assert (s["first"], s["last"]) == ("2026-01", "2028-06")
    assert [goal["id"] for goal in s["goals"]] == ["goal-1", "goal-2", "goal-3"]
    assert len(rows) == 18


def test_marks_come_from_the_findings_and_undated_measures_have_no_months():
    g = load_graph(ROOT / "graphs" / "plan.ttl")
    fs = find(g)
    rows = {m["id"]: m for goal in plan_schedule(g, fs)["goals"] for m in goal["measures"]}
    for m, row in rows.items():
        assert row["findings"] == sorted({f.kind for f in fs if f.subject == m})
    assert rows["measure-1-5"]["start"] is None and rows["measure-1-5"]["end"] is None
    # without findings, nothing is marked
    assert all(not r["findings"] for goal in plan_schedule(g)["goals"] for r in goal["measures"])


def test_milestone_months_fall_inside_the_measure_or_are_not_placed():
    assert milestones("Raportti maaliskuussa", "2026-06", "2027-06") == [
        {"month": "2027-03", "label": "Raportti"}]
    assert milestones("Raportti maaliskuussa", "2026-06", "2026-12") == []
    assert milestones("Raportti maaliskuussa 2028", "2026-06", "2026-12") == [
        {"month": "2028-03", "label": "Raportti"}]
    # "kuussa" alone or inside a word is no month
    assert milestones("kerran kuussa; lokakuussaan", "2026-01", "2026-12") == []
