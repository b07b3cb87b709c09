"""``polku neo4j``: graphs on a shared Neo4j server, many regions side by side: push,
pull, list, delete and the direct findings."""

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
from polku.present.i18n import error_param, translator
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
    # each count in its singular or plural (a push that adds 1 node)
    def nodes(n: int) -> str:
        return tr.ngettext("{n} node", "{n} nodes", n).format(n=n)

    def relationships(n: int) -> str:
        return tr.ngettext("{n} relationship", "{n} relationships", n).format(n=n)

    typer.echo(tr("pushed region '{region}': {nodes}, {relationships} ({created_nodes} and "
                  "{created_relationships} new, {deleted_nodes} and {deleted_relationships} "
                  "removed) in {seconds} s").format(
        region=r.region, nodes=nodes(r.nodes), relationships=relationships(r.relationships),
        created_nodes=nodes(r.created_nodes),
        created_relationships=relationships(r.created_relationships),
        deleted_nodes=nodes(r.deleted_nodes),
        deleted_relationships=relationships(r.deleted_relationships),
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
            from polku.analyses.merge import merge as merged, regions_to_merge

            names = regions(uri, user, password, database)
            if not names:
                raise PolkuError(N_("the database holds no regions"), params={})
            pulled = []
            for r in names:
                one = pull_graph(uri, user, password, database, r, progress=progress)
                one.graph["name"] = r  # in the database the region is the namespace
                pulled.append(one)
            # a merged graph pushed beside its regions would bring them twice (and merge
            # refuses a merged graph): its regions are read once, and it is said
            pulled, merged_graphs = regions_to_merge(pulled)
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
    if all_regions:
        for m in merged_graphs:
            typer.echo(tr("note: {note}").format(note=merged_note(m, tr)))
    left_out_note(out, min_cell, tr, g)


def merged_note(m, tr) -> str:
    """What ``pull --all`` did with a merged graph the database holds (``m``, a
    :class:`polku.analyses.merge.LeftOut`): left out, its regions read on their own, or
    read for the regions nothing else brought; and how to read it alone or delete it."""
    if not m.taken:
        return tr.ngettext(
            "left out '{merged}', a merged graph of the region {read}, read on its own; "
            "polku neo4j pull --region {merged} reads it alone, polku neo4j delete --region "
            "{merged} --yes deletes it",
            "left out '{merged}', a merged graph of the regions {read}, read on their own; "
            "polku neo4j pull --region {merged} reads it alone, polku neo4j delete --region "
            "{merged} --yes deletes it", max(len(m.read), 1)).format(
            merged=m.merged, read=", ".join(m.read) or "–")
    if not m.read:
        return tr.ngettext(
            "'{merged}' is a merged graph: its region {taken} is read from it",
            "'{merged}' is a merged graph: its regions {taken} are read from it",
            len(m.taken)).format(merged=m.merged, taken=", ".join(m.taken))
    return tr.ngettext(
        "'{merged}' is a merged graph: its region {taken} is read from it, the others "
        "({read}) on their own",
        "'{merged}' is a merged graph: its regions {taken} are read from it, the others "
        "({read}) on their own", len(m.taken)).format(
        merged=m.merged, taken=", ".join(m.taken), read=", ".join(m.read))


@neo4j_app.command("delete", help=N_(
    "Delete one region from the Neo4j database: its nodes, relationships and follow-ups, in "
    "one transaction. Nothing is deleted without --yes."))
@reports_errors
def neo4j_delete(
    uri: Optional[str] = Neo4jUri, user: Optional[str] = Neo4jUser,
    password: Optional[str] = Neo4jPassword, database: Optional[str] = Neo4jDatabase,
    region: str = typer.Option(..., "--region", show_default=False, help=N_(
        "The region to delete.")),
    yes: bool = typer.Option(False, "--yes", help=N_(
        "Delete it: a deleted region is gone from the database (polku neo4j pull --region R "
        "-o FILE keeps a copy first; a push brings it back).")),
    lang: Optional[str] = Lang,
) -> None:
    """Delete one region from the Neo4j database: its nodes, relationships and follow-ups,
    in one transaction. Nothing is deleted without --yes."""
    from polku.io.neo4jstore import check_held, delete_region, regions, target

    t = target(uri, user, password, database, region)
    if not yes:
        check_held(t, regions(uri, user, password, database))  # a typo is said first
        raise PolkuError(N_("this deletes region '{region}' from {server} for good: add --yes "
                            "to delete it (polku neo4j pull --region {region} -o FILE keeps a "
                            "copy first)"),
                         params={"region": region, "server": t.where}, field="yes")
    removed = delete_region(uri, user, password, database, region)
    tr = translator(lang)
    typer.echo(tr.ngettext("deleted region '{region}' from {server}: {n} node removed",
                           "deleted region '{region}' from {server}: {n} nodes removed",
                           removed).format(region=region, server=error_param(t.where, tr),
                                           n=tr.number(removed)))


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
