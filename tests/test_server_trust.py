"""A workspace several organisations can trust (issue 18): strong preconditions, limits
that keep every graph readable, any folder name, and the security headers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini
from polku.app import create_app
from polku.server.auth import parse_tokens

ANNA = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{ANNA}")


def auth(etag: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {ANNA}"}
    if etag:
        headers["If-Match"] = etag
    return headers


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its hash (to show that nothing was written)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def served(tmp_path: Path) -> Path:
    folder = tmp_path / "graphs"
    folder.mkdir()
    copy_mini(folder / "mini")
    return folder


@pytest.fixture
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], TOKENS), raise_server_exceptions=False)


def etag_of(client: TestClient, name: str = "mini") -> str:
    r = client.get(f"/api/graphs/{name}")
    assert r.status_code == 200
    return r.headers["etag"]


# -- strong preconditions (RFC 9110 §13.1.1: If-Match uses the strong comparison) ----------

@pytest.mark.parametrize("if_match", ["*", "W/{etag}", "{etag}, *", "W/{etag}, \"00\""])
def test_if_match_star_and_weak_tags_are_refused(client: TestClient, served: Path,
                                                 if_match: str) -> None:
    etag = etag_of(client)
    before = snapshot(served)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": 99}, headers=auth(if_match.format(etag=etag)))
    assert r.status_code == 412, r.text
    assert r.json()["error"]["field"] == "If-Match" and r.headers["etag"] == etag
    assert snapshot(served) == before


def test_a_strong_tag_among_others_is_accepted(client: TestClient) -> None:
    etag = etag_of(client)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": 99}, headers=auth(f'"00", {etag}'))
    assert r.status_code == 200, r.text
