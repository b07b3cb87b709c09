"""The OpenAPI schema (``/openapi.json``, ``/docs``) says what the routes really answer:
every JSON route's success body as JSON Schema with its fields, types and required ones
(real answers of the example region, the full workbook, the plan, a merged national graph,
a review, verified suggestions, blueprints, a PTV comparison and a PTV batch, regions side
by side and the readiness probe (its 503 too) are validated
against it, no field left undocumented: an object that takes a field the schema does not
name is one whose keys are data), the downloads' media types, the bounds and choices of the
parameters, and the 304 and 405 every graph route answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, PLAN, copy_full, copy_mini, etag_of, run
from test_hidden_over_capacity import overloaded
from test_ptv_compare import CATALOGUE, drifted
from polku.app import create_app
from polku.kinds import MAX_TOP
from polku.server.auth import parse_tokens

TOKEN = "anna-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
PTV = Path(__file__).parent / "fixtures" / "ptv"
NAANTALI = PTV / "v11_organization_naantali_from_v9.json"
ETSIVA = PTV / "v9_service_etsiva_nuorisotyo_naantali.json"
#: the test copy of the second region: a segment of 3 people, a small cell
SMALL_SEGMENT = Path(__file__).parent / "data" / "keski-suomi"
LANGS = ({}, {"lang": "fi"}, {"lang": "sv"}, {"lang": "en"})


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("graphs")
    shutil.copytree(EXAMPLE, folder / "ku")
    copy_mini(folder / "mini")
    copy_full(folder / "full", "full")
    shutil.copy(PLAN, folder / "plan.ttl")
    # a region made from PTV and then drifted: a comparison with PTV proposes edits
    naantali = folder / "naantali"
    assert run("ptv", "import", NAANTALI, "-o", naantali, "--name", "naantali").exit_code == 0
    # a national merge of two regions: its summary names the regions and their areas
    merged = run("merge", EXAMPLE, EXAMPLE.parent / "keski-suomi", "-o", folder / "national.ttl")
    assert merged.exit_code == 0, merged.output
    # a region drifted from PTV: its comparison has entries missing, gone and changed
    drifted(folder / "drift", "drift")
    # the full workbook, to be edited and reviewed (the other graphs stay as they are)
    copy_full(folder / "reviewed", "reviewed")
    # a second region with a segment of 3: the public's comparison leaves it out
    shutil.copytree(SMALL_SEGMENT, folder / "ks")
    # a service over its capacity whose inflow rests on a small cell: the public's finding
    # says hidden and at least the published part
    overloaded(folder / "ylit")
    return folder


@pytest.fixture(scope="module")
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], parse_tokens(f"anna:{TOKEN}")),
                      raise_server_exceptions=False)


@pytest.fixture(scope="module")
def schema(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def answer_schema(schema: dict[str, Any], method: str, path: str, status: int = 200,
                  media: str = "application/json") -> dict[str, Any]:
    return schema["paths"][path][method]["responses"][str(status)]["content"][media]["schema"]


def resolved(schema: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in fragment:
        fragment = schema["components"]["schemas"][fragment["$ref"].rsplit("/", 1)[1]]
    return fragment


def ref_of(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def holds(schema: dict[str, Any], method: str, path: str, r: Any) -> None:
    """``r``, a real answer, is what the schema says the route answers with its status."""
    fragment = answer_schema(schema, method, path, r.status_code)
    validator = jsonschema_rs.Draft202012Validator({**fragment,
                                                    "components": schema["components"]})
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(r.json())]
    assert not errors, f"{method.upper()} {path} ({r.url}):\n" + "\n".join(errors[:10])


#: each main route and the requests whose real answers the schema must describe
READS: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = {
    "/api/graphs": [("/api/graphs", {}, {})],
    "/api/graphs/{name}": [(f"/api/graphs/{g}", {}, h)
                           for g in ("ku", "full", "plan", "mini", "national")
                           for h in ({}, EDITOR)] + [("/api/graphs/national", {"lang": "en"}, {})],
    "/api/graphs/{name}/findings": [
        (f"/api/graphs/{g}/findings", q, h) for g in ("ku", "full", "plan")
        for q in ({}, {"severity": "error", "lang": "en"}) for h in ({}, EDITOR)] + [
        ("/api/graphs/ylit/findings", {"lang": "en"}, h) for h in ({}, EDITOR)],
    # the follow-ups of the full workbook are past due: a review names them overdue
    "/api/graphs/{name}/review": [
        (f"/api/graphs/{g}/review", q, h) for g in ("ku", "full")
        for q in ({"since": "0"}, {"since": "0", "lang": "sv"}) for h in ({}, EDITOR)],
    "/api/graphs/{name}/bottlenecks": [("/api/graphs/ku/bottlenecks", {"top": "100"}, h)
                                       for h in ({}, EDITOR)] +
                                      [("/api/graphs/full/bottlenecks", {}, {}),
                                       ("/api/graphs/ylit/bottlenecks", {}, {})],
    "/api/graphs/{name}/paths": [
        ("/api/graphs/ku/paths", {"segment": "seg-nuoret", "k": "3"}, {}),
        ("/api/graphs/ku/paths", {"segment": "seg-monitarve", "to": "tulos-avoin-tyo"}, EDITOR),
        ("/api/graphs/mini/paths", {"segment": "nuoret"}, {})],
    "/api/graphs/{name}/whatif": [
        ("/api/graphs/ku/whatif", {"remove": "ohjaamo-ohjaus"}, {}),
        ("/api/graphs/ku/whatif", {"remove": "keusote-aikuissosiaalityo"}, EDITOR),
        ("/api/graphs/ku/whatif", {"remove": "ref-alku-ohjaamo"}, {}),
        ("/api/graphs/ku/whatif", {"capacity": "ohjaamo-ohjaus=50",
                                   "demand": "alkuhaastattelu=+20%", "places": "alkuhaastattelu=2"},
         {}),
        ("/api/graphs/ku/whatif", {"capacity": "ohjaamo-ohjaus=50", "calibrate": "false"}, EDITOR),
        ("/api/graphs/mini/whatif", {"demand": "alkuhaastattelu=+50%"}, {})],
    "/api/graphs/{name}/rows/{sheet}": [
        (f"/api/graphs/{g}/rows/{s}", {}, h) for g, sheets in (
            ("ku", ("services", "referrals", "segments", "responsibilities", "paths")),
            ("full", ("followups", "graph", "measures", "actors")))
        for s in sheets for h in ({}, EDITOR)],
    "/api/graphs/{name}/rows/{sheet}/{key}": [
        ("/api/graphs/ku/rows/referrals/ref-alku-ohjaamo", {}, {}),
        ("/api/graphs/ku/rows/segments/seg-nuoret", {}, EDITOR),
        ("/api/graphs/full/rows/followups/over-capacity:velka", {}, EDITOR)],
    "/api/graphs/{name}/review": [
        ("/api/graphs/full/review", {"since": "0"}, h) for h in ({}, EDITOR)] + [
        ("/api/graphs/ku/review", {"since": "0", "actor": "keusote", "lang": "sv"}, {})],
    "/api/graphs/{name}/suggestions": [
        (f"/api/graphs/{g}/suggestions", {}, h) for g in ("ku", "full")
        for h in ({}, EDITOR)] + [
        ("/api/graphs/ku/suggestions", {"finding": "referral-without-owner:ref-ktt-tyokokeilu",
                                        "lang": "en"}, {})],
    "/api/graphs/{name}/blueprint": [
        ("/api/graphs/ku/blueprint", {"subject": "polku-ips"}, h) for h in ({}, EDITOR)] + [
        ("/api/graphs/ku/blueprint", {"subject": "seg-nuoret", "k": "2",
                                      "to": "tulos-avoin-tyo", "lang": "en"}, EDITOR),
        ("/api/graphs/ku/blueprint", {"subject": "seg-monitarve", "k": "3"}, {}),
        ("/api/graphs/mini/blueprint", {"subject": "p1"}, {})],
    "/api/graphs/{name}/plan": [("/api/graphs/plan/plan", {}, h) for h in ({}, EDITOR)] + [
        (f"/api/graphs/{g}/plan", {"lang": "sv"}, {}) for g in ("full", "ku")],
    # two regions named; the region with a small segment beside the example one; a merged
    # graph served alone (its regions); every region served (the merged graph left out,
    # the plan and the PTV imports no regions), for the public and an editor, in each
    # language
    "/api/compare": [("/api/compare", {**q, **lang}, h)
                     for q in ({"graphs": "ku,full"}, {"graphs": "ks,ku"},
                               {"graphs": "national"}, {})
                     for lang in LANGS for h in ({}, EDITOR)],
    "/readyz": [("/readyz", lang, h) for lang in LANGS for h in ({}, EDITOR)],
    "/auth/me": [("/auth/me", {}, h) for h in ({}, EDITOR)],
}


def test_the_main_reads_answer_what_their_schema_says(client: TestClient,
                                                       schema: dict[str, Any]) -> None:
    for path, calls in READS.items():
        fragment = answer_schema(schema, "get", path)
        # a real description, not "any object": fields, their types, the required ones
        shape = resolved(schema, fragment.get("items", fragment))
        for one in shape.get("anyOf", [shape]):
            one = resolved(schema, one)
            assert one.get("properties") and one.get("required"), (path, one)
            assert one.get("additionalProperties") is False, path
        for url, query, headers in calls:
            r = client.get(url, params=query, headers=headers)
            assert r.status_code == 200, (url, query, r.text[:300])
            holds(schema, "get", path, r)


def test_the_writes_and_the_change_log_answer_what_their_schema_says(
        client: TestClient, schema: dict[str, Any], served: Path) -> None:
    rows = "/api/graphs/{name}/rows/{sheet}"
    row = rows + "/{key}"
    for method, path in (("post", rows), ("patch", row), ("delete", row),
                         ("post", "/api/graphs/{name}/undo"),
                         ("post", "/api/graphs/{name}/ptv/apply")):
        status = 201 if method == "post" and path == rows else 200
        shape = resolved(schema, answer_schema(schema, method, path, status))
        assert {"change", "etag", "findings"} <= set(shape["required"]), (method, path)

    def write(method: str, url: str, status: int = 200, **body: Any) -> Any:
        r = client.request(method, url, headers={**EDITOR, "If-Match": etag_of(client, "ku")},
                           **body)
        assert r.status_code == status, r.text
        return r

    base = "/api/graphs/ku/rows/referrals"
    new = dict(client.get(f"{base}/ref-alku-ohjaamo", headers=EDITOR).json()["values"],
               id="ref-new-1")
    holds(schema, "post", rows, write("POST", base, 201, json=new))
    holds(schema, "patch", row, write("PATCH", f"{base}/ref-new-1",
                                      json={"median_wait_days": 4, "segments": ["seg-nuoret"]}))
    unchanged = write("PATCH", f"{base}/ref-new-1", json={"median_wait_days": "4"})
    assert unchanged.json()["unchanged"] is True
    holds(schema, "patch", row, unchanged)
    # a known column the sheet's header lacks: the change says the header gained it
    added = write("PATCH", "/api/graphs/ku/rows/services/ohjaamo-ohjaus", json={"places": 2})
    assert added.json()["change"]["added_columns"] == ["places"]
    holds(schema, "patch", row, added)
    holds(schema, "delete", row, write("DELETE", f"{base}/ref-new-1"))
    holds(schema, "post", "/api/graphs/{name}/undo", write("POST", "/api/graphs/ku/undo"))
    # what changed since: a finding created (and, by undo, resolved), each with its ids
    # by name
    cut = write("PATCH", f"{base}/ref-alku-ohjaamo", json={"information_flow": "no"})
    version = cut.json()["change"]["version"]
    for since, headers in (("0", {}), ("0", EDITOR), (str(version - 1), {})):
        r = client.get("/api/graphs/ku/review", params={"since": since, "lang": "en"},
                       headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["created"] or r.json()["resolved"], r.text
        holds(schema, "get", "/api/graphs/{name}/review", r)
    write("POST", "/api/graphs/ku/undo")
    r = client.get("/api/graphs/ku/review", params={"since": str(version)})
    assert r.json()["resolved"], r.text
    holds(schema, "get", "/api/graphs/{name}/review", r)

    # several rows as one change (a batch): its answer, its undo and its log entries
    files = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in (NAANTALI, ETSIVA)]
    r = client.post("/api/graphs/naantali/ptv/apply", json={"files": files},
                    headers={**EDITOR, "If-Match": etag_of(client, "naantali")})
    assert r.status_code == 200 and r.json()["change"]["action"] == "batch", r.text
    holds(schema, "post", "/api/graphs/{name}/ptv/apply", r)
    r = client.post("/api/graphs/naantali/undo",
                    headers={**EDITOR, "If-Match": etag_of(client, "naantali")})
    assert r.status_code == 200 and r.json()["change"]["changes"], r.text
    holds(schema, "post", "/api/graphs/{name}/undo", r)

    for graph in ("ku", "naantali"):
        for headers in ({}, EDITOR):
            r = client.get(f"/api/graphs/{graph}/changes", headers=headers)
            assert r.status_code == 200 and r.json()["changes"], r.text
            holds(schema, "get", "/api/graphs/{name}/changes", r)
    # the public reads what changed and when, not who: said where the log is described
    editors_only = {"who", "sub", "organisations", "source", "format", "added_columns"}
    public = client.get("/api/graphs/ku/changes").json()["changes"]
    assert not any(editors_only & set(c) for c in public)
    editor = client.get("/api/graphs/ku/changes", headers=EDITOR).json()["changes"]
    assert all({"who", "source", "format"} <= set(c) for c in editor)
    assert any("added_columns" in c for c in editor)
    said = schema["paths"]["/api/graphs/{name}/changes"]["get"]["description"] + \
        resolved(schema, ref_of("Change"))["description"]
    assert all(f"`{k}`" in said or f"``{k}``" in said for k in editors_only), said
    assert "not who" in said


def test_the_reads_validated_hold_each_part_of_their_schema(client: TestClient) -> None:
    """The answers the schemas are held to above are not empty ones: a verified suggestion,
    a capacity's prediction and a declined raise; a hand-off whose small volume the public
    does not see; a plan's measures, indicators and risks; overdue follow-ups."""
    def get(url: str, headers: dict[str, str] | None = None, **query: str) -> Any:
        r = client.get(url, params=query, headers=headers or {})
        assert r.status_code == 200, r.text
        return r.json()

    for headers in ({}, EDITOR):
        ku = get("/api/graphs/ku/suggestions", headers)
        assert ku["suggestions"] and ku["declined"], headers
        assert len(ku["worded"]) == len(ku["suggestions"])
        assert len(ku["declined_worded"]) == len(ku["declined"])
    # the public's capacity is not computed from a small-cell inflow: the editor's only
    assert any("predicted" in s for s in get("/api/graphs/full/suggestions",
                                             EDITOR)["suggestions"])
    assert not any("predicted" in s for s in get("/api/graphs/full/suggestions")["suggestions"])
    hidden = [h for bp in get("/api/graphs/ku/blueprint", subject="polku-ips")["blueprints"]
              for h in bp["handoffs"] if h["volume_hidden"]]
    assert hidden and all(h["volume_per_month"] is None for h in hidden)
    plan = get("/api/graphs/plan/plan")
    assert all(plan[k] for k in ("goals", "measures"))
    assert any(m["indicators"] and m["risks"] for m in plan["measures"])
    assert get("/api/graphs/full/review", EDITOR, since="0")["overdue"]
    # a public over-capacity finding whose inflow is hidden says at least its published part
    for answer in (get("/api/graphs/ylit/findings"), get("/api/graphs/ylit/bottlenecks")):
        metrics = next(f for f in answer["findings"]
                       if f["kind"] == "over-capacity" and f["subject"] == "ylit")["metrics"]
        assert metrics["hidden"] is True and metrics["inflow_at_least"] == 8, metrics


