"""Standard data in: PTV open-API v11 JSON (`polku ptv import`, real fixtures with their
provenance in tests/fixtures/ptv/) and other publishers' CPSV-AP (`polku import`)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
import rdflib

from helpers import run
from polku.graph import title
from polku.io.load import load_graph

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

FIXTURES = Path(__file__).parent / "fixtures"
PTV = FIXTURES / "ptv"
NETTILUKIO = PTV / "v11_service_nettilukio_mikkeli_otavia.json"
LIPERI = PTV / "v11_services_by_id_liperi_yksilollistetty_oppimaara.json"
CHANNEL = PTV / "v11_servicechannel_servicelocation_otava.json"
CODELIST = PTV / "codelist_ptvkohderyhmat_TargetGroups.json"
LAUKAA = FIXTURES / "cpsv-ap" / "laukaa-services.ttl"
SHAPES = Path(__file__).parent / "standards" / "cpsv-ap-3.2.0-SHACL.ttl"


def conforms(path: Path) -> bool:
    fmt = "json-ld" if path.suffix == ".jsonld" else "turtle"
    ok, _, text = pyshacl.validate(rdflib.Graph().parse(path, format=fmt),
                                   shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    return ok


# -- PTV ------------------------------------------------------------------------------------------

def test_ptv_fixtures_become_a_valid_workbook(tmp_path: Path) -> None:
    out = tmp_path / "alue"
    result = run("ptv", "import", NETTILUKIO, LIPERI, CHANNEL, "-o", out, "--name", "ptv-testi")
    assert result.exit_code == 0, result.output
    assert "2 services, 3 organisations" in result.output
    assert "service channel (ServiceLocation) 'Otavan Opisto / Otavia'" in result.output
    assert "no place in polku's graph: v11_service_nettilukio_mikkeli_otavia.json: " \
           "serviceChannels (1 service)" in result.output
    assert run("validate", out).exit_code == 0
    g = load_graph(out)
    assert g.graph["name"] == "ptv-testi" and g.graph["illustrative"] is False
    # titled in the three languages a reader may choose
    assert [title(g, lang) for lang in ("fi", "sv", "en")] == [
        "PTV-palvelukuvaukset", "PTV-tjänstebeskrivningar", "PTV service descriptions"]
    s = g.nodes["nettilukio-aikuisille"]
    assert s["name"] == "Nettilukio aikuisille" and s["description"].startswith("Nettilukiossa")
    assert s["extra"]["ptv_id"] == "3668d250-cd80-45c4-abcc-9b2d3a2b3e42"
    assert s["extra"]["target_groups"] == "KR1 Kansalaiset"
    assert "P6.8 Lukiokoulutus" in s["extra"]["service_classes"]
    assert s["extra"]["area"] == "koko maa"
    liperi = g.nodes["yksilollistetty-oppimaara"]["extra"]
    assert liperi["area"] == "Liperi (426); Tohmajärvi (123)"
    assert liperi["target_groups"] == "KR1.2 Lapset ja lapsiperheet; KR1 Kansalaiset"
    # roles: Responsible -> lead, Producer -> provider, OtherResponsible -> participant
    otavia, mikkeli = "mikkelin-kaupungin-liikelaitos-otavia", "mikkelin-kaupunki"
    assert g.has_edge(otavia, "nettilukio-aikuisille", "responsibility:lead")
    assert g.has_edge(mikkeli, "nettilukio-aikuisille", "responsibility:participant")
    assert g.has_edge(otavia, "nettilukio-aikuisille", "provides")
    assert g.has_edge(mikkeli, "nettilukio-aikuisille", "provides")
    assert g.nodes["liperin-kunta"]["kind"] == "municipality"
    # what CPSV-AP export makes of it conforms
    assert run("export", out, "--to", "cpsv-ap", "-o", tmp_path / "c.ttl").exit_code == 0
    assert conforms(tmp_path / "c.ttl")


def test_ptv_names_languages_and_legislation(tmp_path: Path) -> None:
    data = json.loads(NETTILUKIO.read_text(encoding="utf-8"))
    data["serviceNames"] += [{"language": "sv", "value": "Nätgymnasium", "type": "Name"},
                             {"language": "en", "value": "Online upper secondary", "type": "Name"}]
    data["legislation"] = [{"names": [{"language": "fi", "value": "Lukiolaki 714/2018"}],
                            "webPages": []}]
    (tmp_path / "s.json").write_text(json.dumps({"itemList": [data]}), encoding="utf-8")
    assert run("ptv", "import", tmp_path / "s.json", "-o", tmp_path / "w.xlsx").exit_code == 0
    s = load_graph(tmp_path / "w.xlsx").nodes["nettilukio-aikuisille"]
    assert (s["name_sv"], s["name_en"]) == ("Nätgymnasium", "Online upper secondary")
    assert s["legal_basis"] == "Lukiolaki 714/2018"


@pytest.mark.parametrize("files, said", [
    ([CODELIST], "not PTV service JSON"),
    ([CHANNEL], "no PTV service"),
])
def test_ptv_files_that_are_not_services(tmp_path: Path, files: list[Path], said: str) -> None:
    result = run("ptv", "import", *files, "-o", tmp_path / "w")
    assert result.exit_code == 1 and said in result.output
    assert not (tmp_path / "w").exists()


def test_ptv_bad_input(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    result = run("ptv", "import", tmp_path / "x.json", "-o", tmp_path / "w")
    assert result.exit_code == 1 and "not JSON" in result.output and "x.json" in result.output
    data = json.loads(LIPERI.read_text(encoding="utf-8"))
    svc = next(iter(data.values()))
    svc["serviceDescriptions"][0]["value"] = "Yhteyshenkilö 131052-308T"
    (tmp_path / "h.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("ptv", "import", tmp_path / "h.json", "-o", tmp_path / "w")
    assert result.exit_code == 1 and "henkilötunnus" in result.output
    assert "serviceDescriptions[0].value" in result.output and "131052-308T" not in result.output
    assert not (tmp_path / "w").exists()
    assert run("ptv", "import", LIPERI, "-o", tmp_path / "w", "--name", "Bad Name").exit_code == 1


# -- PTV organisations and older versions -------------------------------------------------------

NAANTALI_V11 = PTV / "v11_organization_naantali_from_v9.json"
VAASA_V9 = PTV / "v9_organization_vaasa.json"
MIKKELI_V7 = PTV / "v7_organization_mikkeli.json"
ETSIVA_V9 = PTV / "v9_service_etsiva_nuorisotyo_naantali.json"
ESIOPETUS_V9 = PTV / "v9_service_esiopetuksen_oppilashuolto_naantali.json"
PERUSOPETUS_V9 = PTV / "v9_service_perusopetus_vaasa.json"


def test_ptv_organisations_become_actors_and_services_link_up(tmp_path: Path) -> None:
    out = tmp_path / "alue"
    result = run("ptv", "import", NAANTALI_V11, VAASA_V9, ETSIVA_V9, ESIOPETUS_V9,
                 PERUSOPETUS_V9, "-o", out, "--name", "ptv-org")
    assert result.exit_code == 0, result.output
    assert "3 services, 2 organisations" in result.output
    # older shapes are recognised and named; the v11 record is not
    assert "v9_organization_vaasa.json: organisation 'Vaasan kaupunki' has the shape of " \
           "PTV open API v8–v9" in result.output
    assert "service 'Etsivä nuorisotyö' has the shape of PTV open API v10 or older" in result.output
    assert "Naantalin kaupunki' has the shape" not in result.output
    assert "no place in polku's graph: v9_organization_vaasa.json: addresses (1 organisation)" \
        in result.output
    assert run("validate", out).exit_code == 0
    g = load_graph(out)
    naantali = g.nodes["naantalin-kaupunki"]
    assert naantali["business_id"] == "0135457-2" and naantali["kind"] == "municipality"
    assert naantali["region"] == "Naantali"
    assert naantali["extra"]["ptv_id"] == "3d1759a2-e47a-4947-9a31-cab1c1e2512b"
    vaasa = g.nodes["vaasan-kaupunki"]
    assert (vaasa["name"], vaasa["name_sv"], vaasa["name_en"]) == (
        "Vaasan kaupunki", "Vasa stad", "City of Vaasa")
    assert vaasa["business_id"] == "0209602-6"
    # the services link to the organisation records' actors: lead and provider
    for service in ("etsiva-nuorisotyo", "esiopetuksen-oppilashuolto"):
        assert g.has_edge("naantalin-kaupunki", service, "responsibility:lead")
        assert g.has_edge("naantalin-kaupunki", service, "provides")
    assert g.has_edge("vaasan-kaupunki", "perusopetus", "responsibility:lead")
    assert sorted(n for n, d in g.nodes(data=True) if d["type"] == "actor") == [
        "naantalin-kaupunki", "vaasan-kaupunki"]  # one actor per organisation
    assert run("export", out, "--to", "cpsv-ap", "-o", tmp_path / "c.ttl").exit_code == 0
    assert conforms(tmp_path / "c.ttl")


def test_ptv_organisation_record_links_its_services_alone(tmp_path: Path) -> None:
    """An organisation record's own service list links services whose records do not name
    it (here: the service record's organisations removed)."""
    data = json.loads(ETSIVA_V9.read_text(encoding="utf-8"))
    data["organizations"] = []
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("ptv", "import", NAANTALI_V11, tmp_path / "s.json", "-o", tmp_path / "w")
    assert result.exit_code == 0, result.output
    assert "Naantalin kaupunki lists services that are not in the files read (9)" in result.output
    g = load_graph(tmp_path / "w")
    assert g.has_edge("naantalin-kaupunki", "etsiva-nuorisotyo", "responsibility:lead")


def test_ptv_older_organisation_versions(tmp_path: Path) -> None:
    result = run("ptv", "import", MIKKELI_V7, "-o", tmp_path / "w")
    assert result.exit_code == 0, result.output
    assert "organisation 'Mikkelin kaupunki' has the shape of PTV open API v7 or older" \
        in result.output
    assert "0 services, 1 organisation (add" in result.output
    a = load_graph(tmp_path / "w").nodes["mikkelin-kaupunki"]
    assert a["business_id"] == "0165116-3" and a["region"] == "Mikkeli"
    assert a["extra"]["alternate_names"] == "fi: Mikkeli"


def test_ptv_organisation_version_unreadable(tmp_path: Path) -> None:
    data = json.loads(VAASA_V9.read_text(encoding="utf-8"))
    data["names"] = data.pop("organizationNames")  # a shape no API version has
    (tmp_path / "o.json").write_text(json.dumps({"itemList": [data]}), encoding="utf-8")
    result = run("ptv", "import", ETSIVA_V9, tmp_path / "o.json", "-o", tmp_path / "w")
    assert result.exit_code == 1
    assert "o.json" in result.output and "version cannot be read" in result.output
    assert "no 'organizationNames'" in result.output
    assert not (tmp_path / "w").exists()
    data = json.loads(VAASA_V9.read_text(encoding="utf-8"))
    del data["id"]
    (tmp_path / "o.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("ptv", "import", tmp_path / "o.json", "-o", tmp_path / "w")
    assert result.exit_code == 1 and "no 'id'" in result.output


# -- CPSV-AP from other publishers ---------------------------------------------------------------

def test_cpsv_ap_services_come_with_their_organisations(tmp_path: Path) -> None:
    result = run("import", LAUKAA, "-o", tmp_path / "wb")
    assert result.exit_code == 0, result.output
    assert "no place in polku's graph: cv:hasChannel (1 triple)" in result.output
    assert "no place in polku's graph: dct:language (1 triple)" in result.output
    g = load_graph(tmp_path / "wb")
    assert g.has_edge("laukaan-kunta", "etsiva-nuorisotyo", "responsibility:lead")
    assert g.has_edge("laukaan-kunta", "etsiva-nuorisotyo", "provides")
    assert g.nodes["laukaan-kunta"]["kind"] == "municipality"
    assert g.nodes["laukaan-kunta"]["region"] == "Laukaa"
    assert g.nodes["etsiva-nuorisotyo"]["legal_basis"] == "Nuorisolaki 1285/2016"
    assert g.nodes["etsiva-nuorisotyo"]["name_en"] == "Outreach youth work"
    assert g.has_edge("etsiva-nuorisotyo", "nuoret-alle-29-v", "for_segment")
    assert g.nodes["nuoret-alle-29-v"]["type"] == "segment"
    k = g.nodes["kuntouttava-tyotoiminta"]
    assert k["extra"]["identifier"] == "KT 2024/17"  # the publisher's id, kept
    assert g.has_edge("keski-suomen-hyvinvointialue", "kuntouttava-tyotoiminta", "provides")
    assert run("import", LAUKAA, "-o", tmp_path / "g.ttl").exit_code == 0
    assert run("export", tmp_path / "g.ttl", "--to", "cpsv-ap", "-o", tmp_path / "c.jsonld").exit_code == 0
    assert conforms(tmp_path / "c.jsonld")


def test_polkus_own_cpsv_ap_comes_back_without_polku(tmp_path: Path) -> None:
    """The example region published as CPSV-AP, with every polku: triple stripped, as
    another publisher would hold it: services come back with their authorities."""
    run("export", Path(__file__).parents[1] / "graphs" / "keski-uusimaa.ttl", "--to",
        "cpsv-ap", "-o", tmp_path / "c.ttl")
    data = rdflib.Graph().parse(tmp_path / "c.ttl")
    polku = "https://w3id.org/polku/"
    plain = rdflib.Graph()
    for s, p, o in data:
        if not any(str(t).startswith(polku + "ontology") or str(t).startswith(polku + "extra")
                   for t in (p, o)):
            plain.add((s, p, o))
    plain.serialize(tmp_path / "other.ttl", format="turtle")
    result = run("import", tmp_path / "other.ttl", "-o", tmp_path / "back.ttl", "--name", "muu")
    assert result.exit_code == 0, result.output
    back = load_graph(tmp_path / "back.ttl")
    public = set(data.subjects(rdflib.RDF.type, rdflib.URIRef("http://purl.org/vocab/cpsv#PublicService")))
    services = [n for n, d in back.nodes(data=True) if d["type"] == "service"]
    assert len(services) == len(public)
    for s in services:
        assert any(d.get("role") == "lead" for *_, d in back.in_edges(s, data=True)), s
    assert back.nodes["kela"]["type"] == "actor"


def test_cpsv_ap_bad_input(tmp_path: Path) -> None:
    (tmp_path / "none.ttl").write_text(
        '<https://e.org/o> a <http://data.europa.eu/m8g/PublicOrganisation> .\n', encoding="utf-8")
    result = run("import", tmp_path / "none.ttl", "-o", tmp_path / "o.ttl")
    assert result.exit_code == 1 and "no cpsv:PublicService" in result.output
    result = run("import", Path(__file__).parents[1] / "graphs" / "keski-uusimaa.ttl", "-o",
                 tmp_path / "o.ttl")
    assert result.exit_code == 1 and "already a polku graph" in result.output
    # and says how to make the workbook one may have wanted
    assert "polku export " in result.output and "--to xlsx -o keski-uusimaa.xlsx" in result.output
    shutil.copy(LAUKAA, tmp_path / "h.ttl")
    text = (tmp_path / "h.ttl").read_text(encoding="utf-8").replace(
        "Arjen taitojen", "Asiakas 131052-308T: arjen taitojen")
    (tmp_path / "h.ttl").write_text(text, encoding="utf-8")
    result = run("import", tmp_path / "h.ttl", "-o", tmp_path / "o.ttl")
    assert result.exit_code == 1 and "henkilötunnus" in result.output
    assert not (tmp_path / "o.ttl").exists()


def test_importing_a_merged_graphs_cpsv_ap_says_what_can_be_done_with_it(
        tmp_path: Path) -> None:
    """Found by a national developer: importing the CPSV-AP export of a merged graph said to
    make a workbook of it with `polku export … --to xlsx`, which then failed (a merged graph
    is no workbook). It says what can be done instead, and that works."""
    import re

    from helpers import EXAMPLE, copy_pohjois_karjala

    second = copy_pohjois_karjala(tmp_path / "pohjois-karjala")
    assert run("merge", EXAMPLE, second, "-o", tmp_path / "national.ttl").exit_code == 0
    (tmp_path / "ex").mkdir()
    exported = tmp_path / "ex" / "n-cpsv.ttl"
    done = run("export", tmp_path / "national.ttl", "--to", "cpsv-ap", "-o", exported)
    assert done.exit_code == 0, done.output
    result = run("import", exported, "-o", tmp_path / "back.ttl")
    assert result.exit_code == 1 and "already a polku graph" in result.output
    assert "--to xlsx" not in result.output, result.output
    assert "a merged national graph" in result.output
    assert "each region's workbook comes from that region's own graph" in result.output
    assert not (tmp_path / "back.ttl").exists()
    # what it names can be done
    named = re.search(r"polku (findings [^\s)]+)", result.output)
    assert named and named.group(1) == f"findings {exported}"
    assert run(*named.group(1).split()).exit_code == 0
    fi = run("import", exported, "-o", tmp_path / "back.ttl", "--lang", "fi").output
    assert "yhdistetty valtakunnallinen aineisto" in fi and "--to xlsx" not in fi


def test_a_code_in_an_address_or_a_field_name_is_refused_too(tmp_path: Path) -> None:
    """Only the literals of RDF and the values of PTV JSON were screened: a CPSV-AP service
    whose address ends in an identity code and has no name became a node named after it
    (and the note '<https://…/131052-308T> has no name' printed it), and a PTV field named
    with a code was listed as a field with no place in the graph."""
    shutil.copy(LAUKAA, tmp_path / "h.ttl")
    text = (tmp_path / "h.ttl").read_text(encoding="utf-8") + (
        "\n<https://example.org/asiakkaat/131052-308T> a cpsv:PublicService ;\n"
        "    cv:hasCompetentAuthority ex:kunta .\n")
    (tmp_path / "h.ttl").write_text(text, encoding="utf-8")
    result = run("import", tmp_path / "h.ttl", "-o", tmp_path / "o.ttl")
    assert result.exit_code == 1 and "henkilötunnus" in result.output, result.output
    assert "131052-308T" not in result.output and not (tmp_path / "o.ttl").exists()
    data = json.loads(LIPERI.read_text(encoding="utf-8"))
    next(iter(data.values()))["asiakas 131052-308T"] = "x"
    (tmp_path / "k.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("ptv", "import", tmp_path / "k.json", "-o", tmp_path / "w")
    assert result.exit_code == 1 and "henkilötunnus" in result.output, result.output
    assert "131052-308T" not in result.output and not (tmp_path / "w").exists()


# -- the official CPSV-AP example, in without loss --------------------------------------------

EXAMPLE = Path(__file__).parent / "standards" / "cpsv-ap-3.2.0-example-public-service.ttl"
EX = "http://example.com/"
TIME = "http://www.w3.org/2006/time#"
#: what the official example holds that polku's graph has no place for, per property
EXAMPLE_LISTED = {
    "cpsv:hasInput": 1, "cv:contactPoint": 1, "cv:hasChannel": 1, "cv:hasInputType": 1,
    "cv:evidenceTypeClassification": 1, "cv:frequency": 2, "cv:hasSupportingEvidence": 1,
    "cv:holdsRequirement": 1, "cv:openingHours": 1, "cv:specialOpeningHoursSpecification": 1,
    "cv:supportsRequirement": 1, "cv:telephone": 1, "dct:conformsTo": 1,
    "dct:description": 3, "dct:identifier": 4, "dct:title": 2, "dct:type": 2, "rdf:type": 15,
    f"<{TIME}dayOfWeek>": 2, f"<{TIME}hasBeginning>": 2, f"<{TIME}hasEnd>": 2,
    f"<{TIME}hour>": 2, f"<{TIME}inDateTime>": 4, f"<{TIME}minute>": 2,
    f"<{TIME}unitType>": 2,
}


def tags(g: rdflib.Graph, s: rdflib.URIRef) -> set[tuple[str, str, str | None]]:
    return {(str(p), str(o), o.language) for p, o in g.predicate_objects(s)
            if isinstance(o, rdflib.Literal) and o.language}


def test_official_cpsv_ap_example_every_triple_kept_or_listed(tmp_path: Path) -> None:
    """The official CPSV-AP 3.2.0 example (SEMIC, tests/standards/): every triple is either
    kept (found again in the export, with its language tag) or listed as having no place,
    never both, nothing else."""
    from polku.io.cpsvap import read_cpsv_ap
    from polku.io.rdf import Lit, from_rdflib_triples

    def plain(t: tuple) -> tuple:  # blank nodes differ from one parse to the next
        return tuple("_:b" if isinstance(x, str) and not x.startswith("http") else x
                     for x in t)

    source = rdflib.Graph().parse(EXAMPLE)
    everything = Counter(plain(t) for t in from_rdflib_triples(source))
    result = read_cpsv_ap(EXAMPLE)
    listed = Counter(plain(t) for t in result.unplaced_triples)
    assert sum(everything.values()) == len(source) and not listed - everything
    assert result.unplaced == EXAMPLE_LISTED
    kept = everything - listed
    assert all(n == 1 for n in kept.values()) and not any("_:b" in t for t in kept)
    service, org = EX + "publicService1", EX + "publicOrganisation1"
    assert {s for s, _, _ in kept} == {service, org}

    out = run("import", EXAMPLE, "-o", tmp_path / "wb")
    assert out.exit_code == 0, out.output
    assert "no place in polku's graph: cv:contactPoint (1 triple)" in out.output
    assert run("export", tmp_path / "wb", "--to", "cpsv-ap", "-o", tmp_path / "c.ttl").exit_code == 0
    back = rdflib.Graph().parse(tmp_path / "c.ttl")
    base = "https://w3id.org/polku/id/cpsv-ap-3-2-0-example-public-service/"
    rename = {service: base + "tax-on-web", org: base + "federal-public-service-finance"}

    def term(x: object) -> rdflib.term.Node:
        if isinstance(x, Lit):
            return rdflib.Literal(x.value, lang=x.lang,
                                  datatype=rdflib.URIRef(x.datatype) if x.datatype else None)
        return rdflib.URIRef(rename.get(str(x), str(x)))

    for s, p, o in kept:
        if p == "http://purl.org/dc/terms/identifier":  # the publisher's id, as an extra
            assert (term(s), rdflib.URIRef("https://w3id.org/polku/extra#identifier"),
                    rdflib.Literal(o.value)) in back
        else:
            assert (term(s), rdflib.URIRef(p), term(o)) in back, (s, p, o)
    for s, p, o in listed:
        assert (term(s), rdflib.URIRef(p), term(o)) not in back, (s, p, o)
    # every language tag as it was: the English title is not relabelled Finnish, the French,
    # Dutch and German labels are there, Belgium is not Finland
    for s in (service, org):
        assert tags(source, rdflib.URIRef(s)) <= tags(back, rdflib.URIRef(rename[s]))
    # (polku's own texts are in its three languages: the participations it describes, the
    # labels of its participation roles; nothing else gains a Finnish text)
    own = (base + "participation/", "https://w3id.org/polku/role")
    assert not any(o.language == "fi" for s, o in back.subject_objects()
                   if isinstance(o, rdflib.Literal) and o.language
                   and not str(s).startswith(own))
    assert {str(o) for o in back.objects(None, rdflib.URIRef(
        "http://data.europa.eu/m8g/hasParticipant"))} == {rename[org]}
    spatial = set(back.objects(rdflib.URIRef(rename[org]),
                               rdflib.URIRef("http://purl.org/dc/terms/spatial")))
    assert spatial == {rdflib.URIRef("http://publications.europa.eu/resource/authority/atu/BEL")}
    # and polku's own RDF reads it back as it was written
    g = load_graph(tmp_path / "wb")
    again = load_graph(tmp_path / "c.ttl")
    for node in g:
        assert again.nodes[node] == g.nodes[node], node
    assert g.nodes["tax-on-web"]["name"] == "Tax-on-web"
    assert g.nodes["tax-on-web"]["extra"]["name_lang"] == "en"
    assert g.nodes["federal-public-service-finance"]["extra"]["name@de"] == \
        "Foderaler Offentlicher Dienst FINANZEN"
    assert "name_en" not in g.nodes["federal-public-service-finance"]


@pytest.mark.parametrize("fixture", ["v11_service_nettilukio_mikkeli_otavia.json",
                                     "v9_organization_vaasa.json",
                                     "v11_servicechannel_servicelocation_otava.json"])
def test_polku_import_of_ptv_json_names_the_ptv_command(tmp_path, fixture):
    """`.json` is JSON-LD to `polku import` (CPSV-AP); PTV's own JSON given there gets one
    line naming the file and the command that reads it, not "no cpsv:PublicService"."""
    source = Path(__file__).parent / "fixtures" / "ptv" / fixture
    out = tmp_path / "x.ttl"
    r = run("import", source, "-o", out)
    assert r.exit_code == 1
    assert r.output.strip() == (f"error: {source}: this is PTV JSON, not CPSV-AP: import it "
                                f"with polku ptv import {source} -o {out}")
    assert not out.exists()


# -- participations (CPSV-AP 3.2.0) in ---------------------------------------------------------

CPSV_PROVIDES = rdflib.URIRef("http://purl.org/vocab/cpsv#provides")


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_a_profile_strict_copy_comes_back_with_every_provider(tmp_path: Path,
                                                              suffix: str) -> None:
    """The example region published as CPSV-AP and held by a profile-strict publisher: no
    polku vocabulary and no cpsv:provides (CPSV-AP 3.2.0 has none). Who provides each
    public service, and who holds which role on it, comes back from its participations;
    before, every provider but the competent authority was lost."""
    example = Path(__file__).parents[1] / "graphs" / "keski-uusimaa"
    assert run("export", example, "--to", "cpsv-ap", "-o", tmp_path / f"c{suffix}"
               ).exit_code == 0
    fmt = "json-ld" if suffix == ".jsonld" else "turtle"
    data = rdflib.Graph().parse(tmp_path / f"c{suffix}", format=fmt)
    polku = "https://w3id.org/polku/"
    strict = rdflib.Graph()
    for s, p, o in data:
        if p != CPSV_PROVIDES and not any(str(t).startswith((polku + "ontology", polku + "extra"))
                                          for t in (p, o)):
            strict.add((s, p, o))
    strict.serialize(tmp_path / f"strict{suffix}", format=fmt)
    result = run("import", tmp_path / f"strict{suffix}", "-o", tmp_path / "back.ttl")
    assert result.exit_code == 0, result.output
    assert "no provider is named" not in result.output
    assert "participation" not in result.output  # each one read, its id and text placed
    g, back = load_graph(example), load_graph(tmp_path / "back.ttl")
    services = [n for n, d in back.nodes(data=True) if d["type"] == "service"]
    assert len(services) == len(set(data.subjects(rdflib.RDF.type, rdflib.URIRef(
        "http://purl.org/vocab/cpsv#PublicService"))))

    def taking_part(graph, service: str) -> set[tuple[str, str]]:
        return {(u, d.get("role", d["kind"])) for u, _, d in graph.in_edges(service, data=True)
                if d["kind"] in ("provides", "responsibility")}

    authority = rdflib.URIRef("http://data.europa.eu/m8g/hasCompetentAuthority")
    base = "https://w3id.org/polku/id/keski-uusimaa/"
    for s in services:
        was, now = taking_part(g, s), taking_part(back, s)
        assert {x for x in now if x[1] == "provides"} == {x for x in was if x[1] == "provides"}
        # every role comes back; a competent authority is read as a lead, as ever (polku
        # names the public provider so when nobody leads)
        authorities = {(str(a)[len(base):], "lead")
                       for a in data.objects(rdflib.URIRef(base + s), authority)}
        assert was <= now <= was | authorities, s
    assert ("hyria", "provides") in taking_part(back, "tyovoimakoulutus")


PARTICIPATIONS = """@prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix cv: <http://data.europa.eu/m8g/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .

ex:s a cpsv:PublicService ; dct:identifier "s" ; dct:title "Työpaja"@fi ;
    cv:hasCompetentAuthority ex:kunta ;
    cv:hasParticipation ex:p-good, ex:p-unknown, ex:p-nobody, ex:p-norole, ex:p-text .
ex:kunta a cv:PublicOrganisation ; dct:identifier "kunta" ; skos:prefLabel "Kunta"@fi .
ex:yhdistys dct:identifier "yhdistys" ; skos:prefLabel "Yhdistys ry"@fi .
ex:saatio dct:identifier "saatio" ; skos:prefLabel "Säätiö"@fi .
ex:p-good a cv:Participation ; dct:identifier "p1" ; cv:hasParticipant ex:yhdistys ;
    cv:role <https://w3id.org/polku/role/provider> ;
    dct:description "Yhdistys pyörittää työpajaa"@fi .
ex:p-unknown a cv:Participation ; cv:hasParticipant ex:saatio ;
    cv:role <https://example.org/roles/funder> .
ex:p-nobody a cv:Participation ; cv:role <https://w3id.org/polku/role/participant> .
ex:p-norole a cv:Participation ; cv:hasParticipant ex:saatio .
ex:p-text a cv:Participation ; cv:hasParticipant "Säätiö" ;
    cv:role <https://w3id.org/polku/role/participant> .
"""


def test_participations_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    """A participation in polku's provider role is a provider (and the competent authority
    is then not taken as the provider); one with a role polku does not know, no
    participant or no role is named in a note, and its triples are listed, not lost."""
    (tmp_path / "p.ttl").write_text(PARTICIPATIONS, encoding="utf-8")
    result = run("import", tmp_path / "p.ttl", "-o", tmp_path / "g.ttl")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    where = f"{tmp_path / 'p.ttl'}, node <https://example.org/"
    assert (f"{where}p-unknown>: a participation of Työpaja (s) has the role "
            "<https://example.org/roles/funder>, which polku does not know (its roles: "
            "consulted, informed, lead, participant, provider): that role is not read") in said
    assert (f"{where}p-nobody>: a participation of Työpaja (s) names no participant "
            "(cv:hasParticipant): it is not read") in said
    assert (f"{where}p-norole>: a participation of Työpaja (s) names no role (cv:role): "
            "it is not read") in said
    # a participant given as text is not "no participant": the note says what is wrong
    assert (f"{where}p-text>: a participation of Työpaja (s) names its participant as text "
            "('Säätiö'), not as an organisation (cv:hasParticipant takes an agent's "
            "address): it is not read") in said
    assert "no place in polku's graph: cv:hasParticipation (4 triples)" in said
    # the good one's own text is the publisher's, not polku's: listed as having no place
    assert "no place in polku's graph: dct:description (1 triple)" in said
    g = load_graph(tmp_path / "g.ttl")
    assert g.has_edge("yhdistys", "s", "provides") and not g.has_edge("kunta", "s", "provides")
    assert g.has_edge("kunta", "s", "responsibility:lead")
    assert "saatio" not in g


def test_a_strict_copy_keeps_each_units_parent_and_kind(tmp_path: Path) -> None:
    """The example region published as CPSV-AP and held by a publisher with no polku
    vocabulary at all (no polku: predicate or class, no cpsv:provides): a unit's parent is
    W3C ORG's org:subOrganizationOf, which polku writes, so it comes back; a unit whose own
    name says no kind takes its parent's (Keusote's units are the wellbeing county's, not
    the state's), and a legal form says the kind before any other word (an association,
    'ry', whose name holds 'keskus' is no state agency)."""
    example = Path(__file__).parents[1] / "graphs" / "keski-uusimaa"
    assert run("export", example, "--to", "cpsv-ap", "-o", tmp_path / "c.ttl").exit_code == 0
    data = rdflib.Graph().parse(tmp_path / "c.ttl", format="turtle")
    polku = "https://w3id.org/polku/"
    strict = rdflib.Graph()
    for s, p, o in data:
        if p == CPSV_PROVIDES or str(p).startswith((polku + "ontology", polku + "extra")):
            continue
        if p == rdflib.RDF.type and str(o).startswith(polku + "ontology"):
            continue
        strict.add((s, p, o))
    strict.serialize(tmp_path / "strict.ttl", format="turtle")
    result = run("import", tmp_path / "strict.ttl", "-o", tmp_path / "wb")
    assert result.exit_code == 0, result.output
    assert "org:subOrganizationOf" not in result.output
    g, back = load_graph(example), load_graph(tmp_path / "wb")

    def parent(graph, actor: str) -> str | None:
        return next((v for _, v, k in graph.out_edges(actor, data="kind") if k == "part_of"),
                    None)

    actors = [n for n, d in back.nodes(data=True) if d["type"] == "actor"]
    units = [a for a in actors if parent(g, a)]
    assert len(units) >= 9 and "keusote-tyokykytiimi" in units and "ohjaamo" in units
    for a in actors:
        assert parent(back, a) == parent(g, a), a
    for unit in units:  # each unit's kind is what the region says it is
        assert back.nodes[unit]["kind"] == g.nodes[unit]["kind"], unit
    assert back.nodes["uusyrityskeskus"]["kind"] == "third-sector"
    assert run("export", tmp_path / "wb", "--to", "cpsv-ap", "-o", tmp_path / "again.ttl"
               ).exit_code == 0
    again = rdflib.Graph().parse(tmp_path / "again.ttl", format="turtle")
    association = rdflib.URIRef(f"{polku}id/{back.graph['name']}/uusyrityskeskus")
    assert (association, rdflib.RDF.type,
            rdflib.URIRef("http://data.europa.eu/m8g/PublicOrganisation")) not in again


@pytest.mark.parametrize("name, public, kind", [
    ("Keski-Uudenmaan Uusyrityskeskus ry", False, "third-sector"),
    ("Keski-Uudenmaan Uusyrityskeskus ry", True, "third-sector"),
    ("Kuntoutuskeskus Oy", True, "other"),
    ("Kehittämiskeskus Oyj", None, "other"),
    ("Kuntoutuskeskus Abp", None, "other"),
    ("Stiftelsen Arbetscentralen sr", None, "third-sector"),
    ("Föreningen Sysselsättningscentralen rf", None, "third-sector"),
    ("Työllisyyskeskus r.y.", None, "third-sector"),
    ("Osuuskunta Työkeskus", None, "other"),
    ("Palvelukeskus osk", True, "other"),
    ("Hyria koulutus Oy", None, "education"),
    ("Takuusäätiö", None, "third-sector"),
    ("KEHA-keskus", True, "state"),
    ("Liperin kunta", None, "municipality"),
    ("Keusoten työkykytiimi", True, "state"),
])
def test_a_legal_form_decides_the_kind_before_other_words(name: str, public: bool | None,
                                                          kind: str) -> None:
    """The CPSV-AP and PTV imports guess an organisation's kind from its name: its legal
    form (an association's ry/rf, a foundation's säätiö/sr, a company's Oy/Oyj/Ab/osk)
    first; a company's own words may still say its field (education)."""
    from polku.io.naming import guess_kind

    assert guess_kind(name, public) == kind


def test_ptv_units_take_their_parents_kind_and_a_legal_form_decides(tmp_path: Path) -> None:
    """PTV's organisation types say a kind only for a municipality or the state: a unit of
    a municipality whose name says none is the municipality's, and an association ('ry')
    whose name holds 'keskus' is third sector, not a state agency."""
    parent = json.loads(NAANTALI_V11.read_text(encoding="utf-8"))
    unit = {**parent, "id": "0f3a8c1e-0000-4000-8000-000000000001", "businessCode": None,
            "organizationType": "Organization", "parentOrganizationId": parent["id"],
            "organizationNames": [{"language": "fi", "value": "Naantalin nuorisopalvelut",
                                   "type": "Name"}], "services": []}
    association = {**unit, "id": "0f3a8c1e-0000-4000-8000-000000000002",
                   "parentOrganizationId": None, "organizationNames": [
                       {"language": "fi", "value": "Naantalin Uusyrityskeskus ry",
                        "type": "Name"}]}
    (tmp_path / "o.json").write_text(json.dumps([unit, association]), encoding="utf-8")
    result = run("ptv", "import", NAANTALI_V11, tmp_path / "o.json", "-o", tmp_path / "w")
    assert result.exit_code == 0, result.output
    g = load_graph(tmp_path / "w")
    assert g.has_edge("naantalin-nuorisopalvelut", "naantalin-kaupunki", "part_of")
    assert g.nodes["naantalin-nuorisopalvelut"]["kind"] == "municipality"
    assert g.nodes["naantalin-uusyrityskeskus-ry"]["kind"] == "third-sector"
