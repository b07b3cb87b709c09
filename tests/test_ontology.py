"""The ontology declares every polku term the bundled graphs use, and the shapes parse."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).parents[1]
POLKU = "https://w3id.org/polku/ontology#"


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "src" / "polku" / "ontology" / "polku.ttl", format="turtle")


@pytest.mark.parametrize("graph", sorted(p.name for p in (ROOT / "graphs").glob("*.ttl")))
def test_every_polku_term_is_declared(ontology: rdflib.Graph, graph: str) -> None:
    data = rdflib.Graph().parse(ROOT / "graphs" / graph, format="turtle")
    used = {str(t) for triple in data for t in triple if str(t).startswith(POLKU)}
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(POLKU)}
    assert used - declared == set()


def test_labels_carry_finnish_swedish_english(ontology: rdflib.Graph) -> None:
    cls = rdflib.URIRef(POLKU + "Segment")
    langs = {lab.language for lab in ontology.objects(cls, rdflib.RDFS.label)}
    assert {"fi", "sv", "en"} <= langs


def test_shapes_parse() -> None:
    shapes = rdflib.Graph().parse(ROOT / "src" / "polku" / "ontology" / "shapes.ttl", format="turtle")
    assert len(shapes) > 50


def test_every_polku_term_of_a_merged_graph_is_declared(ontology: rdflib.Graph) -> None:
    """A merged graph says more than a region's (its regions, which regions held each
    shared actor: polku:mergedFrom); the ontology declares that too."""
    from polku.analyses.merge import merge
    from polku.io.load import load_graph
    from polku.io.rdf import to_rdflib

    merged = merge([load_graph(ROOT / "graphs" / r) for r in ("keski-uusimaa", "keski-suomi")])
    data = to_rdflib(merged.graph)
    used = {str(t) for triple in data for t in triple if str(t).startswith(POLKU)}
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(POLKU)}
    assert POLKU + "mergedFrom" in used
    assert used - declared == set()