def test_the_comparisons_validated_hold_each_part_of_their_schema(
        client: TestClient) -> None:
    """The comparisons the schema is held to above are not empty ones: a merged graph left
    out, a plan that is no region, a small segment the public's total leaves out (and no
    `<5` in its place: the total is of the sizes shown, none of them small), titles and
    region names in the reader's language."""
    every = client.get("/api/compare").json()
    assert every["merged_left_out"] == ["national"] and "plan" in every["not_regions"]
    assert every["not_compared"] == [] and every["min_cell"] == 5
    public = client.get("/api/compare", params={"graphs": "ks,ku", "lang": "sv"}).json()
    editor = client.get("/api/compare", params={"graphs": "ks,ku"}, headers=EDITOR).json()
    assert public["regions"][0]["suppressed_segments"] == 1
    assert editor["regions"][0]["suppressed_segments"] == 0 and editor["min_cell"] is None
    assert editor["regions"][0]["people"] - public["regions"][0]["people"] == 3
    assert public["regions"][1]["region_name"] == "Mellersta Nyland"
    assert all(r["findings"] and r["findings_per_10k"] for r in public["regions"])
    assert len(client.get("/api/compare", params={"graphs": "national"}).json()["regions"]) == 2


def test_readiness_and_comparison_name_what_is_broken_as_their_schema_says(
        tmp_path: Path, schema: dict[str, Any]) -> None:
    """A stale graph (ready, with its problem), then a graph that never loaded (503: the
    same answer, not ready): the readiness probe's answers and the comparison's list of the
    graphs it could not read, in each language."""
    import os
    import time

    copy_mini(tmp_path / "mini")
    shutil.copytree(SMALL_SEGMENT, tmp_path / "ks")
    client = TestClient(create_app([tmp_path]), raise_server_exceptions=False)
    assert client.get("/api/graphs/mini").status_code == 200
    sheet = tmp_path / "mini" / "services.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace('"40,5"', "40x", 1),
                     encoding="utf-8")
    later = time.time() + 5
    os.utime(sheet, (later, later))
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"], ready.text
    holds(schema, "get", "/readyz", ready)
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    for lang in LANGS:
        ready = client.get("/readyz", params=lang)
        assert ready.status_code == 503, ready.text
        holds(schema, "get", "/readyz", ready)
        states = {g["name"]: (g["state"], bool(g["problem"])) for g in ready.json()["graphs"]}
        assert states == {"broken": ("failed", True), "ks": ("ok", False),
                          "mini": ("stale", True)}, states
        compared = client.get("/api/compare", params=lang)
        assert compared.status_code == 200, compared.text
        holds(schema, "get", "/api/compare", compared)
        assert compared.json()["not_compared"] == ["broken"]


