"""The ``polku`` command: one entry point, thin commands over the library.

Each command parses its options, calls the library, prints, and maps bad input
(:class:`polku.errors.PolkuError`) to one clear line per problem on stderr and exit status 1.
Every command that takes a graph accepts a Turtle or JSON-LD file, a workbook folder, an
.xlsx, or a Neo4j URI (see :func:`polku.load.load_graph`).
"""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Callable, Optional, TypeVar

import typer

from . import graph as graphmod
from .errors import PolkuError, PolkuErrors
from .i18n import check_lang, translator
from .kinds import LONG_WAIT_DAYS, MAX_CONCURRENT_LEADS
from .load import check_output, format_for, load_graph, save_graph
from .paths import MAX_EXPANSIONS
from .progress import terminal_progress, wanted

app = typer.Typer(no_args_is_help=True, add_completion=False, help=(
    "polku: regional employment, social and health service ecosystems as knowledge graphs."))

F = TypeVar("F", bound=Callable)


MAX_PROBLEMS_SHOWN = 100


def fail(error: PolkuError) -> None:
    """Print the problems of ``error`` on stderr, one line each (at most
    :data:`MAX_PROBLEMS_SHOWN`, then how many more), and exit 1."""
    problems = error.errors if isinstance(error, PolkuErrors) else [error]
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(f"error: {p}", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        typer.echo(f"error: … and {len(problems) - MAX_PROBLEMS_SHOWN} more problems "
                   "(fix the first ones; later ones often follow from them)", err=True)
    raise typer.Exit(1)


def reports_errors(func: F) -> F:
    """Turn bad input (PolkuError) and failing file operations (OSError) into one clear
    line each and exit 1, instead of a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PolkuError as e:
            fail(e)
        except OSError as e:
            where = e.filename or ""
            fail(PolkuError(e.strerror or str(e), file=str(where) if where else None))
    return wrapper  # type: ignore[return-value]


def check_format(format: str, choices: tuple[str, ...]) -> None:
    """Refuse an output format the command does not print."""
    if format not in choices:
        raise PolkuError(f"unknown format '{format}' (use {', '.join(choices[:-1])} or "
                         f"{choices[-1]})")


class ExportFormat(str, Enum):
    workbook = "workbook"
    xlsx = "xlsx"
    turtle = "turtle"
    jsonld = "jsonld"


Lang = typer.Option(None, "--lang", envvar="POLKU_LANG", show_default=False,
                    help="The language of what is written for people: fi, sv or en "
                    "(default: POLKU_LANG, else fi).")

Quiet = typer.Option(False, "--quiet", "-q", help="No progress display (it shows only on "
                     "a terminal anyway).")

GraphArg = typer.Argument(..., help="A graph (.ttl, .jsonld), a workbook (CSV folder or "
                          ".xlsx), or a neo4j:// URI.")


@app.command("import")
@reports_errors
def import_(
    workbook_path: Path = typer.Argument(..., metavar="WORKBOOK",
                                         help="A folder of CSV sheets or an .xlsx file."),
    output: Path = typer.Option(..., "-o", "--output", help="The graph to write (.ttl or .jsonld)."),
    name: Optional[str] = typer.Option(None, help="The graph's name (default: the output's "
                                       "file name without suffix)."),
    quiet: bool = Quiet,
) -> None:
    """Import a workbook, validate it, and write it as an RDF graph."""
    from . import workbook
    from .validate import shacl_problems

    fmt = format_for(output, ("turtle", "jsonld"), default="turtle")
    check_output(output, fmt, workbook_path)
    with terminal_progress(wanted(quiet)) as progress:
        progress(f"reading {workbook_path.name}")
        g = workbook.read_workbook(workbook_path, name=name or output.stem)
        progress("checking the SHACL shapes")
        problems = shacl_problems(g, str(workbook_path))
        if problems:
            raise PolkuErrors(problems)
        progress(f"writing {output.name}")
        save_graph(g, output, fmt)
    counts = graphmod.summary(g)
    typer.echo(f"wrote {output}: " + ", ".join(
        f"{k} {n}" for k, n in counts.items() if n))


@app.command()
@reports_errors
def export(
    source: str = GraphArg,
    to: ExportFormat = typer.Option(..., "--to", help="workbook (CSV folder), xlsx, turtle or jsonld."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write."),
    quiet: bool = Quiet,
) -> None:
    """Export a valid graph as a workbook (CSV folder or .xlsx), Turtle or JSON-LD."""
    from .validate import validate as checked

    check_output(output, to.value, source)
    with terminal_progress(wanted(quiet)) as progress:
        g = checked(source, progress=progress)
        progress(f"writing {output.name}")
        save_graph(g, output, to.value)
    typer.echo(f"wrote {output}")


@app.command()
@reports_errors
def validate(source: str = GraphArg, quiet: bool = Quiet) -> None:
    """Check a workbook or graph; list every problem and exit 1 if there are any."""
    from .validate import validate as run

    with terminal_progress(wanted(quiet)) as progress:
        g = run(source, progress=progress)
    typer.echo(f"{source}: valid ({g.number_of_nodes()} nodes)")


@app.command()
@reports_errors
def show(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help="table or json."),
    lang: Optional[str] = Lang,
) -> None:
    """Summarise a graph: counts by kind and what the graph is about."""
    from .describe import describe
    from .printers import describe_text

    check_format(format, ("table", "json"))
    tr = translator(lang)
    info = describe(load_graph(source), tr)
    typer.echo(json.dumps(info, ensure_ascii=False, indent=2) if format == "json"
               else describe_text(info, tr))


@app.command()
@reports_errors
def render(
    source: str = GraphArg,
    output: Path = typer.Option(..., "-o", "--output", help="The HTML page to write."),
    view: str = typer.Option("ecosystem", "--view", help="ecosystem, segment:ID, path:ID, "
                             "responsibility, plan or timeline."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Only what lies within --depth "
                                        "steps of this node id (both directions)."),
    depth: int = typer.Option(1, "--depth", min=0, help="Steps around --focus."),
    k: int = typer.Option(5, "-k", min=1, help="segment view: best paths to highlight."),
    cluster_by: str = typer.Option("provider", "--cluster-by", help="Big graphs: cluster "
                                   "services by provider or region."),
    long_wait_days: float = typer.Option(LONG_WAIT_DAYS, "--long-wait-days", help="long-wait threshold."),
) -> None:
    """Draw one interactive view as a self-contained, offline HTML page."""
    from . import views

    g = load_graph(source)
    extra = views.analysed(g, view, k=k, long_wait_days=long_wait_days)
    views.write_view(g, view, output, focus=focus, depth=depth, cluster_by=cluster_by, **extra)
    typer.echo(f"wrote {output}")


@app.command()
@reports_errors
def findings(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help="table, json or markdown."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="error or warning: exit 1 if any finding is at least this "
        "severe (for checks in a repository of graphs)."),
    long_wait_days: float = typer.Option(LONG_WAIT_DAYS, "--long-wait-days", help="long-wait fires "
                                         "above this median wait."),
    max_concurrent_leads: int = typer.Option(
        MAX_CONCURRENT_LEADS, "--max-concurrent-leads", min=1, help="actor-overload fires when an actor leads "
        "more plan measures than this in one month."),
) -> None:
    """Every finding (gaps, overlaps, bottlenecks, broken paths, plan gaps), sorted."""
    from .finding import at_or_above, findings_json
    from .printers import findings_markdown, findings_table
    from .findings import find

    check_format(format, ("table", "json", "markdown"))
    if fail_on not in (None, "error", "warning"):
        raise PolkuError(f"unknown severity '{fail_on}' for --fail-on (use error or warning)")
    g = load_graph(source)
    result = find(g, long_wait_days=long_wait_days, max_concurrent_leads=max_concurrent_leads)
    name = g.graph.get("name", "graph")
    printer = {"table": findings_table, "json": findings_json,
               "markdown": findings_markdown}[format]
    typer.echo(printer(name, result))
    if fail_on and at_or_above(result, fail_on):
        raise typer.Exit(1)


@app.command()
@reports_errors
def bottlenecks(
    source: str = GraphArg,
    top: int = typer.Option(20, "--top", min=1, help="How many services to rank."),
    format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Services ranked by betweenness and by flow, beside the bottleneck findings."""
    from .bottlenecks import bottlenecks as rank
    from .printers import bottlenecks_table

    check_format(format, ("table", "json"))
    result = rank(load_graph(source), top=top)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if format == "json"
               else bottlenecks_table(result))


