"""What a designer reads about a segment: the report's best path of each segment names the
needs it leaves uncovered (markdown and HTML), and the web UI's queueing what-if page."""

from __future__ import annotations

import shutil
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from polku.app import create_app
from polku.present.i18n import translator
from polku.io.load import load_graph
from polku.analyses.paths import best_paths
from polku.present.report import report_data, report_html, report_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_report_names_each_best_paths_uncovered_needs():
    g = load_graph(ROOT / "graphs" / "keski-uusimaa.ttl")
    tr = translator("en")
    data = report_data(g, tr=tr)
    left = {s["id"]: best_paths(g, s["id"], k=1)[0]["uncovered"] for s in data["segments"]
            if s["best"]}
    assert any(left.values()), "some segment's best path leaves a need uncovered"
    md = report_markdown(data, tr)
    html = unescape(report_html(g, data, views=False, tr=tr))
    assert "| needs left uncovered |" in md and "<th>needs left uncovered</th>" in html
    for sid, needs in left.items():
        row = next(line for line in md.splitlines() if f"(`{sid}`)" in line and "|" in line)
        last = row.rstrip(" |").rsplit("|", 1)[1].strip()
        assert last == (", ".join(tr.label(g, n) for n in needs) or "–"), row
        if needs:
            assert ", ".join(tr.label(g, n) for n in needs) in html
