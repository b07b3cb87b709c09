"""What the commands share: their common options (the graph, the language, the small-cell
choice, the progress display), the model of a graph and the audience a file is for, and
the lines that say what was written."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer

from polku.cli.problems import reader_language
from polku.errors import PolkuError, PolkuErrors
from polku.present.i18n import Translator, error_text, translator, type_name
from polku.kinds import LONG_WAIT_DAYS
from polku.io import formats
from polku.io.load import load_graph, save_graph
from polku.ops import operations as ops
from polku.ops.model import Model
from polku.privacy import EDITOR, MIN_CELL, PUBLIC
from polku.words import N_


def steps_in(lang: str | None) -> Callable[[str], str]:
    """How a long command's progress steps read (catalogued phrases of the library) in
    the reader's language."""
    from polku.present.i18n import error_param

    tr = translator(lang)
    return lambda step: str(error_param(step, tr))


#: one format by two names: the report's ``md`` is the findings' ``markdown``
SAME_FORMAT = {"md": "markdown", "markdown": "md"}


def check_format(format: str, choices: tuple[str, ...]) -> str:
    """The output format as the command names it (``md`` or ``markdown``, whichever it
    takes, for either); refused when the command does not print it."""
    if format not in choices and SAME_FORMAT.get(format) in choices:
        return SAME_FORMAT[format]
    if format not in choices:
        raise PolkuError(N_("unknown format '{format}' (use one of {choices})"),
                         params={"format": format, "choices": ", ".join(choices)},
                         field="format")
    return format


#: the choices of ``export --to``: every format of the registry
ExportFormat = Enum("ExportFormat", [(n.replace("-", "_"), n) for n in formats.FORMATS],
                    type=str)


Suppress = typer.Option(None, "--suppress/--no-suppress", show_default=False, help=N_(
    "Small cells (segment sizes, clients per month above 0 and below --min-cell) are left "
    "out of what goes to other people ({shared_formats}, pages, the report) and kept in the "
    "owner's working copies ({own_formats}); this flag turns that on or off."))
MinCell = typer.Option(MIN_CELL, "--min-cell", min=1, help=N_("Counts below this are small cells."))
#: --suppress of the owner's questions at the terminal: the true figures unless asked
PublicAnswer = typer.Option(False, "--suppress/--no-suppress", help=N_(
    "Answer as the public reads it (the API and the pages without a token): small cells "
    "left out, and a total one is part of (a service's inflow and utilisation) reads 'at "
    "least' the published part. Default: the owner's true figures (a question at the "
    "owner's own terminal, not a file for others)."))

#: ``--suppress`` of the queueing what-if: its utilisation is the model's, computed from
#: the whole inflow, and hidden with it (docs/workbook.md, Privacy), not a lower bound
PublicWhatIf = typer.Option(False, "--suppress/--no-suppress", help=N_(
    "Answer as the public reads it (the API and the pages without a token): small cells "
    "left out; a service whose inflow rests on one reads 'at least' the published part of "
    "its inflow, and what the queue model computes from the inflow (effective capacity, "
    "modelled utilisation, waits, whether the queue grows) is hidden with it, as trying "
    "capacities would give the small number back. Default: the owner's true figures (a "
    "question at the owner's own terminal, not a file for others)."))


def model_of(source: str, min_cell: int = MIN_CELL) -> Model:
    """The model of the graph in ``source`` (the owner's: an editor reads it)."""
    return Model(load_graph(source), min_cell=min_cell)


def audience_of(suppress: bool) -> str:
    """A file meant for others (small cells left out) is for the public."""
    return PUBLIC if suppress else EDITOR


def for_file(g, fmt: str, suppress: Optional[bool], min_cell: int):
    """The graph as a file in the format ``fmt`` carries it: a format that goes to other
    people (:func:`polku.io.formats.shared`) leaves small cells out, the owner's own formats
    keep them; ``--suppress``/``--no-suppress`` decide otherwise. Every command that writes
    a graph file decides so, whatever it read the graph from."""
    return Model(g, min_cell=min_cell).published(file_audience(fmt, suppress)).graph


def file_audience(fmt: str, suppress: Optional[bool]) -> str:
    """Who reads a file in the format ``fmt``: the public for a format that goes to other
    people (:func:`polku.io.formats.shared`), the editor for the owner's own;
    ``--suppress``/``--no-suppress`` decide otherwise."""
    return audience_of(suppress if suppress is not None else formats.shared(fmt))


