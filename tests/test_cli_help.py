"""``polku --help`` and every subcommand's help read as flowing paragraphs: a docstring's
hard line breaks (kept short for the source) never show as lines broken mid-sentence; and
they are in the reader's language (``--lang``, else POLKU_LANG, else Finnish), click's and
typer's own words on the page too."""

from __future__ import annotations

import re
from typing import Iterator

import click
import pytest
import typer.main
import typer.rich_utils

from helpers import run
from polku.cli import app
from polku.present.i18n import translator

#: wide enough that no help sentence wraps: every line left is one the text itself made
WIDE = {"COLUMNS": "1000", "TERMINAL_WIDTH": "1000"}


def _tree(command: click.Command, path: tuple[str, ...] = ()
          ) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _tree(sub, path + (name,))


TREE = list(_tree(typer.main.get_command(app)))


def test_every_help_text_in_the_command_tree_is_paragraphs_without_hard_line_breaks() -> None:
    broken = []
    for path, command in TREE:
        texts = [("help", command.help), ("short help", command.short_help)]
        texts += [(p.name, getattr(p, "help", None)) for p in command.params]
        for what, text in texts:
            for paragraph in (text or "").split("\n\n"):
                if "\n" in paragraph.strip() and not paragraph.startswith("\b"):
                    broken.append((" ".join(path) or "polku", what, paragraph))
    assert not broken, broken


def _description(text: str, usage: str = "Usage:") -> list[str]:
    """The lines of a rendered help between its usage line and its first panel."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(usage))
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    return [line.strip() for line in lines[start + 1:end] if line.strip()]


def _command_rows(text: str, title: str = "Commands") -> list[str]:
    """The lines inside a rendered help's Commands panel."""
    found = re.search(rf"╭─ {title} ─+╮\n(.*?)\n╰", text, re.S)
    return found.group(1).splitlines() if found else []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", [p for p, _ in TREE], ids=lambda p: " ".join(p) or "polku")
def test_rendered_help_shows_each_paragraph_and_each_command_on_one_line(path, lang) -> None:
    tr = translator(lang)
    r = run(*path, "--help", env={**WIDE, "POLKU_LANG": lang})
    assert r.exit_code == 0, r.output
    description = _description(r.stdout, tr("Usage:"))
    assert description, r.stdout
    # at this width a paragraph is one line, and a paragraph ends a sentence
    ragged = [line for line in description if not line.endswith((".", ")", ":"))]
    assert not ragged, r.stdout
    rows = _command_rows(r.stdout, tr("Commands"))
    # a group lists each command on one row: its name, then its whole first paragraph
    names = [row.strip("│ ").split(" ", 1)[0] for row in rows]
    command = dict(TREE)[path]
    assert sorted(names) == sorted(getattr(command, "commands", {})), r.stdout


def test_flowing_joins_lines_but_keeps_paragraphs_verbatim_blocks_and_what_follows_f() -> None:
    from polku.cli.help import flowing

    text = "One sentence\n    broken here.\n\n\b\nkept\n  as is\n\nLast\none.\f\nfor developers\nonly"
    assert flowing(text) == ("One sentence broken here.\n\n\b\nkept\n  as is\n\nLast one."
                             "\f\nfor developers\nonly")
    assert flowing(None) is None and flowing("") == ""


# -- the reader's language: --lang as typed, else POLKU_LANG, else Finnish ---------------

#: the English click and typer would show, which a Finnish or Swedish page never holds
CLICK_ENGLISH = ("Usage:", "Options", "Arguments", "Commands", "Show this message and exit.",
                 "[default:", "[required]", "[env var:", "[OPTIONS]")
#: a help text the same in every language (a name or a list of values people type): none yet
SAME_IN_EVERY_LANGUAGE: set[str] = {"A", "B", "PLAN"}  # two versions; sv "plan"
#: (how it is asked: the arguments after the command's path, the environment), the language
ASKED = {
    "by default": ((["--help"], {"POLKU_LANG": None}), "fi"),
    "--lang sv after --help": ((["--help", "--lang", "sv"], {"POLKU_LANG": None}), "sv"),
    "--lang sv before --help": ((["--lang", "sv", "--help"], {"POLKU_LANG": None}), "sv"),
    "--lang=en": ((["--lang=en", "--help"], {"POLKU_LANG": None}), "en"),
    "POLKU_LANG=sv": ((["--help"], {"POLKU_LANG": "sv"}), "sv"),
    "--lang en over POLKU_LANG=sv": ((["--help", "--lang", "en"], {"POLKU_LANG": "sv"}), "en"),
    "a language polku does not speak": ((["--help", "--lang", "de"], {"POLKU_LANG": None}), "fi"),
}


