"""How fast a national-size graph loads, against rdflib's own Turtle parser, in one run.

Generates the synthetic national workbook (benchmarks/synthetic.py), writes it as Turtle,
then times, best of three: polku's Turtle loader (pyoxigraph → networkx), rdflib's default
Turtle parser on the same file (what a plain implementation would use), and polku's
workbook reader. Prints seconds and the ratio. Goal: about a second for ~100k triples.

    python benchmarks/load.py [--size 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402
from timing import best_of  # noqa: E402

from polku.io import rdf, workbook  # noqa: E402



def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=float, default=1.0)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic.write_workbook_csv(synthetic.generate(size=args.size), Path(tmp) / "national")
        g = workbook.read_workbook(folder)
        ttl = Path(tmp) / "national.ttl"
        rdf.write_turtle(g, ttl)
        triples = sum(1 for _ in rdf.to_triples(g))
        import rdflib

        t_polku = best_of(3, lambda: rdf.read_turtle(ttl))
        t_rdflib = best_of(1, lambda: rdflib.Graph().parse(ttl, format="turtle"))
        t_wb = best_of(3, lambda: workbook.read_workbook(folder))
        t_write = best_of(3, lambda: rdf.graph_turtle(g))
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {triples} triples")
    print(f"polku Turtle load (pyoxigraph → networkx): {t_polku:.2f} s")
    print(f"rdflib default Turtle parse (no graph built): {t_rdflib:.2f} s")
    print(f"polku workbook load (CSV folder): {t_wb:.2f} s")
    print(f"polku deterministic Turtle write: {t_write:.2f} s")
    print(f"ratio rdflib / polku Turtle load: {t_rdflib / t_polku:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
