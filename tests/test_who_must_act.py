"""Who must act (docs/findings.md, "Who must act") and the calibrated rules: every finding's
``accountable`` and ``measures``, ``organised: separately``, ``segment-without-lead``,
``risk-without-mitigation``, deferred measures, and ``polku findings --actor``."""

from __future__ import annotations

import json

import pytest

from ecobuild import Builder
from helpers import run
from polku.analyses.findings import find
from polku.analyses.plan_findings import plan_findings
from polku.present.i18n import translator
from polku.present.messages import message
from polku.io.workbook import read_workbook, write_workbook

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")


def one(g, kind, subject=None):
    fs = [f for f in find(g) if f.kind == kind and (subject is None or f.subject == subject)]
    assert len(fs) == 1, fs
    return fs[0]


# -- accountable, rule by rule -------------------------------------------------------------

def test_service_lead_else_providers():
    b = Builder().chain()
    b.service("b", providers=["x", "y"], capacity=1)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=5)
    f = one(b.g, "over-capacity")
    assert f.accountable == ("x", "y")          # no lead: its providers
    b.role("z", "b", "lead")
    assert one(b.g, "over-capacity").accountable == ("z",)


def test_referral_owner_and_lead_else_its_from_service():
    b = Builder().chain()
    b.service("a", providers=["x", "y"], entry=True)
    b.referral("r-ab", "a", "b", wait=90, info="yes")  # no owner, no lead
    assert one(b.g, "long-wait").accountable == ("x", "y")
    b.role("k", "a", "lead")                             # acc(from) is its lead now
    assert one(b.g, "long-wait").accountable == ("k",)
    b.referral("r-ab", "a", "b", wait=90, info="yes", owner="o")  # the owner counts as lead
    assert one(b.g, "long-wait").accountable == ("o",)
    b.role("p", "r-ab", "lead")
    assert one(b.g, "long-wait").accountable == ("o", "p")


def test_segment_path_and_actor():
    b = Builder().chain()
    b.path("p", "seg", ["a", "work"])               # no referral a → work: broken
    assert one(b.g, "path-broken").accountable == ("x",)   # acc(path) = lead of its segment
    b.g.remove_edge("x", "seg", key="responsibility:lead")
    assert one(b.g, "path-broken").accountable == ()        # the segment has no lead
    assert one(b.g, "segment-without-lead").accountable == ()


def test_measure_lead_else_participants_and_risk_and_actor():
    b = Builder().chain()
    b.measure("m1", participants=["p1", "p2"])
    b.measure("m2", leads=["l1"], participants=["p1"])
    b.risk("risk-1", "m2", mitigation="??")
    fs = {(f.kind, f.subject): f for f in plan_findings(b.g)}
    assert fs[("no-lead", "m1")].accountable == ("p1", "p2")
    assert fs[("no-lead", "m1")].measures == ("m1",)
    assert fs[("measure-without-indicator", "m2")].accountable == ("l1",)
    r = fs[("risk-without-mitigation", "risk-1")]
    assert (r.severity, r.related, r.accountable, r.measures) == ("info", ("m2",), ("l1",), ("m2",))


def test_measures_are_those_whose_subjects_name_the_subject_or_a_related_id():
    b = Builder().chain()
    b.referral("r-ab", "a", "b", info="no", owner="x")
    b.measure("m-ref", subjects=["r-ab"])       # a referral as a measure's subject
    b.measure("m-to", subjects=["b"])           # names a related id (the referral's end)
    b.measure("m-other", subjects=["seg"])
    f = one(b.g, "no-information-flow")
    assert f.measures == ("m-ref", "m-to")
    # nothing said: empty
    b2 = Builder().chain()
    b2.referral("r-ab", "a", "b", info="no", owner="x")
    assert one(b2.g, "no-information-flow").measures == ()


# -- calibrated rules, firing and not -------------------------------------------------------

@pytest.mark.parametrize("organised, fires", [(None, True), ("jointly", True), ("separately", False)])
def test_no_lead_not_on_a_service_organised_separately(organised, fires):
    b = Builder().chain()
    b.service("b", providers=["x", "y"], organised=organised)
    assert [f.subject for f in find(b.g) if f.kind == "no-lead"] == (["b"] if fires else [])


def test_segment_without_lead_fires_and_not():
    b = Builder().chain()
    assert [f for f in find(b.g) if f.kind == "segment-without-lead"] == []
    b.segment("seg2", entries=["a"])
    b.role("y", "seg2", "consulted").role("z", "seg2", "informed")
    f = one(b.g, "segment-without-lead")
    assert (f.subject, f.severity, f.related) == ("seg2", "warning", ("y", "z"))
    assert "Seg2" in message(f, b.g, translator())
    b.role("y", "seg2", "lead")
    assert [f for f in find(b.g) if f.kind == "segment-without-lead"] == []


