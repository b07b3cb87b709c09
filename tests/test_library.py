"""polku as a Python library, as an analyst in a notebook uses it: the entry ``import
polku`` offers, the errors a wrong argument gets, the messages a library user reads and
records that a table (pandas) takes as they are."""

from __future__ import annotations

import pytest

from helpers import EXAMPLE, EXAMPLE_TTL, SECOND, run
from polku.analyses.merge import merge
from polku.errors import PolkuError
from polku.io.load import load_graph
from polku.ops.model import Model
from polku.ops.operations import Paths, answer
from polku.present.i18n import error_text, translator


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(load_graph(EXAMPLE_TTL))


# -- messages a library user reads --------------------------------------------------------------

def test_a_merged_name_taken_by_a_region_is_refused_in_words_for_both_doors() -> None:
    ku, ks = load_graph(EXAMPLE), load_graph(SECOND)
    with pytest.raises(PolkuError) as refused:
        merge([ku, ks], name="keski-suomi")
    # the parameter is `name` in Python and --name on the command line: the message names
    # neither door's spelling, the field does
    assert refused.value.field == "name" and "--name" not in str(refused.value)
    assert str(refused.value) == ("the merged graph's name 'keski-suomi' is also a region's: "
                                  "give the merged graph another name")
    said = run("merge", EXAMPLE, SECOND, "-o", "national.ttl", "--name", "keski-suomi",
               "--lang", "en")
    assert said.exit_code == 1
    assert "error: --name: the merged graph's name 'keski-suomi'" in said.stderr


def test_an_error_that_names_its_node_does_not_say_it_twice(model: Model) -> None:
    with pytest.raises(PolkuError) as refused:
        answer(Paths(segment="seg-nuorett"), model)
    e = refused.value
    assert e.node == "seg-nuorett" and e.field == "segment"  # the node stays data
    assert str(e).startswith("unknown segment 'seg-nuorett' (segments: ")
    assert str(e).count("seg-nuorett") == 1 and str(e).endswith("did you mean 'seg-nuoret'?")
    fi = error_text(e, translator("fi"))
    assert fi.startswith("tuntematon asiakasryhmä 'seg-nuorett'") and "<seg-nuorett>" not in fi
    # a message that does not name its node keeps it in front
    bare = PolkuError("{what} is negative", params={"what": "size"}, node="nuoret")
    assert str(bare) == "node <nuoret>: size is negative"
    assert error_text(bare, translator("sv")).startswith("nod <nuoret>: ")


# -- the queueing what-if's inputs from Python --------------------------------------------------

@pytest.mark.parametrize("changes, field, said", [
    # a demand change is a fraction: 20 is +2,000 %, and the message says how to write +20 %
    ({"demand": {"ips": 20}}, "demand",
     "demand at 'ips': a change of at most +1,000%, not +2,000% (the change is a fraction: "
     "0.2 for +20%)"),
    ({"demand": {"ips": "+20%"}}, "demand",
     "demand at 'ips' must be a number, the change as a fraction (0.2 for +20%), not '+20%'"),
    ({"capacity": {"ips": "25"}}, "capacity",
     "capacity of 'ips' must be a number (clients a month), not '25'"),
    ({"capacity": ["ips=25"]}, "capacity",
     "capacity takes each service's id with its new capacity a month ({'ips': 25}), not "
     "['ips=25']"),
    # 2.0 is whole: the message said "'2.0' is not a whole number"; it is no int
    ({"places": {"ips": 2.0}}, "places",
     "places at 'ips' must be an int (a whole number, 1 or more), not 2.0"),
    ({"demand": {"ips": True}}, "demand",
     "demand at 'ips' must be a number, the change as a fraction (0.2 for +20%), not True"),
])
def test_queueing_refuses_a_value_of_the_wrong_type_naming_its_field(
        model: Model, changes: dict, field: str, said: str) -> None:
    from polku.ops.operations import Queueing

    with pytest.raises(PolkuError) as refused:
        answer(Queueing(**changes), model)
    assert refused.value.field == field and str(refused.value) == said