@pytest.mark.parametrize("asked", ASKED, ids=str)
@pytest.mark.parametrize("path", [(), ("plan", "import"), ("neo4j", "push")],
                         ids=lambda p: " ".join(p) or "polku")
def test_help_is_in_the_readers_language(path: tuple[str, ...], asked: str) -> None:
    (args, env), lang = ASKED[asked]
    tr = translator(lang)
    r = run(*path, *args, env={**WIDE, **env})
    assert r.exit_code == 0, r.output
    command = dict(TREE)[path]
    english = command.help.split("\n\n")[0]
    assert r.stdout.strip().startswith(tr('Usage:') + " "), r.stdout
    assert tr(english) in r.stdout
    for word in ("Options", "Show this message and exit."):
        assert tr(word) in r.stdout
    assert tr("Commands" if path == () else "Arguments") in r.stdout
    if path:  # a command's required argument
        assert tr("[required]") in r.stdout
    if path == ("neo4j", "push"):  # --batch-size 1000
        assert tr("[default: {}]").format(1000) in r.stdout
    if lang != "en":
        assert english not in r.stdout
        assert not [w for w in CLICK_ENGLISH if w in r.stdout], r.stdout


def _sources() -> list[str]:
    """Every text a help page can show: the tree's help texts (their English sources), click's
    and typer's words, and the words the help texts' placeholders are filled with."""
    from polku.cli import help as cli
    from polku.io.formats import FORMATS

    root = typer.main.get_command(app)
    texts = [text for _, _, text in root.help_sources]  # type: ignore[attr-defined]
    texts += [cli.USAGE, cli.HELP_OPTION, *cli.USAGE_PLACEHOLDERS, *cli.TYPER_WORDS.values()]
    # a format's description, where it is words and not names alone (Gephi, yEd, Cytoscape)
    texts += [f.description for f in FORMATS.values() if f.description[0].islower()]
    return sorted(set(texts))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_help_text_is_translated_where_a_reader_sees_it(lang: str) -> None:
    """A help text left English in Finnish or Swedish (a new option whose help nobody
    translated, a help written as a plain string that the catalogues never see) fails
    here: the catalogue has it, and it reads otherwise than the English."""
    tr = translator(lang)
    texts = _sources()
    assert len(texts) > 150
    untranslated = [t for t in texts if tr(t) == t and t not in SAME_IN_EVERY_LANGUAGE]
    assert not untranslated, "\n".join(untranslated)


def test_the_guard_finds_a_help_text_nobody_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A help written as a plain string (not ``N_("…")``) is not in the catalogues: the
    test above names it."""
    new = typer.Typer()

    @new.command()
    def hello(name: str = typer.Option("x", help="A text nobody translated.")) -> None:
        """Say hello."""

    monkeypatch.setattr(app, "registered_commands", [*app.registered_commands,
                                                     *new.registered_commands])
    assert "A text nobody translated." in _sources()
    assert translator("fi")("A text nobody translated.") == "A text nobody translated."


def test_each_commands_docstring_says_what_its_help_says() -> None:
    """The help is the catalogued ``help=N_("…")`` of ``@app.command``; the docstring keeps
    the same words for the developer: change both together."""
    import inspect

    from polku.cli.help import flowing

    differ = [(" ".join(path), command.help) for path, command in TREE
              if not hasattr(command, "commands")
              and flowing(inspect.getdoc(command.callback)) != command.help]
    assert not differ, differ


def test_one_tree_is_shown_in_one_language_then_another(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture) -> None:
    """A help page words the texts from their English sources, so the same click tree reads
    in Swedish and then in English; and typer's own words are put back after each page."""
    from typer import rich_utils

    root = typer.main.get_command(app)
    monkeypatch.setenv("COLUMNS", "1000")
    for lang, said in (("sv", "Visa ekosystemets plan"), ("en", "Show a graph's plan")):
        monkeypatch.setenv("POLKU_LANG", lang)
        with pytest.raises(SystemExit):
            root.main(["plan", "--help"], prog_name="polku")
        assert said in capsys.readouterr().out
        assert rich_utils.OPTIONS_PANEL_TITLE == "Options"
        assert rich_utils.DEFAULT_STRING == "[default: {}]"


