"""An ``overlapping-services`` finding says which services have no referral between them,
not that none of them has.

The example's young people (*seg-nuoret*) reach five services for motivation from five
providers; Etsivä, Ohjaamo, the workshop and NUOTTI refer to each other (ref-etsiva-ohjaamo,
ref-etsiva-tyopaja, ref-ohjaamo-tyopaja, ref-ohjaamo-nuotti, ref-nuotti-tyopaja, valid for
every segment), yet the sentence read "… 5 services from different providers, with no
referral between them". The finding fires on a pair without a referral (docs/findings.md);
its data now names those pairs (``metrics.pairs``), and the sentence says them, in every
language, on every door (CLI, API, report)."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from ecobuild import Builder
from helpers import EXAMPLE, run
from polku.analyses.findings import applies, find
from polku.analyses.reach import ecosystem
from polku.app import create_app
from polku.io.load import load_graph
from polku.present.i18n import translator
from polku.present.messages import worded

LINKED = (("etsiva-nuorisotyo", "ohjaamo-ohjaus"), ("etsiva-nuorisotyo", "nuorten-tyopaja"),
          ("nuorten-tyopaja", "ohjaamo-ohjaus"), ("nuotti", "ohjaamo-ohjaus"),
          ("nuorten-tyopaja", "nuotti"))


def findings(lang: str) -> list[dict]:
    r = run("findings", EXAMPLE, "--format", "json", "--lang", lang)
    assert r.exit_code == 0, r.output
    return [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "overlapping-services"]


def motivation(found: list[dict]) -> dict:
    [f] = [f for f in found if f["subject"] == "seg-nuoret"
           and f["metrics"]["need"] == "tarve-motivaatio"]
    return f


def test_the_pairs_are_the_unlinked_ones_and_every_related_service_is_in_one() -> None:
    g = load_graph(EXAMPLE)
    eco = ecosystem(g)
    found = findings("en")
    assert len(found) == 13
    for f in found:
        pairs = f["metrics"]["pairs"]
        assert pairs == sorted(pairs) and all(a < b for a, b in pairs), f
        for a, b in pairs:
            # no referral between them, either way, that applies to the segment
            assert not applies(eco, a, b, f["subject"]) and \
                not applies(eco, b, a, f["subject"]), (f["key"], a, b)
            assert eco.providers.get(a) != eco.providers.get(b)
        assert sorted({s for p in pairs for s in p}) == f["related"], f
        assert f["metrics"]["services"] == len(f["related"])
    pairs = motivation(found)["metrics"]["pairs"]
    assert not {tuple(p) for p in pairs} & set(LINKED)
    assert [list(p) for p in LINKED if list(p) in pairs] == []


@pytest.mark.parametrize("lang, claim", [
    ("en", "services from different providers, with no referral between them"),
    ("fi", "eri tuottajan palvelua, joiden välillä ei ole ohjausta"),
    ("sv", "tjänster från olika producenter utan hänvisning mellan dem"),
])
def test_the_sentence_names_the_unlinked_pairs_not_all_services(lang, claim) -> None:
    found = findings(lang)
    f = motivation(found)
    message = f["message"]
    # the old claim, of all five, is gone from every finding
    assert not any(claim in g["message"] for g in found), lang
    # it names each unlinked pair, and no linked one
    tr = translator(lang)
    g = load_graph(EXAMPLE)
    for a, b in f["metrics"]["pairs"]:
        assert f"{tr.label(g, a)} ({a}) – {tr.label(g, b)} ({b})" in message, (a, b, message)
    for a, b in LINKED:
        assert f"({a}) – {tr.label(g, b)}" not in message, (a, b, message)
    assert str(len(f["metrics"]["pairs"])) in message


def test_the_words_in_each_language() -> None:
    b = Builder("pari").chain()
    b.segment("seg", needs=["debt"])
    b.service("a", providers=["x"], entry=True, needs=["debt"])
    b.service("b", providers=["y"], needs=["debt"])      # a → b: r-ab, linked
    b.service("c", providers=["z"], needs=["debt"])
    b.referral("r-ac", "a", "c", segments=["other"], owner="x")  # not for seg: no link
    b.referral("r-bc", "b", "c", owner="y")             # linked; c reached through b
    b.referral("r-cw", "c", "work", owner="z")
    [f] = [f for f in find(b.g) if f.kind == "overlapping-services"]
    assert f.related == ("a", "c") and f.metrics["pairs"] == [["a", "c"]]
    said = {lang: worded([f], b.g, translator(lang))[0].message for lang in ("fi", "sv", "en")}
    assert said["en"] == ("For Seg (seg), 1 pair of services from different providers "
                          "addresses the need Debt (debt) with no referral between them: "
                          "A (a) – C (c)")
    assert said["fi"] == ("Seg (seg): tarpeeseen Debt (debt) vastaa 1 eri tuottajien "
                          "palvelupari, jonka palvelujen välillä ei ole ohjausta: "
                          "A (a) – C (c)")
    assert said["sv"] == ("Seg (seg): behovet Debt (debt) möts av 1 tjänstepar från olika "
                          "producenter utan hänvisning mellan tjänsterna i paret: "
                          "A (a) – C (c)")


def test_the_api_and_the_report_say_the_pairs(tmp_path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "keski-uusimaa")
    client = TestClient(create_app([tmp_path]))
    r = client.get("/api/graphs/keski-uusimaa/findings", params={"lang": "fi"})
    assert r.status_code == 200, r.text
    f = motivation([f for f in r.json()["findings"] if f["kind"] == "overlapping-services"])
    assert "palveluparia" in f["message"] and f["metrics"]["pairs"]
    assert "joiden välillä ei ole ohjausta" not in f["message"]
    report = run("report", EXAMPLE, "-o", tmp_path / "r.md", "--lang", "fi")
    assert report.exit_code == 0, report.output
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "palveluparia" in text and "palvelua, joiden välillä ei ole ohjausta" not in text
