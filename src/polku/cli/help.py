"""Every help page of ``polku`` in the reader's language.

The texts are catalogued English sources (``help=N_("…")``) kept in the click tree typer
builds; a help page words them, and click's and typer's own words on it, as it is drawn.
:class:`PolkuTyper` is the group whose commands and sub-groups get such pages.
"""

from __future__ import annotations

import inspect
import string
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, Optional

import typer
import typer.core

from polku.cli.problems import fail, reader_language
from polku.io import formats
from polku.present.i18n import Translator, translator
from polku.words import N_

if TYPE_CHECKING:  # typer's own copy of click, whose classes typer's commands are
    from typer._click.formatting import HelpFormatter


def flowing(text: str | None) -> str | None:
    """``text`` (a docstring or help string) as flowing paragraphs: the line breaks a
    docstring has to keep its source lines short are joined, so help wraps to the terminal
    instead of showing them mid-sentence (typer's command list keeps them). Paragraphs stay
    apart (a blank line); one that starts with ``\\b`` keeps its lines, as click does;
    anything after ``\\f`` (not for the reader) is left as it is."""
    if not text:
        return text
    shown, cut, rest = inspect.cleandoc(text).partition("\f")
    paragraphs = [p.strip("\n") if p.lstrip("\n").startswith("\b") else " ".join(p.split())
                  for p in shown.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p) + cut + rest


# -- help in the reader's language ------------------------------------------------------
# Every help text (a command's, a group's, an option's, an argument's) is written in the
# code as its English source, a catalogued text (``help=N_("…")``), and shown in the
# reader's language: --lang as typed, else POLKU_LANG, else Finnish (:func:`help_reader`).
# The click tree typer builds for one run holds the English; a help page, when one is
# asked for, words the tree's texts first (:func:`speak_help`), and so do click's and
# typer's own words on it (:data:`USAGE`, :data:`HELP_OPTION`, :data:`TYPER_WORDS`).

#: the usage line's first word (click's own, English only)
USAGE = N_("Usage:")
#: the usage line's placeholders for any option and for a group's command (click's own)
USAGE_PLACEHOLDERS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
#: what the --help option does (click's own line, English only)
HELP_OPTION = N_("Show this message and exit.")
#: typer's fixed words on a help page, by their names in ``typer.rich_utils``: typer makes
#: them once, in English, when it is imported (:func:`typer_words` words them)
TYPER_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}


def formats_help(tr: Translator) -> str:
    """The formats ``export --to`` writes and what each is (:data:`polku.io.formats.FORMATS`),
    in ``tr``'s language.

    >>> formats_help(translator("en")).split("; ")[0]
    "turtle (.ttl/.turtle): polku's own RDF file"
    """
    folder = tr(N_("a folder"))  # not inside the f-string: the extractor would not see it
    return "; ".join(f"{f.name} ({folder if f.is_folder else '/'.join(f.suffixes)}): "
                     f"{tr(f.description)}" for f in formats.FORMATS.values()) + "."


def _titles(shared: bool, tr: Translator) -> str:
    """The formats that go to other people (or stay with the owner), by what people call
    them, in ``tr``'s language (``workbook``: ``työkirja``)."""
    return ", ".join(tr(f.title) for f in formats.FORMATS.values() if f.shared is shared)


#: what a help text names by a placeholder (``{formats}``): lists kept in a registry,
#: worded when the help is shown
HELP_VALUES: dict[str, Callable[[Translator], str]] = {
    "formats": formats_help,
    "shared_formats": lambda tr: _titles(True, tr),
    "own_formats": lambda tr: _titles(False, tr),
    "segment_formats": lambda tr: formats.taking("segment"),
    "k_formats": lambda tr: formats.taking("k"),
    # the bounds the operations' checks hold a count to, as the reader writes numbers
    "max_paths": lambda tr: tr.number(_bound("polku.kinds", "MAX_PATHS")),
    "max_top": lambda tr: tr.number(_bound("polku.kinds", "MAX_TOP")),
}


def _bound(module: str, name: str) -> int:
    """A limit kept where the check that holds a parameter to it lives (imported when a help
    page names it)."""
    import importlib

    return int(getattr(importlib.import_module(module), name))

#: one help text of the click tree: the command or parameter showing it, the attribute it
#: is kept in, and its English source (the catalogue's msgid)
HelpSource = tuple[object, str, str]


def worded_help(text: str, tr: Translator) -> str:
    """A help text's English source in ``tr``'s language, its placeholders filled from
    :data:`HELP_VALUES`, as :func:`flowing` paragraphs.

    >>> worded_help("Rows per statement.", translator("sv"))
    'Rader per sats.'
    """
    said = tr(text)
    names = {name for _, name, _, _ in string.Formatter().parse(said) if name}
    if names:
        said = said.format(**{name: HELP_VALUES[name](tr) for name in names})
    return flowing(said) or said