def test_lang_before_a_command_goes_on_to_it() -> None:
    from helpers import MINI

    assert " giltig (" in run("--lang", "sv", "validate", MINI, env={"POLKU_LANG": "en"}).stdout
    assert " valid (" in run("--lang", "en", "validate", MINI).stdout
    r = run("plan", "--lang", "en", "show", MINI)
    assert r.exit_code == 1 and "has no action plan" in r.stderr, r.output
    # the command's own --lang, where both are given
    assert " kelvollinen (" in run("--lang", "sv", "validate", MINI, "--lang", "fi").stdout


@pytest.mark.parametrize("args, lang", [((), "fi"), (("--lang", "sv"), "sv"),
                                        (("plan",), "fi"), (("plan", "--lang", "en"), "en"),
                                        (("neo4j", "--lang=sv"), "sv")])
def test_a_group_given_nothing_or_only_lang_shows_its_help_and_says_nothing_more(
        args: tuple[str, ...], lang: str) -> None:
    """`polku`, `polku plan` and `polku --lang sv` show the help page, in that language,
    with click's ending for it (exit 2) and no problem on stderr (`polku plan` once added
    "the command line is not understood ()", and `--lang` alone was "Missing command.")."""
    r = run(*args, env={"POLKU_LANG": None, **WIDE})
    tr = translator(lang)
    assert r.exit_code == 2
    assert r.stdout.lstrip().startswith(tr("Usage:") + " "), r.stdout
    assert r.stderr == ""


def test_a_missing_argument_is_named_as_its_help_names_it() -> None:
    """The problem names the argument by the name its help page gives it, in the reader's
    language, also after a page in another language in the same process."""
    assert run("findings", "--lang", "sv").stderr == "fel: EKOSYSTEM saknas\n"
    assert run("diff", "x", "--lang", "en").stderr == "error: B is missing\n"
    assert "{EKOSYSTEM}" in run("findings", "--help", "--lang", "sv", env=WIDE).stdout
    assert run("findings", env={"POLKU_LANG": None}).stderr == "virhe: AINEISTO puuttuu\n"


# -- at 80 columns nothing is cut off ----------------------------------------------------

#: an administrator's terminal: rich once ended names with "…" here (--session-recheck-sec…)
NARROW = {"COLUMNS": "80", "TERMINAL_WIDTH": "80"}


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The help drawn 80 columns wide. typer reads TERMINAL_WIDTH once, when its rich
    module is first imported (by whichever help page this process drew first, maybe a
    WIDE one): it is set here as that import would have set it."""
    from typer import rich_utils

    monkeypatch.setattr(rich_utils, "MAX_WIDTH", 80)


def _names(command: click.Command) -> set[str]:
    """The option names and the environment variables a command's help page names: each
    ``--option``, each option's env var, and each POLKU_… its help texts mention."""
    names = {opt for p in command.params for opt in p.opts if opt.startswith("--")}
    for p in command.params:
        envvar = getattr(p, "envvar", None)
        names |= {envvar} if isinstance(envvar, str) else set(envvar or ())
        names |= set(re.findall(r"POLKU_[A-Z0-9_]+", getattr(p, "help", None) or ""))
    names |= set(re.findall(r"POLKU_[A-Z0-9_]+", command.help or ""))
    return names


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", [p for p, _ in TREE], ids=lambda p: " ".join(p) or "polku")
def test_at_80_columns_every_option_and_environment_variable_is_shown_whole(
        path, lang, narrow) -> None:
    r = run(*path, "--help", env={**NARROW, "POLKU_LANG": lang})
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.stdout.splitlines()) >= 79, r.stdout  # as wide as that
    assert max(len(line) for line in r.stdout.splitlines()) <= 80, r.stdout
    # no "…" but the help texts' own (`polku findings neo4j://…`)
    with pytest.MonkeyPatch.context() as wider:
        wider.setattr(typer.rich_utils, "MAX_WIDTH", 1000)
        wide = run(*path, "--help", env={**WIDE, "POLKU_LANG": lang}).stdout
    assert r.stdout.count("…") == wide.count("…"), r.stdout
    words = set(re.findall(r"[-\w]+", r.stdout))
    missing = sorted(_names(dict(TREE)[path]) - words)
    assert not missing, (missing, r.stdout)
    # a list of choices folds between choices, never inside one (``gra`` / ``phml``)
    choices = {c for p in dict(TREE)[path].params
               for c in getattr(p.type, "choices", ()) if isinstance(c, str)}
    beside_bars = set(re.findall(r"[\w-]+(?=\|)|(?<=\|)[\w-]+", r.stdout))
    assert beside_bars <= choices, (sorted(beside_bars - choices), r.stdout)


