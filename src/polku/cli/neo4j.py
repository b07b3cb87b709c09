"""``polku neo4j``: graphs on a shared Neo4j server, many regions side by side: push,
pull, list and the direct findings."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from polku import graph as graphmod
from polku.cli.help import PolkuTyper
from polku.cli.options import (GraphArg, Lang, LongWaitDays, MinCell, Quiet, Suppress,
                               check_format, counted, for_file, left_out_note, steps_in)
from polku.cli.problems import reports_errors
from polku.errors import Phrase, PolkuError
from polku.present.i18n import translator
from polku.io.formats import format_for
from polku.io.load import load_graph, save_graph
from polku.present.printers import findings_output
from polku.words import N_
from polku.progress import terminal_progress, wanted


neo4j_app = PolkuTyper(no_args_is_help=True, help=N_(
    "Neo4j: push graphs to a server (many regions side by side in one database), pull them "
    "back, and run the direct findings in the server. The server and credentials come from "
    "--uri/--user/--password or NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (the environment is "
    "safer: options show in process lists). Any command also reads a graph from "
    "neo4j://host:port?region=R."))

Neo4jUri = typer.Option(None, "--uri", show_default=False,
                        help=N_("bolt://host:port or neo4j://host:port (default: NEO4J_URI)."))
Neo4jUser = typer.Option(None, "--user", show_default=False,
                         help=N_("User name (default: NEO4J_USER, or neo4j with a password)."))
Neo4jPassword = typer.Option(None, "--password", show_default=False,
                             help=N_("Password (default: NEO4J_PASSWORD)."))
Neo4jDatabase = typer.Option(None, "--database", show_default=False,
                             help=N_("Database (default: the server's default database)."))


@neo4j_app.command("push", help=N_(
    "Make one region of the Neo4j database equal to the graph (idempotent, one transaction)."))
@reports_errors
def neo4j_push(
    source: str = GraphArg,
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: Optional[str] = typer.Option(None, "--region", show_default=False,
                                         help=N_("The region to replace (default: the graph's "
                                                 "name).")),
    batch_size: int = typer.Option(1000, "--batch-size", min=1, help=N_("Rows per statement.")),
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """Make one region of the Neo4j database equal to the graph (idempotent, one transaction)."""
    from polku.io.neo4jstore import push_graph

    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        progress(Phrase(N_("reading {name}"), name=source))
        g = load_graph(source)
        r = push_graph(g, uri, user, password, database, region, batch_size=batch_size,
                       progress=progress)
    tr = translator(lang)
    typer.echo(tr("pushed region '{region}': {nodes} nodes, {relationships} relationships "
                  "({created_nodes} nodes and {created_relationships} relationships new, "
                  "{deleted_nodes} nodes and {deleted_relationships} relationships removed) "
                  "in {seconds} s").format(
        region=r.region, nodes=r.nodes, relationships=r.relationships,
        created_nodes=r.created_nodes, created_relationships=r.created_relationships,
        deleted_nodes=r.deleted_nodes, deleted_relationships=r.deleted_relationships,
        seconds=tr.number(r.seconds, 1)))


@neo4j_app.command("pull", help=N_(
    "Read one region (or, with --all, every region merged) back into a graph file."))
@reports_errors
def neo4j_pull(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: Optional[str] = typer.Option(None, "--region", show_default=False, help=N_(
        "The region to read (default: the only one in the database).")),
    all_regions: bool = typer.Option(False, "--all", help=N_(
        "Every region, merged into one national graph as `polku merge` merges files.")),
    name: str = typer.Option("national", "--name", help=N_("--all: the merged graph's name.")),
    output: Path = typer.Option(..., "-o", "--output",
                                help=N_("The graph to write (.ttl, .jsonld, .xlsx or a folder).")),
    suppress: Optional[bool] = Suppress,
    min_cell: int = MinCell,
    quiet: bool = Quiet,
    lang: Optional[str] = Lang,
) -> None:
    """Read one region (or, with --all, every region merged) back into a graph file."""
    from polku.io.neo4jstore import pull_graph, pull_region, regions
    from polku.present.printers import conflict_text

    tr = translator(lang)
    fmt = format_for(output)
    if all_regions and region:
        raise PolkuError(N_("give --region or --all, not both"), params={}, field="region")
    if all_regions:
        from polku.io.naming import check_graph_id

        check_graph_id(name)
    with terminal_progress(wanted(quiet), steps_in(lang)) as progress:
        if all_regions:
            from polku.analyses.merge import merge as merged

            names = regions(uri, user, password, database)
            if not names:
                raise PolkuError(N_("the database holds no regions"), params={})
            pulled = []
            for r in names:
                one = pull_graph(uri, user, password, database, r, progress=progress)
                one.graph["name"] = r  # in the database the region is the namespace
                pulled.append(one)
            result = merged(pulled, name)
            g = result.graph
            for c in result.conflicts:
                typer.echo(tr("conflict: {conflict}").format(conflict=conflict_text(c, tr)),
                           err=True)
            pulled_region = name
        else:
            g, pulled_region = pull_region(uri, user, password, database, region,
                                           progress=progress)
        out = for_file(g, fmt, suppress, min_cell)
        progress(Phrase(N_("writing {name}"), name=output.name))
        save_graph(out, output, fmt)
    # the region read; the graph's own id, which the file keeps, apart when it differs
    # (a graph pushed with --region)
    own = str(g.graph.get("name") or "")
    said = tr("wrote {output}: region '{region}', {counts}") if own in ("", pulled_region) \
        else tr("wrote {output}: region '{region}' (the graph's own id '{name}'), {counts}")
    typer.echo(said.format(output=output, region=pulled_region, name=own,
                           counts=counted(graphmod.summary(g), tr)))
    left_out_note(out, min_cell, tr, g)


@neo4j_app.command("regions", help=N_(
    "List the regions held in the database (--lang: the language of its problems)."))
@reports_errors
def neo4j_regions(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    lang: Optional[str] = Lang,
) -> None:
    """List the regions held in the database (--lang: the language of its problems)."""
    from polku.io.neo4jstore import regions

    for name in regions(uri, user, password, database):
        typer.echo(name)


@neo4j_app.command("findings", help=N_(
    "Findings that Cypher answers in the server, without pulling the graph.\n\n"
    "The kinds on a node and its neighbours: providers, leads, owners, information flow, waits "
    "and capacity. `polku findings neo4j://…` gives every kind."))
@reports_errors
def neo4j_findings(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: Optional[str] = typer.Option(None, "--region", show_default=False,
                                         help=N_("The region (or ?region= in the URI).")),
    format: str = typer.Option("table", "--format", help=N_("table, json or markdown.")),
    long_wait_days: float = LongWaitDays,
    lang: Optional[str] = Lang,
) -> None:
    """Findings that Cypher answers in the server, without pulling the graph.

    The kinds on a node and its neighbours: providers, leads, owners, information flow,
    waits and capacity. `polku findings neo4j://…` gives every kind."""
    from polku.analyses.neo4j_findings import cypher_findings_named
    from polku.io.neo4jstore import target

    format = check_format(format, ("table", "json", "markdown"))
    tr = translator(lang)
    found, names = cypher_findings_named(uri, user, password, database, region,
                                         long_wait_days=long_wait_days)
    # JSON names the graph by its id, the region, as code reads it; people read its title
    # (kept with the region), as `polku findings` names a file's graph
    region_id = target(uri, user, password, database, region).region or "graph"
    shown_as = region_id if format == "json" else graphmod.title(names, tr.lang, region_id)
    typer.echo(findings_output(format, shown_as, found, names, tr))
