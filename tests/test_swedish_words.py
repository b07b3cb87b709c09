"""The Swedish a Swedish-speaking reader sees: one word for one thing across the catalogue
(a graph is an *ekosystem*, a referral a *hänvisning*, an outcome an *utfall*, betweenness
*mellanliggande centralitet* (the glossary's), the what-if *tänk om*), counts in the singular for one, and an
actor's kind in the singular in its row."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import MINI, ROOT, catalogue_texts, example_client, run


def test_one_word_for_one_thing_in_the_swedish_catalogue() -> None:
    texts = catalogue_texts("sv")
    said = " ".join(t for _, t in texts)
    for rejected in ("nätverk", "Nätverk", "NÄTVERK", "remiss", "remitt", "hänvisningkedja",
                     "hänvisningars", "mellanhetscentralitet", "vad händer om",
                     "bästa stig", "grafen", "Grafens", "materialet", "detta material"):
        assert rejected not in said, rejected
    assert "hänvisningskedja" in said and "Mellanliggande centralitet" in said
    # the command line names a graph argument as the pages do
    assert dict(texts)["GRAPH"] == "EKOSYSTEM"
    # an outcome is an utfall wherever the English says outcome
    assert [t for e, t in texts if "outcome" in e and "resultat" in t] == []
    # the privacy legend marks a hidden figure as the table does: dold
    legend = next(t for e, t in texts if e.startswith("At least: a referral into"))
    assert "; dold: ingen av dem publiceras" in legend


def test_the_swedish_pages_call_the_graph_an_ecosystem(tmp_path: Path) -> None:
    client = example_client(tmp_path)
    index = client.get("/?lang=sv").text
    assert "Regionala ekosystem" in index and "nätverk" not in index
    # an actor's kind in its row is one actor's: an organisation, not organisations
    table = client.get("/graphs/keski-uusimaa/table?view=ecosystem&lang=sv").text
    assert "Typ av aktör: organisation (tredje sektorn)" in table
    assert "organisationer (tredje sektorn)" not in table
    fi = client.get("/graphs/keski-uusimaa/table?view=ecosystem&lang=fi").text
    assert "Toimijan tyyppi: järjestö (kolmas sektori)" in fi


def test_one_unowned_finding_is_said_in_the_singular(tmp_path: Path) -> None:
    for lang, said in (("sv", "1 iakttagelse om ett föremål som ingen leder"),
                       ("fi", "1 havainto kohteesta, jolla ei ole päävastuullista"),
                       ("en", "1 finding on a subject nobody leads")):
        out = tmp_path / f"report-{lang}.html"
        r = run("report", MINI, "--lang", lang, "-o", out)
        assert r.exit_code == 0, r.output
        page = re.sub(r"\s+", " ", out.read_text(encoding="utf-8"))
        assert said in page, lang


def test_the_ontologys_labels_use_the_glossarys_words() -> None:
    """The classes as a Swedish or Finnish reader of the ontology meets them: the words the
    catalogues use (a referral is no *remiss*, a segment a *kundgrupp*, an outcome an
    *utfall*, a graph an *ekosystem* and an *aineisto*)."""
    import rdflib
    from rdflib.namespace import RDFS

    g = rdflib.Graph().parse(ROOT / "src" / "polku" / "ontology" / "polku.ttl")
    polku = rdflib.Namespace("https://w3id.org/polku/ontology#")
    labels = {(str(c).rsplit("#", 1)[-1], lang): str(label)
              for c, label in g.subject_objects(RDFS.label)
              for lang in [label.language] if str(c).startswith(str(polku))}
    assert labels[("Referral", "sv")] == "Hänvisning" and labels[("Referral", "fi")] == "Ohjaus"
    assert labels[("Segment", "sv")] == "Kundgrupp" and labels[("Segment", "fi")] == "Asiakasryhmä"
    assert labels[("Outcome", "sv")] == "Utfall"
    assert labels[("Graph", "sv")] == "Regionalt ekosystem"
    assert labels[("Graph", "fi")] == "Alueellinen aineisto"
    assert not [v for (_, lang), v in labels.items() if lang == "sv" and "emiss" in v]


def test_one_term_for_a_hand_off_and_nothing_expected_is_waited_for() -> None:
    """A Swedish-speaking reader found two terms for one thing: the path ranking's third key
    was *minst antal överlämningar* in ``polku paths --help`` and *hänvisningar mellan
    organisationer* on the pages and in the report (and the Finnish said it three ways);
    *det tänk om-analysen utgår från* and *köernas tänk om-analys har …* read as no Swede
    writes; and *väntade* (waited) stood for *expected*."""
    said = " ".join(t for _, t in catalogue_texts("sv"))
    # the event log's observed moves are övergångar (the Finnish siirtymät), not a
    # second name for a referral
    for rejected in ("överlämning", "det tänk om-analysen", "köernas tänk om-analys",
                     "median väntetid"):
        assert rejected not in said, rejected
    # expected is förväntat, or said otherwise: not väntat (oväntat, unexpected, stays)
    assert re.findall(r"(?<!\w)vänta(?:de|des|t)\b", said) == []
    assert "(som tänk om-analysen utgår från:" in said
    for lang, term in (("sv", "hänvisningar mellan organisationer"),
                       ("fi", "ohjauksia organisaatiosta toiseen")):
        shown = " ".join(run("paths", "--help", "--lang", lang).stdout.split())
        assert term in shown, (lang, shown)
    finnish = " ".join(t for _, t in catalogue_texts("fi"))
    assert "organisaatiorajan" not in finnish and "organisaatioiden välillä" not in finnish
