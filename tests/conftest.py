"""Shared pytest fixtures; each group lives in its own module and is imported here."""

from neo4j_server import neo4j_server  # noqa: F401  (session-scoped real Neo4j server)