@pytest.mark.parametrize("mitigation, fires", [
    (None, True), ("", True), ("??", True), (" ? ? ", True), ("yhteinen määrittely", False)])
def test_risk_without_mitigation(mitigation, fires):
    b = Builder().chain()
    b.measure("m", leads=["x"]).risk("risk-a", "m", mitigation=mitigation)
    kinds = [f.subject for f in plan_findings(b.g) if f.kind == "risk-without-mitigation"]
    assert kinds == (["risk-a"] if fires else [])


@pytest.mark.parametrize("deferred, kinds", [
    (True, {"deferred-responsibility"}), (False, {"multiple-leads"}), (None, {"multiple-leads"})])
def test_a_deferred_measure_gets_deferred_responsibility_not_also_multiple_leads(deferred, kinds):
    b = Builder().chain()
    b.measure("m", leads=["x", "y"], deferred=deferred)
    found = {f.kind for f in plan_findings(b.g)} - {"measure-without-indicator"}
    assert found == kinds


# -- round trips and the command -------------------------------------------------------------

def test_organised_and_referral_subjects_round_trip_and_bad_values_are_refused(tmp_path):
    from polku.io.rdf import read_turtle, write_turtle

    b = Builder("rt").chain().actor("y")
    b.service("b", providers=["x", "y"], organised="separately")
    b.measure("m", subjects=["r-ab", "seg"], leads=["x"], name="Yhteinen siirto")
    write_workbook(b.g, tmp_path / "wb")
    text = (tmp_path / "wb" / "services.csv").read_text(encoding="utf-8")
    assert "organised" in text.splitlines()[0] and "separately" in text
    g = read_workbook(tmp_path / "wb")
    assert g.nodes["b"]["organised"] == "separately"
    assert sorted(v for _, v, k in g.out_edges("m", data="kind") if k == "subject") == ["r-ab", "seg"]
    write_turtle(g, tmp_path / "rt.ttl")
    assert "polku:organised" in (tmp_path / "rt.ttl").read_text(encoding="utf-8")
    g2 = read_turtle(tmp_path / "rt.ttl")
    assert g2.nodes["b"]["organised"] == "separately"
    assert [(f.kind, f.subject) for f in find(g2)] == [(f.kind, f.subject) for f in find(g)]
    # a bad value: one line naming file, sheet, row and column; SHACL says so too
    services = (tmp_path / "wb" / "services.csv")
    services.write_text(text.replace("separately", "apart"), encoding="utf-8")
    r = run("validate", tmp_path / "wb")
    assert r.exit_code == 1
    assert "sheet 'services'" in r.output and "column 'organised'" in r.output and \
        "'apart' is not one of: jointly, separately" in r.output


def test_shapes_refuse_a_bad_organised_value():
    from polku.io.validate import shacl_problems

    b = Builder("bad").chain()
    b.service("b", providers=["x"], organised="apart")
    problems = shacl_problems(b.g, "bad")
    assert any("organised must be jointly or separately" in str(p) for p in problems)


def _graph_with_findings(tmp_path):
    b = Builder("who").chain()
    b.actor("y")
    b.service("b", providers=["x", "y"], capacity=1)  # no-lead (x, y)
    b.referral("r-ab", "a", "b", volume=5, info="no", owner="y")
    b.measure("m", subjects=["b"], leads=["x"], name="Arviointi")
    return b.workbook(tmp_path / "who")


def test_cli_findings_json_carries_who_must_act_and_actor_filters(tmp_path):
    wb = _graph_with_findings(tmp_path)
    doc = json.loads(run("findings", wb, "--format", "json").output)
    by = {(f["kind"], f["subject"]): f for f in doc["findings"]}
    assert by[("no-lead", "b")]["accountable"] == ["x", "y"]
    assert by[("no-lead", "b")]["measures"] == ["m"]
    assert by[("no-information-flow", "r-ab")]["accountable"] == ["y"]
    assert by[("no-information-flow", "r-ab")]["measures"] == ["m"]   # its end b
    r = run("findings", wb, "--format", "json", "--actor", "y")
    assert r.exit_code == 0
    mine = json.loads(r.output)["findings"]
    assert mine and all("y" in f["accountable"] for f in mine)
    assert {(f["kind"], f["subject"]) for f in mine} == {
        k for k, f in by.items() if "y" in f["accountable"]}
    r = run("findings", wb, "--actor", "x")
    assert r.exit_code == 0 and "no-lead" in r.output and "no-information-flow" not in r.output
    r = run("findings", wb, "--actor", "nobody")
    assert r.exit_code == 1
    assert "unknown actor 'nobody'" in r.output and "actors: X (x); Y (y))" in r.output
    r = run("findings", wb, "--actor", "b")   # a service is not an actor
    assert r.exit_code == 1 and "unknown actor 'b'" in r.output
