"""How much has the leader's report slowed down since need-aware paths, who-must-act and
the RACI matrix were added?

Measures, in one run, ``polku report WORKBOOK -o report.html`` end to end (a subprocess:
start-up, imports, loading, analyses and writing included) on the synthetic national
workbook (benchmarks/synthetic.py, ≈3,000 services, 600 segments, 5,000 referrals), twice:

- *then*: the code of commit :data:`BASELINE` (before those three were added), checked
  out into a temporary git worktree and run with ``PYTHONPATH`` at its ``src``;
- *now*: this checkout's code.

Both run the same workbook with the same Python and packages, alternately, best of
``--repeat`` each, so the load of a shared machine falls on both alike. Goal: now at most
:data:`GOAL_RATIO` times then.

Run: ``.venv/bin/python benchmarks/report.py`` (``--repeat N``, ``--size``, ``--keep DIR``
to reuse the generated workbook).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

#: The last commit before need-aware paths, who-must-act and RACI.
BASELINE = "d2e50ba"
GOAL_RATIO = 2.0


def workbook(folder: Path, size: float, seed: int) -> Path:
    """The synthetic national workbook, made once in ``folder``."""
    from synthetic import generate, write_workbook_csv

    wb = folder / f"national-x{size:g}"
    if not wb.exists():
        write_workbook_csv(generate(size, seed), wb)
    return wb


def baseline_tree(folder: Path) -> Path:
    """A git worktree of :data:`BASELINE` under ``folder`` (detached, removed afterwards)."""
    tree = folder / f"polku-{BASELINE}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet",
                        str(tree), BASELINE], check=True)
    return tree


def report_time(src: Path, wb: Path, out: Path) -> float:
    """One ``polku report`` of ``wb`` with the polku of ``src``, in seconds."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-m", "polku.cli", "report", str(wb), "-o", str(out)]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          cwd=str(out.parent))
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} (PYTHONPATH={src}) failed: "
                         f"{done.stderr.decode()[-800:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each (best taken)")
    ap.add_argument("--size", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--keep", type=Path, help="folder for the generated workbook (reused)")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="polku-report-bench-"))
    data = args.keep or tmp
    data.mkdir(parents=True, exist_ok=True)
    tree = None
    try:
        wb = workbook(data, args.size, args.seed)
        tree = baseline_tree(tmp)
        then: list[float] = []
        now: list[float] = []
        for i in range(args.repeat):
            then.append(report_time(tree / "src", wb, tmp / f"then-{i}.html"))
            now.append(report_time(ROOT / "src", wb, tmp / f"now-{i}.html"))
        t_then, t_now = min(then), min(now)
        ratio = t_now / t_then
        print(f"polku report end to end, synthetic national workbook (size {args.size:g}, "
              f"seed {args.seed}), best of {args.repeat}")
        print(f"  then ({BASELINE}): {t_then:.2f} s   (runs: "
              f"{', '.join(f'{t:.2f}' for t in then)})")
        print(f"  now:            {t_now:.2f} s   (runs: "
              f"{', '.join(f'{t:.2f}' for t in now)})")
        met = ratio <= GOAL_RATIO
        print(f"  [{'met' if met else 'MISSED'}] now / then = {ratio:.2f}x "
              f"(goal <= {GOAL_RATIO:g}x)")
        return 0 if met else 1
    finally:
        if tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(tree)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
