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


def test_a_refused_row_write_offers_the_id_likely_meant_as_data(tmp_path: Path) -> None:
    """The close a workbook's problem says travels to the API's one error shape too."""
    from fastapi.testclient import TestClient

    from polku.app import create_app
    from polku.server.auth import parse_tokens

    shutil.copytree(EXAMPLE, tmp_path / "ku")
    token = "anna-token-0123456789"
    client = TestClient(create_app([tmp_path], parse_tokens(f"anna:{token}")))
    etag = client.get("/api/graphs/ku").headers["ETag"]
    r = client.patch("/api/graphs/ku/rows/referrals/ref-tori-alkuhaastattelu",
                     json={"to": "alkuhaastattelux"}, params={"lang": "en"},
                     headers={"Authorization": f"Bearer {token}", "If-Match": etag})
    error = r.json()["error"]
    assert r.status_code == 422 and error["field"] == "to"
    assert error["did_you_mean"] == "alkuhaastattelu"
    assert error["message"].count("did you mean") == 1


def test_a_problem_anyone_reads_offers_no_close_as_data() -> None:
    """A stale source's problem is shown to anyone without the source's text (its cell,
    the id likely meant): the close a template says is withheld as data too."""
    from polku.errors import PolkuError, PolkuErrors
    from polku.privacy import published_error

    e = PolkuError("unknown {targets} id '{ref}' (did you mean '{close}'?)",
                   params={"targets": "service", "ref": "ipss", "close": "ips"},
                   sheet="referrals", row=2, column="to")
    for shown in (published_error(e), published_error(PolkuErrors([e]))):
        assert shown.close is None and "ips" not in str(shown) and shown.row == 2


# -- 4. every answer's wording, as the README lists it --------------------------------------------

def wording_table() -> dict[str, str]:
    """The README's table: operation → the call that words its answer."""
    rows = re.findall(r"^ *\| ((?:`\w+`(?:, )?)+) \| `([^`]+)` \|", python_api(), re.M)
    return {op: call for ops, call in rows for op in re.findall(r"`(\w+)`", ops)}


def handoff_log(folder: Path) -> Path:
    """An event log of one client from IPS to the employment marketplace: a hand-off the
    example region has no referral for (an unmodelled-flow finding)."""
    log = folder / "log.csv"
    log.write_text("case,service,start\nc1,ips,2026-01-01\nc1,tyomarkkinatori,2026-01-06\n",
                   encoding="utf-8")
    return log


def test_each_answer_has_the_wording_function_the_readme_names(m: Model, tmp_path) -> None:
    import polku
    from polku.io.ptv import read_ptv
    from polku.ops.review import history_of
    from polku.present.i18n import translator

    table = wording_table()
    assert set(table) == {op.__name__ for op in polku.OPERATIONS.values()}
    second = polku.load(SECOND)
    ptv = [NAANTALI, ETSIVA]
    folder = tmp_path / "ku"
    shutil.copytree(EXAMPLE, folder)
    mk = polku.load(folder)  # a workbook: its change log (none yet) gives version 0
    ops = {
        "Findings": polku.Findings(), "PlanFindings": polku.PlanFindings(),
        "Describe": polku.Describe(), "Bottlenecks": polku.Bottlenecks(top=3),
        "Paths": polku.Paths(segment="seg-nuoret", k=2),
        "Blueprint": polku.Blueprint(subject="seg-nuoret", k=1),
        "Removal": polku.Removal(remove="ips"), "Queueing": polku.Queueing(demand={"ips": 0.2}),
        "Raci": polku.Raci(), "Diff": polku.Diff(against=second),
        "Compare": polku.Compare(others=second), "Suggestions": polku.Suggestions(),
        "PtvCompare": polku.PtvCompare(read_ptv(ptv)),
        "EventLog": polku.EventLog(log=handoff_log(tmp_path)),
        "Review": polku.Review(since="0", history=history_of(str(folder), mk.graph)),
    }
    for name, call in table.items():
        op = ops[name]
        model = mk if name == "Review" else m
        result = polku.answer(op, model)
        func_path, _, args = call.partition("(")
        module, _, func_name = func_path.rpartition(".")
        func = getattr(__import__(module, fromlist=[func_name]), func_name)
        params = [p.strip() for p in args.rstrip(")").split(",")]
        # the parameters the README gives are the function's own, in its order
        names = list(inspect.signature(func).parameters)
        assert names[:len(params)] == params, (name, call, names)
        values = {"result": result, "findings": result, "model": model, "lang": "fi",
                  "g": model.graph, "tr": translator("fi"), "a": model.graph,
                  "b": getattr(getattr(op, "against", None), "graph", None),
                  "code_names": getattr(getattr(op, "catalogue", None), "code_names", None)}
        said = func(*[values[p] for p in params])
        json.dumps(said)  # plain data, in the language asked