def test_queueing_takes_fractions_and_from_options_takes_percentages(model: Model) -> None:
    from polku.ops.operations import Queueing

    by_fraction = answer(Queueing(demand={"ips": 0.2}, capacity={"ips": 25}), model)
    by_text = answer(Queueing.from_options(demand=["ips=+20%"], capacity=["ips=25"]), model)
    assert by_fraction["changes"] == by_text["changes"] == {
        "capacity": {"ips": 25}, "places": {}, "demand": {"ips": 0.2}}
    assert by_fraction["services"] == by_text["services"]
    # the command line still says the percentage it was given, without the fraction's hint
    said = run("whatif", EXAMPLE_TTL, "--demand", "ips=+2000%", "--lang", "en")
    assert said.exit_code == 1 and "a change of at most +1,000%, not +2,000%\n" in said.stderr


@pytest.mark.parametrize("operation, field, said", [
    # a whole float is no int: the message said "a whole number from 1 to 50, not 2"
    (lambda p: p.Paths(segment="seg-nuoret", k=2.0), "k",
     "the number of paths must be an int (a whole number), not 2.0"),
    (lambda p: p.Paths(segment="seg-nuoret", max_expansions=10.0), "max_expansions",
     "the search limit must be an int (a whole number), not 10.0"),
    (lambda p: p.Bottlenecks(top=3.0), "top",
     "the number of services shown must be an int (a whole number), not 3.0"),
    # text is no whole number (what a door was typed, as the page's form says it)
    (lambda p: p.Bottlenecks(top="3"), "top",
     "the number of services shown must be a whole number from 1 to 100,000, not '3'"),
    (lambda p: p.Findings(max_concurrent_leads=3.0), "max_concurrent_leads",
     "the most concurrent leads must be an int (a whole number), not 3.0"),
])
def test_a_count_of_another_type_is_told_it_must_be_an_int(model: Model, operation, field: str,
                                                           said: str) -> None:
    import polku

    with pytest.raises(PolkuError) as refused:
        answer(operation(polku), model)
    assert refused.value.field == field and str(refused.value) == said


@pytest.mark.parametrize("operation, field, said", [
    # it was "capacity of 'ips' cannot be negative (nan)", and a demand change of nan "a
    # change of at least -100%", of inf "at most +1,000%, not +inf"
    (lambda p: p.Queueing(capacity={"ips": float("nan")}), "capacity",
     "capacity of 'ips': 'nan' is not a number"),
    (lambda p: p.Queueing(capacity={"ips": float("inf")}), "capacity",
     "capacity of 'ips': 'inf' is not a number"),
    (lambda p: p.Queueing(demand={"ips": float("nan")}), "demand",
     "demand at 'ips': 'nan' is not a number"),
    (lambda p: p.Queueing(demand={"ips": float("inf")}), "demand",
     "demand at 'ips': 'inf' is not a number"),
    (lambda p: p.Queueing(demand={"ips": float("-inf")}), "demand",
     "demand at 'ips': '-inf' is not a number"),
    (lambda p: p.Findings(long_wait_days=float("nan")), "long_wait_days",
     "the long-wait threshold (days): 'nan' is not a number"),
    (lambda p: p.Queueing(capacity={"ips": 5}, long_wait_days=float("inf")), "long_wait_days",
     "the long-wait threshold (days): 'inf' is not a number"),
    (lambda p: p.Removal("ips", long_wait_days=float("nan")), "long_wait_days",
     "the long-wait threshold (days): 'nan' is not a number"),
])
def test_nan_and_the_infinities_are_said_to_be_no_numbers(model: Model, operation, field: str,
                                                          said: str) -> None:
    import polku

    with pytest.raises(PolkuError) as refused:
        answer(operation(polku), model)
    assert refused.value.field == field and str(refused.value) == said


