"""Every server process over one folder serves the same last good version while a source
is broken, and it holds every acknowledged write (``.polku/NAME.last-good.zip``,
:mod:`polku.server.lastgood`). Two apps over one folder are two workers of ``polku serve
--workers``, each with a store of its own; the last test runs the real thing, three
uvicorn workers."""

from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini
from processes import polku_serve
from polku.app import create_app
from polku.server.auth import parse_tokens
from polku.server.http import version_of_tag

TOKEN = "last-good-token-0123456789"
TOKENS = parse_tokens(f"anna:{TOKEN}")
ROW = "/api/graphs/mini/rows/services/kuntouttava"


def worker(folder: Path) -> TestClient:
    """One server process's app over ``folder`` (a store of its own)."""
    return TestClient(create_app([folder], TOKENS), raise_server_exceptions=False)


def later(path: Path, seconds: float = 5) -> None:
    """Move a file's time forward, so a change within one clock tick is seen."""
    moment = time.time() + seconds
    os.utime(path, (moment, moment))


def break_sheet(folder: Path, seconds: float = 10) -> None:
    """A hand edit that breaks another service's capacity (``alkuhaastattelu``)."""
    services = folder / "mini" / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace('"40,5"', "4x4"),
                        encoding="utf-8")
    later(services, seconds)


def test_a_write_in_one_worker_is_the_last_good_version_of_every_worker(
        tmp_path: Path) -> None:
    copy_mini(tmp_path / "mini")
    one, two = worker(tmp_path), worker(tmp_path)
    before = one.get("/api/graphs/mini").headers["etag"]
    assert two.get("/api/graphs/mini").headers["etag"] == before  # both read version 0
    r = one.patch(ROW, json={"capacity_per_month": "999"},
                  headers={"Authorization": f"Bearer {TOKEN}", "If-Match": before})
    assert r.status_code == 200, r.text
    written = r.headers["etag"]
    break_sheet(tmp_path)  # before the second worker read the write
    answers = []
    for client in (one, two, worker(tmp_path)):  # and a worker started after the break
        r = client.get("/api/graphs/mini/export", params={"format": "turtle"})
        assert r.status_code == 200 and "x-polku-stale" in r.headers
        assert version_of_tag(r.headers["etag"]) == version_of_tag(written), \
            "a worker serves the version before the write"
        assert "capacityPerMonth 999 " in r.text
        listed = client.get("/api/graphs").json()[0]
        assert listed["state"] == "stale" and listed["etag"] == version_of_tag(written)
        row = client.get(ROW)
        assert row.json()["values"]["capacity_per_month"] == "999"
        answers.append((client.get("/api/graphs/mini/rows/services").json(),
                        client.get("/api/graphs/mini/findings").json()))
    assert answers[0] == answers[1] == answers[2]
    kept = tmp_path / ".polku" / "mini.last-good.zip"
    assert kept.stat().st_mode & 0o777 == 0o600  # the sheets' true figures: the owner's


def test_a_good_hand_edit_one_worker_read_is_every_workers_last_good_version(
        tmp_path: Path) -> None:
    copy_mini(tmp_path / "mini")
    one, two = worker(tmp_path), worker(tmp_path)
    assert one.get("/api/graphs/mini").status_code == two.get("/api/graphs/mini").status_code
    services = tmp_path / "mini" / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace(",20,", ",21,"),
                        encoding="utf-8")
    later(services)
    edited = one.get("/api/graphs/mini").headers["etag"]  # only the first worker reads it
    break_sheet(tmp_path, 20)
    for client in (one, two):
        r = client.get(ROW)
        assert version_of_tag(r.headers["etag"]) == version_of_tag(edited)
        assert "x-polku-stale" in r.headers
        assert r.json()["values"]["capacity_per_month"] == "21"
    # mended: every worker reads the source again
    services.write_text(services.read_text(encoding="utf-8").replace("4x4", '"40,5"'),
                        encoding="utf-8")
    later(services, 30)
    for client in (one, two):
        r = client.get("/api/graphs/mini")
        assert "x-polku-stale" not in r.headers and r.json()["state"] == "ok"


