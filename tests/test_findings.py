"""Every ecosystem finding kind of docs/findings.md: cases that fire and cases that
must not, including the spec's edge cases (leads given by responsibility rows, referrals
and services limited to segments, entries that are not eligible, outcomes entered freely)."""

from __future__ import annotations

import json

import pytest

from polku.graph import add_edge

from ecobuild import Builder
from polku.finding import Finding, finding_line, findings_json, sort_findings
from polku.analyses.findings import KINDS, find
from polku.present.i18n import translator
from polku.present.messages import worded


def kinds(g, kind: str) -> list[Finding]:
    return [f for f in worded(find(g), g, translator("en")) if f.kind == kind]


def subjects(g, kind: str) -> list[str]:
    return [f.subject for f in kinds(g, kind)]


def test_chain_has_only_its_middle_service_as_spof_and_a_detour_is_healthy():
    b = Builder().chain()
    assert [(f.kind, f.subject) for f in find(b.g)] == [("single-point-of-failure", "b")]
    b.referral("r-aw", "a", "work", owner="x", info="yes")
    assert find(b.g) == []


# service-without-provider -------------------------------------------------------------

def test_service_without_provider_fires_and_not():
    b = Builder().chain()
    b.service("c")
    b.referral("r-ac", "a", "c", owner="x", info="yes")
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    fs = kinds(b.g, "service-without-provider")
    assert [(f.subject, f.severity, f.related) for f in fs] == [("c", "error", ())]
    assert "C" in fs[0].message  # named by label


# no-lead / multiple-leads -------------------------------------------------------------

def test_no_lead_on_shared_service_and_lead_from_responsibility_row():
    b = Builder().chain()
    b.service("b", providers=["x", "y"])
    fs = kinds(b.g, "no-lead")
    assert [(f.subject, f.related) for f in fs] == [("b", ("x", "y"))]
    # A lead given by a responsibility row resolves it, even an actor that does not provide.
    b.role("z", "b", "lead")
    assert kinds(b.g, "no-lead") == []


def test_no_lead_needs_two_providers_and_participants_are_not_leads():
    b = Builder().chain()
    assert kinds(b.g, "no-lead") == []          # one provider: no lead needed
    b.service("b", providers=["x", "y"])
    b.role("x", "b", "participant").role("y", "b", "consulted")
    assert subjects(b.g, "no-lead") == ["b"]


def test_multiple_leads_on_service_referral_and_segment():
    b = Builder().chain()
    for subject in ("b", "r-ab", "seg"):
        b.role("x", subject, "lead").role("y", subject, "lead")
    fs = kinds(b.g, "multiple-leads")
    assert [(f.subject, f.related, f.severity) for f in fs] == [
        ("b", ("x", "y"), "warning"), ("r-ab", ("x", "y"), "warning"),
        ("seg", ("x", "y"), "warning")]


def test_a_referrals_owner_and_another_lead_are_multiple_leads():
    """The contract's lead(x) counts a referral's owner as a lead (who-must-act and the RACI
    do): an owner and another organisation's lead row are two leads; the owner's own lead row
    is still one."""
    b = Builder().chain()
    b.referral("r-ab", "a", "b", owner="y")
    b.role("y", "r-ab", "lead")
    assert kinds(b.g, "multiple-leads") == []
    b.role("x", "r-ab", "lead")
    assert [(f.subject, f.related, f.metrics) for f in kinds(b.g, "multiple-leads")] == [
        ("r-ab", ("x", "y"), {"leads": 2})]


def test_one_lead_is_not_multiple_leads():
    b = Builder().chain().role("x", "b", "lead").role("y", "b", "participant")
    assert kinds(b.g, "multiple-leads") == []


# referral-without-owner / no-information-flow / long-wait ----------------------------

def test_referral_without_owner_unless_lead_row():
    b = Builder().chain()
    b.referral("r-ab", "a", "b", info="yes")
    fs = kinds(b.g, "referral-without-owner")
    assert [(f.subject, f.related, f.severity) for f in fs] == [("r-ab", ("a", "b"), "error")]
    b.role("y", "r-ab", "lead")
    assert kinds(b.g, "referral-without-owner") == []


@pytest.mark.parametrize("info,fires", [("no", True), ("yes", False), ("unknown", False)])
def test_no_information_flow_only_when_no(info, fires):
    b = Builder().chain()
    b.referral("r-ab", "a", "b", owner="x", info=info)
    assert subjects(b.g, "no-information-flow") == (["r-ab"] if fires else [])


