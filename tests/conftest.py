"""Shared pytest fixtures and settings; each fixture group lives in its own module."""

import os

from hypothesis import settings

from neo4j_server import neo4j_server  # noqa: F401  (session-scoped real Neo4j server)

# Under CI the property tests run a fixed set of examples (a run is repeatable and a red
# build points at one example); locally they explore new random examples every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")