@app.command()
@reports_errors
def paths(
    source: str = GraphArg,
    segment: str = typer.Option(..., "--segment", help="The segment id."),
    to: Optional[str] = typer.Option(None, "--to", help="Only paths to this outcome id."),
    k: int = typer.Option(5, "-k", min=1, help="How many best paths."),
    format: str = typer.Option("table", "--format", help="table or json."),
    max_expansions: int = typer.Option(
        MAX_EXPANSIONS, "--max-expansions", min=0, help="Partial paths the search may expand "
        "before it gives good paths instead of provably the best (the output says so)."),
) -> None:
    """The k best paths of a segment to its outcomes (fewest needs left uncovered, then
    shortest wait, then fewest hand-offs), and its designed paths checked."""
    from .paths import paths_report
    from .printers import paths_text

    check_format(format, ("table", "json"))
    result = paths_report(load_graph(source), segment, k=k, to=to,
                          max_expansions=max_expansions)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if format == "json"
               else paths_text(result))


@app.command()
@reports_errors
def whatif(
    source: str = GraphArg,
    remove: Optional[str] = typer.Option(None, "--remove", help="Id of a service, an actor "
                                         "(with all it provides) or a referral."),
    capacity: Optional[list[str]] = typer.Option(
        None, "--capacity", metavar="SVC=N", help="Set a service's capacity per month "
        "(repeatable)."),
    places: Optional[list[str]] = typer.Option(
        None, "--places", metavar="SVC=C", help="Set a service's parallel places (repeatable)."),
    demand: Optional[list[str]] = typer.Option(
        None, "--demand", metavar="SVC=+20%", help="Change the demand at a service by a "
        "percentage; it flows downstream with the referral volumes (repeatable)."),
    format: str = typer.Option("table", "--format", help="table or json."),
    long_wait_days: float = typer.Option(LONG_WAIT_DAYS, "--long-wait-days"),
) -> None:
    """What a change would do: --remove gives the findings a removal creates and resolves;
    --capacity, --places and --demand give every affected service's utilisation and
    predicted wait (M/M/c queues) before and after, with the findings created and resolved."""
    check_format(format, ("table", "json"))
    queued = bool(capacity or places or demand)
    if remove is not None and queued:
        raise PolkuError("--remove and the queue options (--capacity, --places, --demand) "
                         "are separate questions: ask one at a time")
    if remove is None and not queued:
        raise PolkuError("say what changes: --remove ID, or --capacity/--places/--demand")
    if remove is not None:
        from .printers import whatif_text
        from .whatif import whatif as run

        result = run(load_graph(source), remove, long_wait_days=long_wait_days)
        text = whatif_text
    else:
        from .printers import queue_whatif_text
        from .queues import queue_whatif

        changes = queue_changes(capacity or [], places or [], demand or [])
        result = queue_whatif(load_graph(source), *changes, long_wait_days=long_wait_days)
        text = queue_whatif_text
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if format == "json"
               else text(result))