def test_a_review_answers_what_its_schema_says(client: TestClient,
                                               schema: dict[str, Any]) -> None:
    """A review since a version, and since a day, after changes that create a finding and
    resolve one, for the public and an editor."""
    path = "/api/graphs/{name}/review"
    for key, row in (("r2", {"owner": "kela"}), ("r1", {"owner": ""})):
        r = client.patch(f"/api/graphs/reviewed/rows/referrals/{key}", json=row,
                         headers={**EDITOR, "If-Match": etag_of(client, "reviewed")})
        assert r.status_code == 200, r.text
    for since in ("0", "1", "1.1.2020"):
        for headers in ({}, EDITOR):
            r = client.get("/api/graphs/reviewed/review", params={"since": since},
                           headers=headers)
            assert r.status_code == 200, (since, r.text)
            holds(schema, "get", path, r)
            if since == "0":
                assert r.json()["since"] == {"version": 0, "time": None}
                assert r.json()["created"] and r.json()["resolved"], r.json()
            if since == "1":
                assert r.json()["since"]["time"], r.json()


def test_a_ptv_comparison_answers_what_its_schema_says(client: TestClient,
                                                       schema: dict[str, Any]) -> None:
    """The real PTV fixtures compared with a drifted region (missing, gone and changed
    entries, edits of services, organisations and leads), for the public and an editor,
    in each language."""
    path = "/api/graphs/{name}/ptv/compare"
    shape = resolved(schema, answer_schema(schema, "post", path))
    assert shape.get("additionalProperties") is False and {"edits", "summary"} <= set(
        shape["required"]), shape
    files = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in CATALOGUE]
    for graph, body, headers in (
            ("drift", {"files": files}, {}),
            ("drift", {"files": files, "municipality": ["529", "905"]}, EDITOR),
            ("naantali", {"files": files[:2]}, {})):
        for lang in ("fi", "sv", "en"):
            r = client.post(f"/api/graphs/{graph}/ptv/compare", params={"lang": lang},
                            json=body, headers=headers)
            assert r.status_code == 200, r.text
            holds(schema, "post", path, r)
    answer = client.post("/api/graphs/drift/ptv/compare",
                         json={"files": files, "municipality": ["529", "905"]}).json()
    assert all(answer[k] for k in ("missing", "gone", "changed"))
    assert {(e["action"], e["sheet"]) for e in answer["edits"]} >= {
        ("create", "actors"), ("create", "services"), ("create", "responsibilities"),
        ("update", "services"), ("delete", "services")}


