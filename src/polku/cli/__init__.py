"""The ``polku`` command: one entry point, thin commands over the library.

Each command parses its options, calls the library, prints, and maps bad input
(:class:`polku.errors.PolkuError`) to one clear line per problem on stderr and exit status 1.
Every command that takes a graph accepts a Turtle or JSON-LD file, a workbook folder, an
.xlsx, or a Neo4j URI (see :func:`polku.io.load.load_graph`).

The door's rooms: :mod:`polku.cli.commands` (the commands: parse, ask an operation,
print), the command groups :mod:`polku.cli.ptv`, :mod:`polku.cli.plan` and
:mod:`polku.cli.neo4j`, :mod:`polku.cli.options` (the options and steps they share),
:mod:`polku.cli.problems` (bad input as one clear line each, in the reader's language, and
the exit status) and :mod:`polku.cli.help` (every help page in the reader's language).
"""

from polku.cli.commands import app, main

__all__ = ["app", "main"]