def test_long_wait_threshold_is_strict_and_a_setting():
    b = Builder().chain()
    b.referral("r-ab", "a", "b", owner="x", info="yes", wait=30)
    b.referral("r-bw", "b", "work", owner="x", info="yes", wait=31)
    fs = kinds(b.g, "long-wait")
    assert [(f.subject, f.related) for f in fs] == [("r-bw", ("b", "work"))]
    assert fs[0].metrics == {"median_wait_days": 31, "limit": 30}
    assert [f.subject for f in find(b.g, long_wait_days=10) if f.kind == "long-wait"] == \
        ["r-ab", "r-bw"]
    b.referral("r-bw", "b", "work", owner="x", info="yes")  # no wait given: never long
    assert kinds(b.g, "long-wait") == []


# unreachable-service / dead-end ------------------------------------------------------

def test_unreachable_service():
    b = Builder().chain()
    b.service("island", providers=["x"])
    b.referral("r-iw", "island", "work", owner="x", info="yes")
    assert subjects(b.g, "unreachable-service") == ["island"]
    assert subjects(b.g, "dead-end") == []   # unreachable services are not dead ends


def test_reachable_from_entry_marked_service_by_any_referral():
    b = Builder().chain()
    # c is limited to another segment, so no R(s) reaches it; but an entry-marked service
    # refers to it, and "reachable" counts any referral from services marked entry.
    b.service("c", providers=["x"], segments=["other"])
    b.referral("r-ac", "a", "c", owner="x", info="yes")
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    assert subjects(b.g, "unreachable-service") == []
    b.service("a", providers=["x"], entry=False)
    assert subjects(b.g, "unreachable-service") == ["c"]


def test_entry_marked_service_is_itself_reachable():
    b = Builder().chain()
    b.service("front", providers=["x"], entry=True)
    b.referral("r-fw", "front", "work", owner="x", info="yes")
    assert subjects(b.g, "unreachable-service") == []


def test_dead_end_only_for_reachable_services_with_no_outcome_downstream():
    b = Builder().chain()
    b.service("sink", providers=["x"])
    b.referral("r-as", "a", "sink", owner="x", info="yes")
    assert subjects(b.g, "dead-end") == ["sink"]
    # A segment-limited referral onwards still counts: "by any referral".
    b.referral("r-sw", "sink", "work", segments=["other"], owner="x", info="yes")
    assert subjects(b.g, "dead-end") == []


# segment-without-outcome --------------------------------------------------------------

def test_segment_without_outcome_and_outcomes_entered_freely():
    b = Builder().chain()
    b.service("c", providers=["x"])
    b.segment("lost", entries=["c"])
    fs = kinds(b.g, "segment-without-outcome")
    assert [(f.subject, f.related) for f in fs] == [("lost", ("c",))]
    # Outcomes are entered freely: no segment limit on an outcome ever blocks it.
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    assert kinds(b.g, "segment-without-outcome") == []


def test_segment_without_entries_reaches_nothing():
    b = Builder().chain().segment("empty")
    assert [(f.subject, f.related) for f in kinds(b.g, "segment-without-outcome")] == \
        [("empty", ())]


# ("other" below is a segment with no entries of its own: it reaches nothing.)

def test_referral_limited_to_another_segment_is_not_followed():
    b = Builder().chain()
    b.referral("r-bw", "b", "work", segments=["other"], owner="x", info="yes")
    assert "seg" in subjects(b.g, "segment-without-outcome")
    b.referral("r-bw", "b", "work", segments=["other", "seg"], owner="x", info="yes")
    assert "seg" not in subjects(b.g, "segment-without-outcome")


def test_service_limited_to_another_segment_is_not_entered():
    b = Builder().chain()
    b.service("b", providers=["x"], segments=["other"])
    assert "seg" in subjects(b.g, "segment-without-outcome")
    b.service("b", providers=["x"], segments=["seg"])
    assert "seg" not in subjects(b.g, "segment-without-outcome")


def test_entry_not_eligible_is_still_in_reach():
    b = Builder().chain()
    b.service("a", providers=["x"], entry=True, segments=["other"])
    assert "seg" not in subjects(b.g, "segment-without-outcome")


# unmet-need / overlapping-services ----------------------------------------------------

