"""``polku changes``: a graph's change log checked, and a last line cut short set aside.

The server refuses every write, undo and review of a graph whose change log holds a line
polku did not write (409 ``changelog-broken``); these commands say what is wrong with it
and mend the one case that is safe to mend by a program: the last line cut short."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from polku.cli.help import PolkuTyper
from polku.cli.options import GraphArg, Lang
from polku.cli.problems import reports_errors, says_own_warnings
from polku.errors import PolkuError
from polku.present.i18n import error_text, translator
from polku.words import N_

changes_app = PolkuTyper(no_args_is_help=True, help=N_(
    "A graph's change log: check every line, and set aside a last line cut short."))

LogOption = typer.Option(None, "--changes", help=N_(
    "The change log (default: the one polku serve keeps, .polku/NAME.changes.jsonl beside "
    "the graph)."))


def _log(source: str, changes: Path | None):
    """The change log of ``source`` (or ``changes``); an error naming ``source`` when
    there is neither the graph nor a log of it (a mistyped name checked "0 changes, every
    line whole"), with the graph of its folder likely meant."""
    from polku.io.neo4jstore import is_neo4j_uri
    from polku.ops.batch import changelog_of
    from polku.ops.changelog import ChangeLog, source_label

    log = ChangeLog(changes, source_label(source)) if changes is not None \
        else changelog_of(source)
    if not is_neo4j_uri(source) and not os.path.lexists(source) and not log.path.exists():
        # a graph whose source is gone and whose log is left is still checked
        raise PolkuError(N_("no such graph, and no change log of one"), params={},
                         file=source, close=_likely_graph(Path(source)))
    return log


def _likely_graph(path: Path) -> str | None:
    """The graph of ``path``'s folder that ``path`` likely meant (its file or folder, as
    given), or None."""
    from polku.graph import likely_id
    from polku.server.store import discover

    try:
        found, _ = discover([path.parent])
    except (PolkuError, OSError):  # no such folder either: nothing to offer
        return None
    close = likely_id(path.stem, dict.fromkeys(found, {}))
    return found[close].location if close is not None else None


@changes_app.command(help=N_(
    "Check every line of a graph's change log; exit 1 naming each line that is wrong."))
@reports_errors
@says_own_warnings
def check(source: str = GraphArg, changes: Optional[Path] = LogOption,
          lang: Optional[str] = Lang) -> None:
    """Check every line of a graph's change log; exit 1 naming each line that is wrong."""
    from polku.ops.changelog import examine

    tr = translator(lang)
    log = _log(source, changes)
    found = examine(log)
    if not found.problems:
        typer.echo(tr.ngettext("{log}: {n} change, every line whole",
                               "{log}: {n} changes, every line whole", found.entries).format(
            log=log.path, n=found.entries))
        return
    for problem in found.problems:
        typer.echo(error_text(problem, tr))
    if found.cut_last:
        typer.echo(tr("The last line was cut short (a write or a copy that stopped mid-line). "
                      "polku changes mend {graph} sets it aside, keeping the whole log as it "
                      "is beside it first.").format(graph=source))
    else:
        typer.echo(tr("polku changes mend cannot mend this: restore the log from a backup, "
                      "or correct the lines named by hand."))
    raise typer.Exit(1)


@changes_app.command(help=N_(
    "Set aside the last line of a graph's change log when it is cut short (the whole log "
    "kept beside it first); any other problem is refused."))
@reports_errors
@says_own_warnings
def mend(source: str = GraphArg, changes: Optional[Path] = LogOption,
         lang: Optional[str] = Lang) -> None:
    """Set aside the last line of a graph's change log when it is cut short (the whole log
    kept beside it first); any other problem is refused."""
    from polku.ops import changelog

    tr = translator(lang)
    log = _log(source, changes)
    done = changelog.mend(log, source)
    if done is None:
        typer.echo(tr("{log}: nothing to mend, every line is whole").format(log=log.path))
        return
    copy, left = done
    typer.echo(tr.ngettext(
        "{log}: the last line, cut short, set aside ({n} change left); the log as it was is "
        "kept in {copy}",
        "{log}: the last line, cut short, set aside ({n} changes left); the log as it was is "
        "kept in {copy}", left).format(log=log.path, n=left, copy=copy.name))
