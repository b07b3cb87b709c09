"""Neo4j push and pull at national size, and where findings run best, measured in one run.

Starts its own Neo4j Community server (tests/neo4j, built by ``scripts/setup --tests``) with
throughput JVM settings, generates the synthetic national workbook
(benchmarks/synthetic.py: ≈3,000 services, 600 segments, 5,000 referrals) and measures:

1. Push (batched, ``UNWIND $rows`` of 1,000 rows, one transaction) into an empty region,
   the same push again (idempotent: nothing changes), and pull: rows (nodes +
   relationships) per second.
2. Batched against one statement per row: both on the same subset (one synthetic region's
   worth of rows, pushed fresh each time), and the one-statement-per-row time extrapolated
   to the whole graph at the subset's rate (pushing all 49,000 rows one by one would take
   minutes; the extrapolation assumes the per-row rate stays the same at full size).
3. The direct findings (:data:`polku.analyses.neo4j_findings.CYPHER_KINDS`) pulled into networkx
   (pull + :func:`polku.analyses.findings.find`) against the same findings as Cypher in the server,
   after checking both give the same findings; and, for scale, every finding via pull.

Run: ``.venv/bin/python benchmarks/neo4j_push_pull.py [--size 1] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import synthetic  # noqa: E402
from neo4j_server import Neo4jServer  # noqa: E402

from polku.io import neo4jstore as ns  # noqa: E402
from polku.analyses.findings import find  # noqa: E402
from polku.analyses.neo4j_findings import CYPHER_KINDS, cypher_findings  # noqa: E402
from polku.io.workbook import read_workbook  # noqa: E402

BENCH_JVM_OPTIONS = ("-Xms1g", "-Xmx2g")


def timed(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def subset(g, n_nodes: int):
    """The first ``n_nodes`` nodes (in the workbook's order, so one region's worth) and
    every edge among them."""
    return g.subgraph(list(g.nodes)[:n_nodes]).copy()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=1.0, help="synthetic size (1 = national)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    ap.add_argument("--subset", type=int, default=1000,
                    help="nodes in the subset for one statement per row")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        g = read_workbook(synthetic.write_workbook_csv(
            synthetic.generate(size=args.size, seed=42), Path(tmp) / "national"))
    n_rows = g.number_of_nodes() + g.number_of_edges()
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
          f"({n_rows} rows)")

    server = Neo4jServer(jvm_options=BENCH_JVM_OPTIONS).start()
    print(f"Neo4j {server.uri} ready after {server.startup_seconds:.1f} s")
    creds = {"uri": server.uri, "user": server.user, "password": server.password}
    try:
        # Warm the JIT and create the schema, so the first timed push is not the JVM's.
        ns.push_graph(subset(g, 2000), **creds, region="warm-up")

        counter = iter(range(10 ** 6))

        def fresh_push(graph, batch):
            return ns.push_graph(graph, **creds, region=f"fresh-{next(counter)}",
                                 batch_size=batch)

        t_push, result = timed(lambda: fresh_push(g, ns.DEFAULT_BATCH), args.repeat)
        assert result.created_nodes == g.number_of_nodes()
        ns.push_graph(g, **creds, region="national")
        t_again, again = timed(lambda: ns.push_graph(g, **creds, region="national"),
                               args.repeat)
        assert (again.created_nodes, again.deleted_nodes, again.deleted_relationships) == (0, 0, 0)
        t_pull, pulled = timed(lambda: ns.pull_graph(**creds, region="national"), args.repeat)
        assert ns.equal_graphs(g, pulled) or _same_except_name(g, pulled)

        print(f"push (batched {ns.DEFAULT_BATCH}, new region): {t_push:.2f} s, "
              f"{n_rows / t_push:,.0f} rows/s")
        print(f"push again (idempotent, no change):  {t_again:.2f} s, "
              f"{n_rows / t_again:,.0f} rows/s")
        print(f"pull:                                {t_pull:.2f} s, "
              f"{n_rows / t_pull:,.0f} rows/s")

        part = subset(g, args.subset)
        part_rows = part.number_of_nodes() + part.number_of_edges()
        t_part_batched, _ = timed(lambda: fresh_push(part, ns.DEFAULT_BATCH), args.repeat)
        t_part_single, single = timed(lambda: fresh_push(part, 1), 1)
        assert single.statements >= part_rows
        rate_batched = part_rows / t_part_batched
        rate_single = part_rows / t_part_single
        print(f"subset of {part_rows} rows: batched {t_part_batched:.2f} s "
              f"({rate_batched:,.0f} rows/s), one statement per row {t_part_single:.2f} s "
              f"({rate_single:,.0f} rows/s): batched is {rate_batched / rate_single:.1f}x faster")
        print(f"whole graph, one statement per row (extrapolated at the subset's rate): "
              f"{n_rows / rate_single:.0f} s against {t_push:.2f} s batched "
              f"({n_rows / rate_single / t_push:.0f}x)")

        def via_networkx():
            h = ns.pull_graph(**creds, region="national")
            return [f for f in find(h, plan=False) if f.kind in CYPHER_KINDS]

        def via_cypher():
            return cypher_findings(**creds, region="national")

        def everything_via_networkx():
            return find(ns.pull_graph(**creds, region="national"))

        t_nx, nx_findings = timed(via_networkx, args.repeat)
        t_cy, cy_findings = timed(via_cypher, args.repeat)
        assert cy_findings == nx_findings, "Cypher and networkx findings differ"
        assert [f.metrics for f in cy_findings] == [f.metrics for f in nx_findings]
        t_all, all_findings = timed(everything_via_networkx, args.repeat)
        print(f"direct findings ({len(CYPHER_KINDS)} kinds, {len(cy_findings)} findings, "
              f"identical): pull + networkx {t_nx:.2f} s, Cypher in the server {t_cy:.2f} s: "
              f"Cypher is {t_nx / t_cy:.1f}x faster")
        print(f"every finding ({len(all_findings)}) via pull + networkx: {t_all:.2f} s")
    finally:
        server.stop()
    return 0


def _same_except_name(a, b) -> bool:
    b = b.copy()
    b.graph["name"] = a.graph.get("name")
    return ns.equal_graphs(a, b)


if __name__ == "__main__":
    sys.exit(main())
