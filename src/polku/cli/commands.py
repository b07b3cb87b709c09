"""The commands of ``polku``: each parses its options, asks an operation
(:mod:`polku.ops`) or the library, and prints; bad input becomes one clear line per
problem (:mod:`polku.cli.problems`), and help pages are in the reader's language
(:mod:`polku.cli.help`)."""

from __future__ import annotations

import atexit
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from polku import graph as graphmod
from polku.cli.help import PolkuGroup, PolkuTyper
from polku.cli.neo4j import neo4j_app
from polku.cli.options import (ChangeLogOption, ExportFormat, GraphArg, Lang, LongWaitDays,
                               MinCell, PublicAnswer, PublicWhatIf, Quiet, Suppress, asked,
                               audience_of, check_format, file_audience, for_file,
                               left_out_note, model_of, save_imported, steps_in, wrote)
from polku.cli.changes import changes_app
from polku.cli.plan import plan_app
from polku.cli.problems import fail, long_running, reports_errors, says_own_warnings, warn
from polku.cli.ptv import ptv_app
from polku.errors import Counted, Phrase, PolkuError, PolkuErrors, Said, os_reason
from polku.gcpause import settle
from polku.present.i18n import Translator, check_lang, error_text, translator
from polku.kinds import MAX_CONCURRENT_LEADS
from polku.io import formats
from polku.io.formats import check_output, format_for
from polku.io.load import load_graph, save_graph
from polku.analyses.paths import MAX_EXPANSIONS
from polku.ops import operations as ops
from polku.present import operations as pages
from polku.ops.model import Model
from polku.present.printers import findings_output, review_output
from polku.words import N_, ngettext
from polku.progress import terminal_progress, wanted

app = PolkuTyper(cls=PolkuGroup, no_args_is_help=True, add_completion=False, help=N_(
    "polku: regional employment, social and health service ecosystems as knowledge graphs."))



@app.command("import", help=N_(
    "Import a workbook (or another publisher's CPSV-AP data), validate it, and write it."))