def queue_changes(capacity: list[str], places: list[str], demand: list[str]
                  ) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
    """The queue options' SVC=VALUE items as numbers; a bad value names the option."""
    from .queues import parse_assignments, parse_percent
    from .workbook import parse_number

    caps: dict[str, float] = {}
    for sid, value in parse_assignments(capacity, "--capacity"):
        try:
            caps[sid] = parse_number(value)
        except ValueError as e:
            raise PolkuError(f"--capacity {sid}={value}: {e}") from None
        if caps[sid] < 0:
            raise PolkuError(f"--capacity {sid}={value}: a capacity cannot be negative")
    slots: dict[str, int] = {}
    for sid, value in parse_assignments(places, "--places"):
        if not value.isdigit() or int(value) < 1:
            raise PolkuError(f"--places {sid}={value}: places is a whole number, 1 or more")
        slots[sid] = int(value)
    change = {sid: parse_percent(value, f"--demand {sid}")
              for sid, value in parse_assignments(demand, "--demand")}
    return caps, slots, change


@app.command()
@reports_errors
def eventlog(
    log: Path = typer.Argument(..., metavar="LOG", help="An anonymised event log (CSV: case, "
                               "service, start, optional end and segment)."),
    graph: str = typer.Option(..., "--graph", help="The graph whose referrals get the log's "
                              "waits and volumes."),
    output: Path = typer.Option(..., "-o", "--output", help="The graph to write (.ttl, "
                                ".jsonld, .xlsx or a folder)."),
    format: str = typer.Option("table", "--format", help="table or json."),
    quiet: bool = Quiet,
) -> None:
    """Median waits and monthly volumes per referral from an event log, and the hand-offs
    the graph has no referral for (unmodelled-flow findings)."""
    from .eventlog import apply_stats, event_log_stats, read_event_log, stats_json
    from .printers import eventlog_text

    check_format(format, ("table", "json"))
    fmt = format_for(output)
    check_output(output, fmt, log)
    with terminal_progress(wanted(quiet)) as progress:
        progress(f"reading {graph}")
        g = load_graph(graph)
        progress(f"reading {log.name}")
        stats = event_log_stats(g, read_event_log(log, g))
        progress(f"writing {output.name}")
        save_graph(apply_stats(g, stats), output, fmt)
    typer.echo(json.dumps(stats_json(stats), ensure_ascii=False, indent=2) if format == "json"
               else eventlog_text(stats) + f"\nwrote {output}")


