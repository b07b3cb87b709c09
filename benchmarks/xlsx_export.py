"""Does ``polku export --to xlsx`` grow with its rows, not faster?

Writes the Keski-Suomi example region with ``--rows`` extra needs, and with ten times as
many, as an .xlsx (:func:`polku.io.workbook.write_workbook`, in this process), and prints
the rows, the CPU seconds of each and their ratio. Goal: ten times the rows take at most
about 12 times the time (linear, with some room for the machine's caches). Before the row's
cells were made before they were appended, each row asked openpyxl for the sheet's last
row (a scan of every cell): 20,000 needs took 67 s, 200,000 did not end in ten minutes.

    .venv/bin/python benchmarks/xlsx_export.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: ten times the rows in at most this many times the CPU seconds
GOAL_RATIO = 12.0


def export_seconds(rows: int, folder: Path) -> float:
    """CPU seconds of writing the example region with ``rows`` extra needs as an .xlsx."""
    from polku.io import workbook
    from polku.io.load import load_graph

    g = load_graph(ROOT / "graphs" / "keski-suomi")
    for i in range(rows):
        g.add_node(f"tarve-x{i}", type="need", name=f"Tarve {i}", name_sv=f"Behov {i}")
    started = time.process_time()
    workbook.write_workbook(g, folder / f"r{rows}.xlsx")
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=20_000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        small = export_seconds(args.rows, Path(tmp))
        large = export_seconds(args.rows * 10, Path(tmp))
    ratio = large / small
    print(f"{args.rows:,} extra rows: {small:.2f} s CPU")
    print(f"{args.rows * 10:,} extra rows: {large:.2f} s CPU")
    print(f"ten times the rows: {ratio:.1f}× the time (goal ≤ {GOAL_RATIO:g}×: "
          f"{'met' if ratio <= GOAL_RATIO else 'missed'})")
    return 0 if ratio <= GOAL_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
