"""The errors of the Neo4j store, the tokens file and the regions' comparison are
catalogued: ``--lang`` (or ``POLKU_LANG``) words them, as every other error."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import EXAMPLE_TTL, MINI, run
from polku.errors import PolkuError
from polku.present.i18n import error_text, translator


@pytest.mark.parametrize("args, english, finnish", [
    (["--uri", "http://db.example:7474"],
     "http://db.example is not a Neo4j URI (use bolt://host:port",
     "http://db.example ei ole Neo4j-osoite (käytä muotoa bolt://host:port"),
    (["--uri", "bolt://db.example:7687?colour=red"],
     "unknown Neo4j URI parameter(s): colour (known: region, database)",
     "tuntematon Neo4j-osoitteen parametri: colour (tunnetut: region, database)"),
    (["--uri", "bolt://u:secret@db.example:7687"],
     "do not put the password in the Neo4j URI",
     "älä kirjoita salasanaa Neo4j-osoitteeseen"),
    (["--uri", "bolt://db.example:7687"],
     "name the region: --region or ?region=", "nimeä alue: --region tai ?region="),
])
def test_neo4j_findings_say_a_bad_server_address_in_the_language_asked(
        args: list[str], english: str, finnish: str) -> None:
    r = run("neo4j", "findings", *args, "--lang", "fi")
    assert r.exit_code == 1 and finnish in r.output, r.output
    assert "secret" not in r.output
    r = run("neo4j", "findings", *args, "--lang", "en")
    assert r.exit_code == 1 and english in r.output, r.output


def test_a_server_that_cannot_be_reached_is_named_in_the_language_asked() -> None:
    from processes import free_port

    from polku.io.neo4jstore import open_driver, target

    port = free_port()
    with pytest.raises(PolkuError) as caught:
        with open_driver(target(f"bolt://127.0.0.1:{port}", password="pw")):
            pass
    e = caught.value
    assert str(e).startswith(f"cannot connect to Neo4j at bolt://127.0.0.1:{port}: ")
    assert error_text(e, translator("fi")).startswith(
        f"ei saada yhteyttä: Neo4j-palvelin bolt://127.0.0.1:{port}: ")
    assert error_text(e, translator("sv")).startswith(
        f"kan inte ansluta: Neo4j-servern bolt://127.0.0.1:{port}: ")


def test_a_bad_tokens_file_is_told_in_polku_lang(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("anna:short\n")
    r = run("serve", MINI, "--tokens", tokens, env={"POLKU_LANG": "sv"})
    assert r.exit_code == 1
    assert "tokens.txt, rad 1: redigeringsnyckeln för 'anna' är kortare än 16 tecken" in \
        r.output, r.output
    r = run("serve", MINI, "--tokens", tokens, env={"POLKU_LANG": "en"})
    assert "tokens.txt, row 1: the token of 'anna' is shorter than 16 characters" in r.output


def test_compare_says_its_refusals_in_the_language_asked(tmp_path: Path) -> None:
    r = run("compare", EXAMPLE_TTL, "--lang", "fi")
    assert r.exit_code == 1 and "vertailuun tarvitaan vähintään kaksi aluetta" in r.output
    r = run("compare", EXAMPLE_TTL, MINI, "--format", "html", "--lang", "sv")
    assert r.exit_code == 1 and "html-jämförelsen är en sida: ange -o SIDA.html" in r.output
    r = run("compare", EXAMPLE_TTL, MINI, "-o", tmp_path / "v.csv", "--format", "csv",
            "--lang", "fi")
    assert r.exit_code == 0 and r.output.startswith("kirjoitettu "), r.output
    r = run("compare", EXAMPLE_TTL, EXAMPLE_TTL, "--lang", "fi")
    assert r.exit_code == 1 and "kahdella alueella on sama nimi" in r.output, r.output
