"""``polku eventlog``: median waits and monthly volumes per referral from an event log,
checked against pm4py's performance directly-follows graph (the process-mining field's
reference) on the same log, and every bad input refused with nothing written."""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ecobuild import Builder
from helpers import run as invoke
from polku.io.load import load_graph

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

HETU = "131052-308T"            # the Population Register Centre's own example code


@pytest.fixture()
def region(tmp_path: Path) -> Path:
    """a → b → work, b → c → work, a → c (r-ac, and r-ac2 for seg2 only); a → work and
    anything backwards is not modelled."""
    b = Builder("region").chain()
    b.actor("y")
    b.service("c", providers=["y"])
    b.segment("seg2", entries=["a"])
    b.referral("r-bc", "b", "c", owner="x", wait=3, volume=2)
    b.referral("r-ac", "a", "c", owner="x", wait=9)
    b.referral("r-ac2", "a", "c", owner="x", segments=["seg2"], wait=1)
    b.referral("r-cw", "c", "work", owner="y")
    return b.workbook(tmp_path / "region")


def write_log(path: Path, rows: list[dict], columns=("case", "service", "start", "end")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def random_log(seed: int, cases: int = 400) -> list[dict]:
    """Cases walking a → b → c → work (and a → c, b → work), with random waits, random
    durations, some overlapping events, some repeated visits to one service."""
    rng = random.Random(seed)
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(cases):
        case = f"asiakas-{i:05d}"
        t = t0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 150))
        route = rng.choice([["a", "b", "c", "work"], ["a", "c", "work"], ["a", "b", "work"],
                            ["a", "a", "b", "c"], ["a", "b"], ["a", "work"]])
        for svc in route:
            duration = timedelta(minutes=rng.randrange(0, 60 * 24 * 3))
            rows.append({"case": case, "service": svc, "start": t.isoformat(),
                         "end": (t + duration).isoformat()})
            # the next service starts after a wait, or (now and then) before this one ends
            t = t + duration + timedelta(minutes=rng.randrange(-600, 60 * 24 * 40))
    rng.shuffle(rows)           # logs come in any order
    return rows


def pm4py_medians(rows: list[dict], with_end: bool) -> dict[tuple[str, str], float]:
    import pandas as pd
    import pm4py

    df = pd.DataFrame(rows)
    out = pd.DataFrame({
        "case:concept:name": df["case"], "concept:name": df["service"],
        "time:timestamp": pd.to_datetime(df["end" if with_end else "start"], utc=True)})
    if with_end:
        out["start_timestamp"] = pd.to_datetime(df["start"], utc=True)
    dfg, _, _ = pm4py.discover_performance_dfg(out, perf_aggregation_key="median")
    return {pair: seconds / 86400 for pair, seconds in dfg.items() if pair[0] != pair[1]}


