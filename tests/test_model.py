"""A model per graph version (:mod:`polku.ops.model`): the index and the findings computed
once per version, lazily, shared by every route and every reader; a write makes a new
version; the operations' registry and their checks."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini
from polku.app import create_app
from polku.errors import PolkuError
from polku.io.load import load_graph
from polku.ops import operations as ops
from polku.ops.model import Model
from polku.server.auth import Tokens

TOKEN = "editor-token-0123456789"


def test_findings_are_computed_once_even_when_many_ask_at_once(monkeypatch) -> None:
    import polku.analyses.findings as findings

    calls = []
    real = findings.find

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(findings, "find", counted)
    model = Model(load_graph(MINI), "v1")
    results = []
    threads = [threading.Thread(target=lambda: results.append(model.findings()))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and all(r is results[0] for r in results)
    assert model.findings(long_wait_days=5) is not results[0] and len(calls) == 2
    assert model.published("public") is model.published("public")
    assert model.published("editor") is model


def test_the_server_keeps_one_model_per_version_and_a_write_makes_a_new_one(tmp_path) -> None:
    copy_mini(tmp_path / "mini")
    app = create_app([tmp_path / "mini"], Tokens({"editor": TOKEN}), tmp_path / "changes")
    client, store = TestClient(app), app.state.store
    assert client.get("/api/graphs/mini/findings").status_code == 200
    first, _ = store.model("mini")
    assert client.get("/graphs/mini?lang=en").status_code == 200
    assert client.get("/api/graphs/mini/bottlenecks").status_code == 200
    assert store.model("mini")[0] is first  # every route shares it
    etag = client.get("/api/graphs/mini").headers["etag"]
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": "5"},
                     headers={"Authorization": f"Bearer {TOKEN}", "If-Match": etag})
    assert r.status_code == 200, r.text
    second, entry = store.model("mini")
    assert second is not first and second.version == entry.etag != first.version
    assert second.graph.nodes["kuntouttava"]["capacity_per_month"] == 5
    kinds = {f["kind"] for f in client.get("/api/graphs/mini/findings").json()["findings"]}
    assert "over-capacity" in kinds  # read from the new version


def test_the_suggestions_are_tried_once_per_version_in_every_language(tmp_path,
                                                                       monkeypatch) -> None:
    """The first page's decisions verify suggestions on a copy of the graph: that is data,
    the same in every language. The graph page and the report in Finnish, Swedish and
    English, and the suggestions route, ask the version's model: its memo computes the
    suggestions' checks and the decisions once per reader's model, and no candidate is
    tried again by a later page or language (all of them together try exactly the
    candidates one full answer tries)."""
    import shutil
    from collections import Counter
    from pathlib import Path

    from polku.analyses.suggest import Checks
    from polku.kinds import LONG_WAIT_DAYS

    computed: Counter = Counter()
    memo = Model.memo

    def counted(self, key, compute):
        def run():
            computed[self.audience, key[0] if isinstance(key, tuple) else key] += 1
            return compute()
        return memo(self, key, run)

    monkeypatch.setattr(Model, "memo", counted)
    example = Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa"
    shutil.copytree(example, tmp_path / "keski-uusimaa")
    app = create_app([tmp_path], Tokens({"editor": TOKEN}), tmp_path / "changes")
    client, store = TestClient(app), app.state.store
    pages = ("/graphs/keski-uusimaa", "/graphs/keski-uusimaa/report")
    for who, headers in (("public", {}), ("editor", {"Authorization": f"Bearer {TOKEN}"})):
        tried = None
        for lang in ("fi", "sv", "en"):
            for page in pages:
                r = client.get(page, params={"lang": lang}, headers=headers)
                assert r.status_code == 200, r.text
                checks = store.model("keski-uusimaa")[0].published(who).kept(
                    ("suggestions", float(LONG_WAIT_DAYS)))
                tried = tried or checks.trials
                assert checks.trials == tried > 0, (who, lang, page)
        # the route asks for every finding: the candidates the pages tried are not again
        words, tried = {}, None
        for lang in ("fi", "en", "sv"):
            r = client.get("/api/graphs/keski-uusimaa/suggestions", params={"lang": lang},
                           headers=headers)
            assert r.status_code == 200
            words[lang] = r.json()["worded"]
            tried = tried or checks.trials
            assert checks.trials == tried, (who, lang)
        assert words["fi"][0]["text"] != words["en"][0]["text"]  # worded per language
        fresh = Checks(checks.g, checks.before, checks.long_wait_days)
        fresh.suggest()
        assert checks.trials == fresh.trials and checks._trials is None
        assert computed[who, "suggestions"] == computed[who, "decisions"] == 1, computed


def test_every_operation_is_registered_and_checks_its_parameters() -> None:
    from polku.present import operations as pages

    assert set(ops.OPERATIONS) | set(pages.OPERATIONS) == {
        "describe", "findings", "plan-findings", "review", "bottlenecks", "paths", "removal", "queueing", "raci",
        "report", "view", "diff", "eventlog", "compare", "ptv-compare", "blueprint",
        "suggestions"}
    model = Model(load_graph(MINI))
    bad = [(ops.Findings(long_wait_days=-1), "long_wait_days"),
           (ops.Findings(severity="loud"), "severity"),
           (ops.Findings(actor="nobody"), "actor"),
           (ops.PlanFindings(max_concurrent_leads=0), "max_concurrent_leads"),
           (ops.Bottlenecks(top=0), "top"),
           (ops.Bottlenecks(top=100_001), "top"),  # one ceiling on every door
           (ops.Paths(segment="nuoret", k=0), "k"),
           (ops.Paths(segment="nuoret", to="kela"), "to"),
           (ops.Blueprint(subject="kuntouttava"), "subject"),
           (ops.Blueprint(subject="p1", k=0), "k"),
           (ops.Removal(remove="nuoret"), "remove"),
           (ops.Queueing(capacity={"kela": 3}), "capacity"),
           (ops.Queueing(places={"kuntouttava": 0}), "places"),
           (ops.Raci(subjects="everyone"), "subjects"),
           (pages.Report(top=0), "top"),
           (pages.ViewOf(view="segment:nope"), "view"),
           (pages.ViewOf(focus="nope"), "focus"),
           (pages.ViewOf(depth=-1), "depth"),
           (ops.Diff(), "against"),
           (ops.Compare(), "others"),  # the library's parameter; the doors map theirs
           (ops.PtvCompare(), "catalogue"),
           (ops.Suggestions(long_wait_days=-1), "long_wait_days"),
           (ops.Suggestions(finding="nope:x"), "finding"),
           (pages.Report(lang="de"), "lang")]
    for operation, field in bad:
        with pytest.raises(PolkuError) as caught:
            ops.answer(operation, model)
        assert caught.value.field == field, operation
    with pytest.raises(PolkuError) as caught:
        ops.whatif_operation("r1", ["kuntouttava=3"], [], [])
    assert caught.value.field == "remove"


def test_a_rankings_length_is_refused_alike_on_every_door() -> None:
    """``top`` is checked by the operation alone: the API, the page and the command refuse
    the same values with the same words (the API and the page had ceilings of their own,
    100 000 and 1 000, and the command none)."""
    from fastapi.testclient import TestClient

    from polku.app import create_app
    from helpers import run

    client = TestClient(create_app([MINI]), raise_server_exceptions=False)
    for top in (0, 100_001):
        api = client.get("/api/graphs/mini/bottlenecks", params={"top": top, "lang": "en"})
        page = client.get("/graphs/mini/bottlenecks", params={"top": top, "lang": "en"})
        cli = run("bottlenecks", str(MINI), "--top", str(top), "--lang", "en")
        said = api.json()["error"]
        assert api.status_code == page.status_code == 400 and said["field"] == "top"
        assert said["message"] in page.text and said["message"] in cli.output
        assert "from 1 to 100,000" in said["message"] and cli.exit_code == 1
    assert client.get("/graphs/mini/bottlenecks", params={"top": 5000}).status_code == 200
