"""How fast is ``polku findings`` at national size, and does it scale?

Measures, in one run, on the synthetic national workbook (benchmarks/synthetic.py):

1. ``polku findings PATH --format json`` end to end (a subprocess: Python start-up, imports,
   loading and analysis included), from the workbook folder and from its Turtle file, at
   size 1 (≈3,000 services, 600 segments, 5,000 referrals, 300 paths) and size 10.
   Goal: under 1.5 s at size 1.
2. Against the plain reimplementation in benchmarks/naive.py (per segment a fresh
   traversal, per candidate service a removal and a re-traversal), after checking in-process
   that both give the same findings: national findings end to end at least 25× faster than
   the naive findings end to end (both sides measured the same way: a subprocess from the
   same workbook, Python start-up, polku's reader and JSON out included, best of
   ``--repeat``), and :func:`polku.analyses.findings.find` in-process at least 10× faster
   than ``naive_find`` in-process on the same loaded graph.
3. Ten times the size: time at size 10 / time at size 1. Goal: at most about 10.
4. The floor under the end-to-end figure, for scale: a subprocess that only starts Python,
   imports networkx, reads every sheet of the workbook with the ``csv`` module and writes
   polku's answer (the bytes ``polku findings`` wrote, read back as they are). No program
   built on networkx that reads the workbook and writes this answer can be quicker, so
   ``naive end to end / floor`` is the most that any ratio in item 2 could be in this run.

Run: ``.venv/bin/python benchmarks/findings.py`` (``--repeat N``, ``--keep DIR`` to reuse
the generated workbooks, ``--no-naive`` to skip the slow yardstick).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from timing import best_of  # noqa: E402

GOAL_END_TO_END_S = 1.5
GOAL_SPEEDUP = 10.0
GOAL_END_TO_END_SPEEDUP = 25.0
GOAL_SCALING = 10.0


def polku_command() -> list[str]:
    script = Path(sys.executable).parent / "polku"
    return [str(script)] if script.exists() else [sys.executable, "-m", "polku.cli"]



def end_to_end(path: Path, repeat: int, cmd: list[str] | None = None) -> float:
    """The best of ``repeat`` runs of ``polku findings PATH --format json`` (or ``cmd``) as
    a subprocess, output discarded."""
    cmd = cmd or polku_command() + ["findings", str(path), "--format", "json"]

    def run() -> None:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return best_of(repeat, run)


FLOOR = """\
import csv, sys
from pathlib import Path
import networkx
for sheet in sorted(Path(sys.argv[1]).glob("*.csv")):
    with sheet.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
