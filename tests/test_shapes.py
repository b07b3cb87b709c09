"""The plain-Python check of the SHACL shapes (:mod:`polku.io.shapes`) against pyshacl: on
random edits of a graph's triples, both say the same thing (conforms or not), so letting the
fast check pass a write never lets through a graph pyshacl would refuse."""

from __future__ import annotations

import random

import pytest

from helpers import EXAMPLE, MINI, SECOND
from polku.io import rdf, shapes
from polku.io.load import load_graph
from polku.io.validate import ontology_path, shacl_problems


def pyshacl_conforms(triples: list) -> bool:
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    for t in triples:
        data.add(t)
    sg = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    return pyshacl.validate(data, shacl_graph=sg, inference="none", advanced=False,
                            allow_warnings=True)[0]


def mutate(triples: list, rng: random.Random) -> list:
    """One to three random edits of the kinds a bad row or a hand-written Turtle makes:
    a triple dropped or doubled, a literal's value, datatype or language changed, an IRI
    pointed elsewhere or made a literal, a type removed or added."""
    import rdflib
    from rdflib import XSD, Literal, URIRef

    out = list(triples)
    subjects = sorted({s for s, _, _ in out}, key=str)
    types = sorted({o for _, p, o in out if p == rdflib.RDF.type}, key=str)
    literals = [
        Literal(-1), Literal(0), Literal(3), Literal("2.5", datatype=XSD.decimal),
        Literal("1e3", datatype=XSD.double), Literal("x", datatype=XSD.integer),
        Literal("abc"), Literal("abc", lang="fi"), Literal("abc", datatype=XSD.string),
        Literal(True), Literal("2026-13-40", datatype=XSD.date),
        Literal("2026-12-03", datatype=XSD.date), Literal("lead"), Literal("yes"),
        Literal("jointly"), Literal("kela"), Literal("Bad Id"), Literal("ok-id"),
        Literal("1.5"), Literal("-0.0", datatype=XSD.decimal), Literal(2, datatype=XSD.int),
        Literal("kind:subject"), Literal("new"), Literal("", lang="sv")]
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        s, p, o = out[i]
        choice = rng.randrange(9)
        if choice == 0:
            out.pop(i)
        elif choice == 1:
            out.append((s, p, rng.choice(literals + subjects)))
        elif choice == 2:
            out[i] = (s, p, rng.choice(literals))
        elif choice == 3:
            out[i] = (s, p, rng.choice(subjects))
        elif choice == 4:
            out[i] = (s, p, Literal(str(o)) if not isinstance(o, Literal) else
                      Literal(str(o), lang=rng.choice([None, "fi", "sv"])))
        elif choice == 5 and types:
            out.append((rng.choice(subjects), rdflib.RDF.type, rng.choice(types)))
        elif choice == 6:
            typed = [j for j, t in enumerate(out) if t[1] == rdflib.RDF.type]
            out.pop(rng.choice(typed))
        elif choice == 7:  # a referral back to where it starts, a second title in a language
            out.append((s, URIRef("http://purl.org/dc/terms/title"), Literal("Toinen", lang="fi")))
            out.append((s, p, s))
        else:
            out.append((URIRef(str(s) + "-x"), p, o))
    return out


@pytest.mark.parametrize("source", [MINI, SECOND], ids=["mini", "second-region"])
def test_valid_graphs_conform(source):
    assert shapes.conforms(list(rdf.to_rdflib_triples(load_graph(source)))) is True


def test_agrees_with_pyshacl_on_random_edits():
    base = list(rdf.to_rdflib_triples(load_graph(MINI)))
    rng = random.Random(16)
    seen = {True: 0, False: 0}
    for _ in range(60):
        triples = mutate(base, rng)
        fast = shapes.conforms(triples)
        assert fast is not None
        assert fast == pyshacl_conforms(triples), triples
        seen[fast] += 1
    assert seen[True] and seen[False]  # both answers were exercised


def test_agrees_on_the_example_region():
    base = list(rdf.to_rdflib_triples(load_graph(EXAMPLE)))
    rng = random.Random(3)
    for _ in range(4):
        triples = mutate(base, rng)
        assert shapes.conforms(triples) == pyshacl_conforms(triples)


def test_unsupported_shapes_leave_it_to_pyshacl(tmp_path):
    text = ontology_path("shapes.ttl").read_text(encoding="utf-8")
    other = tmp_path / "shapes.ttl"
    other.write_text(text.replace("sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;",
                                  "sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; "
                                  "sh:minLength 2 ;", 1), encoding="utf-8")
    triples = list(rdf.to_rdflib_triples(load_graph(MINI)))
    assert shapes.conforms(triples, other) is None


def test_problems_are_still_pyshacl_s(mini):
    g = load_graph(mini)
    service = next(n for n, d in g.nodes(data=True) if d.get("type") == "service")
    g.nodes[service]["capacity_per_month"] = -5
    problems = shacl_problems(g, "mini")
    assert [p.node for p in problems] == [service]
    assert "capacity per month must be one number, 0 or more" in str(problems[0])


def test_the_check_of_a_change_agrees_with_the_whole_check():
    """``conforms_after`` looks only at the nodes a change can affect; from a conforming
    version, on random edits (and edits of edits that still conform), it answers what the
    check of the whole graph answers."""
    for source, seed, rounds in ((MINI, 7, 300), (EXAMPLE, 11, 60)):
        base = list(rdf.to_rdflib_triples(load_graph(source)))
        assert shapes.conforms(base) is True
        rng = random.Random(seed)
        seen = {True: 0, False: 0}
        for _ in range(rounds):
            before = base
            if rng.random() < 0.5:  # start from another conforming version now and then
                other = mutate(base, rng)
                if shapes.conforms(other):
                    before = other
            after = mutate(before, rng)
            whole = shapes.conforms(after)
            assert shapes.conforms_after(set(before), set(after)) == whole, \
                (set(after) - set(before), set(before) - set(after))
            seen[whole] += 1
        assert seen[True] and seen[False]


def test_the_check_of_a_change_takes_terms_in_another_form():
    """The triples may be polku's own plain terms (the server keeps those), turned into
    rdflib's only for the nodes looked at."""
    g = load_graph(MINI)
    before = set(rdf.to_triples(g))
    service = next(n for n, d in g.nodes(data=True) if d.get("type") == "service")
    g.nodes[service]["capacity_per_month"] = -5
    assert shapes.conforms_after(before, set(rdf.to_triples(g)), rdf.rdflib_term) is False
    g.nodes[service]["capacity_per_month"] = 7
    assert shapes.conforms_after(before, set(rdf.to_triples(g)), rdf.rdflib_term) is True


def test_a_node_that_becomes_a_target_is_checked(tmp_path):
    """A node named by a ``sh:targetObjectsOf`` predicate for the first time is a focus node
    now, although none of its own triples changed."""
    from rdflib import Literal, URIRef

    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ;\n"
        "    sh:property [ sh:path ex:name ; sh:minCount 1 ] .\n", encoding="utf-8")
    ex = "http://example.org/"
    a, b, c, p, name = (URIRef(ex + x) for x in ("a", "b", "c", "p", "name"))
    before = {(a, p, b), (b, name, Literal("B")), (c, URIRef(ex + "other"), Literal("C"))}
    assert shapes.conforms(before, shapes_file) is True
    after = before | {(a, p, c)}
    assert shapes.conforms(after, shapes_file) is False
    assert shapes.conforms_after(before, after, shapes_path=shapes_file) is False
    named = after | {(c, name, Literal("C"))}
    assert shapes.conforms_after(before, named, shapes_path=shapes_file) is True
