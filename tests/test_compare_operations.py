"""`compare` and `ptv compare` as operations (polku.ops.operations.Compare and PtvCompare):
typed parameters, one check() that names the bad parameter in ``field``, run() returning
plain data, and privacy decided by answer() for the audience; the CLI answers the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import EXAMPLE, SECOND, run
from polku.errors import PolkuError
from polku.io.load import load_graph
from polku.io.ptv import read_ptv
from polku.ops.model import Model
from polku.ops.operations import OPERATIONS, Compare, PtvCompare, answer
from polku.present.i18n import translator
from polku.present.ptv_compare import ptv_worded

PTV = Path(__file__).parent / "fixtures" / "ptv"
NAANTALI = PTV / "v11_organization_naantali_from_v9.json"
ETSIVA = PTV / "v9_service_etsiva_nuorisotyo_naantali.json"


@pytest.fixture(scope="module")
def regions() -> tuple[Model, Model]:
    return Model(load_graph(EXAMPLE)), Model(load_graph(SECOND))


@pytest.fixture(scope="module")
def naantali(tmp_path_factory) -> tuple[Model, object]:
    folder = tmp_path_factory.mktemp("ptv") / "naantali"
    assert run("ptv", "import", NAANTALI, "-o", folder, "--name", "naantali").exit_code == 0
    return Model(load_graph(folder)), read_ptv([NAANTALI, ETSIVA])


def field_of(call) -> str | None:
    with pytest.raises(PolkuError) as caught:
        call()
    return caught.value.field


def test_both_are_registered() -> None:
    assert OPERATIONS["compare"] is Compare and OPERATIONS["ptv-compare"] is PtvCompare


def test_compare_names_the_bad_parameter(regions) -> None:
    first, second = regions
    # the library's parameter (the API's /compare names its own, graphs)
    assert field_of(lambda: answer(Compare(), first)) == "others"
    assert field_of(lambda: answer(Compare((first,)), first)) == "others"
    assert field_of(lambda: answer(Compare((second,)), first, "everyone")) == "audience"


def test_compare_answers_data_and_the_public_sees_no_small_cell(regions) -> None:
    first, second = regions
    editor = answer(Compare((second,)), first)
    public = answer(Compare((second,)), first, "public")
    assert [r["region"] for r in editor["regions"]] == ["keski-uusimaa", "keski-suomi"]
    assert editor["min_cell"] is None and public["min_cell"] == 5
    # tests/data/keski-suomi holds a segment of 3 people on purpose
    sizes = [d["size"] for _, d in second.graph.nodes(data=True) if d["type"] == "segment"]
    assert editor["regions"][1]["people"] == sum(sizes)
    assert public["regions"][1]["people"] == sum(s for s in sizes if s >= 5)
    assert public["regions"][1]["suppressed_segments"] == 1
    # the CLI only parses, calls and renders: its JSON is the operation's answer as a file
    # writes it (present.regions.compared: the reader's titles, each figure rounded once)
    from polku.present.regions import compared

    cli = json.loads(run("compare", EXAMPLE, SECOND, "--format", "json").output)
    assert cli == json.loads(json.dumps(compared(public, "fi")))
    raw = json.loads(run("compare", EXAMPLE, SECOND, "--format", "json", "--no-suppress").output)
    assert raw == json.loads(json.dumps(compared(editor, "fi")))


def test_ptv_compare_names_the_bad_parameter(naantali) -> None:
    model, catalogue = naantali
    # the library's parameters (the command and the API name their own: files,
    # municipality)
    assert field_of(lambda: answer(PtvCompare(), model)) == "catalogue"
    assert field_of(lambda: answer(PtvCompare(catalogue, ("52",)), model)) == "municipalities"
    assert field_of(lambda: answer(PtvCompare(catalogue, ("abc",)), model)) == "municipalities"
    assert field_of(lambda: answer(PtvCompare(catalogue, pick=()), model)) == "pick"
    assert field_of(lambda: answer(PtvCompare(catalogue, pick=(0,)), model)) == "pick"
    assert field_of(lambda: PtvCompare.parse_pick("1,x")) == "pick"
    op = PtvCompare(catalogue, pick=(99,))
    result = answer(op, model)
    assert field_of(lambda: op.chosen(result)) == "pick"


def test_ptv_compare_answers_the_clis_data(naantali, tmp_path: Path) -> None:
    model, catalogue = naantali
    result = answer(PtvCompare(catalogue), model)
    assert set(result) == {"missing", "gone", "changed", "edits"}
    assert [m["ptv_id"] for m in result["missing"]] == ["228738ee-754a-49b7-8240-2b84c5ca2970"]
    assert answer(PtvCompare(catalogue, pick=(1,)), model, "public")["edits"] == result["edits"]
    assert PtvCompare(catalogue, pick=(2, 1)).chosen(result) == [result["edits"][1],
                                                                result["edits"][0]]
    folder = tmp_path / "naantali"
    assert run("ptv", "import", NAANTALI, "-o", folder, "--name", "naantali").exit_code == 0
    cli = json.loads(run("ptv", "compare", folder, NAANTALI, ETSIVA, "--format", "json",
                         "--lang", "fi").output)
    # the operation's data, with the names in the reader's language beside (at the edge)
    assert cli == ptv_worded(result, model.graph, translator("fi"), catalogue.code_names)
    assert [{k: e[k] for k in ("action", "sheet", "key", "row")} for e in cli["edits"]] == \
        result["edits"]
    # another municipality's code: the service is still the region's (its organisation is)
    other = answer(PtvCompare(catalogue, ("091",)), model)
    assert [m["id"] for m in other["missing"]] == ["etsiva-nuorisotyo"]
