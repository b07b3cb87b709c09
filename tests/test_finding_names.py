"""A finding in JSON names what it is about in the reader's language: its ``names`` object,
each id it mentions (``subject``, ``related``, ``accountable``, ``measures``) → the name the
table and the messages give it (:class:`polku.present.printers.ActingNames`,
:func:`polku.present.messages.subject_name`), the same on the command line (``--lang``) and
over HTTP (``?lang=``), in ``polku findings --format json``, the findings route and the
review (``--since``, ``/review``); every other field as it was. The names of one answer are
worked out once per id, not once per finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, MINI, PLAN, SECOND, copy_mini, run
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "anna-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}


def mentioned(f: dict[str, Any]) -> set[str]:
    return {f["subject"], *f["related"], *f["accountable"], *f["measures"]}


def cli(source: object, lang: str, *args: object) -> dict[str, Any]:
    r = run("findings", source, "--format", "json", "--lang", lang, *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def by_key(findings: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {f["key"]: f["names"] for f in findings}


def test_cli_json_names_every_id_a_finding_mentions_in_the_readers_language() -> None:
    said = {lang: by_key(cli(MINI, lang)["findings"]) for lang in ("fi", "sv", "en")}
    owner = said["sv"]["referral-without-owner:r2"]
    # a referral by its two ends (it has no name of its own), a service without a Swedish
    # name by its Finnish one, an actor by its Swedish name: as the table and messages say
    assert owner == {"r2": "hänvisning Kuntouttava työtoiminta → Avoimet työmarkkinat",
                     "kuntouttava": "Kuntouttava työtoiminta", "tyo": "Avoimet työmarkkinat",
                     "kela": "FPA", "keusote": "Mellersta Nylands välfärdsområde"}
    assert said["fi"]["referral-without-owner:r2"]["kela"] == "Kela"
    assert said["fi"]["referral-without-owner:r2"]["r2"] == \
        "ohjaus Kuntouttava työtoiminta → Avoimet työmarkkinat"
    assert said["en"]["referral-without-owner:r2"]["keusote"] == \
        "Keski-Uudenmaan hyvinvointialue"  # no English name: the Finnish one
    for lang, names in said.items():
        for f in cli(MINI, lang)["findings"]:
            assert set(f["names"]) == mentioned(f), (lang, f["key"])
    # additive: every other field as it was, its key still last
    f = cli(MINI, "sv")["findings"][0]
    assert list(f) == ["kind", "severity", "subject", "related", "message", "metrics",
                       "accountable", "measures", "names", "key"]


def test_the_names_are_the_tables_who_must_act_and_measures_whole() -> None:
    """Who must act by the names the table prints (ActingNames); a plan measure by its
    number and whole title (the table cuts it to its column); in a merged graph a name
    with its region, as the table says it."""
    from polku.io.load import load_graph
    from polku.present.i18n import translator
    from polku.present.printers import ActingNames

    for source in (EXAMPLE, PLAN):
        g = load_graph(source)
        for lang in ("fi", "sv", "en"):
            said = ActingNames(g, translator(lang), width=10_000)
            table = run("findings", source, "--lang", lang).stdout
            for f in cli(source, lang)["findings"]:
                for a in f["accountable"]:
                    assert f["names"][a] == said.actors([a])[0]
                    assert f["names"][a] in table
                for m in f["measures"]:
                    assert f["names"][m] == said.measures([m])[0]
    plan = by_key(cli(PLAN, "en")["findings"])["deferred-responsibility:measure-1-1"]
    assert plan["measure-1-1"].startswith("1.1 Tilannekuva 1: Kootaan ja kuvataan ekosysteemin")
    assert not plan["measure-1-1"].endswith("…")


def test_a_merged_graphs_names_say_their_region(tmp_path: Path) -> None:
    merged = tmp_path / "national.ttl"
    assert run("merge", EXAMPLE, SECOND, "-o", merged).exit_code == 0
    found = cli(merged, "fi")["findings"]
    table = run("findings", merged, "--lang", "fi").stdout
    regional = [(i, n) for f in found for i, n in f["names"].items() if "/" in i]
    assert regional and all(n.endswith(")") for i, n in regional
                            if not i.startswith("national/")), regional[:5]
    for f in found:
        for a in f["accountable"]:
            assert f"{f['names'][a]}" in table


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> tuple[TestClient, Path]:
    folder = tmp_path_factory.mktemp("graphs")
    copy_mini(folder / "mini")
    client = TestClient(create_app([folder, EXAMPLE.parent / "plan.ttl"],
                                   parse_tokens(f"anna:{TOKEN}")),
                        raise_server_exceptions=False)
    return client, folder / "mini"


def test_the_api_names_what_the_command_line_names(served) -> None:
    from polku.io.load import load_graph
    from polku.present.i18n import translator
    from polku.present.messages import finding_json
    from polku.finding import Finding

    client, mini = served
    for lang in ("fi", "sv", "en"):
        expected = by_key(cli(mini, lang)["findings"])
        for headers in ({}, EDITOR):
            r = client.get("/api/graphs/mini/findings", params={"lang": lang},
                           headers=headers)
            assert r.status_code == 200, r.text
            found = r.json()["findings"]
            assert by_key(found) == expected, (lang, headers)
            # the names are all it adds: every other field as the finding's JSON has it
            g = load_graph(mini)
            for f in found:
                rest = {k: v for k, v in f.items() if k != "names"}
                assert rest == finding_json(Finding.from_dict(rest), g, translator(lang))
    plan = client.get("/api/graphs/plan/findings", params={"lang": "sv"}).json()["findings"]
    assert by_key(plan) == by_key(cli(EXAMPLE.parent / "plan.ttl", "sv")["findings"])


def test_the_review_names_its_findings_on_both_doors(tmp_path: Path) -> None:
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    client = TestClient(create_app([folder], parse_tokens(f"anna:{TOKEN}")),
                        raise_server_exceptions=False)
    # r2 gets an owner (its finding is resolved), r1 loses its information flow (created)
    for key, change in (("r2", {"owner": "keusote"}), ("r1", {"information_flow": "no"})):
        etag = client.get("/api/graphs/mini", headers=EDITOR).headers["etag"]
        r = client.patch(f"/api/graphs/mini/rows/referrals/{key}", json=change,
                         headers={**EDITOR, "If-Match": etag})
        assert r.status_code == 200, r.text
    http = client.get("/api/graphs/mini/review", params={"since": "0", "lang": "sv"}).json()
    line = run("findings", folder / "mini", "--since", "0", "--format", "json", "--lang", "sv")
    assert line.exit_code == 0, line.output
    said = json.loads(line.stdout)
    for doc in (http, said):
        assert [f["key"] for f in doc["resolved"]] == ["referral-without-owner:r2"]
        assert "no-information-flow:r1" in [f["key"] for f in doc["created"]]
        for f in doc["created"] + doc["resolved"]:
            assert set(f["names"]) == mentioned(f)
        assert doc["resolved"][0]["names"]["r2"] == \
            "hänvisning Kuntouttava työtoiminta → Avoimet työmarkkinat"
    assert http["created"] == said["created"] and http["resolved"] == said["resolved"]


def test_an_answers_names_are_worked_out_once_per_id(monkeypatch) -> None:
    """A national graph has 7,000 findings naming a few thousand nodes: each id is named
    once per answer (one lookup), not once per finding that mentions it."""
    from polku.finding import Finding
    from polku.graph import new_graph
    from polku.present import finding_names
    from polku.present.i18n import translator
    from polku.present.printers import findings_output

    g = new_graph("g")
    g.add_node("te", type="actor", name="TE-palvelut")
    for i in range(50):
        g.add_node(f"s{i}", type="service", name=f"Palvelu {i}")
    found = [Finding("service-without-provider", "error", f"s{i}", (), "", {}, ("te",))
             for i in range(50)]
    asked: list[str] = []
    name = finding_names.FindingNames._name
    monkeypatch.setattr(finding_names.FindingNames, "_name",
                        lambda self, node: asked.append(node) or name(self, node))
    doc = json.loads(findings_output("json", "g", found, g, translator("fi")))
    assert doc["findings"][0]["names"] == {"s0": "Palvelu 0", "te": "TE-palvelut"}
    assert sorted(asked) == sorted(["te", *(f"s{i}" for i in range(50))])