def test_nan_is_no_number_in_finnish_and_as_the_command_line_says_it(model: Model) -> None:
    from polku.ops.operations import Queueing

    with pytest.raises(PolkuError) as refused:
        answer(Queueing(capacity={"ips": float("nan")}), model)
    assert error_text(refused.value, translator("fi")) == (
        "palvelun 'ips' kapasiteetti: 'nan' ei ole luku")
    said = run("whatif", EXAMPLE_TTL, "--capacity", "ips=nan", "--lang", "en")
    assert said.exit_code == 1 and "capacity of 'ips': 'nan' is not a number" in said.stderr


def test_a_wrong_type_is_worded_in_finnish(model: Model) -> None:
    from polku.ops.operations import Queueing

    with pytest.raises(PolkuError) as refused:
        answer(Queueing(capacity={"ips": "25"}), model)
    assert error_text(refused.value, translator("fi")) == (
        "palvelun 'ips' kapasiteetin on oltava luku (asiakasta kuukaudessa), ei '25'")


# -- a wrong kind of argument: a TypeError that says what is taken ------------------------------

def test_a_path_where_a_graph_or_model_belongs_is_a_clear_type_error(model: Model) -> None:
    from polku.analyses.findings import find
    from polku.ops.operations import Compare, Findings

    path = "graphs/keski-uusimaa"
    cases = {
        "Model() takes a loaded graph (a networkx MultiDiGraph), not str 'graphs/keski-uusimaa':"
        " Model.load(source) or polku.load(source) reads one into a model": lambda: Model(path),
        "find() takes a loaded graph (a networkx MultiDiGraph), not str 'graphs/keski-uusimaa':"
        " load it with polku.load(source).graph or polku.io.load.load_graph(source)":
            lambda: find(path),
        "merge() takes a loaded graph (a networkx MultiDiGraph), not str 'graphs/keski-uusimaa'"
        ": load it with polku.load(source).graph or polku.io.load.load_graph(source)":
            lambda: merge([path, path]),
        "merge() takes a list of loaded graphs, not str 'graphs/keski-uusimaa'":
            lambda: merge(path),
        "answer() takes a Model (or a loaded graph), not str 'graphs/keski-uusimaa': load it "
        "with polku.load(source)": lambda: answer(Findings(), path),
        "answer() takes an operation's record, e.g. Findings(), not the class Findings":
            lambda: answer(Findings, model),
        "Compare(others=...) takes a Model (or a loaded graph), not str "
        "'graphs/keski-uusimaa': load it with polku.load(source)":
            lambda: Compare(others=(path,)),
    }
    for said, call in cases.items():
        with pytest.raises(TypeError) as refused:
            call()
        assert str(refused.value) == said


def test_a_loaded_graph_is_taken_where_a_model_belongs(model: Model) -> None:
    from polku.ops.operations import Compare, Diff, Findings

    second = load_graph(SECOND)
    by_model = answer(Compare(others=(Model(second),)), model)
    assert answer(Compare(others=(second,)), model) == by_model
    assert answer(Compare(others=second), model) == by_model  # one region alone too
    assert [r["region"] for r in by_model["regions"]] == ["keski-uusimaa", "keski-suomi"]
    assert answer(Diff(against=second), model) == answer(Diff(against=Model(second)), model)
    assert answer(Findings(), model.graph) == answer(Findings(), model)


# -- the entry: import polku ---------------------------------------------------------------------

