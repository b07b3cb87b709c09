"""Schemathesis against the OpenAPI schema of the real app: generated requests for every
documented route (with a valid token, so writes get past authentication) never meet a
server error, a status or a media type the schema does not document, or a body its
schema does not describe."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from helpers import copy_mini
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "schema-token-0123456789"
pytestmark = pytest.mark.slow  # every documented route, 25 generated requests each


# schemathesis builds its tests when the module is collected, so the served copy is made
# here and removed when the module's tests are done
FOLDER = Path(tempfile.mkdtemp(prefix="polku-schema-"))
copy_mini(FOLDER / "mini")
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app([FOLDER], parse_tokens(f"tester:{TOKEN}")))


@pytest.fixture(scope="module", autouse=True)
def _remove_served_copy():
    yield
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case) -> None:
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=checks)
    if case.path_parameters and "name" in case.path_parameters:
        # generated names almost never name a graph: ask the served one too
        case.path_parameters["name"] = "mini"
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=checks)
