"""Areas and regions in the reader's language: an area polku knows (Statistics Finland's
names of municipalities and regions, Keski-Uusimaa, koko maa) by its Swedish or English
name, the graph sheet's region_sv/region_en before it, anything else as written."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import EXAMPLE, ROOT, edit, run
from polku.app import create_app
from polku.io import area_classification as table
from polku.io.areas import MUNICIPALITIES, area_names, locations, unknown_areas
from polku.present.i18n import region_name as region
from polku.io.load import load_graph

SUOMI = ROOT / "graphs" / "keski-suomi"


def test_show_names_the_region_and_the_areas_served_in_swedish_and_english() -> None:
    sv = run("show", EXAMPLE, "--lang", "sv")
    assert sv.exit_code == 0, sv.output
    head, _, served = sv.output.splitlines()[:3]
    assert head.endswith("(Mellersta Nyland)") and "Keski-Uusimaa" not in head
    assert served.strip() == "serviceområden: hela landet, Nyland"
    en = run("show", EXAMPLE, "--lang", "en")
    head, _, served = en.output.splitlines()[:3]
    assert head.endswith("(Central Uusimaa)")
    assert served.strip() == "areas served: Uusimaa, whole country"
    fi = run("show", EXAMPLE, "--lang", "fi")
    assert fi.output.splitlines()[0].endswith("(Keski-Uusimaa)")
    assert "koko maa, Uusimaa" in fi.output  # by its alphabet


def test_compare_heads_the_columns_by_the_regions_in_the_readers_language() -> None:
    for lang, names in (("sv", ("Mellersta Nyland", "Mellersta Finland")),
                        ("en", ("Central Uusimaa", "Central Finland")),
                        ("fi", ("Keski-Uusimaa", "Keski-Suomi"))):
        r = run("compare", EXAMPLE, SUOMI, "--lang", lang)
        assert r.exit_code == 0, r.output
        header = r.output.splitlines()[0].split("  ")
        assert [h.strip() for h in header if h.strip()][-2:] == list(names)


def test_a_known_area_is_named_without_region_sv_and_the_columns_travel(tmp_path: Path) -> None:
    # without region_sv/region_en the area list names a region polku knows ...
    wb = tmp_path / "ks"
    wb.mkdir()
    for f in SUOMI.glob("*.csv"):
        (wb / f.name).write_bytes(f.read_bytes())
    (wb / "graph.csv").write_text("id,title,region\nks,K,Keski-Suomi\n", encoding="utf-8")
    g = load_graph(wb)
    assert (region(g, "sv"), region(g, "en"), region(g, "fi")) == (
        "Mellersta Finland", "Central Finland", "Keski-Suomi")
    # ... and the columns, where given, win and travel through Turtle as tagged literals
    (wb / "graph.csv").write_text("id,title,region,region_sv,region_en\n"
                                  "ks,K,Jyväskylän seutu,Jyväskyläregionen,Jyväskylä region\n",
                                  encoding="utf-8")
    assert run("import", wb, "-o", tmp_path / "ks.ttl").exit_code == 0
    text = (tmp_path / "ks.ttl").read_text(encoding="utf-8")
    assert '"Jyväskyläregionen"@sv' in text and '"Jyväskylä region"@en' in text
    back = load_graph(tmp_path / "ks.ttl")
    assert (region(back, "sv"), region(back, "en"), region(back, "fi")) == (
        "Jyväskyläregionen", "Jyväskylä region", "Jyväskylän seutu")


def ostrobothnian(dest: Path) -> Path:
    """The example region as a workbook of Österbotten writes its areas: the graph's region
    ``Pohjanmaa``, actors in ``Vaasa``, ``Vasa`` (the same town in Swedish) and a list
    ``Vaasa; Mustasaari``."""
    shutil.copytree(EXAMPLE, dest)
    edit(dest / "graph.csv", ",Keski-Uusimaa,Mellersta Nyland,Central Uusimaa,", ",Pohjanmaa,,,")
    path = dest / "actors.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    regions = {"keusote-tyokykytiimi": "Vaasa", "keusote-aikuissosiaalityo": "Vasa",
               "keusote-mielenterveys": "Vaasa; Mustasaari", "hus": "Pohjanmaa"}
    for row in rows:
        row["region"] = regions.get(row["id"], row["region"])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return dest


def test_show_names_ostrobothnian_areas_in_the_readers_language_each_once(
        tmp_path: Path) -> None:
    wb = ostrobothnian(tmp_path / "pohjanmaa")
    lines = {}
    for lang in ("sv", "fi", "en"):
        r = run("show", wb, "--lang", lang)
        assert r.exit_code == 0, r.output
        lines[lang] = [r.output.splitlines()[0], r.output.splitlines()[2].strip()]
    # the list is an area each, Vasa and Vaasa one area, the graph's own region not
    # repeated, in the order of the reader's alphabet (not the Finnish order in Swedish)
    assert lines["sv"][0].endswith("(Österbotten)")
    assert lines["sv"][1] == ("serviceområden: hela landet, Korsholm, Mellersta Nyland, "
                              "Vasa")
    assert lines["fi"][0].endswith("(Pohjanmaa)")
    assert lines["fi"][1] == "palvelualueet: Keski-Uusimaa, koko maa, Mustasaari, Vaasa"
    assert lines["en"][0].endswith("(Ostrobothnia)")


def test_the_ecosystem_side_panel_names_each_area_of_a_list_in_swedish(
        tmp_path: Path) -> None:
    ostrobothnian(tmp_path / "graphs" / "pohjanmaa")
    client = TestClient(create_app([tmp_path / "graphs"]), raise_server_exceptions=False)
    page = client.get("/graphs/pohjanmaa/table?view=ecosystem&lang=sv")
    assert page.status_code == 200
    assert "Område: Vasa; Korsholm" in page.text and "Mustasaari" not in page.text
    assert "Område: Vasa" in page.text and "Vaasa" not in page.text


def test_every_municipality_is_known_by_either_name_and_has_a_code_of_its_own() -> None:
    rows = [line.split(" ", 1) for block in table.MUNICIPALITY_ROWS.values()
            for line in block.splitlines()]
    codes = [code for code, _ in rows]
    assert len(codes) == len(set(codes)) == len(MUNICIPALITIES)
    assert all(len(code) == 3 and code.isdigit() for code in codes)
    # the codes the example regions and the PTV fixtures use
    for name, code in (("luhanka", "435"), ("vaasa", "905"), ("naantali", "529"),
                       ("mikkeli", "491"), ("liperi", "426"), ("helsinki", "091"),
                       ("mänttä-vilppula", "508")):
        assert MUNICIPALITIES[name] == code
    for fi, sv in (("Hämeenlinna", "Tavastehus"), ("Turku", "Åbo"), ("Oulu", "Uleåborg"),
                   ("Kuopio", "Kuopio"), ("Mustasaari", "Korsholm"), ("Kokkola", "Karleby"),
                   ("Pedersören kunta", "Pedersöre"), ("Kruunupyy", "Kronoby"),
                   ("Pohjanmaa", "Österbotten"), ("Keski-Pohjanmaa", "Mellersta Österbotten"),
                   ("Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde")):
        assert area_names(fi)["sv"] == sv and area_names(sv.upper())["fi"] == fi
        assert locations(fi) == locations(sv) != []
    # no name is two areas': a Swedish name never another area's Finnish one
    seen: dict[str, str] = {}
    for _, names in rows:
        fi, _, sv = names.partition(" | ")
        for name in {fi, sv or fi}:
            assert seen.setdefault(name.lower(), fi) == fi, name
    assert unknown_areas("Vasa; Korsholm; Kirkonkylä") == ["Kirkonkylä"]
