"""Bad input at every door, found by an adversarial pass over the API, the pages and the
command line: each test drives the real HTTP app or the real CLI with one input that once
broke the contract (a traceback, a missing ``field``, English in a Finnish answer, a file
named that the reader never gave, a change nobody could undo) and checks the answer the
contract promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini, etag_of
from polku.app import create_app
from polku.server.auth import parse_tokens

ANNA = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{ANNA}")


def auth(etag: str, lang: str = "en") -> dict[str, str]:
    return {"Accept-Language": lang, "Authorization": f"Bearer {ANNA}", "If-Match": etag}


@pytest.fixture
def served(tmp_path: Path) -> Path:
    folder = tmp_path / "graphs"
    folder.mkdir()
    copy_mini(folder / "mini")
    return folder


@pytest.fixture
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], TOKENS), raise_server_exceptions=False)


# -- a row an edit leaves blank -----------------------------------------------------------

def test_a_new_row_with_no_value_is_refused_and_nothing_is_written(client: TestClient,
                                                                  served: Path) -> None:
    # the readers skip a blank row, so {} once passed every check: a line of commas was
    # written and a change logged under the empty key, which no undo could find again
    before = (served / "mini" / "services.csv").read_bytes()
    r = client.post("/api/graphs/mini/rows/services", json={"name": ""},
                    headers=auth(etag_of(client)))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == "id" and error["code"] == "invalid-row"
    assert error["message"].startswith("mini/services.csv, sheet 'services', row ")
    assert error["message"].endswith("column 'id': the required value 'id' is empty")
    assert (served / "mini" / "services.csv").read_bytes() == before
    assert client.get("/api/graphs/mini/changes").json()["changes"] == []
    # told in the reader's language, beside its column
    r = client.post("/api/graphs/mini/rows/services", json={},
                    headers=auth(etag_of(client), "fi"))
    assert r.json()["error"]["problems"][0]["text"] == "pakollinen arvo 'id' on tyhjä"


def test_clearing_every_cell_of_a_row_is_no_hidden_delete(client: TestClient,
                                                          served: Path) -> None:
    before = (served / "mini" / "outcomes.csv").read_bytes()
    row = client.get("/api/graphs/mini/rows/outcomes/tyo").json()["values"]
    r = client.patch("/api/graphs/mini/rows/outcomes/tyo", json={c: None for c in row},
                     headers=auth(etag_of(client)))
    assert r.status_code == 422 and r.json()["error"]["field"] == "id", r.text
    assert (served / "mini" / "outcomes.csv").read_bytes() == before
    # the undo that follows a real change still finds its row
    r = client.post("/api/graphs/mini/undo", headers=auth(etag_of(client)))
    assert r.status_code == 409 and r.json()["error"]["code"] == "nothing-to-undo"


# -- a body FastAPI cannot decode ----------------------------------------------------------

@pytest.mark.parametrize("body", [
    '{"id": "x", "name": "\xe4"}'.encode("latin-1"),  # not UTF-8
    b'{"id": "x", "capacity_per_month": 1' + b"0" * 5000 + b"}",  # past int's 4300 digits
    b"[" * 100_000 + b"]" * 100_000,  # past the recursion limit
], ids=["latin-1", "huge-number", "deep"])
def test_a_body_that_cannot_be_decoded_is_a_400_naming_the_body(client: TestClient,
                                                                  body: bytes) -> None:
    headers = {**auth(etag_of(client), "sv"), "Content-Type": "application/json"}
    r = client.post("/api/graphs/mini/rows/services", content=body, headers=headers)
    assert r.status_code == 400
    assert r.json() == {"error": {"code": "bad-request", "field": "body",
                                  "message": "body: begärans innehåll är inte giltig JSON"}}