@pytest.mark.parametrize("with_end", [True, False])
def test_median_waits_match_pm4pys_performance_dfg(region, tmp_path, with_end):
    rows = random_log(7)
    columns = ("case", "service", "start", "end") if with_end else ("case", "service", "start")
    log = write_log(tmp_path / "log.csv", rows, columns)
    r = invoke("eventlog", log, "--graph", region, "-o", tmp_path / "out.ttl", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    reference = pm4py_medians(rows, with_end)
    ours = {(v["from"], v["to"]): v["median_wait_days"] for v in doc["referrals"].values()}
    unmodelled = {(f["subject"], f["related"][0]) for f in doc["findings"]}
    assert set(ours) | unmodelled == set(reference)
    for pair, median in ours.items():
        assert median == pytest.approx(reference[pair], abs=0.006), pair   # ours: 2 decimals
    assert ("a", "work") in unmodelled and not unmodelled & set(ours)
    # the log does exercise next services that start before the previous one ends
    by_case: dict[str, list[dict]] = {}
    for x in rows:
        by_case.setdefault(x["case"], []).append(x)
    assert any(b["start"] < a["end"] for evs in by_case.values()
               for a, b in zip(sorted(evs, key=lambda x: x["start"]),
                               sorted(evs, key=lambda x: x["start"])[1:]))
    # the written graph carries the same numbers
    g = load_graph(tmp_path / "out.ttl")
    assert g.nodes["r-bc"]["median_wait_days"] == doc["referrals"]["r-bc"]["median_wait_days"]


def test_volumes_are_handoffs_per_calendar_month_and_case_ids_go_nowhere(region, tmp_path):
    rows = random_log(3, cases=120)
    log = write_log(tmp_path / "log.csv", rows)
    r = invoke("eventlog", log, "--graph", region, "-o", tmp_path / "out.ttl", "--format", "json")
    doc = json.loads(r.stdout)
    months = doc["log"]["months"]
    starts = sorted(datetime.fromisoformat(x["start"]) for x in rows)
    ends = sorted(datetime.fromisoformat(x["end"]) for x in rows)
    first, last = starts[0], max(starts[-1], ends[-1])
    assert months == (last.year - first.year) * 12 + last.month - first.month + 1
    for v in doc["referrals"].values():
        assert v["volume_per_month"] == round(v["handoffs"] / months, 2)
    [flow] = [f for f in doc["findings"] if f["subject"] == "a" and f["related"] == ["work"]]
    assert flow["kind"] == "unmodelled-flow" and flow["severity"] == "warning"
    assert flow["metrics"]["count"] == sum(
        1 for case in {x["case"] for x in rows}
        for u, v in zip(*(lambda evs: (evs, evs[1:]))(
            [x["service"] for x in sorted((x for x in rows if x["case"] == case),
                                          key=lambda x: x["start"])]))
        if (u, v) == ("a", "work"))
    text = invoke("eventlog", log, "--graph", region, "-o", tmp_path / "out2.ttl").stdout
    assert "flow missing from the graph" in text and "asiakas-" not in text
    assert "asiakas-" not in r.stdout
    assert "asiakas-" not in (tmp_path / "out.ttl").read_text(encoding="utf-8")


def test_a_handoff_goes_to_the_referral_of_the_cases_segment(region, tmp_path):
    rows = [{"case": "1", "service": "a", "start": "2025-01-01", "segment": "seg2"},
            {"case": "1", "service": "c", "start": "2025-01-03", "segment": "seg2"},
            {"case": "2", "service": "a", "start": "2025-01-01", "segment": ""},
            {"case": "2", "service": "c", "start": "2025-01-11", "segment": ""}]
    log = write_log(tmp_path / "log.csv", rows, ("case", "service", "start", "segment"))
    doc = json.loads(invoke("eventlog", log, "--graph", region, "-o", tmp_path / "o.ttl",
                            "--format", "json").stdout)
    assert doc["referrals"]["r-ac2"]["median_wait_days"] == 2
    assert doc["referrals"]["r-ac"]["median_wait_days"] == 10


def test_equal_starts_keep_their_file_order(region, tmp_path):
    def handoff(order):
        rows = [{"case": "1", "service": s, "start": "2025-01-01T10:00"} for s in order]
        log = write_log(tmp_path / "log.csv", rows, ("case", "service", "start"))
        doc = json.loads(invoke("eventlog", log, "--graph", region, "-o", tmp_path / "o.ttl",
                                "--format", "json").stdout)
        return sorted(doc["referrals"]) + [f["subject"] for f in doc["findings"]]

    assert handoff(["b", "c"]) == ["r-bc"]
    assert handoff(["c", "b"]) == ["c"]          # c → b: no referral, unmodelled


GOOD = "case,service,start,end\n1,a,2025-01-01T09:00,2025-01-01T10:00\n1,b,2025-01-05,\n"


@pytest.mark.parametrize("text, expected", [
    ("case,service,end\n1,a,2025-01-01\n", ["row 1", "missing column 'start'"]),
    ("kase,service,begin\n1,a,2025-01-01\n", ["missing columns 'case', 'start'"]),
    (GOOD + "1,c,5.1.2025,\n", ["row 4", "column 'start'", "'5.1.2025' is not an ISO 8601"]),
    (GOOD + "1,c,2025-01-07,2025-13-01\n", ["row 4", "column 'end'", "'2025-13-01' is not"]),
    (GOOD + "1,c,2025-01-07T12:00,2025-01-07T11:00\n",
     ["row 4", "column 'end'", "ends (2025-01-07T11:00) before it starts"]),
    (GOOD + "1,x,2025-01-07,\n", ["row 4", "column 'service'", "'x' is an actor"]),
    (GOOD + "1,zzz,2025-01-07,\n", ["row 4", "column 'service'", "'zzz' is not in the graph"]),
    ("case,service,start,segment\n1,a,2025-01-01,nope\n",
     ["row 2", "column 'segment'", "'nope' is not a segment"]),
    (GOOD + "1,c,,\n", ["row 4", "column 'start'", "the start is empty"]),
    ("", ["the file is empty"]),
])
def test_bad_logs_are_refused_with_row_and_column_and_nothing_is_written(
        region, tmp_path, text, expected):
    log = tmp_path / "log.csv"
    log.write_text(text, encoding="utf-8")
    out = tmp_path / "out.ttl"
    r = invoke("eventlog", log, "--graph", region, "-o", out)
    assert r.exit_code == 1 and r.stdout == ""
    for part in expected:
        assert part in r.stderr, (part, r.stderr)
    assert not out.exists()


@pytest.mark.parametrize("where", ["case", "service", "note"])
def test_a_personal_identity_code_anywhere_refuses_the_file(region, tmp_path, where):
    rows = [{"case": "1", "service": "a", "start": "2025-01-01", "note": ""},
            {"case": "1", "service": "b", "start": "2025-01-03", "note": "ok"}]
    rows[1][where] = HETU if where != "note" else f"asiakas {HETU}"
    log = write_log(tmp_path / "log.csv", rows, ("case", "service", "start", "note"))
    out = tmp_path / "out.ttl"
    r = invoke("eventlog", log, "--graph", region, "-o", out)
    assert r.exit_code == 1 and not out.exists()
    assert f"row 3, column '{where}'" in r.stderr and "personal identity code" in r.stderr
    assert HETU not in r.stderr + r.stdout


def test_a_look_alike_code_is_ordinary_text(region, tmp_path):
    rows = [{"case": "131052-308A", "service": "a", "start": "2025-01-01"},   # check fails
            {"case": "131052-308A", "service": "b", "start": "2025-01-03"}]
    log = write_log(tmp_path / "log.csv", rows, ("case", "service", "start"))
    r = invoke("eventlog", log, "--graph", region, "-o", tmp_path / "o.ttl")
    assert r.exit_code == 0, r.output


# -- the fast reader and the careful one read the same log ----------------------------------

def _both(path: Path, g):
    """The log as the fast (numpy) reader and as the careful (row by row) one read it."""
    import io as _io

    from polku.io import eventlog as reader

    raw = path.read_bytes()
    fast = reader._fast_read(raw, g, str(path))
    careful = reader._read_rows(csv.reader(_io.StringIO(raw.decode("utf-8-sig"), newline="")),
                                g, str(path))
    return fast, careful


def _same(fast, careful) -> None:
    import numpy as np

    assert fast is not None, "the fast reader gave up on a log it should read"
    for name in ("case", "service", "segment", "start", "end"):
        assert np.array_equal(getattr(fast, name), getattr(careful, name), equal_nan=True), name
        assert getattr(fast, name).dtype == getattr(careful, name).dtype, name
    assert (fast.services, fast.segments, fast.has_end, fast.cases) == \
        (careful.services, careful.segments, careful.has_end, careful.cases)


STAMPS = ["2025-03-04", "2025-03-04T09:30", "2025-03-04 09:30", "2025-03-04T09:30:59",
          "2025-03-04T09:30Z", "2025-03-04T09:30:05Z", "2025-03-04T09:30+02:00",
          "2025-03-04T09:30:05-05:30", "2024-02-29T23:59:59+14:00",
          # not of the fast forms: read by datetime.fromisoformat, row by row
          "2025-03-04T09:30:05.250", "2025-03-04T09", "20250304", "2025-03-04T09:30+0200"]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_the_fast_reader_reads_what_the_careful_one_reads(region, tmp_path, seed, ending):
    rng = random.Random(seed)
    g = load_graph(region)
    lines = ["case,service,start,end,segment"]
    for i in range(300):
        case = f"c{rng.randrange(60)}" if seed != 3 else f"case-{rng.randrange(60):040d}"
        start = rng.choice(STAMPS[:-4]) if rng.random() < 0.9 else rng.choice(STAMPS)
        end = "" if rng.random() < 0.3 else start
        lines.append(",".join([case, rng.choice(["a", "b", "c", "work"]),
                               start, end, rng.choice(["", "", "seg2"])]))
    path = tmp_path / "log.csv"
    text = ending.join(lines) + (ending if seed != 2 else "")     # seed 2: no last newline
    path.write_bytes((b"\xef\xbb\xbf" if seed == 1 else b"") + text.encode())
    fast, careful = _both(path, g)
    _same(fast, careful)
    assert len(careful) == 300


@pytest.mark.parametrize("body, why", [
    ('c1,a,"2025-01-01",\n', "a quoted cell"),
    ("c1,a,2025-01-01,\n\nc2,b,2025-01-02,\n", "a blank row"),
    ("c1,a,2025-01-01\n", "a short row"),
    (" c1,a,2025-01-01,\n", "a case with a space before it"),
    ("c1,ä,2025-01-01,\n", "a byte outside ASCII"),
    ("c1,a,2025-02-30,\n", "a day that is not in the month"),
    ("c1,a,2025-01-02,2025-01-01\n", "an end before the start"),
    ("c1,nowhere,2025-01-01,\n", "an unknown service"),
])
def test_the_fast_reader_leaves_what_it_cannot_vouch_for_to_the_careful_one(
        region, tmp_path, body, why):
    from polku.io import eventlog as reader

    path = tmp_path / "log.csv"
    path.write_text("case,service,start,end\n" + body, encoding="utf-8")
    assert reader._fast_read(path.read_bytes(), load_graph(region), str(path)) is None, why


def test_the_text_writes_plural_forms_whole_clients_and_days_as_the_what_if(region, tmp_path):
    """`polku eventlog` printed "over 18 month(s)", "9.56 a month" and "median wait 20.64 d":
    counts in their plural forms (one hand-off, three months), clients a month whole and
    days with one decimal below ten, whole above (the README's rule, as the what-if writes
    them), the graph's figures before the log's alike; `whatif --eventlog` says the months
    so too."""
    start = datetime(2025, 1, 1, 8)
    rows = []
    for i in range(29):  # a → b, 29 hand-offs in January, each after 20.64 days
        a = start + timedelta(hours=i)
        rows += [{"case": f"c{i}", "service": "a", "start": a.isoformat(),
                  "end": (a + timedelta(hours=1)).isoformat()},
                 {"case": f"c{i}", "service": "b",
                  "start": (a + timedelta(hours=1, days=20.64)).isoformat(), "end": ""}]
    b = datetime(2025, 3, 1, 8)  # b → c once, in March: the log spans three months
    rows += [{"case": "c99", "service": "b", "start": b.isoformat(),
              "end": (b + timedelta(hours=1)).isoformat()},
             {"case": "c99", "service": "c",
              "start": (b + timedelta(hours=1, days=2.26)).isoformat(), "end": ""}]
    log = write_log(tmp_path / "log.csv", rows)
    r = invoke("eventlog", log, "--graph", region, "-o", tmp_path / "out.ttl", "--lang", "en")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == ("Event log: 60 events, 30 cases, 30 hand-offs over 3 months from "
                        "1 Jan 2025")
    said = {line.split("): ", 1)[0].rsplit("(", 1)[1]: line.split("): ", 1)[1]
            for line in lines if line.startswith("  ") and "): " in line}
    assert said["r-ab"] == "29 hand-offs, 10 a month (was ?), median wait 21 d (was 5.0)"
    assert said["r-bc"].startswith("1 hand-off, ")
    assert said["r-bc"].endswith(" a month (was 2), median wait 2.3 d (was 3.0)")
    assert "(s)" not in r.stdout
    # the figures written to the graph stay as measured
    doc = json.loads(invoke("eventlog", log, "--graph", region, "-o", tmp_path / "o.ttl",
                            "--format", "json").stdout)
    assert doc["referrals"]["r-ab"]["volume_per_month"] == 9.67
    assert doc["referrals"]["r-ab"]["median_wait_days"] == 20.64
    text = invoke("whatif", region, "--eventlog", log, "--capacity", "b=40", "--lang", "en")
    assert text.exit_code == 0, text.output
    assert "from the event log: 60 events over 3 months from 1 Jan 2025" in text.stdout


def test_the_first_day_of_the_log_is_written_as_the_reader_writes_a_date(region, tmp_path):
    """Found by a newcomer: `polku eventlog` and `polku whatif --eventlog` wrote the log's
    first day as an ISO date inside Finnish and Swedish sentences ("18 kuukauden aikana
    alkaen 2025-01-01"), where every other date is 1.1.2025."""
    start = datetime(2025, 1, 1, 8)
    rows = []
    for i in range(10):
        a = start + timedelta(days=i)
        rows += [{"case": f"c{i}", "service": "a", "start": a.isoformat(), "end": ""},
                 {"case": f"c{i}", "service": "b", "start": (a + timedelta(days=3)).isoformat(),
                  "end": ""}]
    log = write_log(tmp_path / "log.csv", rows)
    for lang, first in (("fi", "1.1.2025"), ("sv", "1.1.2025"), ("en", "1 Jan 2025")):
        r = invoke("eventlog", log, "--graph", region, "-o", tmp_path / f"{lang}.ttl",
                   "--lang", lang)
        assert r.exit_code == 0, r.output
        head = r.stdout.splitlines()[0]
        assert head.endswith(f" {first}") and "2025-01-01" not in head, head
        for public in ("--no-suppress", "--suppress"):  # the editor's line and the public's
            w = invoke("whatif", region, "--eventlog", log, "--capacity", "b=40", public,
                       "--lang", lang)
            assert w.exit_code == 0, w.output
            said = w.stdout.splitlines()[1]
            assert f" {first}" in said and "2025-01-01" not in said, said


def test_json_on_stdout_stays_json_when_the_file_leaves_small_cells_out(tmp_path):
    """Found by a stranger: ``eventlog --format json -o x.jsonld`` printed its note of the
    small cells left out of the file after the JSON, on stdout, so the answer did not parse.
    With JSON the note goes to stderr; the table keeps it under "wrote …"."""
    log = tmp_path / "log.csv"
    log.write_text("case,service,start,end,segment\n"
                   "c1,alkuhaastattelu,2026-01-05,2026-01-06,seg-nuoret\n"
                   "c1,ohjaamo-ohjaus,2026-01-10,2026-01-20,seg-nuoret\n"
                   "c2,alkuhaastattelu,2026-03-01,2026-03-01,seg-nuoret\n"
                   "c2,ohjaamo-ohjaus,2026-03-08,,seg-nuoret\n", encoding="utf-8")
    example = Path(__file__).resolve().parent.parent / "graphs" / "keski-uusimaa"
    r = invoke("eventlog", log, "--graph", example, "-o", tmp_path / "out.jsonld",
               "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["log"]["cases"] == 2
    assert "small cells (counts from 1 to 4) are left out of this file" in r.stderr
    table = invoke("eventlog", log, "--graph", example, "-o", tmp_path / "t.jsonld",
                   "--lang", "en")
    assert "small cells (counts from 1 to 4) are left out of this file" in table.stdout
