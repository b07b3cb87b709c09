"""Standard data in: PTV open-API v11 JSON (`polku ptv import`, real fixtures with their
provenance in tests/fixtures/ptv/) and other publishers' CPSV-AP (`polku import`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyshacl
import pytest
import rdflib

from helpers import run
from polku.io.load import load_graph

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
    shutil.copy(LAUKAA, tmp_path / "h.ttl")
    text = (tmp_path / "h.ttl").read_text(encoding="utf-8").replace(
        "Arjen taitojen", "Asiakas 131052-308T: arjen taitojen")
    (tmp_path / "h.ttl").write_text(text, encoding="utf-8")
    result = run("import", tmp_path / "h.ttl", "-o", tmp_path / "o.ttl")
    assert result.exit_code == 1 and "henkilötunnus" in result.output
    assert not (tmp_path / "o.ttl").exists()
