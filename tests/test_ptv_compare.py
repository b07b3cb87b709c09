"""Keeping a region in step with PTV: `polku ptv compare` on the real PTV fixtures
(tests/fixtures/ptv/, provenance there) lists missing, gone and changed entries as proposed
row edits; `--apply` writes them as one change in the change log, undone as one (by
`polku undo` and by the server's undo)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import run
from polku.app import create_app
from polku.io.load import load_graph
from polku.server.auth import parse_tokens

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

PTV = Path(__file__).parent / "fixtures" / "ptv"
NAANTALI = PTV / "v11_organization_naantali_from_v9.json"
ETSIVA = PTV / "v9_service_etsiva_nuorisotyo_naantali.json"
ESIOPETUS = PTV / "v9_service_esiopetuksen_oppilashuolto_naantali.json"
VAASA = PTV / "v9_organization_vaasa.json"
PERUSOPETUS_VAASA = PTV / "v9_service_perusopetus_vaasa.json"
CATALOGUE = [NAANTALI, ETSIVA, ESIOPETUS, VAASA, PERUSOPETUS_VAASA]
GONE_ID = "0b0b0b0b-0000-4000-8000-000000000000"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """Naantali's model, made from PTV once and then drifted (:func:`drifted`)."""
    return drifted(tmp_path / "graphs" / "naantali")


def drifted(folder: Path, name: str = "naantali") -> Path:
    """Naantali's model written to ``folder`` as graph ``name``, made from PTV once and then
    drifted: a service renamed, one never taken in, one whose record PTV no longer has."""
    assert run("ptv", "import", NAANTALI, ETSIVA, "-o", folder, "--name", name).exit_code == 0
    services = folder / "services.csv"
    text = services.read_text(encoding="utf-8").replace("Etsivä nuorisotyö,",
                                                        "Etsivä nuorisotyö (vanha),", 1)
    header = text.splitlines()[0].split(",")
    row = {c: "" for c in header} | {"id": "kotouttaminen", "name": "Kotouttaminen",
                                     "providers": "naantalin-kaupunki", "ptv_id": GONE_ID}
    services.write_text(text + ",".join(row[c] for c in header) + "\n", encoding="utf-8")
    assert run("validate", folder).exit_code == 0
    return folder


def test_compare_lists_missing_gone_and_changed_as_edits(model: Path) -> None:
    result = run("ptv", "compare", model, *CATALOGUE, "--format", "json")
    assert result.exit_code == 0, result.output
    r = json.loads(result.output)
    assert set(r) == {"missing", "gone", "changed", "edits", "summary"}
    # Vaasa's services and Vaasa itself are not in Naantali's municipalities
    assert [(m["type"], m["id"], m["ptv_id"]) for m in r["missing"]] == [
        ("service", "esiopetuksen-oppilashuolto", "c4f1632e-66a8-410b-94f0-9196e028c644")]
    assert [(g["id"], g["ptv_id"]) for g in r["gone"]] == [("kotouttaminen", GONE_ID)]
    machine = ("id", "type", "ptv_id", "fields")  # beside them the names (see below)
    assert [{k: c[k] for k in machine} for c in r["changed"]] == [
        {"id": "etsiva-nuorisotyo", "type": "service",
         "ptv_id": "228738ee-754a-49b7-8240-2b84c5ca2970",
         "fields": {"name": ["Etsivä nuorisotyö (vanha)", "Etsivä nuorisotyö"]}}]
    assert [(e["action"], e["sheet"], e["key"]) for e in r["edits"]] == [
        ("create", "services", "esiopetuksen-oppilashuolto"),
        ("create", "responsibilities", "naantalin-kaupunki~esiopetuksen-oppilashuolto~lead"),
        ("update", "services", "etsiva-nuorisotyo"),
        ("delete", "services", "kotouttaminen")]
    create = r["edits"][0]["row"]
    assert create["providers"] == "naantalin-kaupunki" and create["area"] == "Naantali (529)"
    assert create["ptv_id"] == "c4f1632e-66a8-410b-94f0-9196e028c644"
    assert r["edits"][2]["row"] == {"name": "Etsivä nuorisotyö"}
    # the text and the page say the same, in the reader's language
    text = run("ptv", "compare", model, *CATALOGUE, "--lang", "en").output
    assert "1 missing from the graph, 1 gone from the catalogue, 1 changed; 4 proposed edits" in text
    assert "    Name: Etsivä nuorisotyö (vanha) → Etsivä nuorisotyö" in text
    assert "  4. remove service Kotouttaminen (kotouttaminen)" in text
    page = model.parent / "ptv.html"
    assert run("ptv", "compare", model, *CATALOGUE, "--format", "html", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<table>" in html and "esiopetuksen-oppilashuolto" in html and "http" not in html.split(
        "Content-Security-Policy")[1].split(">", 1)[1]


