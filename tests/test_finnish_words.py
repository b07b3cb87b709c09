"""The Finnish a Finnish-speaking reader sees: one word for one thing, a graph (a workbook,
a Turtle file, a served graph) is an *aineisto* on the command line, the pages and in the
errors alike, never a *verkko* in one place and an *aineisto* in another. *verkko* is left
to the network a computer is reached over (*ilman verkkoyhteyttä*), and the picture of a
view is *Näkymä kuvana*, as its text alternative is *Näkymä taulukkona*."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import EXAMPLE, catalogue_texts, example_client, run


#: the only places *verkko* stays: each means the network or the web, not a graph
NETWORK = ("ilman verkkoyhteyttä",           # render: an offline page
           "verkkokäyttöliittymän",          # serve: the web UI
           "polku ei lue mitään verkosta",   # JSON-LD: no context fetched from the internet
           "avoin tuolle verkolle")          # serve: a host open to the network it is on
#: *verkko* in any form or compound: verkko, verkon, verkossa, verkkojen, palveluverkko …
VERKKO = re.compile(r"verk[ko]", re.IGNORECASE)
#: the tagline names the technique (knowledge graphs); no graph of polku's is a *graafi*
GRAAFI = re.compile(r"graaf", re.IGNORECASE)
KNOWLEDGE_GRAPHS = ("tietograafeina",)



def without(text: str, kept: tuple[str, ...]) -> str:
    """The text with the phrases that may keep the word taken out, for the search."""
    for phrase in kept:
        text = text.replace(phrase, "")
    return text


def test_a_graph_is_an_aineisto_in_the_finnish_catalogue() -> None:
    texts = catalogue_texts("fi")
    said = " ".join(t for _, t in texts)
    # the network phrases are still there (else this list only hides a new verkko)
    for phrase in NETWORK + KNOWLEDGE_GRAPHS:
        assert phrase in said, phrase
    verkko = [(e, t) for e, t in texts if VERKKO.search(without(t, NETWORK))]
    assert verkko == []
    graafi = [(e, t) for e, t in texts if GRAAFI.search(without(t, KNOWLEDGE_GRAPHS))]
    assert graafi == []
    by_source = dict(texts)
    assert by_source["GRAPH"] == "AINEISTO"
    assert by_source["Regional graphs"] == "Alueelliset aineistot"
    assert by_source["Back to the graph {graph}"] == "Takaisin aineistoon {graph}"
    assert by_source["The views of this graph"] == "Tämän aineiston näkymät"
    assert by_source["No graphs found."] == "Aineistoja ei löytynyt."
    assert by_source["The network as a picture; find a node above to read its details, "
                     "or open the view as a table"].startswith("Näkymä kuvana; ")
    # a Finnish text naming the graph says aineisto in some form (aineiston, aineistoon …)
    # ({graph} is its title; the graph sheet is a sheet's name; README quotes a section's title)
    unnamed = [(e, t) for e, t in texts
               if re.search(r"\bgraphs?\b", e, re.IGNORECASE)
               and not any(w in e for w in ("{graph", "graph sheet", "knowledge graph", "README"))
               and "aineisto" not in t.lower()]
    assert unnamed == []


def test_the_finnish_pages_and_command_line_say_aineisto(tmp_path: Path) -> None:
    client = example_client(tmp_path)
    index = client.get("/?lang=fi").text
    assert "Alueelliset aineistot" in index and not VERKKO.search(index)
    view = client.get("/graphs/keski-uusimaa/view?view=ecosystem&lang=fi").text
    assert "Takaisin aineistoon Keski-Uudenmaan" in view and 'aria-label="Näkymä kuvana; ' in view
    assert "Takaisin verkkoon" not in view and "Verkko kuvana" not in view
    gone = client.get("/api/graphs/nowhere?lang=fi").json()["error"]["message"]
    assert gone == "aineistoa 'nowhere' ei ole"
    assert run("findings", "--lang", "fi").stderr == "virhe: AINEISTO puuttuu\n"
    assert run("merge", EXAMPLE, "--lang", "fi", "-o", tmp_path / "x.ttl").stderr \
        .endswith("yhdistämiseen tarvitaan vähintään kaksi aineistoa\n")
