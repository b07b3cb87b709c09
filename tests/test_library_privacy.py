"""Privacy through the Python path (``import polku``, a notebook), as a THL analyst found it:
``audience="public"`` and a page written to a file are for other people, who never read a
small count (above 0 and below the threshold) nor anything it can be recovered from
(README "Audience", ``docs/workbook.md`` → Privacy).

- the event log's answer (:class:`polku.EventLog`): hand-offs, volumes, the wait of one
  client, the log's totals and the unmodelled flows' counts;
- a page written from Python (``write_view``, ``render_html``): for the public by default,
  as ``polku render``'s, and the same page;
- a published copy loaded back (``polku export --to jsonld``, then ``polku.load``): it does
  not hold the whole, so every answer on it says what the public's answer on the whole
  graph says, whoever asks (a hidden service's inflow None, its lower bound beside it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import EXAMPLE, EXAMPLE_TTL, SECOND_REGION, run
from polku.finding import Finding

#: the analyst's log: two hand-offs alkuhaastattelu → ohjaamo-ohjaus (c1, c3), one →
#: tyollistymissuunnitelma (c2), one ohjaamo-ohjaus → ips (c1, no referral), two ips → tuva
#: (c4, c5, no referral), over three months
LOG = """case,service,start,end,segment
c1,alkuhaastattelu,2026-01-05,2026-01-06,seg-nuoret
c1,ohjaamo-ohjaus,2026-01-10,2026-01-20,seg-nuoret
c1,ips,2026-02-10,,seg-nuoret
c2,alkuhaastattelu,2026-01-07,2026-01-07,seg-tyovalmiit
c2,tyollistymissuunnitelma,2026-01-12,2026-01-30,seg-tyovalmiit
c3,alkuhaastattelu,2026-03-01,2026-03-01,seg-nuoret
c3,ohjaamo-ohjaus,2026-03-08,,seg-nuoret
c4,ips,2026-02-01,2026-02-02,seg-nuoret
c4,tuva,2026-02-05,,seg-nuoret
c5,ips,2026-03-01,2026-03-02,seg-nuoret
c5,tuva,2026-03-09,,seg-nuoret
"""
#: its twin: the same months, other small counts (c3 and c5 are handed nowhere), so one
#: hand-off alkuhaastattelu → ohjaamo-ohjaus and one ips → tuva
TWIN = LOG.replace("c3,ohjaamo-ohjaus,2026-03-08,,seg-nuoret\n", "").replace(
    "c5,tuva,2026-03-09,,seg-nuoret\n", "c6,tuva,2026-03-09,,seg-nuoret\n")


@pytest.fixture(scope="module")
def example():
    import polku

    return polku.load(EXAMPLE)


def as_data(value):
    """An answer as JSON data (findings as their objects)."""
    return json.loads(json.dumps(value, default=lambda f: f.to_dict() if isinstance(f, Finding)
                                 else str(f)))


def small(value, key: str = "") -> list[str]:
    """Every count of the event log's answer that reads 1–4 (hand-offs, clients, a volume)."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in small(v, k)]
    if isinstance(value, list):
        return [x for v in value for x in small(v, key)]
    if key in ("handoffs", "cases", "events", "count", "volume_per_month") \
            and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and 0 < value < 5:
        return [f"{key}={value}"]
    return []


