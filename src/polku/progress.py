"""Feedback on long work: what a command is doing, while it does it.

Importing a national graph (its SHACL check), writing a report or pushing to Neo4j can take
tens of seconds; silence for that long looks like a hang. The library reports its steps
through a plain callback, :data:`Progress` (``progress(description, done, total)``), and
knows nothing of terminals; the command line turns the calls into a live display on the
terminal (rich, which typer already brings) and into nothing when its output is piped or
``--quiet`` is given, so scripts and logs stay clean.

>>> seen = []
>>> def record(description, done=None, total=None):
...     seen.append((description, done, total))
>>> for i, batch in enumerate(["a", "b"], 1):
...     record("pushing", i, 2)
>>> seen
[('pushing', 1, 2), ('pushing', 2, 2)]
>>> silent("anything", 1, 2) is None
True
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator, Protocol, TextIO


class Progress(Protocol):
    """Called when a step starts (``done``/``total`` None) or moves on (counts given)."""

    def __call__(self, description: str, done: int | None = None,
                 total: int | None = None) -> None: ...


def silent(description: str, done: int | None = None, total: int | None = None) -> None:
    """The progress of a caller that wants none (the default everywhere in the library)."""
    return None


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """Show progress only to a person: on a terminal, and not under ``--quiet``."""
    stream = stream if stream is not None else sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


@contextmanager
def terminal_progress(enabled: bool,
                      worded: Callable[[str], str] | None = None) -> Iterator[Progress]:
    """A :data:`Progress` drawn on stderr while the block runs (a spinner, the step, a bar
    when the step has a total, the time spent), cleared at the end; :func:`silent` when
    not ``enabled``. The library names its steps as catalogued phrases
    (:class:`polku.errors.Phrase`); ``worded`` writes one in the reader's language (the
    command line passes it: this module knows no languages)."""
    if not enabled:
        yield silent
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Display,
                               SpinnerColumn, TextColumn, TimeElapsedColumn)

    display = Display(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True)
    task = display.add_task("", total=None)

    shown = [""]

    def update(description: str, done: int | None = None, total: int | None = None) -> None:
        description = worded(description) if worded is not None else str(description)
        display.update(task, description=description, completed=done or 0, total=total)
        if description != shown[0]:
            # a new step is drawn at once: a quick step would otherwise never be seen
            # between two of the display's timed refreshes
            shown[0] = description
            display.refresh()

    with display:
        yield update