def help_sources(command: typer.core.TyperCommand | typer.core.TyperGroup) -> list[HelpSource]:
    """Every help text of ``command``, of its parameters and of every command under it."""
    found: list[HelpSource] = [(command, attr, getattr(command, attr))
                               for attr in ("help", "short_help")]
    found += [(param, "help", getattr(param, "help", None)) for param in command.params]
    # what stands for a value in the usage line and the panels (GRAPH: AINEISTO)
    found += [(param, "metavar", param.metavar) for param in command.params]
    for sub in getattr(command, "commands", {}).values():
        found += help_sources(sub)
    return [(shown_by, attr, text) for shown_by, attr, text in found if text]


def speak_help(sources: list[HelpSource], tr: Translator) -> None:
    """Put every help text of ``sources`` in ``tr``'s language (always from its English
    source: one tree can be shown in another language later)."""
    for shown_by, attr, text in sources:
        setattr(shown_by, attr, worded_help(text, tr))


def help_reader(ctx: typer.Context) -> Translator:
    """The language of a help page: ``--lang`` as typed anywhere on the command line
    (click shows the help as soon as it reads ``--help``, before ``--lang`` is read), else
    POLKU_LANG, else Finnish, as :func:`reader_language` decides for problems."""
    from polku.present.usage import given

    return reader_language(given(ctx.find_root().meta.get(TYPED, []), ["--lang"]))


#: where the root context keeps the arguments as typed (shared by its sub-contexts)
TYPED = "polku.args"


@contextmanager
def typer_words(tr: Translator) -> Iterator[None]:
    """typer's fixed words (:data:`TYPER_WORDS`) in ``tr``'s language while one help page is
    drawn. typer reads them from its module's constants and has no other way to word them;
    they are put back as they were once the page is drawn, so nothing else sees them."""
    from typer import rich_utils

    before = {name: getattr(rich_utils, name) for name in TYPER_WORDS}
    try:
        for name, msgid in TYPER_WORDS.items():
            setattr(rich_utils, name, tr(msgid))
        yield
    finally:
        for name, value in before.items():
            setattr(rich_utils, name, value)


@contextmanager
def whole_names() -> Iterator[None]:
    """typer's options panels drawn as :class:`OptionsTable` while one help page is drawn
    (typer makes the table inside ``_print_options_panel`` from its module's ``Table``)."""
    from typer import rich_utils

    # rich's tables are loaded for a help page only: a command's run does without them
    from polku.cli.help_table import OptionsTable

    before = rich_utils.Table
    rich_utils.Table = OptionsTable
    try:
        yield
    finally:
        rich_utils.Table = before


class ReadersHelp:
    """A command or group whose help page is in the reader's language (:func:`help_reader`):
    the tree's help texts, the usage line, the --help option's line and typer's words."""

    def format_help(self, ctx: typer.Context, formatter: HelpFormatter) -> None:
        """Draw the help page (typer's) in the reader's language."""
        tr = help_reader(ctx)
        sources = getattr(ctx.find_root().command, "help_sources", [])
        speak_help(sources, tr)
        help_option = self.get_help_option(ctx)
        if help_option is not None:
            help_option.help = tr(HELP_OPTION)
        try:
            with typer_words(tr), whole_names():
                super().format_help(ctx, formatter)
        finally:
            # the tree holds English again: a problem found later in this process (tests
            # run many command lines in one) words an argument's name from its source
            speak_help(sources, translator("en"))

    def format_usage(self, ctx: typer.Context, formatter: HelpFormatter) -> None:
        """The usage line (click's), its words in the reader's language (the arguments'
        names too: :func:`speak_help` has worded them)."""
        tr = help_reader(ctx)
        pieces = [tr(piece) if piece in USAGE_PLACEHOLDERS else piece
                  for piece in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=tr(USAGE) + " ")


class PolkuCommand(ReadersHelp, typer.core.TyperCommand):
    """One of polku's commands: its help in the reader's language."""


def only_language(args: list[str]) -> bool:
    """Is ``args`` a ``--lang`` and nothing more (``--lang sv``, ``--lang=sv``)?

    >>> only_language(["--lang", "sv"]), only_language(["--lang=sv"]), only_language(["plan"])
    (True, True, False)
    """
    return (len(args) == 2 and args[0] == "--lang") or \
        (len(args) == 1 and args[0].startswith("--lang="))