sys.stdout.write(Path(sys.argv[2]).read_text(encoding="utf-8"))
"""


def floor(workbook: Path, answer: Path, repeat: int) -> float:
    """The best of ``repeat`` runs of :data:`FLOOR` on ``workbook``, writing ``answer``."""
    return end_to_end(workbook, repeat, cmd=[sys.executable, "-c", FLOOR, str(workbook),
                                              str(answer)])


def prepare(folder: Path, size: float, seed: int) -> tuple[Path, Path]:
    """The synthetic workbook of ``size`` and its Turtle file, made once."""
    from synthetic import generate, write_workbook_csv
    from polku.io.rdf import write_turtle
    from polku.io.workbook import read_workbook

    wb = folder / f"national-x{size:g}"
    ttl = folder / f"national-x{size:g}.ttl"
    if not wb.exists():
        write_workbook_csv(generate(size, seed), wb)
    if not ttl.exists():
        write_turtle(read_workbook(wb, name=wb.name), ttl)
    return wb, ttl


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (best taken)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--keep", type=Path, help="folder for the generated workbooks (reused)")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive yardstick")
    args = ap.parse_args(argv)

    from naive import comparable, naive_find
    from polku.analyses.findings import find
    from polku.io.load import load_graph

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="polku-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        rows = {}
        for size in (1, 10):
            wb, ttl = prepare(tmp, size, args.seed)
            t_load = time.perf_counter()
            g = load_graph(wb)
            t_load = time.perf_counter() - t_load
            t_find = best_of(args.repeat, lambda: find(g))
            rows[size] = {
                "workbook": end_to_end(wb, args.repeat),
                "turtle": end_to_end(ttl, args.repeat),
                "load": t_load, "find": t_find, "findings": len(find(g)),
                "services": sum(1 for _, t in g.nodes(data="type") if t == "service"),
            }
            if size == 1 and not args.no_naive:
                fast = comparable(find(g))
                t_naive = time.perf_counter()
                slow = naive_find(g)
                t_naive = time.perf_counter() - t_naive
                if fast != slow:
                    raise SystemExit("the fast and the naive findings differ: "
                                     f"{len(set(fast) ^ set(slow))} findings")
                rows[size]["naive"] = t_naive
                answer = tmp / "answer.json"
                with answer.open("wb") as out:
                    subprocess.run(polku_command() + ["findings", str(wb), "--format", "json"],
                                   stdout=out, check=True)
                rows[size]["floor"] = floor(wb, answer, args.repeat)
                # the naive side end to end too, measured exactly as polku's: a subprocess
                # from the same workbook (start-up, polku's reader, the findings, JSON out)
                env_path = str(HERE.parent / "src")
                rows[size]["naive_e2e"] = end_to_end(wb, args.repeat, cmd=[
                    sys.executable, "-c", f"import sys; sys.path[:0] = [{env_path!r}, "
                    f"{str(HERE)!r}]; import naive; sys.exit(naive.main([{str(wb)!r}]))"])
        one, ten = rows[1], rows[10]
        print(f"polku findings benchmark (synthetic national workbook, seed {args.seed}, "
              f"best of {args.repeat})")
        print(f"{'size':>5} {'services':>9} {'findings':>9} {'e2e workbook':>13} "
              f"{'e2e turtle':>11} {'load (wb)':>10} {'find()':>8}")
        for size, r in rows.items():
            print(f"{size:>4}x {r['services']:>9} {r['findings']:>9} {r['workbook']:>12.2f}s "
                  f"{r['turtle']:>10.2f}s {r['load']:>9.2f}s {r['find']:>7.3f}s")
        print()
        ok = True

        def goal(text: str, met: bool) -> None:
            nonlocal ok
            ok &= met
            print(f"  [{'met' if met else 'MISSED'}] {text}")

        best = min(one["workbook"], one["turtle"])
        goal(f"end to end at size 1: workbook {one['workbook']:.2f} s, Turtle "
             f"{one['turtle']:.2f} s (goal < {GOAL_END_TO_END_S} s)",
             max(one["workbook"], one["turtle"]) < GOAL_END_TO_END_S)
        if "naive" in one:
            e2e = one["naive_e2e"] / one["workbook"]
            goal(f"national findings end to end vs naive end to end at size 1, both from the "
                 f"workbook as subprocesses, best of {args.repeat}: {one['workbook']:.2f} s vs "
                 f"{one['naive_e2e']:.2f} s = {e2e:.1f}x faster (goal >= "
                 f"{GOAL_END_TO_END_SPEEDUP:g}x)", e2e >= GOAL_END_TO_END_SPEEDUP)
            speedup = one["naive"] / one["find"]
            goal(f"find() vs naive at size 1: {one['find']:.3f} s vs {one['naive']:.2f} s = "
                 f"{speedup:.1f}x faster (goal >= {GOAL_SPEEDUP:g}x; same findings)",
                 speedup >= GOAL_SPEEDUP)
        for key, what in (("find", "find()"), ("workbook", "end to end, workbook"),
                          ("turtle", "end to end, Turtle")):
            ratio = ten[key] / one[key]
            goal(f"10x size costs {ratio:.1f}x the time ({what}; goal <= ~{GOAL_SCALING:g}x)",
                 ratio <= GOAL_SCALING * 1.1)
        print(f"  (fastest end to end at size 1: {best:.2f} s)")
        if "floor" in one:
            print(f"  (floor at size 1: Python, import networkx, read the CSV sheets, write "
                  f"polku's answer: {one['floor']:.2f} s; no ratio against the naive end to end "
                  f"could exceed {one['naive_e2e'] / one['floor']:.1f}x in this run, and "
                  f"{GOAL_END_TO_END_SPEEDUP:g}x leaves polku "
                  f"{one['naive_e2e'] / GOAL_END_TO_END_SPEEDUP - one['floor']:.2f} s above the "
                  f"floor; it takes {one['workbook'] - one['floor']:.2f} s)")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