def test_the_public_event_log_answer_holds_no_small_count(tmp_path: Path, example) -> None:
    """Before, ``answer(EventLog(log), m, audience="public")`` said 1 and 2 hand-offs, the
    wait of the one client handed to tyollistymissuunnitelma (5 days), the log's 6
    hand-offs over 3 months (so `<5` a month was 2/3 again) and unmodelled flows of 2 and 1
    clients, worded "ohjaa tapahtumalokissa 2 asiakasta"."""
    import polku

    answers = []
    for name, text in (("log.csv", LOG), ("twin.csv", TWIN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        answers.append(polku.answer(polku.EventLog(log=tmp_path / name), example,
                                    audience="public"))
    public = answers[0]
    data = as_data(public)
    assert small(data) == [], small(data)
    assert data == as_data(answers[1]), "the public answer depends on the log's small counts"
    alku = data["referrals"]["ref-alku-suunnitelma"]
    assert alku["handoffs"] == "<5" and alku["volume_per_month"] == "<5"
    assert alku["median_wait_days"] is None  # the one client's own wait
    # the totals say no count: less the hand-offs shown they would give the hidden back
    assert {k: data["log"][k] for k in ("events", "cases", "handoffs")} == dict.fromkeys(
        ("events", "cases", "handoffs"))
    assert data["log"]["months"] == 3 and data["log"]["first"] == "2026-01-05"
    assert [f["metrics"] for f in data["findings"]] == [{"count": "<5"}, {"count": "<5"}]
    for lang, said, never in (("fi", "ohjaa tapahtumalokissa alle 5 asiakasta", "2 asiakasta"),
                              ("sv", "färre än 5 kunder", "2 kunder"),
                              ("en", "hands fewer than 5 clients over", "2 clients")):
        messages = [r["message"] for r in polku.records(public["findings"], example, lang)]
        assert all(said in m and never not in m for m in messages), messages
    # the editor reads the log's true figures
    editor = polku.answer(polku.EventLog(log=tmp_path / "log.csv"), example)
    assert editor["referrals"]["ref-alku-ohjaamo"]["handoffs"] == 2
    assert editor["log"]["handoffs"] == 6
    assert [f["metrics"] for f in editor["findings"]] == [{"count": 2}, {"count": 1}]


def test_hand_offs_that_give_a_small_volume_back_are_left_out(tmp_path: Path,
                                                             example) -> None:
    """Six hand-offs over three months are 2 clients a month: the volume reads `<5`, and
    the hand-offs beside it would give it back by division (6 / 3), so they are left out
    too (None: not `<5`, which they are not); the median of six waits is no one client's
    and stays."""
    import polku

    lines = ["case,service,start,end,segment"]
    for i in range(1, 7):
        lines += [f"c{i},alkuhaastattelu,2026-01-0{i},2026-01-0{i},seg-nuoret",
                  f"c{i},ohjaamo-ohjaus,2026-01-1{i},,seg-nuoret"]
    lines += ["c9,alkuhaastattelu,2026-03-01,,seg-nuoret"]  # the log spans three months
    log = tmp_path / "six.csv"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    public = polku.answer(polku.EventLog(log=log), example, audience="public")
    row = public["referrals"]["ref-alku-ohjaamo"]
    assert row["volume_per_month"] == "<5" and row["handoffs"] is None
    assert row["median_wait_days"] == 10
    editor = polku.answer(polku.EventLog(log=log), example)["referrals"]["ref-alku-ohjaamo"]
    assert editor["handoffs"] == 6 and editor["volume_per_month"] == 2


def test_polku_eventlog_prints_the_owners_figures_and_writes_by_the_format(
        tmp_path: Path, example) -> None:
    """The command is the owner's at the terminal (README, Privacy): its text and JSON are
    the editor's answer, with and without --suppress, which decides only what the -o file
    keeps; a file for others keeps no small volume and no wait of one client."""
    import polku
    from polku.analyses.eventlog import stats_json

    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    editor = as_data(stats_json(polku.answer(polku.EventLog(log=log), example)))
    for flags in ((), ("--suppress",), ("--no-suppress",)):
        r = run("eventlog", log, "--graph", EXAMPLE, "-o", tmp_path / "e.jsonld",
                "--format", "json", "-q", *flags)
        assert r.exit_code == 0, r.output
        # the JSON, then the note of the cells the file left out
        printed = json.JSONDecoder().raw_decode(r.stdout)[0]
        assert printed["log"] == editor["log"] and printed["referrals"].keys() == \
            editor["referrals"].keys()
        assert printed["referrals"]["ref-alku-ohjaamo"]["handoffs"] == 2
        shared = polku.load(tmp_path / "e.jsonld").graph.nodes["ref-alku-suunnitelma"]
        if flags == ("--no-suppress",):
            assert shared["volume_per_month"] == 0.33 and shared["median_wait_days"] == 5
        else:
            assert "volume_per_month" not in shared and "median_wait_days" not in shared


# -- a page written from Python -------------------------------------------------------------------

def test_a_page_written_from_python_is_polku_renders(tmp_path: Path) -> None:
    """``write_view(g, "segment:seg-nuoret", out)`` is a page for the workshop wall, for
    other people: it leaves out the small cells as ``polku render`` does, and is the same
    page byte for byte. Before, it drew the true figures (*Määrä: 3 asiakasta / kk*,
    Keuda's inflow 59 where the public reads *vähintään 54*)."""
    from polku.io.load import load_graph
    from polku.present.views import render_html, write_view

    g = load_graph(EXAMPLE_TTL)
    view = "segment:seg-nuoret"
    r = run("render", EXAMPLE_TTL, "--view", view, "-k", "3", "--lang", "fi",
            "-o", tmp_path / "cli.html")
    assert r.exit_code == 0, r.output
    cli = (tmp_path / "cli.html").read_text(encoding="utf-8")
    out = write_view(g, view, tmp_path / "py.html", lang="fi", k=3)
    assert out.read_text(encoding="utf-8") == cli
    assert render_html(g, view, lang="fi", k=3) == cli
    assert "Määrä: &lt;5 asiakasta / kk" in cli and "vähintään 54" in cli
    assert "Määrä: 3 asiakasta / kk" not in cli and "Saapuvia: 59 " not in cli
    # the owner's own page, asked for by name, draws the true figures and the analyses given
    from polku.present.views import analysed

    own = render_html(g, view, lang="fi", audience="editor", **analysed(g, view, k=3))
    assert "Määrä: 3 asiakasta / kk" in own and "Saapuvia: 59 " in own


def test_a_public_page_runs_its_own_analyses(tmp_path: Path) -> None:
    """Findings and best paths computed from the true figures would show on the page what
    it leaves out (a finding only a small cell fires): the public page computes them from
    the published copy, and refuses those given, saying how to draw the owner's page."""
    from polku.io.load import load_graph
    from polku.present.views import analysed, render_html, write_view

    g = load_graph(EXAMPLE_TTL)
    with pytest.raises(TypeError) as refused:
        write_view(g, "segment:seg-nuoret", tmp_path / "x.html",
                   **analysed(g, "segment:seg-nuoret"))
    assert "findings" in str(refused.value) and "audience='editor'" in str(refused.value)
    assert not (tmp_path / "x.html").exists()
    from polku.errors import PolkuError

    with pytest.raises(PolkuError) as unknown:
        render_html(g, "ecosystem", audience="everyone")
    assert unknown.value.field == "audience"


# -- a published copy loaded back ----------------------------------------------------------------

def exported(tmp_path: Path, source: Path, name: str) -> Path:
    out = tmp_path / f"{name}.jsonld"
    r = run("export", source, "--to", "jsonld", "-o", out)
    assert r.exit_code == 0, r.output
    return out


def test_a_published_copy_answers_as_the_public_reads_the_whole(tmp_path: Path) -> None:
    """Before, ``answer(Bottlenecks(top=100), load("k.jsonld"))`` gave ips ``inflow: 14,
    hidden: True, inflow_at_least: 14``, where the public's answer on the whole graph says
    ``inflow: None``: 14 is only the published part (a referral of fewer than 5 is not in
    the copy), and summed in pandas it undercounts without a mark."""
    import polku

    full = polku.load(EXAMPLE_TTL)
    copy = polku.load(exported(tmp_path, EXAMPLE_TTL, "k"))
    public = polku.answer(polku.Bottlenecks(top=100), full, audience="public")
    for audience in ("editor", "public"):
        answer = polku.answer(polku.Bottlenecks(top=100), copy, audience=audience)
        ips = next(r for r in answer["by_flow"] if r["service"] == "ips")
        assert ips["inflow"] is None and ips["utilization"] is None, (audience, ips)
        assert ips["hidden"] is True and ips["inflow_at_least"] == 14
        assert as_data(answer) == as_data(public), audience


def overloaded(tmp_path: Path) -> Path:
    """The mini workbook with ``ylit`` (capacity 7) fed by 8 clients a month and by 2 (a
    small cell): over its capacity either way (tests/test_hidden_over_capacity.py)."""
    from test_hidden_over_capacity import overloaded as made

    return made(tmp_path / "ylit")


@pytest.mark.parametrize("operation", [
    "Findings()", "Bottlenecks(top=100)", "Removal(remove='r3')",
    "Queueing(capacity={'ylit': 6})", "Queueing(demand={'alkuhaastattelu': 0.2})",
    "Paths(segment='nuoret')", "Blueprint(subject='nuoret')", "Describe()", "Suggestions()"])
def test_every_answer_on_a_published_copy_is_the_publics(tmp_path: Path, operation) -> None:
    """An over-capacity finding about a hidden service on the copy said ``inflow: 8,
    utilization: 1.14`` as if 8 were all, in the findings, beside the ranking and among
    what a removal takes along: now ``hidden``, ``inflow_at_least: 8``, as the public's
    finding on the whole graph, for the editor too."""
    import polku

    wb = overloaded(tmp_path)
    full, copy = polku.load(wb), polku.load(exported(tmp_path, wb, "ylit"))
    op = eval(f"polku.{operation}")
    public = as_data(polku.answer(op, full, audience="public"))
    for audience in ("editor", "public"):
        assert as_data(polku.answer(op, copy, audience=audience)) == public, audience
    if operation == "Findings()":
        over = next(f for f in polku.records(polku.answer(op, copy), copy, "en")
                    if f["key"] == "over-capacity:ylit")
        assert over["metrics"]["inflow"] is None and over["metrics"]["inflow_at_least"] == 8
        assert "at least 8 clients a month" in over["message"]


def test_regions_compared_from_published_copies_say_what_is_left_out(tmp_path: Path) -> None:
    """Two published copies side by side, as an editor compares them, lack their small
    segments as the public's comparison of the whole graphs does: the same figures and the
    same note that segments under 5 people are left out of the totals."""
    import polku

    ku, ks = polku.load(EXAMPLE_TTL), polku.load(SECOND_REGION)
    copies = [polku.load(exported(tmp_path, source, name))
              for source, name in ((EXAMPLE_TTL, "ku"), (SECOND_REGION, "ks"))]
    public = polku.answer(polku.Compare(others=(ks,)), ku, audience="public")
    editor = polku.answer(polku.Compare(others=(copies[1],)), copies[0])
    assert as_data(editor) == as_data(public) and editor["min_cell"] == 5


def test_a_diff_of_published_copies_is_the_publics(tmp_path: Path) -> None:
    """A copy in which ylit takes 9 a month against 20, then the copy of the overloaded
    one: the over-capacity the later copy creates says *at least 8*, as the public's diff
    of the whole graphs does, not 8 as if it were all."""
    import polku
    from helpers import copy_mini

    roomy = copy_mini(tmp_path / "roomy")
    with open(roomy / "services.csv", "a", encoding="utf-8") as f:
        f.write("ylit,Ylityö,keusote,20,,ei,tyokyky,,,,,\n")
    with open(roomy / "referrals.csv", "a", encoding="utf-8") as f:
        f.write("r3,alkuhaastattelu,ylit,nuoret,9,,keusote,yes\n")
    full = overloaded(tmp_path)
    before, after = polku.load(roomy), polku.load(full)
    copies = [polku.load(exported(tmp_path, wb, name)) for wb, name in ((roomy, "roomy"),
                                                                       (full, "ylit"))]
    public = as_data(polku.answer(polku.Diff(against=after), before, audience="public"))
    editor = as_data(polku.answer(polku.Diff(against=copies[1]), copies[0]))
    assert editor == public
    created = {f["key"]: f["metrics"] for f in editor["findings"]["created"]}
    assert created["over-capacity:ylit"]["inflow"] is None
    assert created["over-capacity:ylit"]["inflow_at_least"] == 8