#: the objects of the five routes' answers whose keys are data (column, field or metric
#: names, a follow-up's extra columns, the ids an overdue follow-up names), as the schema
#: says: any other object takes no field the schema does not name
KEYED_BY_DATA = {"row", "metrics", "extra", "column_names", "field_names", "names"}


def objects(value: Any, at: tuple[Any, ...] = ()) -> Any:
    """Every JSON object in ``value``, with where it is (a path of keys and indexes)."""
    if isinstance(value, dict):
        yield at, value
        for k, v in value.items():
            yield from objects(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from objects(v, (*at, i))


def test_a_field_the_schema_does_not_name_fails(client: TestClient,
                                                schema: dict[str, Any]) -> None:
    """A field added to an answer (at its top or in any object in it) without its schema
    fails the validation above: the seven routes whose schemas came last, each answer's
    every object given a field of text the schema does not name."""
    files = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in CATALOGUE]
    answers = [("get", "/api/graphs/{name}/review",
                client.get("/api/graphs/full/review", params={"since": "0"}, headers=EDITOR)),
               ("get", "/api/graphs/{name}/suggestions",
                client.get("/api/graphs/full/suggestions", headers=EDITOR)),
               ("get", "/api/graphs/{name}/suggestions", client.get("/api/graphs/ku/suggestions")),
               ("get", "/api/graphs/{name}/blueprint",
                client.get("/api/graphs/ku/blueprint", params={"subject": "polku-ips"})),
               ("get", "/api/graphs/{name}/plan", client.get("/api/graphs/plan/plan")),
               ("post", "/api/graphs/{name}/ptv/compare",
                client.post("/api/graphs/drift/ptv/compare",
                            json={"files": files, "municipality": ["529", "905"]})),
               ("get", "/api/compare", client.get("/api/compare")),
               ("get", "/api/compare", client.get("/api/compare", params={"graphs": "ks,ku"},
                                                  headers=EDITOR)),
               ("get", "/readyz", client.get("/readyz"))]
    for method, path, r in answers:
        assert r.status_code == 200, r.text
        validator = jsonschema_rs.Draft202012Validator({
            **answer_schema(schema, method, path), "components": schema["components"]})
        body = r.json()
        assert validator.is_valid(body), path
        taken = set()
        for at, obj in list(objects(body)):
            obj["undocumented"] = "x"
            if validator.is_valid(body):
                taken.add(next((k for k in reversed(at) if isinstance(k, str)), "(answer)"))
            del obj["undocumented"]
        assert taken <= KEYED_BY_DATA, (path, taken - KEYED_BY_DATA)