def test_the_serve_page_at_80_columns_names_its_longest_options_and_variables(narrow) -> None:
    """The page the review read: the longest names on one line each, none cut."""
    r = run("serve", "--help", "--lang", "en", env=NARROW)
    lines = r.stdout.splitlines()
    for name in ("--session-recheck-seconds", "--session-grace-seconds",
                 "POLKU_OIDC_CLIENT_SECRET", "POLKU_SESSION_RECHECK_SECONDS",
                 "POLKU_SESSION_GRACE_SECONDS", "https://id.example.fi/realms/ku"):
        assert [line for line in lines if name in line], (name, r.stdout)


def test_a_command_runs_without_loading_the_help_pages_tables() -> None:
    """rich's tables draw a help page's options (:mod:`polku.cli.help_table`); a command that
    only answers (``polku findings``) starts without them: a sixtieth of a second less at
    every run, a fortieth of ``polku findings`` on a national graph."""
    import subprocess
    import sys

    from helpers import ROOT

    code = ("import sys\nfrom polku.cli.commands import app\n"
            "try:\n    app(['findings', 'graphs/keski-uusimaa', '--format', 'json'])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'polku'}), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert '"kind"' in done.stdout
    assert done.stderr.strip() == "['polku']"
    # and a help page still draws its options through them
    r = run("findings", "--help", env={"COLUMNS": "80"})
    assert "--max-concurrent-leads" in r.stdout


# -- what a help page promises is what the command does ------------------------------------

def _help(*command: str) -> str:
    r = run(*command, "--help", "--lang", "en", env=WIDE)
    assert r.exit_code == 0, r.output
    return " ".join(r.stdout.split())


def test_whatif_remove_says_an_actor_goes_with_its_units_and_leaves_services() -> None:
    """Removing an actor removes it and its units, and the services only they provided
    stay without a provider (README, polku.analyses.whatif): not "with all it provides"."""
    text = _help("whatif")
    assert "with all it provides" not in text
    assert ("an actor (with its units; services only they provided are left without a "
            "provider)") in text


def test_report_help_names_every_format_it_writes() -> None:
    """`polku report -o report.pdf` (or --format pdf) works: the summary says PDF."""
    assert "as self-contained HTML, markdown or PDF." in _help("report")
    assert "PDF" in _help()  # the command list shows the summary too


def test_a_count_with_a_limit_says_its_range_in_the_help() -> None:
    """`-k 0` is refused as "a whole number from 1 to 50": the help says the range before
    anyone types it (and so do the two --top of the rankings), in the reader's numbers."""
    from polku.kinds import MAX_TOP
    from polku.ops.operations import MAX_PATHS

    assert MAX_PATHS == 50 and MAX_TOP == 100_000
    assert "How many best paths: 1 to 50. [default: 5]" in _help("paths")
    assert "How many services to rank: 1 to 100,000. [default: 20]" in _help("bottlenecks")
    assert "Services in the bottleneck ranking: 1 to 100,000. [default: 10]" in _help("report")
    r = run("bottlenecks", "--help", "--lang", "fi", env=WIDE)
    assert "1–100\u00a0000" in r.stdout or "1–100 000" in " ".join(r.stdout.split())


def test_a_count_that_is_no_number_is_one_line_and_a_usage_error() -> None:
    """`-k x` is one clear line naming the option, as `-k 0` is; it ends with click's status
    for a command line not understood (2), where a value understood and refused by the
    question ends with 1 (the README's rule, under Languages)."""
    from helpers import EXAMPLE_TTL

    for option in ("-k", "--max-expansions"):
        r = run("paths", EXAMPLE_TTL, "--segment", "seg-nuoret", option, "x", "--lang", "en")
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"error: {option}: 'x' is not a "
                                                           "whole number\n")
    r = run("paths", EXAMPLE_TTL, "--segment", "seg-nuoret", "-k", "0", "--lang", "en")
    assert (r.exit_code, r.stderr) == (1, "error: -k: the number of paths must be a whole "
                                          "number from 1 to 50, not 0\n")


