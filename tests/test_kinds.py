"""One catalogue of finding kinds (polku.kinds): the findings, the plan findings, the
report and the README all say the same about every kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from polku.analyses import findings, plan_findings
from polku.kinds import KIND_CATALOGUE, meaning, severities

ROOT = Path(__file__).resolve().parents[1]


def readme_kinds() -> dict[str, str]:
    """kind -> severity from the README's table of finding kinds."""
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", (ROOT / "README.md")
                      .read_text(encoding="utf-8"), flags=re.M)
    return dict(rows)


def test_readme_lists_every_kind_with_its_severity():
    assert readme_kinds() == severities()


def test_findings_modules_take_their_kinds_from_the_catalogue():
    assert findings.KINDS == severities("ecosystem")
    assert plan_findings.KINDS == severities("plan")
    assert set(findings.KINDS) | set(plan_findings.KINDS) | set(severities("eventlog")) == \
        set(KIND_CATALOGUE)
    assert severities("eventlog") == {"unmodelled-flow": "warning"}


def test_every_kind_means_something_for_the_report():
    assert all(meaning(k) for k in KIND_CATALOGUE)
    assert meaning("no-such-kind") == ""


def test_unknown_layer_is_refused():
    with pytest.raises(ValueError, match="unknown layer"):
        severities("national")
    with pytest.raises(ValueError, match="ecosystem, plan or eventlog"):
        severities("national")


def test_the_docs_group_the_responsibility_kinds_as_the_catalogue_does():
    """docs/findings.md names the responsibility gaps and overlaps the report lists under
    their own heading: the catalogue's (each kind's ``responsibility``)."""
    from polku.kinds import RESPONSIBILITY_KINDS

    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    part = text.split("## Responsibility gaps and overlaps")[1].split("\n## ")[0]
    said = {}
    for group in ("gap", "overlap"):
        line = re.search(rf"^- {group}s: (.*?)(?=^- |\Z)", part, re.M | re.S).group(1)
        said[group] = set(re.findall(r"`([a-z-]+)`", line))
    assert said == {g: {k for k in RESPONSIBILITY_KINDS
                        if KIND_CATALOGUE[k].responsibility == g} for g in said}
