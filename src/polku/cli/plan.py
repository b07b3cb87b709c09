"""``polku plan``: the action plan as a graph (its measures, leads, indicators and risks)
imported, shown and checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from polku import graph as graphmod
from polku.cli.help import PolkuTyper
from polku.cli.options import GraphArg, Lang, check_format, model_of, wrote
from polku.cli.problems import reports_errors
from polku.errors import PolkuError
from polku.present.i18n import Translator, error_text, translator
from polku.kinds import MAX_CONCURRENT_LEADS
from polku.io.formats import check_output, format_for
from polku.io.load import load_graph, save_graph
from polku.ops import operations as ops
from polku.present.printers import findings_output
from polku.words import N_


plan_app = PolkuTyper(no_args_is_help=True, help=N_(
    "The action plan: import a plan table (goals, measures, responsibilities), show it, "
    "and find its responsibility gaps."))


def require_plan(g, source: str, tr: Translator) -> None:
    """Refuse a graph without a plan (no goals, no measures) for the plan commands, as the
    plan views do: an empty table or "0 findings" would pass for a plan with nothing to
    find in it."""
    if not any(t in ("goal", "measure") for _, t in g.nodes(data="type")):
        raise PolkuError(N_("'{graph}' has no action plan (no plan goals or measures): "
                            "import a plan table with polku plan import, or add the plan "
                            "sheets to the workbook"),
                         params={"graph": graphmod.title(g, tr.lang)}, file=source)


@plan_app.command("import", help=N_(
    "Import a plan table; every cell that cannot be placed is reported with its line and "
    "column, and stops the import (exit 1) unless --lenient is given."))
@reports_errors
def plan_import(
    plan_path: Path = typer.Argument(..., metavar=N_("PLAN"),
                                     help=N_("The plan table: a tab-separated export of a "
                                             "document table (UTF-8 or UTF-16).")),
    output: Path = typer.Option(..., "-o", "--output", help=N_(
        "Where to write the plan: a graph (.ttl or .jsonld) or a workbook (.xlsx, or a folder of "
        "CSV sheets).")),
    lenient: bool = typer.Option(False, "--lenient",
                                 help=N_("Write the graph even when some text could not be "
                                         "placed.")),
    name: Optional[str] = typer.Option(None, help=N_(
        "The graph's id: the letters a–z (without å, ä and ö), digits, '-' and '_' (default: "
        "the output's file name without suffix, made such an id).")),
    title: Optional[str] = typer.Option(None, "--title", help=N_(
        "What people call the plan, as pages and tables head it (default: 'Toimintasuunnitelma' "
        "and the years its measures run).")),
    lang: Optional[str] = Lang,
) -> None:
    """Import a plan table; every cell that cannot be placed is reported with its line and
    column, and stops the import (exit 1) unless --lenient is given."""
    from polku.io.naming import check_graph_id, graph_id
    from polku.io.plan import import_plan

    # up front, as ptv import does: a graph named so would be written and then fail to load
    if name is not None:
        check_graph_id(name)
    tr = translator(lang)
    fmt = format_for(output)
    check_output(output, fmt, plan_path)
    if name is None:  # "Plan 2026.ttl" names the graph plan-2026
        name = graph_id(output.stem, "plan")
    result = import_plan(plan_path, name=name, title=title)
    for warning in result.warnings:
        typer.echo(tr("warning: {problem}").format(problem=error_text(warning, tr)), err=True)
    if result.warnings and not lenient:
        n = len(result.warnings)
        typer.echo(tr.ngettext(
            "error: {n} problem in {plan}; nothing written (--lenient writes what could be "
            "placed)", "error: {n} problems in {plan}; nothing written (--lenient writes what "
            "could be placed)", n).format(n=n, plan=plan_path), err=True)
        raise typer.Exit(1)
    save_graph(result.graph, output, fmt)
    typer.echo(wrote(output, graphmod.summary(result.graph), tr))


@plan_app.command("show", help=N_(
    "Show a graph's plan, headed by its title: goals, and measures with leads, participants and "
    "months."))
@reports_errors
def plan_show(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help=N_("table or json.")),
    lang: Optional[str] = Lang,
) -> None:
    """Show a graph's plan, headed by its title: goals, and measures with leads,
    participants and months."""
    from polku.io.plan import plan_summary
    from polku.present.printers import plan_table

    check_format(format, ("table", "json"))
    tr = translator(lang)
    g = load_graph(source)
    require_plan(g, source, tr)
    summary = plan_summary(g)
    if format == "json":  # ids, as code reads them
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        names = {a: tr.label(g, a) for m in summary["measures"]
                 for a in [*m["leads"], *m["participants"]]}  # type: ignore[misc]
        typer.echo(graphmod.title(g, tr.lang) + "\n\n" + plan_table(summary, tr=tr, names=names))


@plan_app.command("findings", help=N_(
    "The plan's findings only (no-lead, multiple-leads, deferred-responsibility, "
    "measure-without-indicator, actor-overload, risk-without-mitigation), printed as polku "
    "findings prints them."))
@reports_errors
def plan_findings_cmd(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help=N_("table, json or markdown.")),
    max_concurrent_leads: int = typer.Option(
        MAX_CONCURRENT_LEADS, "--max-concurrent-leads",
        help=N_("actor-overload fires when an actor leads more measures than this in one month.")),
    lang: Optional[str] = Lang,
) -> None:
    """The plan's findings only (no-lead, multiple-leads, deferred-responsibility,
    measure-without-indicator, actor-overload, risk-without-mitigation), printed as
    polku findings prints them."""
    from polku.present.printers import plan_labels

    format = check_format(format, ("table", "json", "markdown"))
    tr = translator(lang)
    model = model_of(source)
    g = model.graph
    require_plan(g, source, tr)
    found = ops.answer(ops.PlanFindings(max_concurrent_leads=max_concurrent_leads), model)
    # JSON names the graph by its id, as code reads it; people read its title, and the
    # markdown table's subjects by their numbers and names
    typer.echo(findings_output(format, str(g.graph.get("name", "graph")) if format == "json"
                              else graphmod.title(g, tr.lang), found, g, tr,
                              g.graph.get("followups") or {}, names=plan_labels(g, tr)))
