"""``polku serve --access-log``: a line per request and each worker's start, on a real
server of two workers, and never a token, a cookie or a sign-in's one-time code."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from helpers import copy_mini
from processes import polku_serve
from polku.server.accesslog import without_secrets

TOKEN = "access-log-token-0123456789"


def get(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}
                                     if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def waited(served, *words: str, workers: int = 1) -> str:
    """The server's output once it holds every one of ``words`` and the start of
    ``workers`` worker processes (a worker writes its lines a moment after it answers, and
    on a busy machine the second worker may still be importing when the first answers)."""
    deadline = time.monotonic() + 60
    while True:
        said = served.said()
        done = (all(w in said for w in words)
                and said.count("Started server process") >= workers)
        if done or time.monotonic() > deadline:
            return said
        time.sleep(0.2)


@pytest.mark.slow  # a server of two worker processes
def test_access_log_names_requests_and_workers_but_no_secret(tmp_path: Path) -> None:
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(f"anna:{TOKEN}\n", encoding="utf-8")
    tokens.chmod(0o600)
    with polku_serve(str(folder), "--tokens", str(tokens), "--access-log",
                     workers=2) as served:
        assert get(served + "/api/graphs/mini/findings?lang=fi", TOKEN) == 200
        assert get(served + "/auth/callback?state=st4te-value&code=s3cret-code") in (400, 404)
        said = waited(served, "/api/graphs/mini/findings?lang=fi", "/auth/callback",
                      workers=2)
    assert '"GET /api/graphs/mini/findings?lang=fi HTTP/1.1" 200' in said, said
    assert "/auth/callback?state=...&code=..." in said, said
    for secret in (TOKEN, "s3cret-code", "st4te-value"):
        assert secret not in said
    # each worker process says it started
    assert said.count("Started server process") >= 2, said


@pytest.mark.slow  # a server process
def test_without_access_log_the_server_says_only_problems(tmp_path: Path) -> None:
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    with polku_serve(str(folder)) as served:
        assert get(served + "/api/graphs/mini") == 200
        time.sleep(0.5)
        said = served.said()
    assert "/api/graphs/mini" not in said and "Started server process" not in said, said


def test_secret_parameters_are_left_out_whatever_their_case() -> None:
    assert without_secrets("/polku/auth/callback?CODE=x&Session_State=y&lang=sv") == \
        "/polku/auth/callback?CODE=...&Session_State=...&lang=sv"
    assert without_secrets("/api/graphs") == "/api/graphs"
