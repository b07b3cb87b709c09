"""Areas and regions in the reader's language: an area polku knows (Statistics Finland's
names of municipalities and regions, Keski-Uusimaa, koko maa) by its Swedish or English
name, the graph sheet's region_sv/region_en before it, anything else as written."""

from __future__ import annotations

from pathlib import Path

from helpers import EXAMPLE, ROOT, run
from polku.present.i18n import region_name as region
from polku.io.load import load_graph

SUOMI = ROOT / "graphs" / "keski-suomi"


def test_show_names_the_region_and_the_areas_served_in_swedish_and_english() -> None:
    sv = run("show", EXAMPLE, "--lang", "sv")
    assert sv.exit_code == 0, sv.output
    head, _, served = sv.output.splitlines()[:3]
    assert head.endswith("(Mellersta Nyland)") and "Keski-Uusimaa" not in head
    assert served.strip() == "serviceområden: Nyland, hela landet"
    en = run("show", EXAMPLE, "--lang", "en")
    head, _, served = en.output.splitlines()[:3]
    assert head.endswith("(Central Uusimaa)")
    assert served.strip() == "areas served: Uusimaa, whole country"
    fi = run("show", EXAMPLE, "--lang", "fi")
    assert fi.output.splitlines()[0].endswith("(Keski-Uusimaa)")
    assert "Uusimaa, koko maa" in fi.output


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