@pytest.mark.parametrize("lang, edits", [
    ("fi", ["  1. lisää palvelu Esiopetuksen oppilashuolto (esiopetuksen-oppilashuolto): "
            "Kohderyhmät: Lapset ja lapsiperheet (KR1.2); Kansalaiset (KR1); Alue: Naantali (529); "
            "Tuottajat: Naantalin kaupunki",
            "  2. lisää päävastuu: Naantalin kaupunki vastaa palvelusta Esiopetuksen "
            "oppilashuolto (esiopetuksen-oppilashuolto)",
            "  3. muuta tietoja: palvelu Etsivä nuorisotyö (vanha) (etsiva-nuorisotyo) – Nimi: "
            "Etsivä nuorisotyö (vanha) → Etsivä nuorisotyö",
            "  4. poista palvelu Kotouttaminen (kotouttaminen)"]),
    # the target groups in the reader's language (PTV names them in all three), the code beside
    ("sv", ["  1. lägg till tjänsten Esiopetuksen oppilashuolto (esiopetuksen-oppilashuolto): "
            "Målgrupper: Barn och barnfamiljer (KR1.2); Medborgare (KR1); Område: Naantali (529); "
            "Producenter: Naantalin kaupunki",
            "  2. lägg till huvudansvar: Naantalin kaupunki ansvarar för Esiopetuksen "
            "oppilashuolto (esiopetuksen-oppilashuolto)",
            "  3. ändra uppgifter om tjänsten Etsivä nuorisotyö (vanha) (etsiva-nuorisotyo) – "
            "Namn: Etsivä nuorisotyö (vanha) → Etsivä nuorisotyö",
            "  4. ta bort tjänsten Kotouttaminen (kotouttaminen)"]),
    ("en", ["  1. add service Esiopetuksen oppilashuolto (esiopetuksen-oppilashuolto): "
            "Target groups: Children and families with children (KR1.2); Citizens (KR1); "
            "Area: Naantali (529); Providers: Naantalin kaupunki",
            "  2. add lead: Naantalin kaupunki leads Esiopetuksen oppilashuolto "
            "(esiopetuksen-oppilashuolto)",
            "  3. change service Etsivä nuorisotyö (vanha) (etsiva-nuorisotyo): Name: "
            "Etsivä nuorisotyö (vanha) → Etsivä nuorisotyö",
            "  4. remove service Kotouttaminen (kotouttaminen)"]),
])
def test_the_proposed_edits_are_said_in_words(model: Path, lang: str, edits: list[str]) -> None:
    """Each proposed edit in the reader's language: what is added, changed or removed, by
    name (the id in parentheses), columns by their names; no sheet, column or key codes.
    The JSON keeps the edits as they are applied, with the names beside."""
    text = run("ptv", "compare", model, *CATALOGUE, "--lang", lang).output
    assert text.splitlines()[-4:] == edits, text
    assert "services" not in text and "~lead" not in text and "name=" not in text
    r = json.loads(run("ptv", "compare", model, *CATALOGUE, "--lang", lang, "--format",
                       "json").output)
    assert [e["label"] for e in r["edits"]] == [e.split(". ", 1)[1] for e in edits]
    lead = r["edits"][1]
    assert (lead["sheet"], lead["key"], lead["row"]) == (
        "responsibilities", "naantalin-kaupunki~esiopetuksen-oppilashuolto~lead",
        {"actor": "naantalin-kaupunki", "subject": "esiopetuksen-oppilashuolto",
         "role": "lead"})
    assert (lead["actor_name"], lead["subject_name"]) == ("Naantalin kaupunki",
                                                          "Esiopetuksen oppilashuolto")
    assert r["edits"][2]["row"] == {"name": "Etsivä nuorisotyö"}
    assert r["changed"][0]["label"] == "Etsivä nuorisotyö (vanha)"