@pytest.mark.slow  # three server processes (the two-app tests above run in the quick loop)
def test_three_workers_serve_an_acknowledged_write_while_a_sheet_is_broken(
        tmp_path: Path) -> None:
    """The IT person's report: ``polku serve --workers 3``, each worker has read the
    graph, one of them takes a write, then a sheet is broken by hand: every answer after
    it holds the write, under one ETag."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    tokens = tmp_path / "tokens"
    tokens.write_text(f"anna:{TOKEN}\n")
    tokens.chmod(0o600)
    with polku_serve(str(folder), "--tokens", str(tokens), workers=3) as served:
        base = f"{served}/api/graphs/mini"
        for _ in range(12):  # every worker reads version 0
            urllib.request.urlopen(base, timeout=60).read()
        with urllib.request.urlopen(base + "/rows/services/kuntouttava", timeout=60) as r:
            etag = r.headers["ETag"]
        request = urllib.request.Request(
            base + "/rows/services/kuntouttava", b'{"capacity_per_month": "999"}',
            method="PATCH", headers={"Authorization": f"Bearer {TOKEN}", "If-Match": etag,
                                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as r:
            assert r.status == 200
            written = r.headers["ETag"]
        break_sheet(folder)
        seen = set()
        for _ in range(15):
            with urllib.request.urlopen(base + "/export?format=turtle", timeout=60) as r:
                text = r.read().decode()
                seen.add((r.headers["ETag"].split("-")[0] + '"',
                          "capacityPerMonth 999 " in text, "X-Polku-Stale" in r.headers))
        assert seen == {(written, True, True)}, seen


def refuse_rename_to(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Renames onto ``name`` fail as onto an immutable file (``chattr +i``)."""
    import errno

    real = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.fspath(dst).endswith(name):
            raise PermissionError(errno.EPERM, "Operation not permitted", os.fspath(src))
        real(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)


def full_disk_for(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The temporary file of ``name`` fails as on a full disk."""
    import errno
    import tempfile

    real = tempfile.mkstemp

    def mkstemp(*args: Any, prefix: str = "", **kwargs: Any) -> Any:
        if prefix.startswith(f".{name}."):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, prefix=prefix, **kwargs)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def on_disk(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix not in (".lock", ".key")}


@pytest.mark.parametrize("kind", ["folder", "xlsx"])
def test_a_write_whose_last_good_copy_cannot_be_kept_is_not_acknowledged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """The administrator's report: the last good copy could not be replaced (an immutable
    file, a full disk), the write was answered 200 all the same with nothing in the log,
    and a process started once the source broke served the version before it: an
    acknowledged write lost. The last good copy is part of the write: when it cannot be
    kept, the write is refused (409 ``write-failed`` naming the file) and nothing of it is
    written, as for any file of a change; the same write goes through once it can."""
    from helpers import run

    if kind == "folder":
        copy_mini(tmp_path / "mini")
    else:
        assert run("export", copy_mini(tmp_path / "src" / "mini"), "--to", "xlsx", "-o",
                   tmp_path / "mini.xlsx").exit_code == 0
    one = worker(tmp_path)
    editor = {"Authorization": f"Bearer {TOKEN}", "Accept-Language": "en"}
    r = one.patch(ROW, json={"capacity_per_month": "44"},
                  headers={**editor, "If-Match": one.get(ROW).headers["etag"]})
    assert r.status_code == 200, r.text
    etag = r.headers["etag"]
    before = on_disk(tmp_path)
    for fault in (refuse_rename_to, full_disk_for):
        with monkeypatch.context() as m:
            fault(m, "mini.last-good.zip")
            r = one.patch(ROW, json={"capacity_per_month": "48"},
                          headers={**editor, "If-Match": etag})
        assert r.status_code == 409, (fault.__name__, r.text)
        error = r.json()["error"]
        assert error["code"] == "write-failed", error
        assert "the change could not be written: .polku/mini.last-good.zip: " \
            in error["message"], error
        assert on_disk(tmp_path) == before, fault.__name__  # the sheets rolled back too
        assert one.get(ROW).json()["values"]["capacity_per_month"] == "44"
    r = one.patch(ROW, json={"capacity_per_month": "48"}, headers={**editor, "If-Match": etag})
    assert r.status_code == 200, r.text
    written = r.headers["etag"]
    if kind == "folder":
        break_sheet(tmp_path)
    else:
        source = tmp_path / "mini.xlsx"
        source.write_bytes(source.read_bytes()[:5000])
        later(source)
    started = worker(tmp_path)  # a process started once the source broke
    r = started.get(ROW)
    assert "x-polku-stale" in r.headers, r.headers
    assert r.json()["values"]["capacity_per_month"] == "48"
    assert version_of_tag(r.headers["etag"]) == version_of_tag(written)
