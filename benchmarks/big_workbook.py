"""How a big workbook validates: a 100,000-row workbook through ``polku validate``, with its
time and memory, and the row ceiling answering before anything is read whole.

Generates the synthetic national workbook (benchmarks/synthetic.py) at the size that gives
about 100,000 rows, then runs ``polku validate`` on it in a child process (as a user
would) and prints the rows, the wall-clock and CPU seconds and the child's peak memory
(max RSS). Then runs it again with ``POLKU_MAX_ROWS`` below the biggest sheet and prints
how soon the ceiling's error comes. ``--xlsx`` measures the same workbook as one .xlsx.

    python benchmarks/big_workbook.py [--rows 100000] [--xlsx]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402

#: rows of the synthetic workbook at size 1 (every sheet)
ROWS_PER_SIZE = 12_958


def run(args: list[str], env: dict[str, str]) -> tuple[int, float, float, float, str]:
    """Exit status, wall seconds, CPU seconds and peak MB of ``polku ARGS`` in a child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from polku.cli import main; main()", *args],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.returncode, wall, cpu, after.ru_maxrss / 1024, (done.stdout + done.stderr).strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--xlsx", action="store_true", help="measure the workbook as one .xlsx")
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        sheets = synthetic.generate(size=args.rows / ROWS_PER_SIZE)
        rows = sum(len(r) for r in sheets.values())
        folder = synthetic.write_workbook_csv(sheets, Path(tmp) / "big")
        source = folder
        if args.xlsx:
            from polku.io import workbook
            from polku.io.load import load_graph

            source = Path(tmp) / "big.xlsx"
            workbook.write_workbook(load_graph(folder), source)
        size = sum(p.stat().st_size for p in ([source] if source.is_file() else source.iterdir()))
        print(f"workbook: {rows:,} rows, {size / 1e6:.1f} MB ({'xlsx' if args.xlsx else 'CSV'})")
        status, wall, cpu, peak, out = run(["validate", str(source)], env)
        print(f"polku validate: exit {status}, {wall:.1f} s wall, {cpu:.1f} s CPU, "
              f"peak {peak:,.0f} MB")
        if status != 0:
            print(out[-2000:])
        biggest = max(len(r) for r in sheets.values())
        status, wall, cpu, _, out = run(["validate", str(source)],
                                        {**env, "POLKU_MAX_ROWS": str(biggest // 2)})
        print(f"with POLKU_MAX_ROWS={biggest // 2:,}: exit {status} in {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU: {out.splitlines()[0] if out else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
