"""The served version of a graph changes in one step (issue 16: a model per graph version,
no lost update): a reader that runs while a write is under way, or across a whole write, is
answered from one version, whole: its body and its ``ETag`` from the same graph, so a write
with that ETag as ``If-Match`` never overwrites a change the reader did not see; and a read
of rows does not wait for the write.

The interleavings are made, not hoped for: a write is paused between its steps (its files
written and logged, its new version not yet served), or a reader between taking its data and
sending its answer, by :class:`threading.Event`; the waits have bounds only so that a
failure fails instead of hanging."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from helpers import copy_mini
from polku.app import create_app
from polku.ops.changelog import ChangeLog
from polku.ops.model import Model
from polku.server import store as store_module
from polku.server.auth import Tokens
from polku.server.http import version_of_tag

TOKEN = "swap-test-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
#: the row every write here changes; capacity 5 makes it an over-capacity finding
ROW = "/api/graphs/mini/rows/services/kuntouttava"
#: how long a step may take before the test fails rather than hangs (never a pause itself)
BOUND = 30


def served(tmp_path: Path) -> Any:
    copy_mini(tmp_path / "mini")
    return create_app([tmp_path / "mini"], Tokens({"editor": TOKEN}), tmp_path / "changes")


def etag_of(response: httpx.Response) -> str:
    """The version an answer's ETag names (then come its bytes' hash and its coding)."""
    return version_of_tag(response.headers["etag"])


def over_capacity(findings: dict[str, Any]) -> bool:
    """Whether the findings are the new version's (the write's capacity 5 makes one)."""
    return any(f["kind"] == "over-capacity" and f["subject"] == "kuntouttava"
               for f in findings["findings"])


def in_thread(target: Any) -> tuple[threading.Thread, dict[str, Any], threading.Event]:
    """``target()`` in a thread: its answer (or error) lands in the dict, the event is set
    when it is done."""
    out: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            out["value"] = target()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            out["error"] = e
        finally:
            done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out, done


class PausedWrite:
    """Pauses a write between its steps: after its change is written and logged, at the
    next look at the source's files in that thread (the write making its new version),
    until :attr:`release` is set. :attr:`reached` is set when it waits there."""

    def __init__(self, monkeypatch: Any) -> None:
        self.reached, self.release = threading.Event(), threading.Event()
        local = threading.local()
        append, stamp_of = ChangeLog.append, store_module.stamp_of

        def logged(log: ChangeLog, *args: Any, **kwargs: Any) -> Any:
            out = append(log, *args, **kwargs)
            local.logged = True
            return out

        def looked(source: Any) -> Any:
            if getattr(local, "logged", False):
                local.logged = False
                self.reached.set()
                assert self.release.wait(3 * BOUND)  # longer than any wait of the test
            return stamp_of(source)

        monkeypatch.setattr(ChangeLog, "append", logged)
        monkeypatch.setattr(store_module, "stamp_of", looked)


def paused_write(app: Any, monkeypatch: Any) -> tuple[PausedWrite, Any, str]:
    """A write of capacity 5 to :data:`ROW`, started in a thread and paused between its
    steps; the pause, the thread's (thread, answer, done) and the ETag before it."""
    old = etag_of(TestClient(app).get(ROW))
    pause = PausedWrite(monkeypatch)
    writer = in_thread(lambda: TestClient(app).patch(
        ROW, json={"capacity_per_month": "5"}, headers={**EDITOR, "If-Match": f'"{old}"'}))
    return pause, writer, old


def finished(writer: Any) -> str:
    """The new ETag of the paused write, once it finished (released)."""
    thread, wrote, _ = writer
    thread.join(BOUND)
    assert "error" not in wrote, wrote.get("error")
    assert wrote["value"].status_code == 200, wrote["value"].text
    return wrote["value"].json()["etag"]