@app.command()
@reports_errors
def report(
    source: str = GraphArg,
    output: Path = typer.Option(..., "-o", "--output", help="report.html or report.md."),
    long_wait_days: float = typer.Option(LONG_WAIT_DAYS, "--long-wait-days"),
    top: int = typer.Option(10, "--top", min=1, help="Services in the bottleneck ranking."),
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """A five-minute summary for a leader, as self-contained HTML or markdown."""
    from .report import write_report

    lang = check_lang(lang)
    with terminal_progress(wanted(quiet)) as progress:
        progress(f"reading {source}")
        write_report(load_graph(source), output, long_wait_days=long_wait_days, top=top,
                     progress=progress, lang=lang)
    typer.echo(f"wrote {output}")


plan_app = typer.Typer(no_args_is_help=True, help=(
    "The action plan: import a plan table (goals, measures, responsibilities), show it, "
    "and find its responsibility gaps."))
app.add_typer(plan_app, name="plan")


@plan_app.command("import")
@reports_errors
def plan_import(
    plan_path: Path = typer.Argument(..., metavar="PLAN",
                                     help="The plan table: a tab-separated export of a document table."),
    output: Path = typer.Option(..., "-o", "--output", help="The graph to write (.ttl or .jsonld)."),
    lenient: bool = typer.Option(False, "--lenient",
                                 help="Write the graph even when some text could not be placed."),
    name: Optional[str] = typer.Option(None, help="The graph's name (default: the output's "
                                       "file name without suffix)."),
) -> None:
    """Import a plan table; every cell that cannot be placed is reported with its line and
    column, and stops the import (exit 1) unless --lenient is given."""
    from .plan import import_plan

    result = import_plan(plan_path, name=name or output.stem)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if result.warnings and not lenient:
        typer.echo(f"error: {len(result.warnings)} problem(s) in {plan_path}; nothing written "
                   "(--lenient writes what could be placed)", err=True)
        raise typer.Exit(1)
    save_graph(result.graph, output, format_for(output, ("turtle", "jsonld"), default="turtle"))
    counts = graphmod.summary(result.graph)
    typer.echo(f"wrote {output}: " + ", ".join(
        f"{k} {counts[k]}" for k in ("goal", "measure", "indicator", "risk", "actor",
                                     "responsibility")))


@plan_app.command("show")
@reports_errors
def plan_show(
    source: str = GraphArg,
    format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Show a graph's plan: goals, and measures with leads, participants and months."""
    from .plan import plan_summary
    from .printers import plan_table

    check_format(format, ("table", "json"))
    summary = plan_summary(load_graph(source))
    if format == "json":
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(plan_table(summary) if summary["measures"] or summary["goals"]
                   else f"{source}: no plan (no goals or measures)")


@plan_app.command("findings")
@reports_errors
def plan_findings_cmd(
    source: str = GraphArg,
    max_concurrent_leads: int = typer.Option(
        MAX_CONCURRENT_LEADS, "--max-concurrent-leads", min=1,
        help="actor-overload fires when an actor leads more measures than this in one month."),
) -> None:
    """The plan's findings only (no-lead, multiple-leads, deferred-responsibility,
    measure-without-indicator, actor-overload) as the findings JSON."""
    from .finding import findings_json
    from .plan_findings import plan_findings

    g = load_graph(source)
    typer.echo(findings_json(g.graph.get("name", "graph"),
                             plan_findings(g, max_concurrent_leads=max_concurrent_leads)))


@app.command()
@reports_errors
def serve(
    sources: list[str] = typer.Argument(None, help="Graph files, folders or Neo4j URIs "
                                        "(neo4j://host:port?region=R) to serve (default: graphs/)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    tokens: Optional[Path] = typer.Option(None, "--tokens", help="A file of name:token lines: "
                                          "who may edit (default: POLKU_TOKENS; none: read-only)."),
    changes: Optional[Path] = typer.Option(None, "--changes", help="Folder for the change logs "
                                           "(default: .polku/ beside each graph)."),
) -> None:
    """Serve the graphs over the HTTP API and web UI (open http://HOST:PORT/)."""
    import os

    import uvicorn

    from .app import create_app
    from .server.auth import load_tokens

    known = load_tokens(tokens, os.environ.get("POLKU_TOKENS"))
    application = create_app(sources or ["graphs"], known, changes)
    store = application.state.store
    listing = ", ".join(f"{e.source.name} ({e.source.shown})" for e in store.entries())
    typer.echo(f"polku serving {listing or 'no graphs'} at http://{host}:{port}/"
               + ("" if known.enabled else " (read-only: no tokens)"))
    if not known.enabled and not is_loopback(host):
        typer.echo(f"warning: {host} is not a loopback address and no tokens are set: the "
                   "server is read-only and open to that network (anyone who reaches it can "
                   "read every graph)", err=True)
    uvicorn.run(application, host=host, port=port, log_level="warning")


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


neo4j_app = typer.Typer(no_args_is_help=True, help=(
    "Neo4j: push graphs to a server (many regions side by side in one database), pull them "
    "back, and run the direct findings in the server. The server and credentials come from "
    "--uri/--user/--password or NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (preferred: options "
    "show in process lists). Any command also reads a graph from neo4j://host:port?region=R."))
app.add_typer(neo4j_app, name="neo4j")

Neo4jUri = typer.Option(None, "--uri", show_default=False,
                        help="bolt://host:port or neo4j://host:port (default: NEO4J_URI).")
Neo4jUser = typer.Option(None, "--user", show_default=False,
                         help="User name (default: NEO4J_USER, or neo4j with a password).")
Neo4jPassword = typer.Option(None, "--password", show_default=False,
                             help="Password (default: NEO4J_PASSWORD).")
Neo4jDatabase = typer.Option(None, "--database", show_default=False,
                             help="Database (default: the server's default database).")


@neo4j_app.command("push")
@reports_errors
def neo4j_push(
    source: str = GraphArg,
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: Optional[str] = typer.Option(None, "--region", show_default=False,
                                         help="The region to replace (default: the graph's name)."),
    batch_size: int = typer.Option(1000, "--batch-size", min=1, help="Rows per statement."),
    quiet: bool = Quiet,
) -> None:
    """Make one region of the Neo4j database equal to the graph (idempotent, one transaction)."""
    from .neo4jstore import push_graph

    with terminal_progress(wanted(quiet)) as progress:
        progress(f"reading {source}")
        g = load_graph(source)
        r = push_graph(g, uri, user, password, database, region, batch_size=batch_size,
                       progress=progress)
    typer.echo(f"pushed region '{r.region}': {r.nodes} nodes, {r.relationships} relationships "
               f"({r.created_nodes} nodes and {r.created_relationships} relationships new, "
               f"{r.deleted_nodes} nodes and {r.deleted_relationships} relationships removed) "
               f"in {r.seconds:.1f} s")


@neo4j_app.command("pull")
@reports_errors
def neo4j_pull(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: Optional[str] = typer.Option(None, "--region", show_default=False, help=(
        "The region to read (default: the only one in the database).")),
    output: Path = typer.Option(..., "-o", "--output",
                                help="The graph to write (.ttl, .jsonld, .xlsx or a folder)."),
    quiet: bool = Quiet,
) -> None:
    """Read one region back into a graph file."""
    from .neo4jstore import pull_graph

    fmt = format_for(output)
    with terminal_progress(wanted(quiet)) as progress:
        g = pull_graph(uri, user, password, database, region, progress=progress)
        progress(f"writing {output.name}")
        save_graph(g, output, fmt)
    counts = graphmod.summary(g)
    typer.echo(f"wrote {output}: region '{g.graph.get('name')}', " + ", ".join(
        f"{k} {n}" for k, n in counts.items() if n))


@neo4j_app.command("regions")
@reports_errors
def neo4j_regions(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
) -> None:
    """List the regions held in the database."""
    from .neo4jstore import regions

    for name in regions(uri, user, password, database):
        typer.echo(name)


@neo4j_app.command("findings")
@reports_errors
def neo4j_findings(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: Optional[str] = typer.Option(None, "--region", show_default=False,
                                         help="The region (or ?region= in the URI)."),
    format: str = typer.Option("table", "--format", help="table, json or markdown."),
    long_wait_days: float = typer.Option(LONG_WAIT_DAYS, "--long-wait-days", help="long-wait fires "
                                         "above this median wait."),
) -> None:
    """Findings that Cypher answers in the server, without pulling the graph.

    The kinds on a node and its neighbours: providers, leads, owners, information flow,
    waits and capacity. `polku findings neo4j://…` gives every kind."""
    from .finding import findings_json
    from .printers import findings_markdown, findings_table
    from .neo4j_findings import cypher_findings

    check_format(format, ("table", "json", "markdown"))
    result = cypher_findings(uri, user, password, database, region,
                             long_wait_days=long_wait_days)
    printer = {"table": findings_table, "json": findings_json,
               "markdown": findings_markdown}[format]
    from .neo4jstore import target
    typer.echo(printer(target(uri, user, password, database, region).region or "graph", result))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