def test_downloads_name_the_media_types_they_answer(client: TestClient,
                                                    schema: dict[str, Any]) -> None:
    from polku.io import formats
    from polku.present.actions import ACTION_FORMATS

    for path, query, kinds in (
            ("/api/graphs/{name}/actions", "format",
             {k: f.media_type for k, f in ACTION_FORMATS.items()}),
            ("/api/graphs/{name}/export", "format",
             {k: formats.get(k).media_type for k in formats.text_formats()})):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {str(m).split(";")[0] for m in kinds.values()}, (path, content)
        for name, media in kinds.items():
            r = client.get(path.format(name="ku"), params={query: name})
            assert r.status_code == 200, (path, name)
            assert r.headers["content-type"].split(";")[0] == str(media).split(";")[0]
    r = client.get("/api/graphs/ku/actions", params={"format": "json"})
    holds_json = answer_schema(schema, "get", "/api/graphs/{name}/actions")
    assert set(holds_json["required"]) <= set(r.json())


def test_parameters_declare_their_choices_and_bounds(client: TestClient,
                                                     schema: dict[str, Any]) -> None:
    langs = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for p in operation.get("parameters", []):
                if p["name"] == "lang":
                    assert p["schema"]["enum"] == ["fi", "sv", "en"], (method, path)
                    assert p["schema"]["type"] == "string", (method, path)
                    langs += 1
    assert langs > 30
    top = next(p for p in schema["paths"]["/api/graphs/{name}/bottlenecks"]["get"]["parameters"]
               if p["name"] == "top")["schema"]
    assert (top["minimum"], top["maximum"]) == (1, MAX_TOP)
    for value, status in ((1, 200), (MAX_TOP, 200), (0, 400), (MAX_TOP + 1, 400)):
        assert client.get("/api/graphs/mini/bottlenecks", params={"top": value}
                          ).status_code == status
    for value, status in (("sv", 200), ("de", 400)):
        assert client.get("/api/graphs/mini", params={"lang": value}).status_code == status


