"""``polku ptv``: the national service catalogue (PTV, Suomi.fi) read into a graph and
compared with a region's services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from polku import graph as graphmod
from polku.cli.help import PolkuTyper
from polku.cli.options import GraphArg, Lang, check_format, save_imported
from polku.cli.problems import reports_errors
from polku.errors import PolkuError, fields_named
from polku.present.i18n import translator
from polku.io.formats import check_output, format_for
from polku.io.load import load_graph
from polku.ops import operations as ops
from polku.ops.model import Model
from polku.words import N_


ptv_app = PolkuTyper(no_args_is_help=True, help=N_(
    "The national service catalogue (PTV, Suomi.fi): read its open-API v11 JSON."))


@ptv_app.command("import", help=N_(
    "Read PTV services and organisations into a valid workbook that a designer then completes "
    "with segments and referrals; report what had no place."))
@reports_errors
def ptv_import(
    files: list[Path] = typer.Argument(..., metavar=N_("FILES..."), help=N_(
        "PTV v11 JSON: Service and Organization objects, lists or pages of them (older versions "
        "are recognised and named).")),
    output: Path = typer.Option(..., "-o", "--output", help=N_(
        "The workbook to write (a folder, or .xlsx), or a graph (.ttl, .jsonld).")),
    name: str = typer.Option("ptv", "--name", help=N_("The graph's id (its graph sheet).")),
    lang: Optional[str] = Lang,
) -> None:
    """Read PTV services and organisations into a valid workbook that a designer then
    completes with segments and referrals; report what had no place."""
    from polku.io.ptv import read_ptv
    from polku.io.naming import check_graph_id

    check_graph_id(name)
    tr = translator(lang)
    fmt = format_for(output)
    check_output(output, fmt)
    result = read_ptv([str(f) for f in files], name)
    save_imported(result, ", ".join(str(f) for f in files), output, fmt, "service", tr)
    for where, n in sorted(result.unplaced_organisations.items()):
        typer.echo(tr.ngettext("no place in polku's graph: {where} ({n} organisation)",
                               "no place in polku's graph: {where} ({n} organisations)",
                               n).format(where=where, n=n))
    # each count with its word in the singular or plural it takes ("1 service")
    typer.echo(tr("wrote {output}: {services}, {organisations} (add segments, needs and "
                  "referrals next)").format(
        output=output,
        services=tr.ngettext("{n} service", "{n} services", result.services).format(
            n=result.services),
        organisations=tr.ngettext("{n} organisation", "{n} organisations",
                                  result.organisations).format(n=result.organisations)))


@ptv_app.command("compare", help=N_(
    "What differs between a region's graph and the national catalogue (PTV): services and "
    "organisations the graph lacks, entries whose PTV record is gone or changed, each as a "
    "proposed row edit; --apply writes the chosen ones."))
@reports_errors
def ptv_compare(
    source: str = GraphArg,
    files: list[Path] = typer.Argument(..., metavar=N_("FILES..."), help=N_(
        "The catalogue: PTV JSON of the region's services and organisations (all of them: a "
        "record not given reads as gone).")),
    format: str = typer.Option("text", "--format", help=N_("text, json or html.")),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help=N_("Where to write (html needs it).")),
    municipality: Optional[list[str]] = typer.Option(
        None, "--municipality", help=N_("A municipality code of the region (repeat; default: the "
                                        "graph's region, its actors' regions and its services' "
                                        "areas).")),
    apply: bool = typer.Option(False, "--apply", help=N_("Write the proposed edits to the graph "
                                                         "as one change in its change log (undo: "
                                                         "polku undo).")),
    pick: Optional[str] = typer.Option(None, "--pick", help=N_(
        "With --apply: only these edits, by their numbers in the text output (1,3,4).")),
    who: str = typer.Option("polku ptv compare", "--who", help=N_("Who the change log names.")),
    lang: Optional[str] = Lang,
) -> None:
    """What differs between a region's graph and the national catalogue (PTV): services
    and organisations the graph lacks, entries whose PTV record is gone or changed, each
    as a proposed row edit; --apply writes the chosen ones."""
    from polku.io.ptv import read_ptv
    from polku.present.ptv_compare import compare_html, compare_text, ptv_worded

    check_format(format, ("text", "json", "html"))
    if format == "html" and output is None:
        raise PolkuError(N_("the html comparison is a page: give -o PAGE.html"), params={},
                         field="output")
    tr = translator(lang)
    model = load_graph(source)
    catalogue = read_ptv([str(f) for f in files], "ptv")
    operation = ops.PtvCompare(catalogue, tuple(municipality) if municipality else None,
                               ops.PtvCompare.parse_pick(pick) if apply else None)
    # the library's parameter as this command's option names it
    with fields_named({"municipalities": "municipality", "catalogue": "files"}):
        result = ops.answer(operation, Model(model))
    # a pick with no edit is refused before anything is printed or written
    chosen = operation.chosen(result) if apply else []
    # names beside the codes, in the reader's language; the edits applied stay as they are
    shown = ptv_worded(result, model, tr, catalogue.code_names)
    if format == "html":
        from polku.io import atomic

        # the page names the graph by its title in the reader's language, as the server's
        atomic.write_text(output, compare_html(shown, graphmod.title(model, tr.lang), tr))
        typer.echo(tr("wrote {output}").format(output=output))
    else:
        text = json.dumps(shown, ensure_ascii=False, indent=2) if format == "json" \
            else compare_text(shown, tr)
        if output is not None:
            from polku.io import atomic

            atomic.write_text(output, text + "\n")
            typer.echo(tr("wrote {output}").format(output=output))
        else:
            typer.echo(text)
    if apply:
        from polku.ops.batch import changelog_of, write_all
        from polku.ops.changelog import write_lock

        with write_lock(changelog_of(source), source):  # a server writing the same graph waits
            _, entry = write_all(source, model, chosen, who, "ptv compare")
        if entry is None:  # every chosen edit leaves its row as it was
            typer.echo(tr.ngettext("nothing written: the chosen edit changes nothing",
                                   "nothing written: the {n} chosen edits change nothing",
                                   len(chosen)).format(n=len(chosen)))
            return
        typer.echo(tr.ngettext("applied {n} edit to {source} as change {version} (undo: "
                               "polku undo {source})",
                               "applied {n} edits to {source} as change {version} (undo: "
                               "polku undo {source})", len(chosen)).format(
            n=len(chosen), source=source, version=entry["version"]))
