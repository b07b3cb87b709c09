"""polku as a library, held to what the README's "Python API" and the docstrings promise an
analyst: a workbook's warnings on load, a model as one fixed version, located errors, the
wording of every answer, answers as plain data, the library's defaults those of the command
line, and every refusal naming the library's own parameter."""

from __future__ import annotations

import inspect
import json
import re
import shutil
import warnings
from pathlib import Path

import pytest

from helpers import EXAMPLE, EXAMPLE_TTL, ROOT, SECOND, edit, run
from polku.ops.model import Model

PTV = ROOT / "tests" / "fixtures" / "ptv"
NAANTALI = PTV / "v11_organization_naantali_from_v9.json"
ETSIVA = PTV / "v9_service_etsiva_nuorisotyo_naantali.json"


@pytest.fixture(scope="module")
def m() -> Model:
    import polku

    return polku.load(EXAMPLE_TTL)


def python_api() -> str:
    """The README's "Python API" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]


# -- 1. a workbook's warnings reach the library --------------------------------------------------

def test_load_warns_of_a_misspelt_column_as_the_command_line_does(tmp_path: Path) -> None:
    import polku
    from polku.present.i18n import error_text, translator

    folder = tmp_path / "wb"
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "services.csv", "capacity_per_month", "capacity_per_mont")
    with pytest.warns(polku.PolkuWarning) as caught:
        m = polku.load(folder)
    # the model carries them as data, located, worded at the edge
    [note] = m.warnings
    assert (Path(note.file).name, note.sheet, note.row, note.column, note.close) == (
        "services.csv", "services", 1, "capacity_per_mont", "capacity_per_month")
    [said] = [w for w in caught if issubclass(w.category, polku.PolkuWarning)]
    assert said.message.note is note and str(said.message) == str(note)
    assert "did you mean 'capacity_per_month'?" in str(said.message)
    assert said.filename == __file__  # it points at the caller's line, not inside polku
    assert "tarkoititko 'capacity_per_month'?" in error_text(note, translator("fi"))
    with pytest.warns(polku.PolkuWarning):
        assert [str(n) for n in polku.Model.load(folder).warnings] == [str(note)]
    # a graph, a good workbook: nothing to say
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert polku.load(EXAMPLE).warnings == () and polku.load(m.graph).warnings == ()
    # the command line says it once, as before (no Python warning beside it)
    said_cli = run("findings", folder, "--lang", "en")
    assert said_cli.exit_code == 0
    assert said_cli.stderr.count("unknown column 'capacity_per_mont'") == 1
    assert "PolkuWarning" not in said_cli.stderr
    assert "PolkuWarning" in python_api() and "m.warnings" in python_api()


# -- 2. a model is one fixed version --------------------------------------------------------------

def test_an_edited_graph_is_asked_through_a_model_of_its_own(m: Model) -> None:
    import polku

    before = polku.answer(polku.Bottlenecks(top=3), m)["by_flow"]
    assert {r["service"]: r["capacity"] for r in before}["ips"] == 15
    g = m.graph.copy()
    g.nodes["ips"]["capacity_per_month"] = 5
    edited = polku.load(g)
    after = {r["service"]: r for r in polku.answer(polku.Bottlenecks(top=3), edited)["by_flow"]}
    assert after["ips"]["capacity"] == 5 and after["ips"]["flow_rank"] == 1
    assert polku.answer(polku.Bottlenecks(top=3), m)["by_flow"] == before  # m is as it was
    # the contract is said where m.graph is offered: help(polku.Model), polku.load, README
    for doc in (polku.Model.__doc__, polku.load.__doc__, polku.__doc__, python_api()):
        assert "fixed version" in doc and "polku.load(g)" in doc


# -- 3. errors keep their place on the exception ------------------------------------------------

def test_a_workbook_problem_is_located_on_the_exception_itself(tmp_path: Path) -> None:
    import polku

    folder = tmp_path / "wb"
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "referrals.csv", ",alkuhaastattelu,", ",alkuhaastattelux,")
    with pytest.raises(polku.PolkuErrors) as refused:
        polku.load(folder)
    e = refused.value
    assert isinstance(e, polku.PolkuError) and len(e.errors) == 1
    where = (Path(e.file).name, e.sheet, e.row, e.column, e.close)
    assert where == ("referrals.csv", "referrals", 2, "to", "alkuhaastattelu")
    [one] = e.errors
    assert (Path(one.file).name, one.sheet, one.row, one.column, one.close) == where
    # the hint is said once, in every language
    assert str(e).count("did you mean") == 1
    from polku.present.i18n import error_text, translator

    assert error_text(e, translator("fi")).count("tarkoititko") == 1
    assert "PolkuErrors" in python_api() and ".errors" in python_api()


def test_several_problems_each_keep_their_place(tmp_path: Path) -> None:
    import polku

    folder = tmp_path / "wb"
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "referrals.csv", ",alkuhaastattelu,", ",alkuhaastattelux,")
    edit(folder / "services.csv", ",45,", ",45x,")
    with pytest.raises(polku.PolkuErrors) as refused:
        polku.load(folder)
    e = refused.value
    assert len(e.errors) == 2 and e.row is None and e.close is None
    assert {(x.sheet, x.column) for x in e.errors} >= {("referrals", "to")}
    assert [x.close for x in e.errors if x.sheet == "referrals"] == ["alkuhaastattelu"]


def test_a_did_you_mean_in_a_message_is_its_close_as_data() -> None:
    from polku.errors import PolkuError
    from polku.io.unknown_names import column_warnings

    [note] = column_warnings("w/services.csv", "services", ["id", "capacity_per_mont"])
    assert note.close == "capacity_per_month" and note.message.count("did you mean") == 1
    copied = note.about("x")
    assert copied.close == note.close and copied.message == note.message
    e = PolkuError("unknown {targets} id '{ref}' (did you mean '{close}'?)",
                   params={"targets": "service", "ref": "ipss", "close": "ips"})
    assert e.close == "ips" and str(e).count("did you mean") == 1


# -- 7. an unknown keyword to answer -------------------------------------------------------------

def test_an_unknown_keyword_to_answer_is_named_with_what_is_taken(m: Model) -> None:
    import polku

    with pytest.raises(TypeError) as refused:
        polku.answer(polku.Describe(), m, lang="fi")
    said = str(refused.value)
    assert "'lang'" in said and "Describe" in said and "audience" in said
    assert "polku.records" in said  # how to have it in a language
    with pytest.raises(TypeError, match="'top'"):
        polku.answer(polku.Findings(), m, top=3)
    assert "audience" in polku.answer.__doc__ and "progress" in polku.answer.__doc__


# -- 8. a refusal names the library's parameter; the doors keep their own names -----------------

def field_of(call) -> str | None:
    import polku

    with pytest.raises(polku.PolkuError) as refused:
        call()
    return refused.value.field


def test_a_refusal_names_the_parameter_the_library_takes(m: Model) -> None:
    import polku
    from polku.io.ptv import read_ptv

    assert field_of(lambda: polku.answer(polku.Review(), m)) == "history"
    assert field_of(lambda: polku.answer(polku.Compare(), m)) == "others"
    assert field_of(lambda: polku.answer(polku.Compare(others=(m,)), m)) == "others"
    assert field_of(lambda: polku.answer(polku.PtvCompare(), m)) == "catalogue"
    catalogue = read_ptv([NAANTALI, ETSIVA])
    assert field_of(lambda: polku.answer(polku.PtvCompare(catalogue, ("52",)), m)) == \
        "municipalities"


def test_the_doors_keep_their_own_names(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from polku.app import create_app

    client = TestClient(create_app([EXAMPLE_TTL]))
    one = client.get("/api/compare", params={"graphs": "keski-uusimaa"})
    assert one.status_code == 400 and one.json()["error"]["field"] == "graphs"
    ptv = [NAANTALI, ETSIVA]
    files = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in ptv]
    bad = client.post("/api/graphs/keski-uusimaa/ptv/compare",
                      json={"files": files, "municipality": ["52"]}, params={"lang": "en"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "municipality"
    said = run("ptv", "compare", EXAMPLE_TTL, *ptv, "--municipality", "52", "--lang", "en")
    assert said.exit_code == 1 and "error: --municipality: '52'" in said.stderr