def left_out_note(out, min_cell: int, tr: Translator, read, cells=None,
                  err: bool = False) -> None:
    """Say how many small cells the written file ``out`` leaves out: a reader of the file
    would otherwise take its totals for the whole. Those the graph ``read`` already lacked
    (a copy meant for others, read back) are said apart: ``--no-suppress`` cannot bring
    them back, and the file's totals lack them all the same. ``cells``: the figures the
    file writes (``Format.cells_written``; None: all of the graph's), so a chart of one
    segment counts its own, not the whole graph's. ``err``: on stderr, for a command whose
    stdout is its answer (``eventlog --format json`` must stay JSON)."""
    from polku import privacy

    before = privacy.left_out(read, cells)
    if dropped := privacy.left_out(out, cells) - before:
        typer.echo(tr("note: {note}").format(note=tr.ngettext(
            "{n} small cell (a count from 1 to {most}) is left out of this file meant for "
            "others; --no-suppress keeps it in the owner's copy",
            "{n} small cells (counts from 1 to {most}) are left out of this file meant for "
            "others; --no-suppress keeps them in the owner's copy", dropped).format(
                # the file's own threshold: a graph hidden below 10 already stays so
                n=tr.number(dropped), most=privacy.threshold(out, min_cell) - 1)), err=err)
    if before:
        typer.echo(tr("note: {note}").format(note=tr.ngettext(
            "{n} small cell was left out already of what was read (a copy meant for "
            "others): the file lacks it too, and its totals are at least what they say",
            "{n} small cells were left out already of what was read (a copy meant for "
            "others): the file lacks them too, and its totals are at least what they say",
            before).format(n=tr.number(before))), err=err)


def asked(operation: object, model: Model, who: str = EDITOR) -> tuple:
    """An operation's answer for ``who`` and the graph that reader sees (the answer is worded
    from it)."""
    return ops.answer(operation, model, who), model.published(who).graph


#: --changes of the commands that take --since: which change log to read
ChangeLogOption = typer.Option(
    None, "--changes", help=N_("The change log for --since (default: the one polku serve keeps, "
                               ".polku/NAME.changes.jsonl beside the source)."))
Lang = typer.Option(None, "--lang", envvar="POLKU_LANG", show_default=False,
                    help=N_("The language of what is written for people: fi, sv or en (default: "
                            "POLKU_LANG, else fi)."))

Quiet = typer.Option(False, "--quiet", "-q", help=N_("No progress display (it shows only on a "
                                                     "terminal anyway)."))

#: the long-wait threshold every command that finds (or words) findings takes
LongWaitDays = typer.Option(LONG_WAIT_DAYS, "--long-wait-days", help=N_(
    "long-wait fires above this median wait."))
GraphArg = typer.Argument(..., metavar=N_("GRAPH"), help=N_(
    "A graph (.ttl, .jsonld), a workbook (CSV folder or "
    ".xlsx), or a neo4j:// URI."))


def counted(counts: dict[str, int], tr: Translator) -> str:
    """``actors 17, services 40 …`` (the node types there are), by their plural names in
    ``tr``'s language, English too (``plan measures 18``, not the type's id)."""
    return ", ".join(f"{type_name(k, tr, plural=True)} {n}" for k, n in counts.items() if n)


def wrote(output: Path, counts: dict[str, int], tr: Translator) -> str:
    """``wrote OUTPUT: actors 17, services 40 …`` in ``tr``'s language."""
    return tr("wrote {output}: {counts}").format(output=output, counts=counted(counts, tr))


def save_imported(result, source: str, output: Path, fmt: str, unit: str,
                  tr: Translator | None = None) -> None:
    """Check a graph read from another publisher's data against polku's shapes, write it,
    and say what the reader noted and what had no place (counted in ``unit``s)."""
    from polku.io.validate import shacl_problems

    tr = tr or reader_language()
    problems = shacl_problems(result.graph, source)
    if problems:
        raise PolkuErrors(problems)
    save_graph(result.graph, output, fmt)
    for note in result.notes:
        typer.echo(tr("note: {note}").format(
            note=error_text(note, tr) if isinstance(note, PolkuError) else note))
    for where, n in sorted(result.unplaced.items()):
        if unit == "triple":
            typer.echo(tr.ngettext("no place in polku's graph: {where} ({n} triple)",
                                   "no place in polku's graph: {where} ({n} triples)",
                                   n).format(where=where, n=n))
        else:
            typer.echo(tr.ngettext("no place in polku's graph: {where} ({n} service)",
                                   "no place in polku's graph: {where} ({n} services)",
                                   n).format(where=where, n=n))
