"""How fast and how lean is ``polku eventlog`` on a million events?

Generates a synthetic anonymised event log on the example region's graph (cases walk the
referrals from an entry service; about one hand-off in twenty jumps somewhere the graph
has no referral; start and end timestamps over a year), then measures, in one run:

1. ``polku eventlog LOG --graph G -o OUT.ttl`` end to end in a fresh process (start-up,
   loading the graph, reading and checking the log, writing the graph), its time and its
   peak memory (maximum resident set size of the process);
2. the same medians from pm4py (pandas reads the CSV, ``discover_performance_dfg`` with
   median aggregation) in a fresh process, its time and peak memory, and checks that both
   give the same median per hand-off pair (to 0.01 days).

Run: ``.venv/bin/python benchmarks/eventlog.py`` (``--events N``, ``--keep DIR``,
``--no-pm4py``).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

GRAPH = ROOT / "graphs" / "keski-uusimaa.ttl"
GOAL_SECONDS = 30.0     # a year of a region's client system, read in half a minute
GOAL_PEAK_MB = 1024.0
GOAL_SPEEDUP = 3.0      # end to end, against pm4py's medians alone (issue 20)


def polku_command() -> list[str]:
    script = Path(sys.executable).parent / "polku"
    return [str(script)] if script.exists() else [sys.executable, "-m", "polku.cli"]


def generate(path: Path, events: int, seed: int) -> None:
    """A log of about ``events`` events on the example graph, written as CSV."""
    from polku.io.load import load_graph
    from polku.analyses.reach import ecosystem

    rng = random.Random(seed)
    eco = ecosystem(load_graph(GRAPH))
    entries = sorted({e for s in eco.segments for e in eco.segment_entries[s]})
    services = sorted(eco.services)
    segments = eco.segments
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    written = 0
    case = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["case", "service", "start", "end", "segment"])
        while written < events:
            case += 1
            segment = rng.choice(segments) if rng.random() < 0.5 else ""
            node = rng.choice(entries)
            t = t0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 330))
            for _ in range(rng.randint(2, 8)):
                end = t + timedelta(minutes=rng.randrange(0, 60 * 24 * 2))
                w.writerow([f"c{case:07d}", node, t.isoformat(timespec="minutes"),
                            end.isoformat(timespec="minutes"), segment])
                written += 1
                nxt = [v for _, v, _ in eco.out_refs.get(node, ()) if v in eco.services]
                if not nxt or rng.random() < 0.05:
                    nxt = services
                node = rng.choice(nxt)
                t = end + timedelta(minutes=rng.randrange(0, 60 * 24 * 40))
                if written >= events:
                    break


def measured(cmd: list[str]) -> tuple[float, float, bytes]:
    """Run ``cmd`` in a fresh process: seconds, peak resident memory (MB), stdout."""
    script = ("import resource, subprocess, sys, time, json\n"
              "t = time.perf_counter()\n"
              "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
              "t = time.perf_counter() - t\n"
              "sys.stderr.buffer.write(p.stderr)\n"
              "sys.stdout.buffer.write(json.dumps([t, resource.getrusage("
              "resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode]).encode() + b'\\n' + p.stdout)\n")
    done = subprocess.run([sys.executable, "-c", script, *cmd], capture_output=True)
    head, _, out = done.stdout.partition(b"\n")
    seconds, kb, code = json.loads(head)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-800:]}")
    return seconds, kb / 1024, out


PM4PY = """
import json, sys, time
import pandas as pd
import pm4py
t = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"case": str, "service": str, "segment": str})
log = pd.DataFrame({"case:concept:name": df["case"], "concept:name": df["service"],
                    "time:timestamp": pd.to_datetime(df["end"], utc=True),
                    "start_timestamp": pd.to_datetime(df["start"], utc=True)})
dfg, _, _ = pm4py.discover_performance_dfg(log, perf_aggregation_key="median")
t = time.perf_counter() - t
counts, _, _ = pm4py.discover_dfg(log)
print(json.dumps({"seconds": t,
                  "median": {f"{a}|{b}": s / 86400 for (a, b), s in dfg.items() if a != b},
                  "count": {f"{a}|{b}": n for (a, b), n in counts.items() if a != b}}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--keep", type=Path, help="folder for the generated log (reused)")
    ap.add_argument("--no-pm4py", action="store_true", help="skip the pm4py yardstick")
    args = ap.parse_args(argv)

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="polku-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    log = tmp / f"events-{args.events}.csv"
    if not log.exists():
        t = time.perf_counter()
        generate(log, args.events, args.seed)
        print(f"generated {log} ({log.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.1f} s")
    out = tmp / "with-log.ttl"
    secs, peak, stdout = measured(polku_command() + [
        "eventlog", str(log), "--graph", str(GRAPH), "-o", str(out), "--format", "json", "-q"])
    doc = json.loads(stdout)
    print(f"polku eventlog: {doc['log']['events']} events, {doc['log']['cases']} cases, "
          f"{doc['log']['handoffs']} hand-offs, {len(doc['referrals'])} referrals seen, "
          f"{len(doc['findings'])} unmodelled flows")
    ok = True

    def goal(text: str, met: bool) -> None:
        nonlocal ok
        ok &= met
        print(f"  [{'met' if met else 'MISSED'}] {text}")

    goal(f"time end to end {secs:.1f} s (goal < {GOAL_SECONDS:g} s)", secs < GOAL_SECONDS)
    goal(f"peak memory {peak:.0f} MB (goal < {GOAL_PEAK_MB:g} MB)", peak < GOAL_PEAK_MB)
    if not args.no_pm4py:
        script = tmp / "pm4py_dfg.py"
        script.write_text(PM4PY, encoding="utf-8")
        _, p_peak, p_out = measured([sys.executable, str(script), str(log)])
        reference = json.loads(p_out.decode().strip().splitlines()[-1])
        p_secs = reference["seconds"]
        # pm4py knows no referrals or segments: compare the pairs where one referral
        # carries every hand-off of the pair (a segment-limited referral gets only the
        # hand-offs of its segments, the rest are unmodelled flows).
        same = [(f"{r['from']}|{r['to']}", r["median_wait_days"])
                for r in doc["referrals"].values()
                if reference["count"].get(f"{r['from']}|{r['to']}") == r["handoffs"]]
        off = [k for k, m in same if abs(m - reference["median"][k]) > 0.0051]
        goal(f"same medians as pm4py on the {len(same)} of {len(doc['referrals'])} referrals "
             f"that carry all of their pair's hand-offs ({len(off)} differ)", same and not off)
        goal(f"at least {GOAL_SPEEDUP:g}x faster than pm4py: {p_secs / secs:.1f}x",
             p_secs >= GOAL_SPEEDUP * secs)
        print(f"  pm4py (pandas read_csv + discover_performance_dfg): {p_secs:.1f} s (+ a "
              f"frequency DFG for the check), peak "
              f"{p_peak:.0f} MB; polku/pm4py: time {secs / p_secs:.2f}x, memory "
              f"{peak / p_peak:.2f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
