"""A row named in Swedish first (``name_lang=sv``) keeps its Finnish name in ``name_fi``, as
a Finnish row keeps its Swedish one in ``name_sv`` (a bilingual reviewer's find: `polku
findings --lang fi` said "Vasa stad"): a Finnish reader reads it in the command line's
findings, the API and the pages; RDF writes it as the Finnish label (``@fi``), and a round
trip through Turtle, JSON-LD and the workbook keeps it as ``name_fi``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini, run
from polku.app import create_app
from polku.io import workbook

SWEDISH, FINNISH = "Arbetsverksamhet i rehabiliteringssyfte", "Kuntouttava työtoiminta"


@pytest.fixture
def swedish_first(tmp_path: Path) -> Path:
    """The mini workbook with its service `kuntouttava` named in Swedish first."""
    wb = copy_mini(tmp_path / "mini")
    with open(wb / "services.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r.update(name_lang="", name_fi="")
        if r["id"] == "kuntouttava":
            r.update(name=SWEDISH, name_lang="sv", name_fi=FINNISH)
    with open(wb / "services.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    return wb


def test_findings_name_it_in_finnish_for_a_finnish_reader(swedish_first: Path) -> None:
    fi = run("findings", swedish_first, "--lang", "fi")
    sv = run("findings", swedish_first, "--lang", "sv")
    assert fi.exit_code == sv.exit_code == 0, fi.output + sv.output
    assert FINNISH in fi.output and SWEDISH not in fi.output
    assert SWEDISH in sv.output and FINNISH not in sv.output
    # no warning: name_fi is a column polku reads
    r = run("validate", swedish_first, "--strict")
    assert r.exit_code == 0, r.output


def test_the_api_and_the_page_name_it_in_the_readers_language(swedish_first: Path) -> None:
    client = TestClient(create_app([swedish_first.parent]))
    for lang, name, other in (("fi", FINNISH, SWEDISH), ("sv", SWEDISH, FINNISH)):
        found = client.get("/api/graphs/mini/findings", params={"lang": lang}).json()
        said = json.dumps(found, ensure_ascii=False)
        assert name in said and other not in said, lang
    page = client.get("/graphs/mini", params={"lang": "fi"}).text
    assert FINNISH in page


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_rdf_labels_it_in_finnish_and_the_round_trip_keeps_it(swedish_first: Path,
                                                               tmp_path: Path,
                                                               suffix: str) -> None:
    rdf_file = tmp_path / f"mini{suffix}"
    assert run("import", swedish_first, "-o", rdf_file).exit_code == 0
    text = rdf_file.read_text(encoding="utf-8")
    if suffix == ".ttl":
        assert f'"{FINNISH}"@fi' in text and f'"{SWEDISH}"@sv' in text
        assert "name_fi" not in text  # a label, not an extra property
    back = tmp_path / "back"
    assert run("export", rdf_file, "--to", "workbook", "-o", back).exit_code == 0
    g = workbook.read_workbook(back)
    assert g.nodes["kuntouttava"]["name"] == SWEDISH
    assert g.nodes["kuntouttava"]["extra"]["name_fi"] == FINNISH
    assert g.nodes["kuntouttava"]["extra"]["name_lang"] == "sv"
    assert g.nodes["kuntouttava"] == workbook.read_workbook(swedish_first).nodes["kuntouttava"]
