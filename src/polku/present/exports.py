"""The exchange formats ``polku export --to`` writes for other tools: the graph formats of
:mod:`polku.io.exchange` (GraphML, GEXF, neo4j-admin CSV, CPSV-AP) and the Mermaid picture
of the paths (:mod:`polku.present.mermaid`).
"""

from __future__ import annotations

from pathlib import Path

from polku.errors import PolkuError
from polku.io import exchange
from polku.present.mermaid import write_mermaid

#: format -> (file name endings, "" = a folder; writer(g, path, segment=, k=))
EXPORTS: dict[str, tuple[tuple[str, ...], object]] = {
    **exchange.EXPORTS,
    "mermaid": ((".mmd", ".md"), lambda g, p, segment=None, k=3: write_mermaid(g, p, segment, k)),
}


def check_export_name(out: Path, fmt: str) -> None:
    """Refuse a name that does not fit the format (a GEXF file called ``x.ttl``)."""
    wanted = EXPORTS[fmt][0]
    suffix = out.suffix.lower()
    if wanted == ("",):
        if suffix:
            raise PolkuError(f"a {fmt} export is a folder (nodes.csv and relationships.csv); "
                             f"'{out.name}' looks like a file name", file=str(out))
    elif suffix not in wanted:
        raise PolkuError(f"{fmt} output needs a name ending in {' or '.join(wanted)}",
                         file=str(out))