class GroupHelp(ReadersHelp):
    """A group of commands whose help is in the reader's language, and whose ``--lang``
    (:func:`group_language`: ``polku --lang sv --help``) goes on to the command that follows
    (``polku --lang sv findings X`` reads as ``polku findings --lang sv X``)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        # `polku --lang sv` asks for what `polku` gives, the help page, in Swedish (not for
        # a command it leaves out); the page reads its language from the line as typed
        if self.no_args_is_help and not ctx.resilient_parsing and only_language(args):
            args = []
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def resolve_command(self, ctx: typer.Context, args: list[str]):  # type: ignore[no-untyped-def]
        from polku.present.usage import given

        name, command, rest = super().resolve_command(ctx, args)  # type: ignore[misc]
        lang = ctx.params.get("lang")
        if lang is not None and command is not None and given(rest, ["--lang"]) is None:
            rest = ["--lang", lang, *rest]  # before any "--" that ends the options
        return name, command, rest


class PolkuSubgroup(GroupHelp, typer.core.TyperGroup):
    """A group of commands under ``polku`` (``polku plan``): its help in the reader's
    language."""


def said_as_problem(error: Exception, ctx: typer.Context) -> None:
    """click's complaint about the command line (``error``) as one problem in the reader's
    language (:func:`polku.present.usage.usage_problem`), ending with click's status for a
    line not understood (exit 2); anything else is left to raise. A group given nothing
    (``polku plan``) has shown its help page: click's own ending for it (exit 2, nothing
    more said), not a problem with the line."""
    from polku.present.usage import given, is_usage_error, usage_problem

    if not is_usage_error(error) or type(error).__name__ == "NoArgsIsHelpError":
        return
    typed = ctx.find_root().meta.get(TYPED, [])
    try:
        fail(usage_problem(error, typed), reader_language(given(typed, ["--lang"])))
    except typer.Exit:
        raise typer.Exit(2) from None


class PolkuGroup(GroupHelp, typer.core.TyperGroup):
    """polku's commands, whose command-line mistakes (an unknown option, a value that is not
    a number) are problems like any other: one line in the reader's language, exit 2. Their
    help is in the reader's language (:class:`ReadersHelp`) and reads as flowing paragraphs
    (:func:`flowing`)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # built last, over its subcommands and groups already built: one walk covers all;
        # the tree reads in English (placeholders filled) until a help page words it
        self.help_sources = help_sources(self)
        speak_help(self.help_sources, translator("en"))

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        # kept before any option is read: a problem is worded by the --lang typed, and so is
        # a help page, which click shows as soon as it reads --help
        ctx.meta.setdefault(TYPED, list(args))
        try:
            return super().parse_args(ctx, args)
        except Exception as e:
            # polku's own options (`polku --nosuch`) are read here, before any command:
            # their problems are said as a command's are, not in typer's English box
            said_as_problem(e, ctx)
            raise

    def invoke(self, ctx):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except Exception as e:
            said_as_problem(e, ctx)
            raise


def group_language(lang: Optional[str] = typer.Option(
        None, "--lang", show_default=False, help=N_(
            "The language of this help and of the command that follows: fi, sv or en "
            "(default: POLKU_LANG, else fi)."))) -> None:
    """``--lang`` of polku and of its groups: a help page reads it as typed
    (:func:`help_reader`) and a group passes it on to its command
    (:meth:`GroupHelp.resolve_command`), so the group itself has nothing to do with it."""


def show_version(asked: bool) -> None:
    """``polku --version``: the version (``polku.__version__``, which pyproject.toml reads:
    one place), and nothing more."""
    if asked:
        import polku

        typer.echo(f"polku {polku.__version__}")
        raise typer.Exit()


def root_options(lang: Optional[str] = typer.Option(
        None, "--lang", show_default=False, help=N_(
            "The language of this help and of the command that follows: fi, sv or en "
            "(default: POLKU_LANG, else fi).")),
        version: bool = typer.Option(
            False, "--version", is_eager=True, callback=show_version,
            help=N_("Show polku's version and exit."))) -> None:
    """``polku``'s own options: ``--lang`` as every group's (:func:`group_language`) and
    ``--version``, which answers before anything else is read."""


class PolkuTyper(typer.Typer):
    """A group of polku's commands (the root's class is :class:`PolkuGroup`, a sub-group's
    :class:`PolkuSubgroup`) whose commands are :class:`PolkuCommand`: every help page in the
    reader's language. The root takes ``--version`` too (:func:`root_options`)."""

    def __init__(self, *, cls: type[typer.core.TyperGroup] = PolkuSubgroup,
                 **kwargs) -> None:  # type: ignore[no-untyped-def]
        callback = root_options if issubclass(cls, PolkuGroup) else group_language
        super().__init__(cls=cls, callback=callback, **kwargs)

    def command(self, *args, cls: type[typer.core.TyperCommand] = PolkuCommand,
                **kwargs):  # type: ignore[no-untyped-def, override]
        return super().command(*args, cls=cls, **kwargs)