#: a request that answers 200 on each GET route of the schema (the mini workbook; the
#: example region where the mini has nothing to show)
GETS = {
    "/healthz": "/healthz", "/readyz": "/readyz", "/auth/me": "/auth/me",
    "/api/graphs": "/api/graphs",
    "/api/compare": "/api/compare?graphs=ku,full",
    "/api/graphs/{name}": "/api/graphs/mini",
    "/api/graphs/{name}/findings": "/api/graphs/mini/findings",
    "/api/graphs/{name}/review": "/api/graphs/mini/review?since=0",
    "/api/graphs/{name}/actions": "/api/graphs/mini/actions",
    "/api/graphs/{name}/suggestions": "/api/graphs/mini/suggestions",
    "/api/graphs/{name}/bottlenecks": "/api/graphs/mini/bottlenecks",
    "/api/graphs/{name}/paths": "/api/graphs/mini/paths?segment=nuoret",
    "/api/graphs/{name}/blueprint": "/api/graphs/mini/blueprint?subject=p1",
    "/api/graphs/{name}/whatif": "/api/graphs/mini/whatif?remove=kuntouttava",
    "/api/graphs/{name}/plan": "/api/graphs/plan/plan",
    "/api/graphs/{name}/export": "/api/graphs/mini/export",
    "/api/graphs/{name}/rows/{sheet}": "/api/graphs/mini/rows/services",
    "/api/graphs/{name}/rows/{sheet}/{key}": "/api/graphs/mini/rows/services/kuntouttava",
    "/api/graphs/{name}/changes": "/api/graphs/mini/changes",
    "/": "/", "/compare": "/compare?graphs=ku,full",
    "/graphs/{name}": "/graphs/mini", "/graphs/{name}/view": "/graphs/mini/view?view=ecosystem",
    "/graphs/{name}/table": "/graphs/mini/table?view=ecosystem",
    "/graphs/{name}/paths": "/graphs/mini/paths?segment=nuoret",
    "/graphs/{name}/whatif": "/graphs/mini/whatif?segment=nuoret",
    "/graphs/{name}/bottlenecks": "/graphs/mini/bottlenecks",
    "/graphs/{name}/raci": "/graphs/mini/raci", "/graphs/{name}/ptv": "/graphs/mini/ptv",
    "/graphs/{name}/changes": "/graphs/mini/changes",
    "/graphs/{name}/report": "/graphs/mini/report",
}


