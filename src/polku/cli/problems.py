"""The command line's problems: bad input (:class:`polku.errors.PolkuError`) and failing
file operations as one clear line each on stderr, in the reader's language, naming the
option the reader typed; the exit status; a closed pipe ended quietly. And the warnings of
a workbook a command reads (:func:`polku.io.unknown_names.workbook_warnings`: a column or
sheet polku does not read though it looks meant), once, on stderr, before the command's
own output, so that the findings that follow from a typo are read with their cause."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from contextlib import nullcontext
from typing import Any, Callable, Mapping, NoReturn, Sequence, TypeVar

import typer

from polku.errors import PolkuError, PolkuErrors, os_problem
from polku.gcpause import gc_paused
from polku.present.i18n import Translator, translator

F = TypeVar("F", bound=Callable)


MAX_PROBLEMS_SHOWN = 100


def reader_language(lang: str | None = None) -> Translator:
    """The language a command's problems are worded in: ``--lang`` as given (a command
    reads POLKU_LANG into it), else POLKU_LANG (a command without ``--lang``, or a problem
    found before its options were read), else Finnish, as everything polku writes for people.
    A language polku does not speak is not a reason to hide the problem: Finnish then."""
    for wanted_lang in (lang, os.environ.get("POLKU_LANG")):
        if wanted_lang:
            try:
                return translator(wanted_lang)
            except PolkuError:
                continue
    return translator()


#: the parameters of the commands that name a graph to read (a workbook among them gets
#: its warnings said): ``polku findings SOURCE``, ``polku diff A B``, ``polku merge SOURCES``,
#: ``polku import WORKBOOK_PATH``, ``polku eventlog --graph``
GRAPH_PARAMETERS = ("source", "sources", "workbook_path", "graph", "a", "b")


def warn(warnings: Sequence[PolkuError], tr: Translator) -> None:
    """Print ``warnings`` on stderr, one line each (``warning: FILE, sheet …: …``), in
    ``tr``'s language; at most :data:`MAX_PROBLEMS_SHOWN`, then how many more."""
    from polku.present.i18n import error_text

    for w in warnings[:MAX_PROBLEMS_SHOWN]:
        typer.echo(tr("warning: {problem}").format(problem=error_text(w, tr)), err=True)
    if len(warnings) > MAX_PROBLEMS_SHOWN:
        more = len(warnings) - MAX_PROBLEMS_SHOWN
        typer.echo(tr.ngettext("warning: … and {n} more", "warning: … and {n} more",
                               more).format(n=more), err=True)


def workbooks_read(arguments: Mapping[str, Any]) -> list[PolkuError]:
    """The warnings of every workbook among a command's graph arguments
    (:data:`GRAPH_PARAMETERS`), each workbook once."""
    from polku.io.unknown_names import workbook_warnings

    out: list[PolkuError] = []
    seen: set[str] = set()
    for name in GRAPH_PARAMETERS:
        value = arguments.get(name)
        for source in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(source, (str, os.PathLike)) and str(source) not in seen:
                seen.add(str(source))
                out += workbook_warnings(source)
    return out


def says_own_warnings(func: F) -> F:
    """Mark a command that prints the warnings of the workbook it reads itself (``polku
    validate``: after the errors, and counted in its verdict)."""
    func.own_warnings = True  # type: ignore[attr-defined]
    return func


def fail(error: PolkuError, tr: Translator | None = None, command: Callable | None = None,
         warnings: Sequence[PolkuError] = ()) -> None:
    """Print the problems of ``error`` on stderr, one line each (at most
    :data:`MAX_PROBLEMS_SHOWN`, then how many more), in ``tr``'s language (English
    without one: :func:`reader_language`), then ``warnings`` (:func:`warn`), and exit 1."""
    from polku.present.i18n import error_message, error_text

    tr = tr or reader_language()
    problems = error.errors if isinstance(error, PolkuErrors) else [error]
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        text = error_text(p, tr)
        option = option_of(p, command) if p.msgid is not None else None
        if option is not None and not (p.file or p.sheet or p.row is not None or p.column):
            text = f"{option}: {error_message(p, tr)}"  # the message names the node
        typer.echo(tr("error: {problem}").format(problem=text), err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        typer.echo(tr.ngettext("error: … and {n} more problem (fix the first ones; later ones "
                               "often follow from them)",
                               "error: … and {n} more problems (fix the first ones; later "
                               "ones often follow from them)", more).format(
            n=tr.number(more)), err=True)
    warn(warnings, tr)
    from polku.io.unknown_names import NAME_WARNINGS

    # only a misspelt name can be the cause (a follow-up's or a path name's warning is not)
    if any(w.msgid in NAME_WARNINGS for w in warnings):
        typer.echo(tr("note: {note}").format(note=tr(
            "a misspelt sheet or column (the warnings) may be the cause of the problems "
            "above")), err=True)
    raise typer.Exit(1)


def option_of(error: PolkuError, command: Callable | None) -> str | None:
    """The option of ``command`` that ``error``'s field names (``--capacity``, ``-k``), or
    None: the command line names the parameter the way its reader typed it, where the API
    names it in ``field`` and a page marks its form field. (A catalogued message names the
    parameter neutrally; an uncatalogued one says its option itself.)"""

    from typer.models import OptionInfo

    if error.field is None or command is None:
        return None
    param = inspect.signature(command).parameters.get(error.field)
    if param is None or not isinstance(param.default, OptionInfo):
        return None
    names = [d for d in param.default.param_decls or () if d.startswith("-")]
    names = [n.split("/")[0] for n in names]
    return max(names, key=len) if names else "--" + error.field.replace("_", "-")


def long_running(func: F) -> F:
    """Mark a command that keeps running (``polku serve``): it runs with Python's cyclic
    garbage collector on, as every long-lived process must."""
    func.long_running = True  # type: ignore[attr-defined]
    return func


def reports_errors(func: F) -> F:
    """Turn bad input (PolkuError) and failing file operations (OSError) into one clear
    line each and exit 1, instead of a traceback.

    A command that answers once and exits runs with the cyclic garbage collector paused
    (:func:`polku.gcpause.gc_paused`): what it allocates is freed by reference counting, and
    the collector's walks over a national graph were a tenth of ``polku findings``.

    A command that reads a workbook (:data:`GRAPH_PARAMETERS`) says its warnings first, on
    stderr, unless it serves (``polku serve``: the pages show them) or says them itself
    (:func:`says_own_warnings`)."""
    pause = nullcontext if getattr(func, "long_running", False) else gc_paused
    warns = not (getattr(func, "long_running", False) or getattr(func, "own_warnings", False))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with pause():
                if warns:
                    warn(workbooks_read(kwargs), reader_language(kwargs.get("lang")))
                return func(*args, **kwargs)
        except PolkuError as e:
            fail(e, reader_language(kwargs.get("lang")), func)
        except BrokenPipeError:
            # the reader went away (polku findings | head): nothing more to say, and no
            # one to say it to; stdout goes nowhere so that the final flush cannot fail
            closed_pipe()
        except OSError as e:
            fail(os_problem(e), reader_language(kwargs.get("lang")), func)
    return wrapper  # type: ignore[return-value]


def closed_pipe() -> NoReturn:
    """End quietly because the reader of our output closed the pipe, as Unix tools do:
    exit status 141 (128 + SIGPIPE), what a shell reports for ``yes | head``."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's runner): nothing to redirect
        pass
    raise typer.Exit(141)