def test_unmet_need_fires_per_need_and_related_is_the_need():
    b = Builder().chain()
    b.segment("seg", needs=["debt", "health"])
    b.service("b", providers=["x"], needs=["health"])
    fs = kinds(b.g, "unmet-need")
    assert [(f.subject, f.related, f.metrics["need"]) for f in fs] == \
        [("seg", ("debt",), "debt")]


def test_unmet_need_ignores_ineligible_entry_and_unreachable_services():
    b = Builder().chain()
    b.segment("seg", needs=["debt"])
    # The entry addresses the need but is not for the segment: it does not count.
    b.service("a", providers=["x"], entry=True, segments=["other"], needs=["debt"])
    # A service that addresses it exists but the segment cannot reach it.
    b.service("far", providers=["x"], needs=["debt"])
    assert subjects(b.g, "unmet-need") == ["seg"]
    b.referral("r-af", "a", "far", owner="x", info="yes")
    b.referral("r-fw", "far", "work", owner="x", info="yes")
    assert subjects(b.g, "unmet-need") == []


def test_overlapping_services_one_per_segment_and_need():
    b = Builder().chain()
    b.segment("seg", needs=["work-skills", "debt"])
    b.service("a", providers=["x"], entry=True, needs=["work-skills", "debt"])
    b.service("c", providers=["y"], needs=["work-skills", "debt"])
    b.referral("r-ac", "a", "c", segments=["other"])  # not for seg: no link for seg
    b.referral("r-bc", "b", "c", owner="x")          # c reached through b (b has no needs)
    b.referral("r-cw", "c", "work", owner="y")
    fs = kinds(b.g, "overlapping-services")
    assert [(f.subject, f.related, f.metrics["need"], f.severity) for f in fs] == [
        ("seg", ("a", "c"), "debt", "info"), ("seg", ("a", "c"), "work-skills", "info")]


def test_a_referral_for_the_segment_makes_two_services_consecutive_steps_not_an_overlap():
    b = Builder().chain()
    b.segment("seg", needs=["debt"])
    b.service("a", providers=["x"], entry=True, needs=["debt"])
    b.service("b", providers=["y"], needs=["debt"])  # chain: r-ab from a to b, any segment
    assert kinds(b.g, "overlapping-services") == []
    # The referral the other way counts too; one limited to the segment as well.
    b.g.remove_node("r-ab")
    b.segment("seg", entries=["b"])                  # b an entry too: both in R(seg)
    b.referral("r-ba", "b", "a", segments=["other"], owner="x")
    assert [f.related for f in kinds(b.g, "overlapping-services")] == [("a", "b")]
    b.referral("r-ba", "b", "a", segments=["seg"], owner="x")
    assert kinds(b.g, "overlapping-services") == []
    # a refers to both b and c, but nothing links b and c: only they overlap.
    b.service("c", providers=["z"], needs=["debt"])
    b.referral("r-ac", "a", "c", owner="x")
    b.referral("r-cw", "c", "work", owner="z")
    fs = kinds(b.g, "overlapping-services")
    # the pair itself is data too (a – b and a – c are linked, b – c is not)
    assert [(f.related, f.metrics) for f in fs] == \
        [(("b", "c"), {"need": "debt", "services": 2, "pairs": [["b", "c"]]})]
    # A referral from b to c for another segment does not link them for seg; for seg it does.
    b.referral("r-bc", "b", "c", segments=["other"])
    assert len(kinds(b.g, "overlapping-services")) == 1
    b.referral("r-bc", "b", "c", segments=["seg", "other"])
    assert kinds(b.g, "overlapping-services") == []


def test_same_providers_do_not_overlap():
    b = Builder().chain()
    b.segment("seg", needs=["debt"])
    b.service("a", providers=["x", "y"], entry=True, needs=["debt"])
    b.service("b", providers=["y", "x"], needs=["debt"])
    b.role("x", "a").role("x", "b")
    assert kinds(b.g, "overlapping-services") == []


def test_overlap_counts_only_services_for_the_segment():
    b = Builder().chain()
    b.segment("seg", needs=["debt"])
    b.service("a", providers=["x"], entry=True, needs=["debt"], segments=["other"])
    b.service("b", providers=["y"], needs=["debt"])
    assert kinds(b.g, "overlapping-services") == []


# over-capacity ------------------------------------------------------------------------