def test_every_route_documents_the_304_and_405_it_answers(client: TestClient,
                                                          schema: dict[str, Any]) -> None:
    takes: dict[str, set[str]] = {}
    for path, operations in schema["paths"].items():
        takes[path] = set(operations)
        for method, operation in operations.items():
            assert "405" in operation["responses"], (method, path)
            if method != "get":
                assert "304" not in operation["responses"], (method, path)
    for path, url in GETS.items():
        documented = "304" in schema["paths"][path]["get"]["responses"]
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        tag = r.headers.get("etag")
        # documented where the answer has an ETag to revalidate, and only there
        assert documented == bool(tag), (path, tag)
        if tag:
            again = client.get(url, headers={"If-None-Match": tag})
            assert again.status_code == 304 and again.content == b"", url
    assert set(GETS) == {p for p, methods in takes.items() if "get" in methods}
    for path, methods in takes.items():
        url = GETS.get(path) or path.format(name="mini", sheet="services", key="kuntouttava")
        other = next(m for m in ("put", "patch", "post", "delete") if m not in methods)
        r = client.request(other.upper(), url.split("?")[0])
        assert r.status_code == 405 and r.json()["error"]["code"] == "method-not-allowed", \
            (other, url)
        body = resolved(schema, answer_schema(schema, sorted(methods)[0], path, 405))
        assert {"error"} == set(body["required"]) and set(r.json()) == {"error"}


