"""What privacy by default costs, measured in one run on the national-size synthetic graph.

Times, best of three: the henkilötunnus scan of every RDF literal (what every Turtle or
JSON-LD load now does) against the whole Turtle load, and small-cell suppression (what
every export, page and API answer that goes to other people does) against writing the
graph as Turtle. Prints seconds and the shares.

    python benchmarks/privacy.py [--size 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402
from timing import best_of  # noqa: E402

from polku import privacy
from polku.io import rdf, workbook  # noqa: E402



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic.write_workbook_csv(synthetic.generate(size=args.size),
                                              Path(tmp) / "national")
        g = workbook.read_workbook(folder)
        ttl = Path(tmp) / "national.ttl"
        rdf.write_turtle(g, ttl)
        triples = rdf.parse_turtle_triples(ttl.read_bytes())
        literals = [(s, p, o.value) for s, p, o in triples if isinstance(o, rdf.Lit)]
        scan = best_of(3, lambda: rdf.refuse_hetu(literals))
        load = best_of(3, lambda: rdf.read_turtle(ttl))
        small = best_of(3, lambda: privacy.suppress(g))
        write = best_of(3, lambda: rdf.graph_turtle(g))
    print(f"graph: {g.number_of_nodes()} nodes, {len(triples)} triples, {len(literals)} literals")
    print(f"henkilötunnus scan of every literal: {scan:.3f} s of a {load:.2f} s Turtle load "
          f"({scan / load:.1%})")
    print(f"small-cell suppression (a copy of the graph): {small:.3f} s; writing Turtle "
          f"{write:.2f} s (suppression {small / write:.1%} of it)")


if __name__ == "__main__":
    main()