def test_an_extra_argument_is_named_whole_in_every_language() -> None:
    """Found by a newcomer: `polku suggest GRAPH KEY` (the key without --finding) said
    'unexpected argument: s) (over-capacity:…' in every language: the message was cut from
    the first parenthesis of click's 'argument(s) (…)'."""
    from helpers import EXAMPLE_TTL

    for lang, said in (("en", "error: unexpected argument: "),
                       ("fi", "virhe: ylimääräinen argumentti: "),
                       ("sv", "fel: oväntat argument: ")):
        r = run("suggest", EXAMPLE_TTL, "over-capacity:talous-ja-velkaneuvonta", "--lang", lang)
        assert (r.exit_code, r.stderr) == (2, said + "over-capacity:talous-ja-velkaneuvonta\n")
    r = run("show", EXAMPLE_TTL, "extra", "(b)", "--lang", "en")
    assert r.stderr == "error: unexpected argument: extra (b)\n"


def test_whatif_suppress_says_what_the_public_reads_of_the_queue() -> None:
    """`whatif --capacity ips=25 --suppress` reads the inflow 'at least' the published part
    and hides the modelled utilisation with the waits (the pages and the API do the same:
    the model's figures would give the small number back, docs/workbook.md, Privacy); the
    help promised "inflow and utilisation" read 'at least'. It says what is shown now; the
    rankings, whose utilisation is a lower bound, keep the shared help."""
    from helpers import EXAMPLE_TTL

    text = _help("whatif")
    assert "(a service's inflow and utilisation)" not in text
    assert ("a service whose inflow rests on one reads 'at least' the published part of its "
            "inflow, and what the queue model computes from the inflow (effective capacity, "
            "modelled utilisation, waits, whether the queue grows) is hidden with it") in text
    assert "(a service's inflow and utilisation) reads 'at least'" in _help("bottlenecks")
    r = run("whatif", EXAMPLE_TTL, "--capacity", "ips=25", "--suppress", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "clients a month: at least 14 (the published referrals into it)" in r.stdout
    assert "modelled utilisation" not in r.stdout
    assert "the model's wait, utilisation and verdict are hidden with them" in r.stdout


@pytest.mark.parametrize("args, env_lang, said", [
    (("--nosuch",), "fi", "virhe: valitsinta ei ole: --nosuch\n"),
    (("--nosuch", "show"), "fi", "virhe: valitsinta ei ole: --nosuch\n"),
    (("--lang", "sv", "--nosuch"), "fi", "fel: alternativet finns inte: --nosuch\n"),
    (("--nosuch",), "en", "error: no such option: --nosuch\n"),
    (("--lang",), "fi", "virhe: --lang tarvitsee arvon\n"),
])
def test_a_top_level_option_problem_is_said_as_a_commands_is(
        args: tuple[str, ...], env_lang: str, said: str) -> None:
    """``polku --nosuch`` answered in typer's English box ("Try 'polku --help' for help.",
    "No such option: --nosuch") under a Finnish usage line, where ``polku serve --nosuch``
    says "virhe: valitsinta ei ole: --nosuch": the top level's options are problems like
    any command's, one line in the reader's language, exit 2."""
    r = run(*args, env={"POLKU_LANG": env_lang})
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", said), r.output
    command = run("serve", "--nosuch", env={"POLKU_LANG": env_lang}).stderr
    if args == ("--nosuch",):
        assert command == said


def test_polku_version_says_the_version_kept_in_one_place() -> None:
    """``polku --version`` (there was none) prints the version that pyproject.toml reads
    from ``polku.__version__`` (one place: ``[tool.setuptools.dynamic]``), which the API's
    documentation page shows too; 0.2.0 since 0.1.0 is the release the README's
    *Upgrading* speaks of upgrading from."""
    import tomllib
    from pathlib import Path

    import polku
    from fastapi.testclient import TestClient

    from polku.app import create_app

    assert polku.__version__ == "0.2.0"
    for args in (("--version",), ("--lang", "sv", "--version")):
        r = run(*args, env={"POLKU_LANG": "fi"})
        assert (r.exit_code, r.stdout, r.stderr) == (0, "polku 0.2.0\n", ""), r.output
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml")
                            .read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "polku.__version__"}
    assert TestClient(create_app([])).get("/openapi.json").json()["info"]["version"] == "0.2.0"
    # the help page lists it, in the reader's language
    assert "--version" in run("--help", env={"POLKU_LANG": "fi", **WIDE}).stdout