def test_readers_during_a_write_get_one_version_whole(tmp_path, monkeypatch):
    app = served(tmp_path)
    client = TestClient(app)
    pause, writer, old = paused_write(app, monkeypatch)
    try:
        assert pause.reached.wait(BOUND), "the write never reached its pause"
        # mid-write: the files and the log hold the change, the new version is not served
        findings = client.get("/api/graphs/mini/findings?lang=en")
        info = client.get("/api/graphs/mini", headers=EDITOR)
        assert not writer[2].is_set()
    finally:
        pause.release.set()
    new = finished(writer)
    assert new != old

    # every answer is one version's: its ETag is the digest of the data it was made from
    # (the change made by the paused write is in it exactly when the ETag is the new one)
    assert info.json()["etag"] == etag_of(info)  # the body names its version too
    for what, response, seen_new in (("findings", findings, over_capacity(findings.json())),
                                     ("graph", info, False)):
        assert response.status_code == 200, (what, response.text)
        assert etag_of(response) in (old, new), what
        assert (etag_of(response) == new) == seen_new, \
            f"{what}: sent under the ETag of another version than its body's"
        # no lost update: a reader who did not see the change cannot write over it
        if not seen_new:
            again = client.patch(ROW, json={"capacity_per_month": "9"},
                                 headers={**EDITOR, "If-Match": response.headers["etag"]})
            assert again.status_code == 412, (what, again.text)
    # the write was not served before it finished: the readers got the version before it
    assert {etag_of(findings), etag_of(info)} == {old}
    assert etag_of(client.get(ROW)) == new == etag_of(client.get("/api/graphs/mini/findings"))
    assert client.get(ROW).json()["values"]["capacity_per_month"] == "5"


def test_a_read_of_rows_does_not_wait_for_a_write(tmp_path, monkeypatch):
    """The write holds its locks at the pause; a row is read meanwhile, from the version
    before the write, under that version's ETag."""
    app = served(tmp_path)
    pause, writer, old = paused_write(app, monkeypatch)
    try:
        assert pause.reached.wait(BOUND), "the write never reached its pause"
        _, row, row_read = in_thread(lambda: TestClient(app).get(ROW))
        _, rows, rows_read = in_thread(lambda: TestClient(app).get(
            "/api/graphs/mini/rows/services"))
        assert row_read.wait(BOUND) and rows_read.wait(BOUND), \
            "a read of rows waited for the write in progress"
        assert not writer[2].is_set()
    finally:
        pause.release.set()
    new = finished(writer)
    assert "error" not in row and "error" not in rows
    row, rows = row["value"], rows["value"]
    assert etag_of(row) == etag_of(rows) == old != new
    assert row.json()["values"]["capacity_per_month"] == "20"
    assert {r["key"]: r["values"].get("capacity_per_month")
            for r in rows.json()["rows"]}["kuntouttava"] == "20"
    client = TestClient(app)
    assert client.get(ROW).json()["values"]["capacity_per_month"] == "5"
    refused = client.patch(ROW, json={"capacity_per_month": "9"},
                           headers={**EDITOR, "If-Match": row.headers["etag"]})
    assert refused.status_code == 412


def test_a_reader_across_a_whole_write_is_answered_from_the_version_it_read(
        tmp_path, monkeypatch):
    """A reader that took its version, then waited (a page takes long to render) while a
    write was made whole, sends the version it read under that version's ETag: the page's
    own ETag and the header agree, and a write with it is refused."""
    app = served(tmp_path)
    client = TestClient(app)
    old = etag_of(client.get(ROW))
    reading, go = threading.Event(), threading.Event()
    armed = threading.Event()
    published = Model.published

    def paused(model: Model, audience: str) -> Model:
        if armed.is_set():  # the first reader to get here waits, once
            armed.clear()
            reading.set()
            assert go.wait(BOUND)
        return published(model, audience)

    monkeypatch.setattr(Model, "published", paused)
    answers = {}
    for path, headers in (("/graphs/mini?lang=en", {}),
                          ("/api/graphs/mini", EDITOR)):
        before = etag_of(client.get(ROW))
        armed.set()
        reader, read, done = in_thread(lambda: TestClient(app).get(path, headers=headers))
        try:
            assert reading.wait(BOUND), f"{path}: the reader never reached its pause"
            # a whole write while the reader holds the version it took
            armed.clear()
            value = str(40 + len(answers))
            wrote = client.patch(ROW, json={"capacity_per_month": value},
                                 headers={**EDITOR, "If-Match": f'"{before}"'})
            assert wrote.status_code == 200, wrote.text
        finally:
            reading.clear()
            go.set()
        reader.join(BOUND)
        go.clear()
        assert done.is_set() and "error" not in read, read.get("error")
        response = read["value"]
        assert response.status_code == 200, response.text
        if path.startswith("/api"):
            own = response.json()["etag"]
        else:  # the page's forms write with the ETag the page was made from
            own = re.search(r'"etag": "([^"]+)"', response.text).group(1)
        assert etag_of(response) == own == before, \
            f"{path}: the answer's ETag is not the version its body was made from"
        # no lost update: the reader never saw the write, so its write is refused
        lost = client.patch(ROW, json={"capacity_per_month": "9"},
                            headers={**EDITOR, "If-Match": response.headers["etag"]})
        assert lost.status_code == 412, (path, lost.text)
        assert client.get(ROW).json()["values"]["capacity_per_month"] == value
        answers[path] = response
    assert etag_of(client.get(ROW)) != old