@reports_errors
def import_(
    workbook_path: Path = typer.Argument(..., metavar=N_("WORKBOOK"),
                                         help=N_("A folder of CSV sheets or an .xlsx file; or "
                                                 "another publisher's CPSV-AP data (.ttl, "
                                                 ".jsonld, .rdf, .nt).")),
    output: Path = typer.Option(..., "-o", "--output", help=N_(
        "The graph to write (.ttl or .jsonld; from CPSV-AP also a workbook folder or .xlsx).")),
    name: Optional[str] = typer.Option(None, help=N_("The graph's name for a workbook without a "
                                                     "graph sheet (default: the workbook's folder "
                                                     "or file name; never the output's).")),
    suppress: Optional[bool] = Suppress,
    min_cell: int = MinCell,
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """Import a workbook (or another publisher's CPSV-AP data), validate it, and write it."""
    from polku.io import workbook
    from polku.io.naming import check_graph_id
    from polku.io.validate import shacl_problems

    if name is not None:  # up front: a graph named so would be written, then not read back
        check_graph_id(name)
    other = formats.importer_for(workbook_path)
    if other is not None and workbook_path.suffix.lower() == ".json":
        from polku.io.ptv import is_ptv_json

        if is_ptv_json(workbook_path):  # .json is JSON-LD to the CPSV-AP reader: not this
            raise PolkuError(N_("this is PTV JSON, not CPSV-AP: import it with polku ptv "
                                "import {file} -o {output}"),
                             params={"file": str(workbook_path), "output": str(output)},
                             file=str(workbook_path), field="workbook_path")
    if other is not None:
        import_other(other, workbook_path, output, name, translator(lang))
        return
    fmt = formats.rdf_format_for(output)
    check_output(output, fmt, workbook_path)
    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        progress(Phrase(N_("reading {name}"), name=workbook_path.name))
        g = workbook.read_workbook(workbook_path, name=name)
        progress(Phrase(N_("checking the SHACL shapes")))
        problems = shacl_problems(g, str(workbook_path))
        if problems:
            raise PolkuErrors(problems)
        out = for_file(g, fmt, suppress, min_cell)
        progress(Phrase(N_("writing {name}"), name=output.name))
        save_graph(out, output, fmt)
    tr = translator(lang)
    typer.echo(wrote(output, graphmod.summary(g), tr))
    left_out_note(out, min_cell, tr, g)


def import_other(other: formats.Format, source: Path, output: Path, name: Optional[str],
                 tr: Translator) -> None:
    """`polku import` of another publisher's data (CPSV-AP): services, organisations and
    audiences into a graph or a workbook, and a report of what had no place."""
    fmt = format_for(output)
    check_output(output, fmt, source)
    result = formats.resolve(other.importer)(source, name)  # type: ignore[arg-type]
    save_imported(result, str(source), output, fmt, result.unit, tr)
    typer.echo(wrote(output, graphmod.summary(result.graph), tr))


@app.command(help=N_(
    "Export a valid graph: as a workbook, Turtle or JSON-LD, in CPSV-AP, or in an exchange "
    "format for other tools."))
@reports_errors
def export(
    source: str = GraphArg,
    to: ExportFormat = typer.Option(..., "--to", help=N_("The format: {formats}")),
    output: Path = typer.Option(..., "-o", "--output", help=N_("Where to write.")),
    segment: Optional[str] = typer.Option(None, "--segment", help=N_(
        "{segment_formats}: the segment whose best and designed paths to draw.")),
    k: int = typer.Option(3, "-k", min=1, help=N_("{k_formats}: best paths to draw.")),
    suppress: Optional[bool] = Suppress,
    min_cell: int = MinCell,
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """Export a valid graph: as a workbook, Turtle or JSON-LD, in CPSV-AP, or in an
    exchange format for other tools."""
    from polku.io.validate import validate as checked

    fmt = formats.get(to.value)
    check_output(output, fmt.name, source)
    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        g = checked(source, progress=progress)
        if segment is not None:
            from polku.analyses.paths import check_segment

            check_segment(g, segment)  # naming the segments, and the one likely meant
        out = for_file(g, fmt.name, suppress, min_cell)
        progress(Phrase(N_("writing {name}"), name=output.name))
        fmt.write(out, output, segment=segment, k=k, lang=lang)
    tr = translator(lang)
    typer.echo(tr("wrote {output}").format(output=output))
    left_out_note(out, min_cell, tr, g, fmt.cells_written(out, segment=segment, k=k))
    for note in formats.resolve(fmt.notes)(g) if fmt.notes else ():
        typer.echo(tr("note: {note}").format(note=error_text(note, tr)))


@app.command(help=N_(
    "Check a workbook or graph; list every problem and exit 1 if there are any. A workbook's "
    "warnings (a column or sheet polku does not read though its name is close to one it "
    "does) follow the problems; they fail the check only with --strict."))
@reports_errors
@says_own_warnings
def validate(source: str = GraphArg, quiet: bool = Quiet,
             strict: bool = typer.Option(False, "--strict", help=N_(
                 "Exit 1 on a workbook's warnings too (an unknown column or sheet whose name "
                 "is close to a known one), as in a repository's checks.")),
             lang: Optional[str] = Lang) -> None:
    """Check a workbook or graph; list every problem and exit 1 if there are any. A
    workbook's warnings (a column or sheet polku does not read though its name is close to
    one it does) follow the problems; they fail the check only with --strict."""
    from polku.io.unknown_names import workbook_warnings
    from polku.io.validate import validate as run

    tr = translator(lang)
    warnings = workbook_warnings(source)
    try:
        with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
            g = run(source, progress=progress)
    except PolkuError as e:  # the problems first, then the warnings that may explain them
        fail(e, tr, validate, warnings)
    warn(warnings, tr)
    n = g.number_of_nodes()
    # each count in its singular or plural (a graph of 1 node, 1 warning)
    nodes = tr.ngettext("{n} node", "{n} nodes", n).format(n=n)
    if not warnings:
        typer.echo(tr("{source}: valid ({nodes})").format(source=source, nodes=nodes))
        return
    w = len(warnings)
    if strict:
        typer.echo(tr.ngettext("error: {source} has {w} warning and --strict fails on it",
                               "error: {source} has {w} warnings and --strict fails on them",
                               w).format(source=source, w=w), err=True)
        raise typer.Exit(1)
    typer.echo(tr.ngettext("{source}: valid ({nodes}), {w} warning",
                           "{source}: valid ({nodes}), {w} warnings", w).format(
        source=source, nodes=nodes, w=w))


@app.command(help=N_(
    "Summarise a graph: counts by kind and what the graph is about."))
@reports_errors
def show(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help=N_("table or json.")),
    suppress: bool = PublicAnswer,
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """Summarise a graph: counts by kind and what the graph is about."""
    from polku.present.printers import describe_text
    from polku.present.results import described

    check_format(format, ("table", "json"))
    tr = translator(lang)
    info, g = asked(ops.Describe(), model_of(source, min_cell), audience_of(suppress))
    info = described(info, g, tr)
    typer.echo(json.dumps(info, ensure_ascii=False, indent=2) if format == "json"
               else describe_text(info, tr))


@app.command(help=N_(
    "Draw one interactive view as a self-contained, offline HTML page."))
@reports_errors
def render(
    source: str = GraphArg,
    output: Path = typer.Option(..., "-o", "--output", help=N_("The HTML page to write.")),
    view: str = typer.Option("ecosystem", "--view", help=N_("ecosystem, segment:ID, path:ID, "
                                                            "blueprint:ID (a designed path, or a "
                                                            "segment's best paths), "
                                                            "responsibility, plan or timeline.")),
    focus: Optional[str] = typer.Option(None, "--focus", help=N_(
        "Only what lies within --depth steps of this node id (both directions).")),
    depth: int = typer.Option(1, "--depth", min=0, help=N_("Steps around --focus.")),
    k: int = typer.Option(5, "-k", help=N_("segment view: best paths to highlight; a "
                                                  "segment's blueprint: best paths to draw.")),
    to: Optional[str] = typer.Option(None, "--to", help=N_(
        "segment view and a segment's blueprint: only paths to this outcome id (as polku "
        "paths --to).")),
    cluster_by: str = typer.Option("provider", "--cluster-by", help=N_(
        "Big graphs: cluster services by provider or region.")),
    long_wait_days: float = LongWaitDays,
    suppress: bool = typer.Option(True, "--suppress/--no-suppress", help=N_(
        "The page goes to other people: small cells (counts of people above 0 and below "
        "--min-cell) are left out of it; --no-suppress for the owner's own copy.")),
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """Draw one interactive view as a self-contained, offline HTML page."""
    from polku.io import atomic
    from polku.present.views import view_html

    lang = check_lang(lang)
    v = ops.answer(pages.ViewOf(view=view, focus=focus, depth=depth, k=k, to=to,
                                cluster_by=cluster_by, long_wait_days=long_wait_days,
                                lang=lang),
                   model_of(source, min_cell), audience_of(suppress))
    atomic.write_text(output, view_html(v))
    typer.echo(translator(lang)("wrote {output}").format(output=output))


@app.command(help=N_(
    "Every finding (gaps, overlaps, bottlenecks, broken paths, plan gaps), sorted, each with "
    "who must act and the plan measures on it, its stable key and its follow-up."))
@reports_errors
def findings(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help=N_("table, json or markdown.")),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help=N_("error or warning: exit 1 if any finding is at least this "
                                   "severe (for checks in a repository of graphs).")),
    long_wait_days: float = LongWaitDays,
    max_concurrent_leads: int = typer.Option(
        MAX_CONCURRENT_LEADS, "--max-concurrent-leads", help=N_(
            "actor-overload fires when an actor leads more plan measures than this in one month.")),
    actor: Optional[str] = typer.Option(
        None, "--actor", help=N_("Only the findings this actor (an actor id) answers for: those "
                                  "it or one of its units is accountable for.")),
    since: Optional[str] = typer.Option(
        None, "--since", help=N_("VERSION or DATE: the findings created and resolved since that "
                                 "change log version or day, and the follow-ups past due (instead "
                                 "of every finding).")),
    changes: Optional[Path] = ChangeLogOption,
    lang: Optional[str] = Lang,
) -> None:
    """Every finding (gaps, overlaps, bottlenecks, broken paths, plan gaps), sorted, each with
    who must act and the plan measures on it, its stable key and its follow-up."""
    from polku.finding import at_or_above

    format = check_format(format, ("table", "json", "markdown"))
    if fail_on not in (None, "error", "warning"):
        raise PolkuError(N_("unknown severity '{severity}' (use error or warning)"),
                         params={"severity": fail_on}, field="fail_on")
    tr = translator(lang)
    model = model_of(source)
    if since is not None:
        from polku.ops.review import history_of

        result, g = asked(ops.Review(since=since, history=history_of(source, model.graph, changes),
                                     long_wait_days=long_wait_days,
                                     max_concurrent_leads=max_concurrent_leads, actor=actor),
                          model)
        typer.echo(review_output(format, model.name, result, g, tr))
        return
    result, g = asked(ops.Findings(long_wait_days=long_wait_days,
                                   max_concurrent_leads=max_concurrent_leads, actor=actor),
                      model)
    followups = g.graph.get("followups") or {}
    present = None
    if actor is not None and followups:  # only this actor's findings: only their follow-ups
        present = {f.key for f in result}
        followups = {k: v for k, v in followups.items() if k in present}
    # JSON names the graph by its id, as code reads it; people read its title
    shown_as = model.name if format == "json" else graphmod.title(g, tr.lang)
    typer.echo(findings_output(format, shown_as, result, g, tr, followups, present))
    if fail_on and at_or_above(result, fail_on):
        raise typer.Exit(1)


@app.command(help=N_(
    "The action list per organisation to take away: one row per organisation and finding it is "
    "accountable for, then one per finding nobody is accountable for, with the plan measures "
    "and the follow-up."))
@reports_errors
def actions(
    source: str = GraphArg,
    actor: Optional[str] = typer.Option(None, "--actor", help=N_(
        "Only the findings this actor (an actor id) or one of its units answers for, under its "
        "organisation.")),
    format: Optional[str] = typer.Option(None, "--format", help=N_(
        "xlsx, csv, json or table (for reading at a terminal; default: as the output's name "
        "ends, else csv).")),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=N_(
        "Where to write (xlsx needs it; csv and json print without).")),
    long_wait_days: float = LongWaitDays,
    suppress: bool = typer.Option(True, "--suppress/--no-suppress", help=N_(
        "The action list goes to other people: small cells (segment sizes, clients per "
        "month above 0 and below --min-cell) are left out of it, as from the report and "
        "the API's public /actions; --no-suppress for the owner's own copy.")),
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """The action list per organisation to take away: one row per organisation and finding
    it is accountable for, then one per finding nobody is accountable for, with the plan
    measures and the follow-up."""
    from polku.io import atomic
    from polku.present.actions import ACTION_FORMATS, BOM, action_format_of, action_list

    # the file's name says its format (a.xlsx holding CSV text opens as a broken workbook)
    named = action_format_of(output.suffix) if output is not None else None
    if format is None:
        format = named or "csv"
    check_format(format, tuple(ACTION_FORMATS))
    if named is not None and named != format:
        raise PolkuError(N_("{output} is named as a .{named} file, but --format is {format}"),
                         params={"output": output.name,
                                 "named": output.suffix.lower().lstrip("."), "format": format},
                         field="output")
    kind = ACTION_FORMATS[format]
    if kind.binary and output is None:
        raise PolkuError(N_("a {format} action list is a file: give -o ACTIONS.{format}"),
                         params={"format": format}, field="output")
    tr = translator(lang)
    # the findings operation for the file's audience, as the API's /actions asks it
    found, g = asked(ops.Findings(long_wait_days=long_wait_days, actor=actor),
                     model_of(source, min_cell), audience_of(suppress))
    rows = action_list(g, found, actor, tr, plain=kind.plain)
    name = str(g.graph.get("name", "graph"))
    data = kind.write(name, graphmod.title(g, tr.lang), rows, tr,
                      tr.label(g, actor) if actor else "")
    if output is None:
        # a spreadsheet's byte order mark is for a file; a pipe (csv, cut) reads text
        typer.echo(data.removeprefix(BOM) if isinstance(data, str) else data, nl=False)
        return
    with atomic.output_file(output) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
    typer.echo(tr("wrote {output}").format(output=output))


@app.command(help=N_(
    "Verified suggestions: edits computed from the graph that would resolve a finding, each "
    "applied to a copy with the workbook's rules and the analyses rerun; offered only if it "
    "resolves its finding and creates no error. JSON edits are in the write API's terms."))
@reports_errors
def suggest(
    source: str = GraphArg,
    finding: Optional[str] = typer.Option(
        None, "--finding", help=N_("Only the suggestions for this finding (its key, as polku "
                                   "findings shows it).")),
    format: str = typer.Option("text", "--format", help=N_("text or json.")),
    long_wait_days: float = LongWaitDays,
    lang: Optional[str] = Lang,
) -> None:
    """Verified suggestions: edits computed from the graph that would resolve a finding,
    each applied to a copy with the workbook's rules and the analyses rerun; offered only
    if it resolves its finding and creates no error. JSON edits are in the write API's terms."""
    from polku.present.printers import suggestions_text
    from polku.present.results import suggestions_worded

    check_format(format, ("text", "json"))
    tr = translator(lang)
    result, g = asked(ops.Suggestions(finding=finding, long_wait_days=long_wait_days),
                      Model(load_graph(source)))
    said = suggestions_worded(result, g, tr)
    typer.echo(json.dumps(said, ensure_ascii=False, indent=2)
               if format == "json" else suggestions_text(said["worded"], tr,
                                                         said["declined_worded"],
                                                         result["suggestions"]))


@app.command(help=N_(
    "The RACI matrix: actors as columns, subjects as rows, who leads, takes part, is consulted "
    "or informed; rows with no lead or several leads marked (from the findings)."))
@reports_errors
def raci(
    source: str = GraphArg,
    format: Optional[str] = typer.Option(
        None, "--format", help=N_("table, csv, xlsx, json or html (default: from -o's suffix, "
                                  "else table).")),
    subjects: str = typer.Option("all", "--subjects", help=N_(
        "services, referrals, segments, measures or all.")),
    actor: Optional[str] = typer.Option(None, "--actor", help=N_(
        "Only this organisation (an actor id) and its units: their columns, and the rows "
        "where they hold a role.")),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=N_(
        "Write to this file (needed for xlsx; otherwise printed).")),
    lang: Optional[str] = Lang,
) -> None:
    """The RACI matrix: actors as columns, subjects as rows, who leads, takes part, is
    consulted or informed; rows with no lead or several leads marked (from the findings)."""
    from polku.present.actions import BOM
    from polku.present.raci_output import (BINARY_FORMATS, FORMATS, PAGE_FORMATS,
                                           raci_counts, raci_format, raci_text, raci_worded,
                                           write_raci)

    if format is not None:
        check_format(format, FORMATS)
    format = raci_format(format, output)
    if format in BINARY_FORMATS and output is None:
        raise PolkuError(N_("{format} is written to a file: name it with -o, e.g. -o "
                            "raci.{format}"), params={"format": format}, field="format")
    tr = translator(lang)
    m, g = asked(ops.Raci(subjects=subjects, actor=actor), model_of(source))
    m = raci_worded(m, g, tr.marking() if format in PAGE_FORMATS else tr)
    if output is None:
        # a spreadsheet's byte order mark is for a file; a pipe (csv, cut) reads text
        typer.echo(raci_text(m, format, tr, g).removeprefix(BOM))
        return
    write_raci(m, output, format, tr, g)
    typer.echo(tr("wrote {output}: {what}").format(output=output, what=raci_counts(m, tr)))


