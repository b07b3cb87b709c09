"""The size of the national synthetic graph, as the README quotes it beside what was measured
on it (*RDF*, *Measured*), is the size of the graph benchmarks/synthetic.py makes: the
newcomer who ran ``benchmarks/privacy.py`` read 102,169 triples where the README said
99,644 (the graph had grown since the load was measured)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from helpers import ROOT
from polku.io import rdf, workbook

#: the README's words around the national graph's size: (nodes, triples) or (triples)
SIZES = (r"national-size synthetic graph \((?P<nodes>[\d,]+) nodes,\s+(?P<triples>[\d,]+) "
         r"triples\)", r"load a national graph \((?P<triples>[\d,]+) triples\)")


def national_size(tmp: Path) -> tuple[int, int]:
    """Nodes and triples of the national synthetic graph, as benchmarks/load.py counts them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synthetic
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    g = workbook.read_workbook(synthetic.write_workbook_csv(synthetic.generate(), tmp / "n"))
    return g.number_of_nodes(), sum(1 for _ in rdf.to_triples(g))


def test_the_readme_quotes_the_national_graphs_true_size(tmp_path: Path) -> None:
    nodes, triples = national_size(tmp_path)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = [m for pattern in SIZES for m in re.finditer(pattern, text)]
    assert len(quoted) == len(SIZES), "the README no longer quotes the size where it did"
    true = {"nodes": nodes, "triples": triples}
    for m in quoted:
        said = {k: int(v.replace(",", "")) for k, v in m.groupdict().items()}
        assert said == {k: true[k] for k in said}, \
            f"README.md says {m.group(0)!r}; the graph has {nodes:,} nodes, {triples:,} triples"
