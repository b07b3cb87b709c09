"""CPSV-AP 3.2.0 conformance: polku's Turtle and `polku export --to cpsv-ap` validate with
zero violations against the official SHACL shapes (tests/standards/, CC-BY 4.0 © EU)."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib

from helpers import MINI, run
from polku.io import rdf
from polku.io.load import load_graph

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

ROOT = Path(__file__).parents[1]
SHAPES = Path(__file__).parent / "standards" / "cpsv-ap-3.2.0-SHACL.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
CV = rdflib.Namespace("http://data.europa.eu/m8g/")
CPSV = rdflib.Namespace("http://purl.org/vocab/cpsv#")

#: every workbook the tests import as a whole region
WORKBOOKS = [ROOT / "graphs" / "keski-uusimaa", MINI,
             Path(__file__).parent / "data" / "keski-suomi"]


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


def violations(data: rdflib.Graph, shapes: rdflib.Graph) -> list[str]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                           allow_warnings=True)
    out = []
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) == SH.Violation:
            out.append(f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
                       f"{report.value(r, SH.resultMessage)}")
    return sorted(out)


def test_the_copy_is_the_official_file(shapes: rdflib.Graph) -> None:
    member = rdflib.URIRef("https://semiceu.github.io/CPSV-AP/releases/3.2.0//shacl/"
                           "cpsv-ap-SHACL.ttl#PublicServiceShape")
    assert (member, rdflib.RDF.type, SH.NodeShape) in shapes
    assert "CC-BY 4.0" in (SHAPES.parent / "README.md").read_text(encoding="utf-8")


def test_committed_example_turtle_conforms(shapes: rdflib.Graph) -> None:
    data = rdflib.Graph().parse(ROOT / "graphs" / "keski-uusimaa.ttl", format="turtle")
    assert violations(data, shapes) == []


@pytest.mark.parametrize("workbook", WORKBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_cpsv_ap_export_conforms(shapes: rdflib.Graph, tmp_path: Path, workbook: Path,
                                 suffix: str) -> None:
    run("import", workbook, "-o", tmp_path / "g.ttl")
    out = tmp_path / f"cpsv{suffix}"
    result = run("export", tmp_path / "g.ttl", "--to", "cpsv-ap", "-o", out)
    assert result.exit_code == 0, result.output
    data = rdflib.Graph().parse(out, format="json-ld" if suffix == ".jsonld" else "turtle")
    assert violations(data, shapes) == []
    # it still holds every public service with its competent authority, and polku's facts
    services = set(data.subjects(rdflib.RDF.type, CPSV.PublicService))
    assert services and all(data.value(s, CV.hasCompetentAuthority) for s in services)
    g = load_graph(tmp_path / "g.ttl")
    back = rdf.from_triples(rdf.from_rdflib_triples(data))
    assert sorted(back.nodes) == sorted(g.nodes)


def test_competent_authority_is_the_lead_or_sole_provider(tmp_path: Path) -> None:
    g = load_graph(ROOT / "graphs" / "keski-uusimaa.ttl")
    data = rdf.to_rdflib(g)
    base = rdf.base_iri("keski-uusimaa")
    public = rdf.public_actors(g)
    for service in (n for n, d in g.nodes(data=True) if d["type"] == "service"):
        authorities = {str(o)[len(base):] for o in
                       data.objects(rdflib.URIRef(base + service), CV.hasCompetentAuthority)}
        leads = {u for u, _, d in g.in_edges(service, data=True)
                 if d["kind"] == "responsibility" and d["role"] == "lead"} & public
        providers = {u for u, _, k in g.in_edges(service, data="kind") if k == "provides"}
        if leads:
            assert authorities == leads, service
        elif len(providers) == 1 and providers <= public:
            assert authorities == providers, service
        assert authorities <= public


def test_organisations_are_placed_in_code_list_areas() -> None:
    g = load_graph(ROOT / "graphs" / "keski-uusimaa.ttl")
    data = rdf.to_rdflib(g)
    base = rdf.base_iri("keski-uusimaa")
    spatial = rdflib.URIRef("http://purl.org/dc/terms/spatial")
    hyvinkaa = {str(o) for o in data.objects(rdflib.URIRef(base + "hyvinkaa"), spatial)}
    assert "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/106" in hyvinkaa or \
        len(hyvinkaa) == 6  # the actor's own region text: Hyvinkää, or the county's six
    kela = {str(o) for o in data.objects(rdflib.URIRef(base + "kela"), spatial)}
    assert kela == {"http://publications.europa.eu/resource/authority/country/FIN"}


def test_services_without_a_public_authority_are_reported(tmp_path: Path) -> None:
    run("import", MINI, "-o", tmp_path / "g.ttl")
    result = run("export", tmp_path / "g.ttl", "--to", "cpsv-ap", "-o", tmp_path / "c.ttl")
    assert result.exit_code == 0
    g = load_graph(tmp_path / "g.ttl")
    from polku.io.exchange import not_public_services

    for node, why in not_public_services(g):
        # named as the reader reads it, the id beside
        name = g.nodes[node].get("name_en") or g.nodes[node]["name"]
        assert f"): {name} ({node}): {why}" in result.output


def test_joint_municipal_authorities_are_public_organisations(tmp_path: Path) -> None:
    # a kuntayhtymä (Keuda, HUS) answers for its services as a public organisation
    out = tmp_path / "ku.ttl"
    result = run("export", ROOT / "graphs" / "keski-uusimaa", "--to", "cpsv-ap", "-o", out)
    assert result.exit_code == 0, result.output
    data = rdflib.Graph().parse(out, format="turtle")
    base = rdf.base_iri("keski-uusimaa")
    for actor in ("keuda", "hus"):
        assert (rdflib.URIRef(base + actor), rdflib.RDF.type, CV.PublicOrganisation) in data
    assert (rdflib.URIRef(base + "keuda-ammatillinen-koulutus"), rdflib.RDF.type,
            CPSV.PublicService) in data
    assert "keuda-ammatillinen-koulutus" not in result.output


def test_the_note_names_the_responsible_organisation_and_its_kind(tmp_path: Path) -> None:
    # the real reason a service is not public: who answers for it, and of what kind
    for lang, said in (
            ("fi", "Hyria koulutus Oy (hyria) on tyyppiä 'koulutus', jota ei lueta julkiseksi "
                   "organisaatioksi"),
            ("sv", "Hyria utbildning Ab (hyria) är av typen 'utbildning', som inte räknas som "
                   "en offentlig organisation"),
            ("en", "its responsible organisation Hyria Vocational College (hyria) is of kind "
                   "'education', which is not counted as a public organisation")):
        result = run("export", ROOT / "graphs" / "keski-uusimaa", "--to", "cpsv-ap", "-o",
                     tmp_path / f"{lang}.ttl", "--lang", lang)
        assert result.exit_code == 0, result.output
        line = next(ln for ln in result.output.splitlines()
                    if "(hyria-ammatillinen-koulutus)" in ln)
        assert said in " ".join(line.split())


ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
FINLEX_ELI = re.compile(r"^http://data\.finlex\.fi/eli/sd/(1[789]\d\d|20\d\d)/[1-9]\d*$")


def test_legal_basis_is_a_finlex_eli_legal_resource(tmp_path: Path) -> None:
    """A public service's legal basis was only polku:legalBasis text, which no CPSV-AP tool
    reads: the statutes it cites by number are now cv:hasLegalResource, the Finlex ELI of
    the statute (http://data.finlex.fi/eli/sd/<year>/<number>), an eli:LegalResource."""
    out = tmp_path / "c.ttl"
    assert run("export", ROOT / "graphs" / "keski-uusimaa", "--to", "cpsv-ap", "-o", out
               ).exit_code == 0
    data = rdflib.Graph().parse(out, format="turtle")
    base = "https://w3id.org/polku/id/keski-uusimaa/"
    laws = {str(o) for o in data.objects(None, CV.hasLegalResource)}
    assert laws and all(FINLEX_ELI.match(law) for law in laws), laws
    assert all((rdflib.URIRef(law), rdflib.RDF.type, ELI.LegalResource) in data for law in laws)

    def of(service: str) -> set[str]:
        return {str(o) for o in data.objects(rdflib.URIRef(base + service), CV.hasLegalResource)}

    # 'Laki työvoimapalvelujen järjestämisestä 380/2023'
    assert of("alkuhaastattelu") == {"http://data.finlex.fi/eli/sd/2023/380"}
    # 'Sosiaalihuoltolaki 1301/2014, 17 §': the statute (a section's ELI needs its chapter)
    g = load_graph(ROOT / "graphs" / "keski-uusimaa")
    cites_section = [n for n, d in g.nodes(data=True)
                     if d.get("legal_basis") == "Sosiaalihuoltolaki 1301/2014, 17 §"]
    assert cites_section and of(cites_section[0]) <= {"http://data.finlex.fi/eli/sd/2014/1301"}
    # every service a cpsv:PublicService, and only those, says its legal resources
    public = {str(s) for s in data.subjects(rdflib.RDF.type, CPSV.PublicService)}
    assert {str(s) for s in data.subjects(CV.hasLegalResource, None)} <= public
    # the text stays beside it, and reading the file back gives the same graph
    assert (rdflib.URIRef(base + "alkuhaastattelu"), rdflib.URIRef(rdf.POLKU + "legalBasis"),
            rdflib.Literal("Laki työvoimapalvelujen järjestämisestä 380/2023")) in data


def test_statute_numbers_in_a_legal_basis() -> None:
    assert rdf.finlex_statutes("Laki työvoimapalvelujen järjestämisestä 380/2023") == [
        "http://data.finlex.fi/eli/sd/2023/380"]
    assert rdf.finlex_statutes("Terveydenhuoltolaki 1326/2010, 29 §; Mielenterveyslaki "
                               "(1116/1990)") == ["http://data.finlex.fi/eli/sd/1990/1116",
                                                  "http://data.finlex.fi/eli/sd/2010/1326"]
    # no number, a date, a year too early or late, a zero: no statute
    assert rdf.finlex_statutes("Laki Työkanava Oy -nimisestä osakeyhtiöstä (voimaan "
                               "1.7.2022)") == []
    assert rdf.finlex_statutes("12/1650 0/2020 5/2200 dnro 2023/380/12") == []


# -- who takes part: cv:Participation, CPSV-AP 3.2.0's way -----------------------------------

FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
SKOS = rdflib.SKOS
DCT = rdflib.DCTERMS
ROLE_SCHEME = rdflib.URIRef("https://w3id.org/polku/role")
ONTOLOGY = ROOT / "src" / "polku" / "ontology" / "polku.ttl"
SECOND = Path(__file__).parent / "data" / "keski-suomi"


def who_takes_part(g, base: str, service: str) -> set[tuple[str, str]]:
    """(participant IRI, role) as polku's graph says them: its providers and every
    responsibility on the service."""
    out = set()
    for u, _, d in g.in_edges(service, data=True):
        if d["kind"] == "provides":
            out.add((rdf.node_iri(base, u), "provider"))
        elif d["kind"] == "responsibility":
            out.add((rdf.node_iri(base, u), d["role"]))
    return out


@pytest.mark.parametrize("region", ["keski-uusimaa", "merged"])
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_providers_and_responsibilities_are_participations(
        shapes: rdflib.Graph, tmp_path: Path, region: str, suffix: str) -> None:
    """CPSV-AP 3.2.0 has no cpsv:provides: a profile-strict consumer found no provider and
    no participant. Every organisation that provides a public service, or holds a role on
    it, is now a cv:Participation of it: its participant (a foaf:Agent), its role (a
    concept of polku's scheme of participation roles, labelled fi/sv/en as the ontology
    labels it), one dct:identifier and a description, with zero violations."""
    source = ROOT / "graphs" / "keski-uusimaa"
    if region == "merged":
        source = tmp_path / "national.ttl"
        assert run("merge", ROOT / "graphs" / "keski-uusimaa", SECOND, "-o", source
                   ).exit_code == 0
    out = tmp_path / f"c{suffix}"
    result = run("export", source, "--to", "cpsv-ap", "-o", out)
    assert result.exit_code == 0, result.output
    data = rdflib.Graph().parse(out, format="json-ld" if suffix == ".jsonld" else "turtle")
    assert violations(data, shapes) == []
    g = load_graph(source)
    base = rdf.base_iri(g.graph["name"])
    ontology = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    services = sorted(data.subjects(rdflib.RDF.type, CPSV.PublicService))
    roles_used = set()
    for s in services:
        node = str(data.value(s, DCT.identifier))
        said = set()
        for p in data.objects(s, CV.hasParticipation):
            assert (p, rdflib.RDF.type, CV.Participation) in data
            (who,) = list(data.objects(p, CV.hasParticipant))
            (role,) = list(data.objects(p, CV.role))
            assert (who, rdflib.RDF.type, FOAF.Agent) in data
            assert len(list(data.objects(p, DCT.identifier))) == 1
            assert {d.language for d in data.objects(p, DCT.description)} == {"fi", "sv", "en"}
            assert (role, SKOS.inScheme, ROLE_SCHEME) in data
            labels = set(data.objects(role, SKOS.prefLabel))
            assert labels == set(ontology.objects(role, SKOS.prefLabel)) and len(labels) == 3
            roles_used.add(str(role))
            said.add((str(who), str(role).rsplit("/", 1)[-1]))
        assert said == who_takes_part(g, base, node), node
        assert said, node  # every public service has someone taking part
    assert {"https://w3id.org/polku/role/provider",
            "https://w3id.org/polku/role/lead"} <= roles_used
    provider = rdflib.URIRef("https://w3id.org/polku/role/provider")
    assert {(str(o), o.language) for o in data.objects(provider, SKOS.prefLabel)} == {
        ("tuottaja", "fi"), ("producent", "sv"), ("provider", "en")}
    # an organisation that is not public provides a public service: a participant too
    training = rdflib.URIRef(rdf.node_iri(base, next(
        n for n in g if n.rsplit("/", 1)[-1] == "tyovoimakoulutus")))
    hyria = rdf.node_iri(base, next(n for n in g if n.rsplit("/", 1)[-1] == "hyria"))
    assert any(str(data.value(p, CV.hasParticipant)) == hyria
               and str(data.value(p, CV.role)) == str(provider)
               for p in data.objects(training, CV.hasParticipation))
    assert (rdflib.URIRef(hyria), rdflib.RDF.type, CV.PublicOrganisation) not in data
    # polku's own facts stay beside: cpsv:provides too, for what read CPSV-AP before 3.0
    assert (rdflib.URIRef(hyria), CPSV.provides, training) in data


def test_participations_are_the_same_bytes_every_run(tmp_path: Path) -> None:
    for n in (1, 2):
        for suffix in (".ttl", ".jsonld"):
            assert run("export", ROOT / "graphs" / "keski-uusimaa", "--to", "cpsv-ap", "-o",
                       tmp_path / f"{n}{suffix}").exit_code == 0
    for suffix in (".ttl", ".jsonld"):
        text = (tmp_path / f"1{suffix}").read_bytes()
        assert b"hasParticipation" in text and text == (tmp_path / f"2{suffix}").read_bytes()


def test_a_list_of_municipalities_is_each_municipality_not_the_country(
        shapes: rdflib.Graph, tmp_path: Path) -> None:
    """A national graph's regional bodies keep their own areas: an employment area whose
    region is a list of municipalities is placed in each of them (Statistics Finland's
    codes), not in Finland as a whole; an area polku does not know is said in a note and
    left out, not replaced by the country."""
    import shutil

    work = tmp_path / "keski-suomi"
    shutil.copytree(ROOT / "graphs" / "keski-suomi", work)
    actors = work / "actors.csv"
    text = actors.read_text(encoding="utf-8")
    assert "Jyväskylä; Muurame" in text
    actors.write_text(text.replace("Jyväskylä; Muurame", "Jyväskylä; Kirkonkylä"),
                      encoding="utf-8")
    assert run("merge", ROOT / "graphs" / "keski-uusimaa", work,
               "-o", tmp_path / "nat.ttl").exit_code == 0
    result = run("export", tmp_path / "nat.ttl", "--to", "cpsv-ap", "-o", tmp_path / "n.ttl")
    assert result.exit_code == 0, result.output
    data = rdflib.Graph().parse(tmp_path / "n.ttl", format="turtle")
    assert violations(data, shapes) == []
    spatial = rdflib.URIRef("http://purl.org/dc/terms/spatial")

    def codes(actor: str) -> set[str]:
        return {str(o).rsplit("/", 1)[-1] for o in data.objects(rdflib.URIRef(
            "https://w3id.org/polku/id/keski-suomi/" + actor), spatial)}

    # Jämsä; Joutsa; Keuruu; Luhanka; Multia; Mänttä-Vilppula; Petäjävesi; Toivakka
    assert codes("tyollisyysalue-etela") == {"182", "172", "249", "435", "495", "508", "592",
                                             "850"}
    assert len(codes("tyollisyysalue-pohjoinen")) == 13 and "FIN" not in codes(
        "tyollisyysalue-pohjoinen")
    assert codes("tyollisyysalue-jkl") == {"179"}  # Kirkonkylä is no municipality
    assert "names an area polku does not know: Kirkonkylä" in result.output
    assert codes("kela") == set()  # the national body is merged under national/
    labels = {str(o) for o in data.objects(rdflib.URIRef(
        "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/508"), rdflib.SKOS.prefLabel)}
    assert labels == {"Mänttä-Vilppula"}


def test_the_concept_schemes_are_titled_in_every_language(tmp_path: Path) -> None:
    """The graph's segments, needs and work-ability factors are concept schemes; each is
    titled in Finnish, Swedish and English as every other title is, and the segments are
    *asiakasryhmät*, the word polku uses everywhere else."""
    out = tmp_path / "ku.ttl"
    assert run("export", ROOT / "graphs" / "keski-uusimaa", "--to", "cpsv-ap", "-o", out
               ).exit_code == 0
    data = rdflib.Graph().parse(out, format="turtle")
    base = "https://w3id.org/polku/id/keski-uusimaa/"
    titles = {scheme: {t.language: str(t) for t in data.objects(rdflib.URIRef(base + scheme),
                                                                 rdflib.DCTERMS.title)}
              for scheme in ("segments", "needs", "factors")}
    assert titles == {
        "segments": {"fi": "Asiakasryhmät", "sv": "Kundgrupper", "en": "Client segments"},
        "needs": {"fi": "Tarpeet", "sv": "Behov", "en": "Needs"},
        "factors": {"fi": "Työkykytekijät", "sv": "Arbetsförmågefaktorer",
                    "en": "Work-ability factors"}}
