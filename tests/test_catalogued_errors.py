"""The errors of the Neo4j store, the tokens file and the regions' comparison are
catalogued: ``--lang`` (or ``POLKU_LANG``) words them, as every other error."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import EXAMPLE, EXAMPLE_TTL, MINI, copy_mini, run
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
    assert r.exit_code == 1 and "on annettu kahdesti" in r.output, r.output
    r = run("compare", EXAMPLE_TTL, EXAMPLE, "--lang", "fi")  # two files, one region name
    assert r.exit_code == 1 and "kahdella alueella on sama nimi" in r.output, r.output


# -- every error of the readers, analyses, operations, the command line and the server is a
# catalogued template (the edge words it; a plain English f-string cannot be translated) --

SRC = Path(__file__).resolve().parent.parent / "src" / "polku"
#: the modules whose errors reach a user (a reader, an analysis, an operation, a door)
CHECKED = sorted({*(SRC / "cli").glob("*.py"), *(SRC / "analyses").glob("*.py"),
                  *(SRC / "ops").glob("*.py"),
                  *(SRC / "server").glob("*.py"),
                  *(SRC / "io" / f"{m}.py" for m in (
                      "ptv", "plan", "workbook", "rdf", "formats", "eventlog", "cpsvap",
                      "neo4jstore"))})
#: the calls that make an error (CellError: a cell's problem, located by its reader)
MAKERS = {"PolkuError", "Note", "CellError"}
#: the readers' own helpers that collect a located problem: their first argument is the
#: template (the PolkuError inside each takes it as a parameter: checked at the callers)
HELPERS = {"workbook.py": {"error", "fail"}, "eventlog.py": {"error"}, "plan.py": {"warn"}}
#: (module, source of the first argument) that is catalogued though no rule here can see it
ALLOWED = {
    # Source.refused is only ever set to N_("refused: a symbolic link …") (store.py)
    ("store.py", "source.refused"),
    # _csv_problem returns (N_("…"), its params) in every branch (workbook.py)
    ("workbook.py", "template"),
    # node_attributes' problems are (N_("…"), column, params) in every branch (workbook.py)
    ("workbook.py", "message"),
    # _number_problem returns (N_("…"), params) in every branch, or a bound's node message,
    # each N_("…") in polku.bounds.BOUNDS (rdf.py)
    ("rdf.py", "template"),
}


def _is_n(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_" \
        and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
        and isinstance(node.args[0].value, str)


def _is_counted(node: ast.AST) -> bool:
    """``Counted(ngettext("…", "…"), count)``: a template that counts, both forms marked."""
    forms = node.args[0] if isinstance(node, ast.Call) and node.args and \
        getattr(node.func, "id", None) == "Counted" else None
    return isinstance(forms, ast.Call) and getattr(forms.func, "id", None) == "ngettext" \
        and len(forms.args) == 2 and all(isinstance(a, ast.Constant) and
                                         isinstance(a.value, str) for a in forms.args)


class _Module:
    """What one module binds to each name, to follow a template through a variable
    (``template = N_("…") if … else N_("…")``, ``TOO_MUCH = {"capacity": N_("…")}``)."""

    def __init__(self, tree: ast.Module) -> None:
        self.bound: dict[str, list[ast.AST]] = {}
        self.helper_params: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.bound.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.value is not None:
                self.bound.setdefault(node.target.id, []).append(node.value)

    def catalogued(self, node: ast.AST, seen: frozenset = frozenset()) -> bool:
        """Whether ``node`` is sure to be a catalogued template."""
        if _is_n(node) or _is_counted(node):
            return True
        if isinstance(node, ast.IfExp):
            return self.catalogued(node.body, seen) and self.catalogued(node.orelse, seen)
        if isinstance(node, ast.Dict):
            return bool(node.values) and all(self.catalogued(v, seen) for v in node.values)
        if isinstance(node, ast.Subscript):  # TOO_MUCH[option]
            return self.catalogued(node.value, seen)
        if isinstance(node, ast.Name) and node.id not in seen and node.id in self.bound:
            return all(self.catalogued(v, seen | {node.id}) for v in self.bound[node.id])
        return False


def _is_reraise(node: ast.AST) -> bool:
    """``e.msgid`` or ``e.msgid or e.message``: an error passed on with its own template."""
    if isinstance(node, ast.Attribute) and node.attr == "msgid":
        return True
    return isinstance(node, ast.BoolOp) and _is_reraise(node.values[0])


def _uncatalogued(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    module = _Module(tree)
    helpers = HELPERS.get(path.name, set())
    helper_bodies = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                     and f.name in helpers for n in ast.walk(f)}
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        is_helper = called in helpers and (isinstance(node.func, ast.Attribute)
                                           or called == "fail" and path.name == "workbook.py")
        if called not in MAKERS and not is_helper:
            continue
        where = f"{path.relative_to(SRC)}:{node.lineno}"
        first = node.args[0] if node.args else None
        if first is None:
            bad.append(f"{where}: no message")
            continue
        if id(node) in helper_bodies:
            continue  # the helper's own error: its template comes from its callers
        if (path.name, ast.unparse(first)) in ALLOWED or _is_reraise(first):
            continue
        if not module.catalogued(first):
            bad.append(f"{where}: {ast.unparse(first)[:70]}")
        elif called in ("PolkuError", "Note") and not any(k.arg == "params"
                                                          for k in node.keywords):
            bad.append(f"{where}: no params= (without it the template is not translated)")
    return bad


def test_every_error_a_user_can_meet_is_a_catalogued_template() -> None:
    """A ``PolkuError`` (or a note, a cell's problem, a reader's collected problem) in the
    modules a user's errors come from is made from ``N_("…")`` (or, counting,
    ``Counted(ngettext("…", "…"), n)``) and its ``params``, or passes on another error's
    template: never a finished English sentence."""
    assert len(CHECKED) > 30
    bad = [b for path in CHECKED for b in _uncatalogued(path)]
    assert not bad, "\n".join(bad)


def test_the_coverage_test_catches_an_english_sentence(tmp_path: Path) -> None:
    """The check above fails on what it is there to catch (and only on that)."""
    bad = tmp_path / "cli.py"
    bad.write_text(
        "T = N_('x {a}')\n"
        "raise PolkuError(f'cannot read {x}', file=f)\n"
        "raise PolkuError(N_('no such {x}'), file=f)\n"
        "raise PolkuError(T, params={'a': 1})\n"
        "raise PolkuError(e.msgid or e.message, params=e.params)\n"
        "raise PolkuError(N_('a') if y else 'b', params={})\n"
        "raise PolkuError(Counted(ngettext('a {n}', 'as {n}'), n), params={'n': n})\n"
        "raise PolkuError(Counted(('a {n}', 'as {n}'), n), params={'n': n})\n",
        encoding="utf-8")
    global SRC
    kept, SRC = SRC, tmp_path
    try:
        found = _uncatalogued(bad)
    finally:
        SRC = kept
    assert [f.split(":")[1] for f in found] == ["2", "3", "6", "8"], found


# -- and the user reads them in their language ------------------------------------------

PTV = Path(__file__).parent / "fixtures" / "ptv"


def _said(result) -> str:
    return result.stdout + result.stderr


def test_a_bad_ptv_file_is_told_in_finnish_and_swedish(tmp_path: Path) -> None:
    broken = tmp_path / "x.json"
    broken.write_text("{not json", encoding="utf-8")
    channel = PTV / "v11_servicechannel_servicelocation_otava.json"
    codes = PTV / "codelist_ptvkohderyhmat_TargetGroups.json"
    out = tmp_path / "w"
    r = run("ptv", "import", broken, "-o", out, "--lang", "fi")
    assert r.exit_code == 1
    assert f"virhe: {broken}: ei PTV:n JSON-tiedosto: odotettiin avoimen rajapinnan " \
           "palvelu- tai organisaatiotietoja (Service tai Organization) JSON-tekstinä, mutta " \
           "tiedosto ei ole JSON-muotoinen (virhe rivillä 1, sarakkeessa 2)" in r.stderr, r.stderr
    r = run("ptv", "import", broken, "-o", out, env={"POLKU_LANG": "sv"})
    assert f"fel: {broken}: inte PTV-JSON: " in r.stderr, r.stderr
    assert "men den är inte JSON (felet finns på rad 1, kolumn 2)" in r.stderr, r.stderr
    r = run("ptv", "import", codes, "-o", out, "--lang", "sv")
    assert "inte PTV:s tjänste-JSON (eller organisations-JSON)" in r.stderr, r.stderr
    # the notes inside the problem are worded too, each with its file
    r = run("ptv", "import", channel, "-o", out, env={"POLKU_LANG": "fi"})
    assert r.exit_code == 1
    assert f"ei ole yhtään PTV-palvelua eikä -organisaatiota: {channel}: asiointikanava " \
           "(ServiceLocation) 'Otavan Opisto / Otavia', ei palvelu" in r.stderr, r.stderr
    r = run("ptv", "import", channel, "-o", out, "--lang", "en")
    assert f"no PTV service or organisation in {channel}: {channel}: a service channel " \
           "(ServiceLocation)" in r.stderr, r.stderr
    r = run("ptv", "import", channel, "-o", out, "--name", "Iso", "--lang", "fi")
    assert "--name: 'Iso' ei kelpaa aineiston tunnukseksi" in r.stderr, r.stderr
    assert not out.exists()


def test_ptv_import_says_what_it_wrote_and_noted_in_the_language_asked(tmp_path: Path) -> None:
    old = PTV / "v9_service_etsiva_nuorisotyo_naantali.json"
    r = run("ptv", "import", old, "-o", tmp_path / "w", "--lang", "fi")
    assert r.exit_code == 0, _said(r)
    assert "huomio: v9_service_etsiva_nuorisotyo_naantali.json: palvelu 'Etsivä nuorisotyö' on " \
           "PTV:n avoimen rajapinnan version v10 tai vanhempi muotoinen" in r.stdout, r.stdout
    assert "kirjoitettu " in r.stdout and ": 1 palvelu, 1 organisaatio (lisää" in r.stdout, \
        r.stdout
    assert "ei paikkaa polku-aineistossa: " in r.stdout
    r = run("ptv", "import", old, "-o", tmp_path / "w2", env={"POLKU_LANG": "sv"})
    assert "v10 eller äldre" in r.stdout and "skrev " in r.stdout, r.stdout
    assert ": 1 tjänst, 1 organisation (lägg sedan till" in r.stdout, r.stdout
    # an organisation's services beyond the files read: a count, said in each language
    naantali = PTV / "v11_organization_naantali_from_v9.json"
    for lang, said in (("fi", "huomio: v11_organization_naantali_from_v9.json: Naantalin "
                              "kaupunki luettelee palveluja (9), joita ei ole luetuissa "
                              "tiedostoissa"),
                       ("sv", "obs: v11_organization_naantali_from_v9.json: Naantalin kaupunki "
                              "listar tjänster (9) som inte finns i de lästa filerna"),
                       ("en", "note: v11_organization_naantali_from_v9.json: Naantalin "
                              "kaupunki lists services that are not in the files read (9)")):
        r = run("ptv", "import", naantali, old, "-o", tmp_path / f"w-{lang}", "--lang", lang)
        assert said in r.stdout, r.stdout


def test_a_bad_plan_file_is_told_in_finnish_and_swedish(tmp_path: Path) -> None:
    from polku.io.plan import SAMPLE

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "p.ttl"
    r = run("plan", "import", empty, "-o", out, "--lang", "fi")
    assert r.exit_code == 1 and f"virhe: {empty}: suunnitelmatiedosto on tyhjä" in r.stderr
    r = run("plan", "import", tmp_path / "missing.txt", "-o", out, env={"POLKU_LANG": "sv"})
    assert "planen kan inte läsas (filen eller mappen finns inte)" in r.stderr, r.stderr
    plan = tmp_path / "plan.txt"
    plan.write_text(SAMPLE + "\t" * 10 + "ylimääräinen\n", encoding="utf-8")
    r = run("plan", "import", plan, "-o", out, "--lang", "fi")
    assert r.exit_code == 1 and not out.exists()
    assert f"varoitus: {plan}, rivi 3: solu viimeisen sarakkeen (vastuut) jälkeen: " \
           "'ylimääräinen'" in r.stderr, r.stderr
    assert f"virhe: 1 ongelma tiedostossa {plan}; mitään ei kirjoitettu" in r.stderr
    r = run("plan", "import", plan, "-o", out, "--lenient", "--lang", "sv")
    assert r.exit_code == 0
    assert f"varning: {plan}, rad 3: en cell efter den sista kolumnen (vastuut)" in r.stderr
    assert r.stdout.startswith(f"skrev {out}: aktörer 2, planens mål 1"), r.stdout


def test_a_bad_whatif_and_merge_are_told_in_finnish_and_swedish(tmp_path: Path) -> None:
    r = run("whatif", MINI, "--remove", "ghost", "--lang", "fi")
    assert r.exit_code == 1
    assert "virhe: --remove: tuntematon tunnus 'ghost'" in r.stderr, r.stderr
    r = run("whatif", MINI, "--places", "kuntouttava=0", env={"POLKU_LANG": "sv"})
    assert "fel: --places: " in r.stderr and "är inte ett heltal" in r.stderr, r.stderr
    r = run("merge", MINI, MINI, "-o", tmp_path / "n.ttl", "--lang", "fi")
    assert r.exit_code == 1
    assert f"{MINI} on annettu kahdesti" in r.stderr, r.stderr
    # the mini workbook takes its graph's name from its folder
    copy = copy_mini(tmp_path / "b" / "mini")
    r = run("merge", MINI, copy, "-o", tmp_path / "n.ttl", "--lang", "sv")
    assert f"både {MINI} och {copy} heter 'mini'" in " ".join(r.stderr.split()), r.stderr


def test_undo_speaks_the_language_asked(tmp_path: Path) -> None:
    from helpers import copy_mini

    from polku.io.load import load_graph
    from polku.ops.batch import write_all

    model = copy_mini(tmp_path / "m")
    write_all(model, load_graph(model), [{"action": "update", "sheet": "services",
                                          "key": "kuntouttava", "row": {"places": "2"}}], "anna")
    r = run("undo", model, "--lang", "sv")
    assert r.exit_code == 0 and r.stdout.startswith("ångrade ändring 1 av "), r.stdout
    r = run("undo", model, env={"POLKU_LANG": "fi"})
    assert r.exit_code == 1 and "virhe: peruttavia muutoksia ei ole jäljellä" in r.stderr


def test_an_error_inside_an_error_is_worded_too() -> None:
    """A problem quoted inside another (a batch's edit, the notes of an empty import) is
    worded in the reader's language, each with its own place."""
    from polku.errors import Problems
    from polku.words import N_

    inner = PolkuError(N_("'{value}' is not a number"), params={"value": "x"}, column="places")
    e = PolkuError(N_("edit {number} ({action} {sheet} {key}): {problem}"),
                   params={"number": 2, "action": "update", "sheet": "services", "key": "a",
                           "problem": inner})
    assert str(e) == "edit 2 (update services a): 'x' is not a number"
    assert error_text(e, translator("fi")) == "muutos 2 (update services a): 'x' ei ole luku"
    notes = PolkuError(N_("no PTV service or organisation in {files}: {notes}"), params={
        "files": "a.json", "notes": Problems([inner])})
    assert error_text(notes, translator("sv")).endswith(
        "a.json: kolumn 'places': 'x' är inte ett tal")