def test_over_capacity_sums_incoming_volumes():
    b = Builder().chain()
    b.service("b", providers=["x"], capacity=40)
    b.service("c", providers=["x"], entry=True)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=30)
    b.referral("r-cb", "c", "b", owner="x", info="yes", volume=34)
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    fs = kinds(b.g, "over-capacity")
    assert [(f.subject, f.related) for f in fs] == [("b", ("r-ab", "r-cb"))]
    assert fs[0].metrics == {"inflow": 64, "capacity": 40, "utilization": 1.6}
    assert "64" in fs[0].message and "40" in fs[0].message


def test_at_capacity_or_without_capacity_does_not_fire():
    b = Builder().chain()
    b.service("b", providers=["x"], capacity=30)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=30)
    assert kinds(b.g, "over-capacity") == []
    b.service("b", providers=["x"])
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=300)
    assert kinds(b.g, "over-capacity") == []


def test_over_capacity_related_leaves_out_referrals_without_volume():
    b = Builder().chain()
    b.service("b", providers=["x"], capacity=5)
    b.service("c", providers=["x"], entry=True)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=10)
    b.referral("r-cb", "c", "b", owner="x", info="yes")
    assert [f.related for f in kinds(b.g, "over-capacity")] == [("r-ab",)]


def test_over_capacity_related_keeps_a_volume_of_zero():
    b = Builder().chain()
    b.service("b", providers=["x"], capacity=5)
    b.service("c", providers=["x"], entry=True)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=10)
    b.referral("r-cb", "c", "b", owner="x", info="yes", volume=0)
    assert [f.related for f in kinds(b.g, "over-capacity")] == [("r-ab", "r-cb")]


def test_zero_capacity_with_inflow():
    b = Builder().chain()
    b.service("b", providers=["x"], capacity=0)
    b.referral("r-ab", "a", "b", owner="x", info="yes", volume=3)
    [f] = kinds(b.g, "over-capacity")
    assert f.metrics == {"inflow": 3, "capacity": 0, "utilization": None}


# single-point-of-failure --------------------------------------------------------------

def test_single_point_of_failure_lists_every_segment():
    b = Builder().chain()
    b.segment("seg2", entries=["a"])
    [f] = kinds(b.g, "single-point-of-failure")
    assert (f.subject, f.related, f.severity) == ("b", ("seg", "seg2"), "warning")


def test_no_spof_with_a_detour_entries_or_without_outcome():
    b = Builder().chain()
    b.service("c", providers=["x"])
    b.referral("r-ac", "a", "c", owner="x", info="yes")
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    assert kinds(b.g, "single-point-of-failure") == []   # a → c → work avoids b
    # Entries are never SPOFs, and a segment that reaches no outcome has none.
    b2 = Builder().chain()
    b2.segment("seg", entries=["a", "b"])
    assert kinds(b2.g, "single-point-of-failure") == []
    b3 = Builder().chain()
    b3.g.remove_node("r-bw")
    assert kinds(b3.g, "single-point-of-failure") == []


def test_spof_detour_must_apply_to_the_segment():
    b = Builder().chain()
    b.service("c", providers=["x"])
    b.referral("r-ac", "a", "c", owner="x", info="yes", segments=["other"])
    b.referral("r-cw", "c", "work", owner="x", info="yes")
    b.segment("other", entries=["a"])
    fs = kinds(b.g, "single-point-of-failure")
    assert [(f.subject, f.related) for f in fs] == [("b", ("seg",))]


# path-broken --------------------------------------------------------------------------

def test_path_broken_per_pair_with_step_number():
    b = Builder().chain()
    b.service("c", providers=["x"])
    b.path("p1", "seg", ["a", "b", "work"])
    assert kinds(b.g, "path-broken") == []
    b.path("p2", "seg", ["a", "c", "b", "work"])
    fs = kinds(b.g, "path-broken")
    assert [(f.subject, f.related, f.metrics["step"]) for f in fs] == [
        ("p2", ("a", "c"), 1), ("p2", ("b", "c"), 2)]


def test_path_broken_names_the_step_numbers_the_designer_wrote():
    b = Builder().chain()
    b.service("c", providers=["x"])
    b.g.add_node("p3", type="path", name="Numbered in tens")
    add_edge(b.g, "p3", "seg", "path_segment")
    for n, node in ((10, "a"), (20, "c"), (30, "b")):
        add_edge(b.g, "p3", node, "step", key=f"step:{n}", order=n)
    [f] = [f for f in kinds(b.g, "path-broken") if f.subject == "p3"][:1]
    assert f.metrics["step"] == 10 and "from step 10" in f.message and "to step 20" in f.message