def test_apply_is_one_change_and_undo_reverts_it(model: Path) -> None:
    before = {p.name: p.read_bytes() for p in model.iterdir()}
    result = run("ptv", "compare", model, *CATALOGUE, "--apply", "--who", "anna")
    assert result.exit_code == 0, result.output
    assert "applied 4 edits" in result.output
    log = (model.parent / ".polku" / "naantali.changes.jsonl").read_text(encoding="utf-8")
    entries = [json.loads(x) for x in log.splitlines()]
    assert len(entries) == 1 and entries[0]["action"] == "batch" and entries[0]["who"] == "anna"
    assert [c["action"] for c in entries[0]["changes"]] == ["create", "create", "update", "delete"]
    g = load_graph(model)
    assert g.nodes["etsiva-nuorisotyo"]["name"] == "Etsivä nuorisotyö"
    assert "kotouttaminen" not in g
    assert g.has_edge("naantalin-kaupunki", "esiopetuksen-oppilashuolto", "responsibility:lead")
    again = json.loads(run("ptv", "compare", model, *CATALOGUE, "--format", "json").output)
    assert {k: again[k] for k in ("missing", "gone", "changed", "edits")} == {
        "missing": [], "gone": [], "changed": [], "edits": []}
    result = run("undo", model)
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in model.iterdir()} == before
    assert "no change left to undo" in run("undo", model).output


def test_apply_picks_edits_by_number(model: Path) -> None:
    result = run("ptv", "compare", model, *CATALOGUE, "--apply", "--pick", "3")
    assert result.exit_code == 0, result.output
    g = load_graph(model)
    assert g.nodes["etsiva-nuorisotyo"]["name"] == "Etsivä nuorisotyö"
    assert "kotouttaminen" in g and "esiopetuksen-oppilashuolto" not in g
    bad = run("ptv", "compare", model, *CATALOGUE, "--apply", "--pick", "9")
    assert bad.exit_code == 1 and "no edit number 9" in bad.output
    # an edit the workbook rules refuse writes nothing
    bad = run("ptv", "compare", model, *CATALOGUE, "--apply", "--pick", "2")
    assert bad.exit_code == 1 and "esiopetuksen-oppilashuolto" in bad.output
    assert load_graph(model).nodes["etsiva-nuorisotyo"]["name"] == "Etsivä nuorisotyö"


