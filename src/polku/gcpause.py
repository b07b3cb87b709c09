"""Pausing Python's cyclic garbage collector while polku builds or analyses a big graph."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


#: whether this process has called :func:`settle` (a fact about the collector, which is
#: one per process; ``gc.get_freeze_count()`` would say it too, but walks every frozen object)
_settled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration.

    Why: loading and analysing a graph allocate hundreds of thousands of small dicts, sets
    and tuples but create no reference cycles, and each automatic collection walks every
    object of the graph built so far; at national size that was a third of the analysis
    time and a fifth of the loading time. Reference counting still frees everything; the
    collector resumes (if it was on) afterwards.

    What was allocated meanwhile is handed straight to the oldest generation
    (``gc.freeze()`` then ``gc.unfreeze()``): left in the youngest, the whole graph would be
    walked again by the first young collections after the pause, one generation at a time
    (a sixth of ``polku findings`` at national size). It stays collectable. Not in a process
    that called :func:`settle` (a server): unfreezing would hand back everything it froze.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not _settled:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def settle() -> None:
    """Collect once, then leave every object alive now out of the collections to come
    (:func:`gc.freeze`): for a long-running server, once it has started, before it loads
    any graph.

    Why: a server's modules, templates, compiled shapes and catalogues live as long as the
    process, yet each full collection walked all of them again (about 110,000 objects, a
    tenth of a second), stopping every request under load (issue 16's server benchmark).
    What is made later (each graph version and what is computed from it) is collected as
    before; graphs are loaded after this on purpose, since what is frozen is never
    collected (a graph holds reference cycles: frozen, a replaced version would stay).
    """
    global _settled
    gc.collect()
    gc.freeze()
    _settled = True