def test_import_polku_is_cheap_and_its_names_come_on_first_use() -> None:
    import subprocess
    import sys

    from helpers import ROOT

    # a fresh interpreter: import polku loads no other module of polku, nor networkx
    code = ("import sys, polku; before = sorted(m for m in sys.modules "
            "if m.startswith('polku') or m == 'networkx'); polku.Findings; "
            "print(before, 'polku.ops.operations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT / "tests", check=True).stdout
    assert out.strip() == "['polku'] True"


def test_the_entry_names_what_a_library_user_needs() -> None:
    import polku
    from polku.analyses import raci
    from polku.ops import operations

    assert set(polku.__all__) == {op.__name__ for op in operations.OPERATIONS.values()} | {
        "load", "answer", "records", "Model", "Finding", "PolkuError", "PolkuErrors",
        "PolkuWarning", "OPERATIONS"}
    for name in polku.__all__:
        assert getattr(polku, name) is not None and name in dir(polku)
    assert polku.Raci is operations.Raci and polku.Raci is not raci.Raci
    assert polku.answer is operations.answer and polku.Model is Model
    assert "Start here" in polku.__doc__ and "polku.load(" in polku.__doc__
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        polku.Nothing  # noqa: B018
    # each operation's docstring says what its answer holds
    for op in operations.OPERATIONS.values():
        assert "Answers" in op.__doc__, op.name


def test_load_answer_and_the_result_shapes_the_docstrings_promise() -> None:
    import polku

    m = polku.load(EXAMPLE_TTL)
    assert isinstance(m, polku.Model) and polku.load(m) is m and polku.load(m.graph).graph is m.graph
    paths = polku.answer(polku.Paths(segment="seg-nuoret", k=3), m)
    assert "paths" not in paths and [p["rank"] for p in paths["best"]] == [1, 2, 3]
    described = polku.answer(polku.Describe(), m)
    assert {"counts", "segments", "outcomes", "title"} <= set(described)
    matrix = polku.answer(polku.Raci(), m)
    assert matrix.actors and matrix.cells  # the operation answers the matrix record
    public = polku.answer(polku.Findings(), m, audience="public")
    assert all(isinstance(f, polku.Finding) for f in public)
    with pytest.raises(polku.PolkuError) as refused:
        polku.answer(polku.Findings(), m, audience="everyone")
    assert refused.value.field == "audience"


# -- records a table takes as they are ----------------------------------------------------------

def test_findings_as_records_carry_key_and_message(model: Model) -> None:
    import polku

    found = polku.answer(polku.Findings(), model)
    plain = [f.to_dict() for f in found]
    assert [r["key"] for r in plain] == [f.key for f in found]
    assert {r["message"] for r in plain} == {""}  # data, in no language
    fi = polku.records(found, model, "fi")
    assert [r["key"] for r in fi] == [f.key for f in found]
    assert all(r["message"] for r in fi)
    sv = polku.records(found, model, lang="sv")
    assert fi[0]["message"] != sv[0]["message"]
    # plain values only: what pandas.DataFrame(records) takes column by column
    assert all(isinstance(v, (str, list, dict, int, float, type(None)))
               for r in fi for v in r.values())


def test_each_ranking_list_has_its_own_rank(model: Model) -> None:
    import polku

    result = polku.answer(polku.Bottlenecks(top=5), model)
    by_b, by_f = result["by_betweenness"], result["by_flow"]
    assert [r["rank"] for r in by_b] == [r["betweenness_rank"] for r in by_b] == [1, 2, 3, 4, 5]
    assert [r["rank"] for r in by_f] == [r["flow_rank"] for r in by_f] == [1, 2, 3, 4, 5]
    # the flow list's first service is not the most central one: it says both ranks
    assert by_f[0]["betweenness_rank"] != 1
    flow_ranks = {r["service"]: r["flow_rank"] for r in by_f}
    assert all(r["flow_rank"] == flow_ranks[r["service"]] for r in by_b
               if r["service"] in flow_ranks)
    # the API answers the same rows
    from polku.app import create_app
    from fastapi.testclient import TestClient

    api = TestClient(create_app([EXAMPLE_TTL])).get(
        "/api/graphs/keski-uusimaa/bottlenecks", params={"top": 5})
    assert [r["rank"] for r in api.json()["by_flow"]] == [1, 2, 3, 4, 5]