def test_path_broken_when_referral_is_for_another_segment():
    b = Builder().chain()
    b.referral("r-ab", "a", "b", segments=["other"], owner="x", info="yes")
    b.referral("r-ab2", "a", "b", segments=["seg"], owner="x", info="yes")
    b.path("p", "seg", ["a", "b", "work"])
    assert kinds(b.g, "path-broken") == []
    b.path("q", "other2", ["a", "b"])
    assert [(f.subject, f.related) for f in kinds(b.g, "path-broken")] == [("q", ("a", "b"))]


# shape, order, stability --------------------------------------------------------------

def test_every_kind_has_the_spec_severity():
    assert KINDS == {
        "service-without-provider": "error", "no-lead": "error", "multiple-leads": "warning",
        "referral-without-owner": "error", "no-information-flow": "warning",
        "long-wait": "warning", "unreachable-service": "warning", "dead-end": "error",
        "segment-without-outcome": "error", "unmet-need": "error",
        "overlapping-services": "info", "segment-without-lead": "warning",
        "over-capacity": "warning", "single-point-of-failure": "warning", "path-broken": "error"}


def _messy() -> Builder:
    b = Builder("messy").chain()
    b.service("b", providers=["x", "y"], capacity=1)
    b.service("c")
    b.segment("seg", needs=["debt"])
    b.referral("r-ab", "a", "b", volume=5, wait=90, info="no")
    b.role("x", "seg").role("y", "seg")
    b.path("p", "seg", ["a", "c"])
    return b


def test_sorted_by_severity_kind_subject_and_every_finding_has_spec_kind():
    fs = find(_messy().g)
    assert fs == sorted(fs, key=lambda f: (["error", "warning", "info"].index(f.severity),
                                           f.kind, f.subject))
    assert {f.kind for f in fs} <= set(KINDS)
    assert all(f.severity == KINDS[f.kind] for f in fs)
    assert all(list(f.related) == sorted(f.related) for f in fs)


def test_json_shape_matches_the_spec_and_is_stable():
    g = _messy().g
    text = findings_json("messy", find(g))
    doc = json.loads(text)
    assert list(doc) == ["graph", "findings"] and doc["graph"] == "messy"
    for f in doc["findings"]:
        assert list(f) == ["kind", "severity", "subject", "related", "message", "metrics",
                           "accountable", "measures", "key"]
    assert text == findings_json("messy", list(reversed(find(g))))
    assert text == findings_json("messy", find(g.copy()))


def test_sort_findings_drops_exact_duplicates_keeps_distinct_metrics():
    f1 = Finding("path-broken", "error", "p", ("a", "b"), "m", {"step": 1})
    f2 = Finding("path-broken", "error", "p", ("a", "b"), "m", {"step": 3})
    assert sort_findings([f2, f1, f1]) == [f1, f2]
    assert [f.metrics["step"] for f in sort_findings([f2, f1])] == [1, 3]


def test_each_json_line_is_what_the_encoder_writes_of_the_finding():
    """findings_json puts each line together itself (polku.finding.finding_line): it must
    stay byte for byte what json writes of the finding's dict, odd values too."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    odd = [
        Finding("long-wait", "warning", "r1", ("b", "a"), 'odottaa "40" pv\n\t\x00\u2028😀',
                {"median_wait_days": 40.0, "limit": 30, "none": None, "yes": True,
                 "nan": float("nan"), "inf": float("inf"), "text": 'ö"', "list": [1, "a"],
                 "dict": {"k": 1.5}, "tiny": 1e-7, "huge": 10 ** 20, "zero": -0.0}),
        Finding("path-broken", "error", "p1", ("s2", "s1"), "", {"step": 1, "segment": "s"}),
        Finding("unmet-need", "info", "seg", ("n1",), "m", {}, ("act2", "act1"), ("m1",)),
        Finding("dead-end", "error", "ä/\\\"", (), "\x7f\x1f", {1: "a key that is no text"}),
        Finding("dead-end", "error", "s", (), None),  # type: ignore[arg-type]
    ]
    g = _messy().g
    for f in [*odd, *find(g), *worded(find(g), g, translator("sv"))]:
        assert finding_line(f) == encode(f.to_dict()), f
    said = findings_json("g", find(g), message=lambda f: f"{f.subject} ✓")
    assert said == findings_json("g", [f.with_message(f"{f.subject} ✓") for f in find(g)])