@app.command(help=N_(
    "Services ranked by betweenness and by flow, beside the bottleneck findings."))
@reports_errors
def bottlenecks(
    source: str = GraphArg,
    top: int = typer.Option(20, "--top", help=N_("How many services to rank: 1 to {max_top}.")),
    format: str = typer.Option("table", "--format", help=N_("table or json.")),
    suppress: bool = PublicAnswer,
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """Services ranked by betweenness and by flow, beside the bottleneck findings."""
    from polku.present.printers import bottlenecks_table
    from polku.present.results import bottlenecks_sent, bottlenecks_worded

    check_format(format, ("table", "json"))
    tr = translator(lang)
    result, g = asked(ops.Bottlenecks(top=top), model_of(source, min_cell),
                      audience_of(suppress))
    result = bottlenecks_worded(result, g, tr)
    typer.echo(json.dumps(bottlenecks_sent(result), ensure_ascii=False, indent=2)
               if format == "json"
               else bottlenecks_table(dict(result, graph=graphmod.title(g, tr.lang),
                                           min_cell=min_cell), tr))


@app.command(help=N_(
    "The k best paths of a segment to its outcomes (fewest needs left uncovered, then shortest "
    "wait, then fewest hand-offs between organisations), and its designed paths checked."))
@reports_errors
def paths(
    source: str = GraphArg,
    segment: str = typer.Option(..., "--segment", help=N_("The segment id.")),
    to: Optional[str] = typer.Option(None, "--to", help=N_("Only paths to this outcome id.")),
    k: int = typer.Option(5, "-k", help=N_("How many best paths: 1 to {max_paths}.")),
    format: str = typer.Option("table", "--format", help=N_("table or json.")),
    max_expansions: int = typer.Option(
        MAX_EXPANSIONS, "--max-expansions", min=0, help=N_("Partial paths the search may expand "
                                                           "before it gives good paths instead of "
                                                           "provably the best (the output says "
                                                           "so).")),
    suppress: bool = PublicAnswer,
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """The k best paths of a segment to its outcomes (fewest needs left uncovered, then
    shortest wait, then fewest hand-offs between organisations), and its designed paths
    checked."""
    from polku.present.printers import paths_text
    from polku.present.results import paths_worded

    check_format(format, ("table", "json"))
    tr = translator(lang)
    result, g = asked(ops.Paths(segment=segment, to=to, k=k, max_expansions=max_expansions),
                      model_of(source, min_cell), audience_of(suppress))
    result = paths_worded(result, g, tr)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if format == "json"
               else paths_text(result, tr))


@app.command(help=N_(
    "What a change would do: --remove gives the findings a removal creates and resolves; "
    "--capacity, --places and --demand give every affected service's utilisation and predicted "
    "wait (M/M/c queues, calibrated to the observed waits of the graph or of --eventlog) before "
    "and after, with the findings created and resolved."))
@reports_errors
def whatif(
    source: str = GraphArg,
    remove: Optional[str] = typer.Option(None, "--remove", help=N_(
        "Id of a service (with its referrals), an actor (with its units; services only they "
        "provided are left without a provider) or a referral.")),
    capacity: Optional[list[str]] = typer.Option(
        None, "--capacity", metavar=N_("SVC=N"), help=N_("Set a service's capacity per month "
                                                     "(repeatable).")),
    places: Optional[list[str]] = typer.Option(
        None, "--places", metavar=N_("SVC=C"), help=N_("Set a service's parallel places "
                                                   "(repeatable).")),
    demand: Optional[list[str]] = typer.Option(
        None, "--demand", metavar=N_("SVC=+20%"), help=N_("Change the demand at a service by a "
                                                      "percentage; it flows downstream with the "
                                                      "referral volumes (repeatable).")),
    calibrate: bool = typer.Option(True, "--calibrate/--no-calibrate", help=N_(
        "Model each service with an observed wait at the capacity that reproduces it (else at its "
        "nominal capacity).")),
    eventlog: Optional[Path] = typer.Option(None, "--eventlog", metavar=N_("LOG"), help=N_(
        "Take the observed waits and volumes from an event log's hand-offs (CSV, as polku "
        "eventlog reads).")),
    segment: Optional[str] = typer.Option(None, "--segment", help=N_(
        "A client segment id: only its services (those it can reach) may be changed or "
        "removed, as on the what-if page.")),
    format: str = typer.Option("table", "--format", help=N_("table or json.")),
    long_wait_days: float = LongWaitDays,
    suppress: bool = PublicWhatIf,
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """What a change would do: --remove gives the findings a removal creates and resolves;
    --capacity, --places and --demand give every affected service's utilisation and
    predicted wait (M/M/c queues, calibrated to the observed waits of the graph or of
    --eventlog) before and after, with the findings created and resolved."""
    from polku.present.printers import queue_whatif_text, whatif_text
    from polku.present.results import queue_worded, whatif_worded

    check_format(format, ("table", "json"))
    tr = translator(lang)
    operation = ops.whatif_operation(remove, capacity or [], places or [], demand or [],
                                     calibrate=calibrate, log=eventlog,
                                     long_wait_days=long_wait_days, segment=segment)
    result, g = asked(operation, model_of(source, min_cell), audience_of(suppress))
    # the answer worded, and printed, by the question asked
    word, text = {"removal": (whatif_worded, lambda r, t: whatif_text(r, t, g)),
                  "queueing": (queue_worded, queue_whatif_text)}[operation.name]
    result = word(result, g, tr)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if format == "json"
               # people read its title, in their language
               else text(dict(result, graph=graphmod.title(g, tr.lang)), tr))


@app.command(help=N_(
    "Median waits and monthly volumes per referral from an event log, and the hand-offs the "
    "graph has no referral for (unmodelled-flow findings)."))
@reports_errors
def eventlog(
    log: Path = typer.Argument(..., metavar=N_("LOG"), help=N_("An anonymised event log (CSV: case, "
                                                           "service, start, optional end and "
                                                           "segment).")),
    graph: str = typer.Option(..., "--graph", help=N_("The graph whose referrals get the log's "
                                                      "waits and volumes.")),
    output: Path = typer.Option(..., "-o", "--output", help=N_(
        "The graph to write (.ttl, .jsonld, .xlsx or a folder).")),
    format: str = typer.Option("table", "--format", help=N_("table or json.")),
    suppress: Optional[bool] = Suppress,
    min_cell: int = MinCell,
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """Median waits and monthly volumes per referral from an event log, and the hand-offs
    the graph has no referral for (unmodelled-flow findings)."""
    from polku.analyses.eventlog import apply_stats
    from polku.present.printers import eventlog_text
    from polku.present.results import eventlog_worded

    check_format(format, ("table", "json"))
    tr = translator(lang)
    fmt = format_for(output)
    check_output(output, fmt, log)
    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        progress(Phrase(N_("reading {name}"), name=graph))
        model = model_of(graph)
        progress(Phrase(N_("reading {name}"), name=log.name))
        stats, g = asked(ops.EventLog(log=log), model)
        stats = eventlog_worded(stats, g, tr)
        # the file's reader reads the log's figures as that audience does
        shown = ops.stats_for(file_audience(fmt, suppress), stats, min_cell)
        read = apply_stats(model.graph, shown)
        out = for_file(read, fmt, suppress, min_cell)
        progress(Phrase(N_("writing {name}"), name=output.name))
        save_graph(out, output, fmt)
    typer.echo(json.dumps(stats, ensure_ascii=False, indent=2) if format == "json"
               else eventlog_text(stats, tr) + "\n" + tr("wrote {output}").format(output=output))
    left_out_note(out, min_cell, tr, read, err=format == "json")  # JSON: stdout is the answer


@app.command(help=N_(
    "A five-minute summary for a leader, as self-contained HTML, markdown or PDF."))
@reports_errors
def report(
    source: str = GraphArg,
    output: Path = typer.Option(..., "-o", "--output", help=N_(
        "report.html, report.md or report.pdf.")),
    format: Optional[str] = typer.Option(
        None, "--format", help=N_("html, md or pdf (default: from the output's suffix); pdf is A4 "
                                  "with page numbers, contents and every section open.")),
    long_wait_days: float = LongWaitDays,
    top: int = typer.Option(10, "--top", help=N_("Services in the bottleneck ranking: 1 to "
                                                 "{max_top}.")),
    suppress: bool = typer.Option(True, "--suppress/--no-suppress", help=N_(
        "The report goes to other people: small cells (counts of people above 0 and below "
        "--min-cell) are left out of it, and a total they are part of reads 'at least'; "
        "--no-suppress for the owner's own copy.")),
    min_cell: int = MinCell,
    quiet: bool = Quiet,
    since: Optional[str] = typer.Option(
        None, "--since", help=N_("VERSION or DATE: add 'Changes since the last review' (findings "
                                 "created and resolved since then, follow-ups past due).")),
    changes: Optional[Path] = ChangeLogOption,
    lang: Optional[str] = Lang,
) -> None:
    """A five-minute summary for a leader, as self-contained HTML, markdown or PDF."""
    from polku.present.report import check_report_name, write_report_data

    tr = translator(lang)
    if format is not None:
        format = check_format(format, ("html", "md", "pdf"))
        wanted_suffixes = {"html": (".html", ".htm"), "md": (".md", ".markdown"),
                           "pdf": (".pdf",)}[format]
        if output.suffix.lower() not in wanted_suffixes:
            raise PolkuError(N_("a {format} report needs a name ending in {suffix}"),
                             params={"format": format, "suffix": wanted_suffixes[0]},
                             file=str(output), field="output")
    check_report_name(output)
    who = audience_of(suppress)
    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        progress(Phrase(N_("reading {name}"), name=source))
        model = model_of(source, min_cell)
        progress(Phrase(N_("finding gaps, overlaps and bottlenecks")))
        data = ops.answer(pages.Report(long_wait_days=long_wait_days, top=top, lang=tr.lang),
                          model, who, progress=progress)
        if since is not None:
            from polku.ops.review import history_of
            from polku.present.printers import review_shown

            progress(Phrase(N_("comparing with the last review")))
            review, seen = asked(ops.Review(
                since=since, history=history_of(source, model.graph, changes),
                long_wait_days=long_wait_days), model, who)
            # read by people, as the rest of the report: nodes by their names, a name in
            # another language marked with it for the HTML (the markdown drops the marks)
            data["changes"] = review_shown(review, seen, tr.plainly().marking())
        write_report_data(model.published(who).graph, data, output, tr, progress)
    typer.echo(tr("wrote {output}").format(output=output))


@app.command(help=N_(
    "What changed between two graphs: nodes and responsibilities added, removed and changed "
    "(old and new values), findings created and resolved. Exit 0 (an answer)."))
@reports_errors
def diff(
    a: str = typer.Argument(..., metavar=N_("A"), help=N_("The earlier version, or one region.")),
    b: str = typer.Argument(..., metavar=N_("B"), help=N_("The later version, or the other region.")),
    format: str = typer.Option("text", "--format", help=N_("text, json or html.")),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help=N_("Where to write (html needs it).")),
    long_wait_days: float = LongWaitDays,
    suppress: bool = typer.Option(True, "--suppress/--no-suppress", help=N_(
        "A diff goes to other people: small cells (segment sizes, clients per month above 0 "
        "and below --min-cell) read <5 on both sides of a change, and a change between two "
        "small cells is not listed; --no-suppress for the owner's true figures.")),
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """What changed between two graphs: nodes and responsibilities added, removed and
    changed (old and new values), findings created and resolved. Exit 0 (an answer)."""
    from polku.present.printers import diff_text
    from polku.present.results import diff_worded

    check_format(format, ("text", "json", "html"))
    if format == "html" and output is None:
        raise PolkuError(N_("the html diff is a page: give -o DIFF.html"), params={},
                         field="output")
    if output is not None and output.suffix.lower() not in (
            {"html": (".html", ".htm")}.get(format, (".txt", ".json", ".md"))):
        raise PolkuError(N_("a {format} diff needs a name ending in {suffixes}"),
                         params={"format": format, "suffixes": ".html" if format == "html"
                                 else ".json, .txt or .md"}, file=str(output), field="output")
    tr = translator(lang)
    ma, mb = model_of(a, min_cell), model_of(b, min_cell)
    who = audience_of(suppress)
    result = ops.answer(ops.Diff(against=mb, long_wait_days=long_wait_days), ma, who)
    ga, gb = ma.published(who).graph, mb.published(who).graph
    result = diff_worded(result, ga, gb, tr)
    if format == "html":
        from polku.io import atomic
        from polku.present.views.diff import diff_html

        atomic.write_text(output, diff_html(ga, gb, result, tr))
        typer.echo(tr("wrote {output}").format(output=output))
        return
    text = json.dumps(result, ensure_ascii=False, indent=2) if format == "json" \
        else diff_text(result, ga, gb, tr)
    if output is not None:
        from polku.io import atomic

        atomic.write_text(output, text + "\n")
        typer.echo(tr("wrote {output}").format(output=output))
    else:
        typer.echo(text)


@app.command(help=N_(
    "Regions side by side in one graph, each under its own namespace; actors with the same "
    "business id become one; conflicting facts about them are reported."))
@reports_errors
def merge(
    sources: list[str] = typer.Argument(..., metavar=N_("GRAPH..."), help=N_(
        "Two or more regional graphs (any input polku reads).")),
    output: Path = typer.Option(..., "-o", "--output", help=N_(
        "The national graph (.ttl or .jsonld).")),
    name: str = typer.Option("national", "--name", help=N_("The merged graph's name (its "
                                                           "namespace holds the actors regions "
                                                           "share).")),
    suppress: Optional[bool] = Suppress,
    min_cell: int = MinCell,
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """Regions side by side in one graph, each under its own namespace; actors with the same
    business id become one; conflicting facts about them are reported."""
    from polku.analyses.merge import merge as run

    from polku.io.naming import check_graph_id
    from polku.privacy import threshold

    if len(sources) < 2:
        raise PolkuError(N_("merge needs at least two graphs"), params={}, field="sources")
    check_graph_id(name)
    fmt = formats.rdf_format_for(output)
    check_output(output, fmt)
    for s in sources:
        if Path(s).exists() and Path(s).resolve() == output.resolve():
            raise PolkuError(N_("the output would overwrite an input"), params={},
                             file=str(output))
    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        graphs = []
        for s in sources:
            progress(Phrase(N_("reading {name}"), name=s))
            graphs.append(load_graph(s))
        named: dict[str, str] = {}
        for s, one in zip(sources, graphs):  # the files, which merge() itself cannot name
            if (n := str(one.graph.get("name", "graph"))) in named:
                if Path(s).resolve() == Path(named[n]).resolve():
                    raise PolkuError(N_("{source} is given twice: merge joins different "
                                        "regions"), params={"source": s}, field="sources")
                raise PolkuError(N_("{first} and {second} are both named '{name}': each "
                                    "region needs its own graph id (the id in its graph "
                                    "sheet) to keep its own namespace"),
                                 params={"first": named[n], "second": s, "name": n},
                                 field="sources")
            named[n] = s
        result = run(graphs, name)
        g = for_file(result.graph, fmt, suppress, min_cell)
        progress(Phrase(N_("writing {name}"), name=output.name))
        save_graph(g, output, fmt)
    tr = translator(lang)
    from polku.present.printers import conflict_text

    for c in result.conflicts:
        typer.echo(tr("conflict: {conflict}").format(conflict=conflict_text(c, tr)))
    shared = sum(1 for _, members in result.shared.values() if len(members) > 1)
    # each count in its own plural form: "1 yhteinen toimija", "2 yhteistä toimijaa"
    regions, conflicts, nodes = len(graphs), len(result.conflicts), g.number_of_nodes()
    counts = (tr.ngettext("{n} region", "{n} regions", regions).format(n=tr.number(regions)),
              tr.ngettext("{n} shared actor (same business id)",
                          "{n} shared actors (same business id)", shared).format(
                  n=tr.number(shared)),
              tr.ngettext("{n} conflict", "{n} conflicts", conflicts).format(
                  n=tr.number(conflicts)),
              tr.ngettext("{n} node", "{n} nodes", nodes).format(n=tr.number(nodes)))
    typer.echo(tr("wrote {output}: {what}").format(output=output, what=", ".join(counts)))
    # the file's follow-ups, not the merge's: a file for others withholds those whose
    # finding a small cell it leaves out could fire (docs/workbook.md → Privacy)
    kept = len(g.graph.get("followups") or {})
    withheld = len(result.graph.graph.get("followups") or {}) - kept
    if kept:
        typer.echo(tr.ngettext(
            "kept the regions' {count} follow-up, keyed as the merged graph's findings (a "
            "region's 'long-wait:r1' is 'long-wait:REGION/r1')",
            "kept the regions' {count} follow-ups, keyed as the merged graph's findings (a "
            "region's 'long-wait:r1' is 'long-wait:REGION/r1')", kept).format(
            count=tr.number(kept)))
    if withheld > 0:
        typer.echo(tr("note: {note}").format(note=tr.ngettext(
            "{n} follow-up of the regions is withheld from this file meant for others: a "
            "small cell the file leaves out (a count from 1 to {most}) could fire its "
            "finding; --no-suppress keeps it in the owner's copy",
            "{n} follow-ups of the regions are withheld from this file meant for others: "
            "small cells the file leaves out (counts from 1 to {most}) could fire their "
            "findings; --no-suppress keeps them in the owner's copy", withheld).format(
            n=tr.number(withheld), most=threshold(g, min_cell) - 1)))
    left_out_note(g, min_cell, tr, result.graph)


app.add_typer(ptv_app, name="ptv")


@app.command(help=N_(
    "Regions side by side: findings by kind per 10,000 people in segments, needs covered, "
    "median waits on hand-offs, the share of referrals where information travels, leads per "
    "plan measure."))
@reports_errors
def compare(
    sources: list[str] = typer.Argument(..., metavar=N_("GRAPH..."), help=N_(
        "Two or more regions: graphs, workbooks, or neo4j://host:port?region=R; a Neo4j URI "
        "without ?region= brings every region of that database.")),
    format: str = typer.Option("table", "--format", help=N_("table, csv, json or html (a page "
                                                            "with a small-multiples chart).")),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help=N_("Where to write (html needs it).")),
    suppress: bool = typer.Option(True, "--suppress/--no-suppress", help=N_(
        "Leave segments under --min-cell people out of the totals (the comparison goes to "
        "other regions).")),
    min_cell: int = MinCell,
    lang: Optional[str] = Lang,
) -> None:
    """Regions side by side: findings by kind per 10,000 people in segments, needs covered,
    median waits on hand-offs, the share of referrals where information travels, leads per
    plan measure."""
    from polku.io.neo4jstore import is_neo4j_uri
    from polku.present.regions import compared, regions_csv, regions_html, regions_text

    check_format(format, ("table", "csv", "json", "html"))
    if format == "html" and output is None:
        raise PolkuError(N_("the html comparison is a page: give -o PAGE.html"), params={},
                         field="output")
    given: dict[str, str] = {}
    for source in sources:
        # one graph named twice is not two regions of one name (Compare's refusal would
        # advise renaming one of them), as /api/compare says it too
        same = source if is_neo4j_uri(source) else str(Path(source).resolve())
        if same in given:
            raise PolkuError(N_("'{name}' is given twice: give each graph once"),
                             params={"name": source}, field="sources")
        given[same] = source
    graphs = []
    for source in sources:
        if is_neo4j_uri(source):
            from polku.io.neo4jstore import pull_graph, regions, target

            t = target(source)
            names = [t.region] if t.region else regions(t.uri, t.user, t.password, t.database)
            pulled = []
            for r in names:
                one = pull_graph(t.uri, t.user, t.password, t.database, r)
                one.graph["name"] = r  # in the database the region is the namespace
                pulled.append(one)
            if not t.region:
                _no_merged_beside_its_regions(t.uri, pulled)
            graphs.extend(pulled)
        else:
            graphs.append(load_graph(source))
    from polku.analyses.regions import each_region

    # a merged graph brings its regions (each compared as its own graph would be)
    if sum(len(each_region(g)) for g in graphs) < 2:
        raise PolkuError(N_("compare needs two regions or more"), params={}, field="sources")
    tr = translator(lang)
    models = [Model(g, min_cell=min_cell) for g in graphs]
    result = ops.answer(ops.Compare(tuple(models[1:])), models[0], audience_of(suppress))
    renderers = {"table": lambda: regions_text(result, tr) + "\n",
                 # titles and regions in the reader's language, as /api/compare has them
                 "csv": lambda: regions_csv(result, tr.lang),
                 "json": lambda: json.dumps(compared(result, tr.lang), ensure_ascii=False,
                                            indent=2) + "\n",
                 "html": lambda: regions_html(result, tr)}
    text = renderers[format]()
    if output is not None:
        from polku.io import atomic

        atomic.write_text(output, text)
        typer.echo(tr("wrote {output}").format(output=output))
    else:
        typer.echo(text, nl=False)


def _no_merged_beside_its_regions(uri: str, pulled: list[Any]) -> None:
    """Refuse every region of a database when one is a merged graph of regions it holds on
    their own too (a national graph pushed beside its regions): each would be compared
    twice. ``neo4j pull --all`` leaves such a merged graph out instead
    (:func:`polku.analyses.merge.regions_to_merge`); here the way out is naming the regions
    with ``?region=`` (or ``polku neo4j delete`` of the merged graph)."""
    from polku.analyses.regions import merged_given_twice

    clash = merged_given_twice(pulled)
    if clash:
        raise PolkuError(Counted(ngettext(
            "{uri}: '{merged}' is already a merged graph, and the database also holds its "
            "region {names} on its own; a URI without ?region= reads every region: give "
            "each region to compare as its own URI with ?region=R, or the merged graph "
            "alone with ?region={merged}",
            "{uri}: '{merged}' is already a merged graph, and the database also holds its "
            "regions {names} on their own; a URI without ?region= reads every region: give "
            "each region to compare as its own URI with ?region=R, or the merged graph "
            "alone with ?region={merged}"), len(clash[1])),
            params={"uri": uri, "merged": clash[0], "names": ", ".join(clash[1])},
            field="sources")


@app.command(help=N_(
    "Undo the newest change in a graph's change log (a row edit, or all of a batch such as ptv "
    "compare --apply), as a change of its own."))
@reports_errors
def undo(source: str = GraphArg,
         who: str = typer.Option("polku undo", "--who", help=N_("Who the change log names.")),
         lang: Optional[str] = Lang,
         ) -> None:
    """Undo the newest change in a graph's change log (a row edit, or all of a batch such
    as ptv compare --apply), as a change of its own."""
    from polku.ops.batch import changelog_of, undo_latest
    from polku.ops.changelog import write_lock

    with write_lock(changelog_of(source), source):  # a server writing the same graph waits
        _, entry = undo_latest(source, load_graph(source), who)
    tr = translator(lang)
    typer.echo(tr("undid change {undone} of {source} (now change {version})").format(
        undone=entry["undoes"], source=source, version=entry["version"]))


app.add_typer(plan_app, name="plan")
app.add_typer(changes_app, name="changes")


#: the options of ``polku serve`` that only mean something with an identity provider
@app.command(help=N_(
    "Serve the graphs over the HTTP API and web UI (open http://HOST:PORT/)."))
@reports_errors
@long_running
def serve(
    sources: list[str] = typer.Argument(None, metavar=N_("GRAPH..."), help=N_(
        "Graph files, folders or Neo4j URIs "
                                                      "(neo4j://host:port?region=R) to serve "
                                                      "(default: graphs/).")),
    host: str = typer.Option("127.0.0.1", help=N_("Address to listen on.")),
    port: int = typer.Option(8000, help=N_("Port to listen on.")),
    tokens: Optional[Path] = typer.Option(None, "--tokens", help=N_(
        "A file of name:token lines: who may edit (default: POLKU_TOKENS; none: read-only).")),
    changes: Optional[Path] = typer.Option(None, "--changes", help=N_(
        "Folder for the change logs (default: .polku/ beside each graph).")),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help=N_(
        "Server processes; writes are serialised across them by a file lock.")),
    oidc_issuer: Optional[str] = typer.Option(
        None, "--oidc-issuer", help=N_("Sign in with this OpenID Connect identity provider (its "
                                       "issuer URL, e.g. https://id.example.fi/realms/ku; "
                                       "default: POLKU_OIDC_ISSUER).")),
    oidc_client_id: Optional[str] = typer.Option(
        None, "--oidc-client-id", help=N_("polku's client id at the provider (default: "
                                          "POLKU_OIDC_CLIENT_ID); its secret comes from "
                                          "POLKU_OIDC_CLIENT_SECRET.")),
    oidc_roles_claim: Optional[str] = typer.Option(
        None, "--oidc-roles-claim", help=N_("The claim holding the roles viewer, editor, admin (a "
                                            "dotted path; default: POLKU_OIDC_ROLES_CLAIM, else "
                                            "realm_access.roles).")),
    oidc_org_claim: Optional[str] = typer.Option(
        None, "--oidc-org-claim", help=N_("The claim holding the person's organisation, an "
                                          "actor id (default: POLKU_OIDC_ORG_CLAIM, else "
                                          "organisation).")),
    oidc_audience: Optional[str] = typer.Option(
        None, "--oidc-audience", help=N_("What a bearer token's aud must name (default: "
                                         "POLKU_OIDC_AUDIENCE, else the client id).")),
    # the session settings' bounds are OidcSettings' own (not the options' min=): one text
    # for an option and its variable alike
    session_hours: Optional[float] = typer.Option(
        None, "--session-hours", show_default=False, help=N_(
            "How long a sign-in session lasts (default: POLKU_SESSION_HOURS, else 8).")),
    session_recheck_seconds: Optional[int] = typer.Option(
        None, "--session-recheck-seconds", show_default=False, help=N_(
            "Check a session again at the identity provider when its last check is this "
            "old: a person disabled there is signed out, changed roles are seen (default: "
            "POLKU_SESSION_RECHECK_SECONDS, else 300; 0: never).")),
    session_grace_seconds: Optional[int] = typer.Option(
        None, "--session-grace-seconds", show_default=False, help=N_(
            "How long past a due check a session is kept while the identity provider cannot "
            "be reached (default: POLKU_SESSION_GRACE_SECONDS, else 900).")),
    root_path: Optional[str] = typer.Option(
        None, "--root-path", envvar="POLKU_ROOT_PATH", show_default=False, help=N_(
            "The path prefix the server is reached at behind a reverse proxy, e.g. /polku: "
            "every link, redirect and cookie carries it (default: POLKU_ROOT_PATH).")),
    public_url: Optional[str] = typer.Option(
        None, "--public-url", envvar="POLKU_PUBLIC_URL", show_default=False, help=N_(
            "The address browsers reach the server at, e.g. https://intra.example.fi/polku: "
            "the sign-in's redirects are made of it, never of a request's Host header "
            "(default: POLKU_PUBLIC_URL).")),
    access_log: bool = typer.Option(
        False, "--access-log", envvar="POLKU_ACCESS_LOG", help=N_(
            "Log each request (method, path, status; never a header, so never a token) and "
            "each worker's start and end on stderr (default: warnings and problems only).")),
    lang: Optional[str] = typer.Option(
        None, "--lang", envvar="POLKU_LANG", show_default=False,
        help=N_("The language of the command's own lines and problems: fi, sv or en (default: "
                "POLKU_LANG, else fi); each page and API answer follows its reader's language.")),
) -> None:
    """Serve the graphs over the HTTP API and web UI (open http://HOST:PORT/)."""
    import secrets

    import uvicorn

    from polku.app import create_app
    from polku.server.auth import load_tokens
    from polku.server.oidc import SETTINGS, settings_from_env

    from polku.server.startup import key_warnings, start_refusal, tokens_warning

    known = load_tokens(tokens, os.environ.get("POLKU_TOKENS"))
    tr = translator(lang)
    readable = tokens_warning(tokens, tr)
    if readable is not None:
        typer.echo(tr("warning: {warning}").format(warning=readable), err=True)
    asked = {"issuer": oidc_issuer, "client_id": oidc_client_id,
             "roles_claim": oidc_roles_claim, "org_claim": oidc_org_claim,
             "audience": oidc_audience, "session_hours": session_hours,
             "recheck_seconds": session_recheck_seconds,
             "grace_seconds": session_grace_seconds}
    if workers > 1 and (oidc_issuer or os.environ.get("POLKU_OIDC_ISSUER")) \
            and not os.environ.get("POLKU_SESSION_SECRET"):
        # every worker must read the session cookies the others signed
        os.environ["POLKU_SESSION_SECRET"] = secrets.token_urlsafe(32)
    try:
        # the options and the environment checked alike (a setting without an issuer is
        # refused, naming it), as app_from_env checks the environment of each worker
        oidc = settings_from_env(**asked)
    except PolkuError as e:
        # said as every problem, in the reader's language, naming its option; a problem
        # whose message names the setting as given (an option or a variable) as it is
        raise e.about(e.field.replace("-", "_")) if e.field and "option" not in e.params \
            else e
    check_listening(host, port)
    from urllib.parse import urlsplit

    from polku.server.place import checked_public_url, checked_root

    public = checked_public_url(public_url)
    root = checked_root(root_path or urlsplit(public).path)
    # where no ETag key can be kept, every worker keys the ETags by the same secret of
    # this run, so that they agree (passed in the environment, as the session secret)
    fallback = secrets.token_bytes(32)
    # a secret, so read from the environment only (options show in process lists)
    application = create_app(sources or ["graphs"], known, changes, oidc,
                             os.environ.get("POLKU_ETAG_SECRET") or None, fallback,
                             root_path=root, public_url=public, lang=tr.lang)
    settle()  # what the server has loaded so far stays: no collection walks it again
    store = application.state.store
    # a server told to take writes that cannot write would answer every write with an
    # error: it does not start, and says where and why (the app factory checks the same)
    refused = start_refusal(application)
    if refused is not None:
        raise refused
    for warning in key_warnings(application, tr):
        typer.echo(tr("warning: {warning}").format(warning=warning), err=True)
    listing = ", ".join(f"{e.source.name} ({e.source.shown})" for e in store.entries())
    writers = ([] if not known.enabled else [tr("tokens")]) + \
        ([tr("sign-in at {issuer}").format(issuer=oidc.issuer)] if oidc is not None else [])
    address = f"http://{host}:{port}{root}/" + (f" ({public}/)" if public else "")
    if writers:
        typer.echo(tr("polku serving {graphs} at {address} (writes: {writers})").format(
            graphs=listing or tr("no graphs"), address=address, writers=", ".join(writers)))
    else:
        typer.echo(tr("polku serving {graphs} at {address} (read-only: no tokens, no "
                      "identity provider)").format(graphs=listing or tr("no graphs"),
                                                   address=address))
    if not writers and not is_loopback(host):
        typer.echo(tr("warning: {warning}").format(warning=tr(
            "{host} is not a loopback address and no tokens are set: the server is read-only "
            "and open to that network (anyone who reaches it can read every graph)").format(
                host=host)), err=True)
    if workers == 1:
        if writers:
            store.prepare_writes()
        uvicorn.run(application, host=host, port=port, **logging_of(access_log))
        return
    # each worker process builds its own app from the same settings (uvicorn imports the
    # factory by name in every process)
    os.environ["POLKU_GRAPHS"] = os.pathsep.join(str(s) for s in (sources or ["graphs"]))
    # every worker, a replaced one too, knows the tokens read now (a line taken out of the
    # file counts at the next restart, as the README says): their hashes, never the
    # tokens or the file's path
    for name in ("POLKU_TOKENS_FILE", "POLKU_TOKENS", "POLKU_TOKEN_HASHES"):
        os.environ.pop(name, None)
    if known.enabled:
        os.environ["POLKU_TOKEN_HASHES"] = known.to_text()
    if changes:
        os.environ["POLKU_CHANGES"] = str(changes.absolute())
    os.environ["POLKU_ETAG_FALLBACK"] = fallback.hex()
    os.environ["POLKU_SAID_AT_START"] = "1"  # the warnings above: not again by each worker
    os.environ["POLKU_LANG"] = tr.lang  # every worker's log in the language of the server
    os.environ["POLKU_ROOT_PATH"] = root
    os.environ["POLKU_PUBLIC_URL"] = public
    for key, value in asked.items():
        if value is not None:
            os.environ[SETTINGS[key][0]] = str(value)
    uvicorn.run("polku.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, **logging_of(access_log))


def logging_of(access_log: bool) -> dict[str, Any]:
    """uvicorn's logging for ``polku serve``: warnings and problems only, or (``--access-log``)
    uvicorn's own lines too: a line per request (its access log holds no header, so no
    token or cookie, and a sign-in's one-time code is left out of its query:
    :mod:`polku.server.accesslog`) and each worker process's start and end."""
    from polku.server.accesslog import log_config

    return {"log_level": "info", "access_log": True, "log_config": log_config()} \
        if access_log else {"log_level": "warning", "access_log": False}


def check_listening(host: str, port: int) -> None:
    """Refuse, before anything is loaded or announced, an address the server cannot listen
    on (the port taken by another program, a port below 1024 without the right, a host not
    of this machine): uvicorn would say so in English after polku had said it was serving.

    >>> import socket
    >>> with socket.create_server(("127.0.0.1", 0)) as taken:
    ...     check_listening("127.0.0.1", taken.getsockname()[1])
    Traceback (most recent call last):
    polku.errors.PolkuError: cannot listen on 127.0.0.1:...: the address is in use
    """
    import socket

    if not 0 <= port <= 65535:  # bind() would raise OverflowError, no OSError
        raise PolkuError(N_("cannot listen on {host}:{port}: {reason}"),
                         params={"host": host, "port": port,
                                 "reason": Said(N_("a port is a number from 0 to 65535"))},
                         field="port")
    try:
        # as uvicorn binds (SO_REUSEADDR, IPv6 for a host with a colon): a port another
        # program listens on is refused, one only left in TIME_WAIT by a server just
        # stopped is not
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host, port), family=family):
            pass
    except OSError as e:
        # a host name that names no address (getaddrinfo's codes are negative)
        unknown = isinstance(e, socket.gaierror) or (e.errno or 0) < 0
        raise PolkuError(N_("cannot listen on {host}:{port}: {reason}"),
                         params={"host": host, "port": port,
                                 "reason": Said(N_("no such host")) if unknown else os_reason(e)},
                         field="host" if unknown else "port") from None


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


app.add_typer(neo4j_app, name="neo4j")


def main() -> None:
    """Console-script entry point.

    Once the command is done, the exit hooks have run (temporary files, open files) and
    the output is flushed, the process ends at once (``os._exit``) instead of freeing every
    object one by one: for a national graph, Python's own ending took a fifth of a second
    more than ``polku findings`` needed. Tests drive ``app`` and never end this way.
    """
    try:
        app()
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    if isinstance(code, str):  # what sys.exit("...") would have printed
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (polku findings | head): as Python itself ends then
        code = code or 120
    os._exit(code or 0)