def test_server_undoes_a_batch_as_one(model: Path) -> None:
    assert run("ptv", "compare", model, *CATALOGUE, "--apply").exit_code == 0
    applied = (model / "services.csv").read_bytes()
    token = "anna-token-0123456789"
    client = TestClient(create_app([model.parent], parse_tokens(f"anna:{token}")),
                        raise_server_exceptions=False)
    etag = client.get("/api/graphs/naantali").headers["etag"]
    r = client.post("/api/graphs/naantali/undo",
                    headers={"Authorization": f"Bearer {token}", "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["change"]["undoes"] == 1 and len(r.json()["change"]["changes"]) == 4
    assert (model / "services.csv").read_bytes() != applied
    assert "kotouttaminen" in load_graph(model)
    changes = client.get("/api/graphs/naantali/changes").json()["changes"]
    assert [c["action"] for c in changes] == ["undo", "batch"]
    page = client.get("/graphs/naantali/changes?lang=en").text
    assert "changed together" in page and "naantalin-kaupunki~esiopetuksen-oppilashuolto" in page


def test_target_groups_are_shown_in_the_readers_language_and_stored_as_they_were(
        model: Path) -> None:
    """PTV names its target groups in Finnish, Swedish and English: a reader of Swedish or
    English sees them in their language with the code beside (the text, the JSON's
    ``values_shown`` and labels, the page), while the workbook keeps the Finnish ``code
    name`` text it stores and ``--apply`` writes that."""
    services = model / "services.csv"
    text = services.read_text(encoding="utf-8")
    assert "KR1.3 Nuoret; KR1 Kansalaiset" in text
    services.write_text(text.replace("KR1.3 Nuoret; KR1 Kansalaiset", "KR1 Kansalaiset", 1),
                        encoding="utf-8")
    out = run("ptv", "compare", model, *CATALOGUE, "--lang", "sv").output
    assert "    Målgrupper: Medborgare (KR1) → De unga (KR1.3); Medborgare (KR1)" in out, out
    assert "Målgrupper: Medborgare (KR1) → De unga (KR1.3); Medborgare (KR1)" in \
        out.splitlines()[-2]  # the update's sentence too
    assert "Kansalaiset" not in out and "Lapset" not in out
    en = json.loads(run("ptv", "compare", model, *CATALOGUE, "--lang", "en", "--format",
                        "json").output)
    etsiva = en["changed"][0]
    # the comparison's values stay as stored; the words are beside them
    assert etsiva["fields"]["target_groups"] == ["KR1 Kansalaiset",
                                                "KR1.3 Nuoret; KR1 Kansalaiset"]
    assert etsiva["values_shown"]["target_groups"] == [
        "Citizens (KR1)", "Young people (KR1.3); Citizens (KR1)"]
    assert "Target groups: Children and families with children (KR1.2); Citizens (KR1)" in \
        en["edits"][0]["label"]
    assert en["edits"][0]["row"]["target_groups"] == "KR1.2 Lapset ja lapsiperheet; KR1 Kansalaiset"
    page = model.parent / "ptv.html"
    assert run("ptv", "compare", model, *CATALOGUE, "--format", "html", "-o", page,
               "--lang", "sv").exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<td>De unga (KR1.3); Medborgare (KR1)</td>" in html and "Nuoret" not in html
    assert run("ptv", "compare", model, *CATALOGUE, "--apply").exit_code == 0
    assert load_graph(model).nodes["etsiva-nuorisotyo"]["extra"]["target_groups"] == \
        "KR1.3 Nuoret; KR1 Kansalaiset"


@pytest.mark.parametrize("lang, line", [
    ("sv", "PTV: 1 saknas i ekosystemet, 1 borta ur servicedatalagret, 1 ändrad; "
           "4 föreslagna ändringar"),
    ("fi", "PTV: 1 puuttuu aineistosta, 1 poistunut palvelutietovarannosta, 1 muuttunut; "
           "4 ehdotettua muutosta"),
])
def test_the_counts_take_the_singular_or_plural(model: Path, lang: str, line: str) -> None:
    assert run("ptv", "compare", model, *CATALOGUE, "--lang", lang).output.splitlines()[0] \
        == line
    # the JSON (and so the server's page) says it so too
    assert json.loads(run("ptv", "compare", model, *CATALOGUE, "--lang", lang, "--format",
                          "json").output)["summary"] == line


def test_a_file_that_is_not_ptv_json_is_told_in_the_readers_language(model: Path) -> None:
    """README.md given as the catalogue: what was expected, in the reader's language, and
    not the JSON parser's English."""
    readme = Path(__file__).parents[1] / "README.md"
    r = run("ptv", "compare", model, readme, "--lang", "sv")
    assert r.exit_code == 1
    assert f"fel: {readme}: inte PTV-JSON: filen ska innehålla det öppna API:ets tjänste- " \
           "eller organisationsobjekt (Service eller Organization) som JSON-text, men den " \
           "är inte JSON (felet finns på rad 1, kolumn 1)" in r.stderr, r.stderr
    assert "Expecting value" not in r.output
    r = run("ptv", "compare", model, readme, env={"POLKU_LANG": "fi"})
    assert f"virhe: {readme}: ei PTV:n JSON-tiedosto: odotettiin" in r.stderr, r.stderr
    # the page needs a file, said in the reader's language
    r = run("ptv", "compare", model, *CATALOGUE, "--format", "html", "--lang", "sv")
    assert r.exit_code == 1
    assert r.stderr == "fel: --output: html-jämförelsen är en sida: ange -o SIDA.html\n"


def test_a_pick_with_no_edit_is_refused_before_anything_is_printed(model: Path) -> None:
    """The listing is not printed with an error glued after it: the pick is refused first,
    on a line of its own, and nothing is written."""
    before = (model / "services.csv").read_bytes()
    r = run("ptv", "compare", model, *CATALOGUE, "--apply", "--pick", "2,7", "--lang", "sv")
    assert r.exit_code == 1
    assert r.stdout == "" and r.stderr == "fel: --pick: ingen ändring nummer 7 (det finns 4)\n"
    assert (model / "services.csv").read_bytes() == before