def test_every_json_answer_is_described(schema: dict[str, Any]) -> None:
    """No route's JSON answer (a success's, or another status's that is not the one error
    shape) is left "any object": each names its fields, but the JSON-LD export, whose
    shape is JSON-LD's and whose terms are the ontology's, which its description says."""
    bare = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for media, body in response.get("content", {}).items():
                    if not (media == "application/json" or media.endswith("+json")):
                        continue
                    shape = resolved(schema, body.get("schema", {}))
                    shape = resolved(schema, shape.get("items", shape))
                    if not (shape.get("properties") or shape.get("anyOf")):
                        bare.append((method, path, status, media))
    assert bare == [("get", "/api/graphs/{name}/export", "200", "application/ld+json")], bare
    jsonld = answer_schema(schema, "get", "/api/graphs/{name}/export",
                           media="application/ld+json")
    assert "JSON-LD" in jsonld["description"] and "ontology" in jsonld["description"]
    # the readiness probe's 503 is its answer, not the error shape
    assert answer_schema(schema, "get", "/readyz", 503) == ref_of("Readiness")


def test_the_schema_is_valid_json_schema(schema: dict[str, Any]) -> None:
    for name, component in schema["components"]["schemas"].items():
        jsonschema_rs.Draft202012Validator({**component, "components": schema["components"]})
    json.dumps(schema)


def test_the_removed_label_is_described_as_answered(client: TestClient,
                                                    schema: dict[str, Any]) -> None:
    """Found by a reviewer: the schema said `removed_label` was the removed node "as the
    messages name it" (the messages write "Name (id)"); the API answers its name alone, the
    id being `removed` (README)."""
    said = resolved(schema, ref_of("Removal"))["properties"]["removed_label"]["description"]
    assert "messages" not in said and "name alone" in said and "`removed`" in said
    r = client.get("/api/graphs/ku/whatif", params={"remove": "ohjaamo-ohjaus"}).json()
    assert r["removed_label"] == r["removed_labels"][r["removed"]]
    assert f"({r['removed']})" not in r["removed_label"]


def test_the_findings_and_the_review_name_each_findings_ids(client: TestClient,
                                                            schema: dict[str, Any]) -> None:
    """Each finding of the findings and review answers carries ``names`` (id → its name in
    the request's language), required and described, beside the ids it names."""
    for path, lists in (("/api/graphs/{name}/findings", ("findings",)),
                        ("/api/graphs/{name}/review", ("created", "resolved"))):
        shape = resolved(schema, answer_schema(schema, "get", path))
        for field in lists:
            finding = resolved(schema, shape["properties"][field]["items"])
            assert "names" in finding["required"], path
            assert finding["properties"]["names"]["additionalProperties"] == {"type": "string"}
            assert "request's language" in finding["properties"]["names"]["description"]
    found = client.get("/api/graphs/full/findings", params={"lang": "sv"}).json()["findings"]
    assert found and all(set(f["names"]) == {f["subject"], *f["related"], *f["accountable"],
                                             *f["measures"]} for f in found)