# -- 5. answers as plain data -------------------------------------------------------------------

def test_every_ranking_row_has_the_same_keys_and_the_docstring_lists_them(m: Model) -> None:
    import polku

    public = polku.answer(polku.Bottlenecks(top=100), m, audience="public")
    rows = public["by_flow"] + public["by_betweenness"]
    keys = {frozenset(r) for r in rows}
    assert len(keys) == 1
    [every] = keys
    assert {"inflow_at_least", "utilization_at_least", "outflow_partial"} <= every
    assert all(isinstance(r["outflow_partial"], bool) for r in rows)
    assert any(r["outflow_partial"] for r in rows) and any(r["inflow_at_least"] for r in rows)
    for key in every:
        assert f'"{key}"' in polku.Bottlenecks.__doc__, key
    # the doors' JSON keeps its shape: the bounds and outflow_partial only where they say
    # something
    from fastapi.testclient import TestClient

    from polku.app import create_app

    api = TestClient(create_app([EXAMPLE_TTL])).get(
        "/api/graphs/keski-uusimaa/bottlenecks", params={"top": 100}).json()
    sent = api["by_flow"] + api["by_betweenness"]
    assert all(r["outflow_partial"] is True for r in sent if "outflow_partial" in r)
    assert all(r["hidden"] and r["inflow_at_least"] is not None
               for r in sent if "inflow_at_least" in r)
    assert any("inflow_at_least" in r for r in sent) and any("outflow_partial" in r for r in sent)
    assert any("outflow_partial" not in r for r in sent)
    cli = json.loads(run("bottlenecks", EXAMPLE_TTL, "--top", "100", "--format", "json").stdout)
    assert not any("inflow_at_least" in r or "outflow_partial" in r for r in cli["by_flow"])


def test_answers_are_plain_data_or_say_which_are_not(m: Model, tmp_path: Path) -> None:
    import polku

    second = polku.load(SECOND)
    for op in (polku.Suggestions(), polku.Removal(remove="ips"), polku.Bottlenecks(),
               polku.Diff(against=second), polku.Compare(others=second)):
        json.dumps(polku.answer(op, m))
    stats = polku.answer(polku.EventLog(log=handoff_log(tmp_path)), m)
    assert stats["findings"] and json.dumps(stats)
    # those that hold records say so in the README, with the way to JSON
    api = python_api()
    for said in ("`Findings`", "`PlanFindings`", "`Review`", "`earlier`", "`Raci`"):
        assert said in api.split("**Result shapes**", 1)[1].split("\n- **", 1)[0], said


# -- 6. the library's defaults are the command line's ---------------------------------------------

def test_records_are_the_clis_json_findings_in_finnish_by_default(m: Model) -> None:
    import polku

    found = polku.answer(polku.Findings(), m)
    cli = json.loads(run("findings", EXAMPLE_TTL, "--format", "json").stdout)
    assert polku.records(found, m) == cli["findings"]
    assert polku.records(found, m)[0]["names"]
    assert inspect.signature(polku.records).parameters["lang"].default == "fi"


def test_describe_lists_the_regions_in_one_order(m: Model) -> None:
    import polku

    cli = json.loads(run("show", EXAMPLE_TTL, "--format", "json").stdout)
    assert polku.answer(polku.Describe(), m)["regions"] == cli["regions"] == [
        "Keski-Uusimaa", "koko maa", "Uusimaa"]


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
