"""A write is whole or not at all, whatever stops it: a full disk, a failing rename, or the
process killed (SIGKILL) between the files of one change, the sheets and the change-log
line. The failures are made, not hoped for: a monkeypatched ``tempfile.mkstemp`` or
``os.replace`` fails, or kills its own process, at the file chosen."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, ROOT, copy_mini, run
from processes import polku_serve
from test_server_workers import call
from polku.app import create_app
from polku.io import atomic
from polku.server.auth import Tokens

TOKEN = "crash-test-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
ROW = "/api/graphs/mini/rows/services/kuntouttava"


def served(folder: Path, lang: str | None = None) -> TestClient:
    """The app over ``folder``, its log in ``lang`` (Finnish without)."""
    return TestClient(create_app([folder], Tokens({"anna": TOKEN}), lang=lang),
                      raise_server_exceptions=False)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the lock and the ETag key, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix not in (".lock", ".key")}


def full_disk_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make the temporary file of ``name`` fail as a full disk does."""
    real = tempfile.mkstemp

    def mkstemp(*args: Any, prefix: str = "", **kwargs: Any) -> Any:
        if prefix.startswith(f".{name}."):
            raise OSError(errno.ENOSPC, "No space left on device",
                          os.path.join(str(kwargs.get("dir", "")), prefix + "x.tmp"))
        return real(*args, prefix=prefix, **kwargs)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def _edit_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault, full: str):
    """One edit of the served mini workbook with the disk ``fault`` at ``full``: the
    client, the row's ETag before it, the files before it and the answer."""
    copy_mini(tmp_path / "mini")
    client = served(tmp_path)
    etag = client.get(ROW).headers["etag"]
    before = files(tmp_path)
    with monkeypatch.context() as m:
        fault(m, full)
        r = client.patch(ROW, json={"capacity_per_month": "7"},
                         headers={**EDITOR, "If-Match": etag, "Accept-Language": "en"})
    return client, etag, before, r


@pytest.mark.parametrize("full", ["mini.changes.jsonl", "services.csv"])
def test_a_full_disk_writes_nothing_and_says_so(tmp_path: Path, full: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheet is written, then the log line cannot be: the sheet must not stay changed
    (the change would be on disk, unlogged, and answered as a failure)."""
    client, etag, before, r = _edit_on_a_full_disk(tmp_path, monkeypatch, full_disk_at, full)
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "write-failed"
    assert full in error["message"] and "no space left" in error["message"]
    assert files(tmp_path) == before  # no sheet changed, no log line, no temporary file
    # with room again the same write goes through: nothing changed under its ETag
    r = client.patch(ROW, json={"capacity_per_month": "7"},
                     headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert [c["version"] for c in client.get("/api/graphs/mini/changes").json()["changes"]] \
        == [1]


def full_disk_on_flush(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make the flush of ``name``'s temporary file fail as a full disk does there: after
    the file was made, with an error that names no file (``write`` and ``fsync`` say only
    ``No space left on device``)."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(f".{name}."):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("full", ["services.csv", "mini.changes.jsonl"])
def test_a_full_disk_on_writing_names_the_file(tmp_path: Path, full: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """As a permission refused names its file, so does a full disk met while the data is
    written (the error of the write itself names none)."""
    _, _, before, r = _edit_on_a_full_disk(tmp_path, monkeypatch, full_disk_on_flush, full)
    assert r.status_code == 409 and r.json()["error"]["code"] == "write-failed", r.text
    where = "mini/services.csv" if full == "services.csv" else ".polku/mini.changes.jsonl"
    assert r.json()["error"]["message"] == \
        f"the change could not be written: {where}: no space left on the device"
    assert files(tmp_path) == before


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path

    folder, kill_at, batch = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "batch"
    real = os.replace

    def replace(a, b, *args, **kwargs):
        if os.path.basename(b) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(a, b, *args, **kwargs)

    os.replace = replace
    from polku.server.store import GraphStore

    store = GraphStore([folder])
    _, version = store.get("mini")
    if batch:
        store.edit_batch("mini", version.etag, "anna", [
            {"action": "update", "sheet": "services", "key": "kuntouttava",
             "row": {"capacity_per_month": "7"}},
            {"action": "update", "sheet": "actors", "key": "tyokykytiimi",
             "row": {"name": "Työkykytiimi 2"}}])
    else:
        store.edit("mini", version.etag, "anna", "update", "services", "kuntouttava",
                   {"capacity_per_month": "7"})
    print("not killed")
""")


def killed_writing(folder: Path, kill_at: str, batch: bool = False) -> None:
    """A real process writes to the graph in ``folder`` and is SIGKILLed as it renames
    ``kill_at`` into place."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", KILLER, str(folder), kill_at,
                           "batch" if batch else "one"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == -9, done.stdout + done.stderr


@pytest.mark.parametrize("batch,kill_at", [(False, "mini.changes.jsonl"),
                                           (True, "actors.csv")],
                         ids=["between-sheet-and-log", "between-two-sheets-of-a-batch"])
def test_a_write_killed_half_way_is_finished_and_can_be_undone(
        tmp_path: Path, batch: bool, kill_at: str) -> None:
    """SIGKILL after the sheet is renamed into place and before its log line (or between
    the sheets of one batch): the next server over the folder serves the change whole,
    lists it in the change log, and its undo brings every file back as it was."""
    copy_mini(tmp_path / "mini")
    original = files(tmp_path / "mini")
    killed_writing(tmp_path, kill_at, batch)

    client = served(tmp_path)
    row = client.get(ROW)
    assert row.json()["values"]["capacity_per_month"] == "7"
    changes = client.get("/api/graphs/mini/changes").json()["changes"]
    assert [c["version"] for c in changes] == [1]
    if batch:
        assert client.get("/api/graphs/mini/rows/actors/tyokykytiimi").json()["values"][
            "name"] == "Työkykytiimi 2"
        assert len(changes[0]["changes"]) == 2
    assert not list((tmp_path / ".polku").glob("*.pending"))
    assert not [p for p in tmp_path.rglob(".*.tmp")]  # no temporary file left behind
    review = client.get("/api/graphs/mini/review?since=0")
    assert review.status_code == 200, review.text

    r = client.post("/api/graphs/mini/undo",
                    headers={**EDITOR, "If-Match": row.headers["etag"]})
    assert r.status_code == 200, r.text
    assert files(tmp_path / "mini") == original


def test_a_folder_replaced_whole_is_never_missing(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``polku export --to workbook -o FOLDER`` over an existing folder, the rename of the
    new folder into place failing (where folders cannot be swapped in one step): the old
    folder is back where it was, not hidden in ``.FOLDER.old.*``."""
    out = tmp_path / "out"
    copy_mini(out)
    before = files(out)
    real = os.replace

    def replace(a: Any, b: Any, *args: Any, **kwargs: Any) -> None:
        if Path(b) == out and Path(a).name.startswith(".out."):
            raise OSError(errno.EIO, "Input/output error", str(b))
        return real(a, b, *args, **kwargs)
    monkeypatch.setattr(atomic, "_swap", lambda a, b: False, raising=False)
    monkeypatch.setattr(os, "replace", replace)
    result = run("export", MINI, "--to", "workbook", "-o", out)
    assert result.exit_code != 0
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_is_swapped_in_one_step(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system swaps two folders in one step (Linux, polku's platform: its C
    library has renameat2), ``polku export -o FOLDER`` makes no moment without the folder:
    it never renames the old folder away."""
    assert atomic._exchange() is not None or not sys.platform.startswith("linux")
    out = tmp_path / "out"
    copy_mini(out)
    moved: list[Path] = []
    real = os.replace

    def replace(a: Any, b: Any, *args: Any, **kwargs: Any) -> None:
        moved.append(Path(a))
        return real(a, b, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)
    result = run("export", MINI, "--to", "workbook", "-o", out)
    assert result.exit_code == 0, result.output
    assert out not in moved or atomic._exchange() is None  # elsewhere: two renames
    assert (out / "services.csv").exists() and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_write_is_on_the_disk_when_it_returns(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The rename into place is flushed too (the folder fsynced), and a file a library
    wrote (``output_file``) is flushed before it is renamed: a power cut after the write
    returned keeps it."""
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        mode = os.fstat(fd).st_mode
        synced.append("folder" if stat.S_ISDIR(mode) else "file")
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    atomic.write_text(tmp_path / "a.txt", "a")
    assert synced == ["file", "folder"]
    synced.clear()
    with atomic.output_file(tmp_path / "b.xlsx") as tmp:
        tmp.write_bytes(b"b")
    assert synced == ["file", "folder"]


@pytest.mark.parametrize("line", ['{"version": 2, "ti', "42", "garbage"],
                         ids=["cut-short", "not-an-entry", "not-json"])
def test_a_broken_change_log_line_is_named_and_refuses_writes(tmp_path: Path,
                                                              line: str) -> None:
    """A change log cut short mid-line (a copy taken half way, a hand edit) or holding a
    line polku never wrote: every answer that needs the log names its file and line (409
    ``changelog-broken``); the writes, undo and review, which number or revert from it,
    change nothing (they answered 500, the log's problem only in the server's log)."""
    copy_mini(tmp_path / "mini")
    client = served(tmp_path)
    etag = client.get(ROW).headers["etag"]
    r = client.patch(ROW, json={"capacity_per_month": "7"},
                     headers={**EDITOR, "If-Match": etag})
    etag = r.json()["etag"]
    log = tmp_path / ".polku" / "mini.changes.jsonl"
    log.write_text(log.read_text(encoding="utf-8") + line, encoding="utf-8")
    before = files(tmp_path)
    english = {"Accept-Language": "en"}
    answers = {
        "changes": client.get("/api/graphs/mini/changes", headers=english),
        "page": client.get("/graphs/mini/changes", headers=english),
        "review": client.get("/api/graphs/mini/review?since=1", headers=english),
        "write": client.patch(ROW, json={"capacity_per_month": "8"},
                              headers={**EDITOR, **english, "If-Match": etag}),
        "undo": client.post("/api/graphs/mini/undo",
                            headers={**EDITOR, **english, "If-Match": etag}),
    }
    for what, r in answers.items():
        assert r.status_code == 409, (what, r.text)
        if what != "page":
            error = r.json()["error"]
            assert error["code"] == "changelog-broken", (what, error)
            assert ".polku/mini.changes.jsonl, row 2: not a change log line" \
                in error["message"], (what, error)
        else:
            assert ".polku/mini.changes.jsonl" in r.text
    assert files(tmp_path) == before


def test_a_refused_write_is_logged_for_the_administrator_without_token_or_values(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A full disk (409 ``write-failed``) and a broken change log (409 ``changelog-broken``)
    reach the writer in the answer and the administrator in the log: a warning naming the
    graph, the code and the file, never the token, the writer or what they wrote."""
    import logging

    copy_mini(tmp_path / "mini")
    client = served(tmp_path, lang="en")  # the log in English (Finnish without --lang)
    caplog.set_level(logging.DEBUG)
    etag = client.get(ROW).headers["etag"]
    written = {"capacity_per_month": "7", "description": "soita Maija Meikäläiselle"}
    with monkeypatch.context() as m:
        full_disk_at(m, "services.csv")
        r = client.patch(ROW, json=written, headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 409 and r.json()["error"]["code"] == "write-failed", r.text
    log = tmp_path / ".polku" / "mini.changes.jsonl"
    log.parent.mkdir(exist_ok=True)
    log.write_text("garbage\n", encoding="utf-8")
    r = client.post("/api/graphs/mini/undo", headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 409 and r.json()["error"]["code"] == "changelog-broken", r.text
    warned = [rec.getMessage() for rec in caplog.records if rec.levelno == logging.WARNING
              and rec.name == "polku.server"]
    assert len(warned) == 3, warned
    full, said, broken = warned
    assert full.startswith("graph 'mini': a write (update) was refused, 409 write-failed: ")
    assert "services.csv" in full and "no space left" in full, full
    # the log's state, said once as it is found, then each refusal
    assert said.startswith("graph 'mini': its change log cannot be read"), said
    assert broken.startswith("graph 'mini': a write (undo) was refused, 409 changelog-broken")
    assert ".polku/mini.changes.jsonl, row 1" in broken and \
        ".polku/mini.changes.jsonl, row 1" in said, (said, broken)
    everything = caplog.text + "".join(rec.getMessage() for rec in caplog.records)
    for secret in (TOKEN, "anna", "Maija", "Meikäläise"):
        assert secret not in everything, (secret, everything)


def test_a_broken_change_log_is_logged_once_as_reads_find_it(tmp_path: Path, caplog) -> None:
    """A change log cut short is found by whoever reads it first (the change list, the
    review, the readiness probe), not only by a write: the administrator reads it in the
    log once for each state of the file, not once per request."""
    import logging

    copy_mini(tmp_path / "mini")
    client = served(tmp_path, lang="en")
    caplog.set_level(logging.WARNING, logger="polku.server")
    log = tmp_path / ".polku" / "mini.changes.jsonl"
    log.parent.mkdir(exist_ok=True)
    log.write_text("garbage\n", encoding="utf-8")

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "polku.server"
                and "its change log cannot be read" in r.getMessage()]

    for _ in range(3):
        assert client.get("/api/graphs/mini/changes").status_code == 409
    assert client.get("/readyz").status_code == 503
    assert len(said()) == 1 and ".polku/mini.changes.jsonl, row 1" in said()[0], said()
    log.write_text("garbage\nmore garbage\n", encoding="utf-8")  # another state, still broken
    assert client.get("/readyz").status_code == 503
    assert client.get("/api/graphs/mini/changes").status_code == 409
    assert len(said()) == 2, said()


def test_a_sheet_replaced_by_a_folder_is_named(tmp_path: Path) -> None:
    """A sheet's file replaced by a folder while the graph is served (or a folder named
    like a sheet that is none): the graph is stale with the file and the reason named, as
    ``polku validate`` names them (it said ``mini/: cannot be read (IsADirectoryError)``,
    or broke the graph for a folder ``old.csv`` that is no sheet at all)."""
    copy_mini(tmp_path / "mini")
    client = served(tmp_path)
    english = {"Accept-Language": "en"}
    (tmp_path / "mini" / "old.csv").mkdir()
    graph = client.get("/api/graphs/mini", headers=english)
    assert graph.status_code == 200 and graph.json()["state"] == "ok", graph.text
    (tmp_path / "mini" / "referrals.csv").unlink()
    (tmp_path / "mini" / "referrals.csv").mkdir()
    graph = client.get("/api/graphs/mini", headers=english).json()
    assert graph["state"] == "stale"
    assert graph["problem"] == ("mini/referrals.csv, sheet 'referrals': cannot read the file "
                                "(is a folder, not a file)")
    result = run("validate", tmp_path / "mini", env={"POLKU_LANG": "en"})
    assert result.exit_code == 1
    assert "referrals.csv, sheet 'referrals': cannot read the file (is a folder, not a file)" \
        in result.output


def test_a_backup_restored_elsewhere_finishes_its_own_half_write(tmp_path: Path) -> None:
    """A copy of the graphs folder taken while a write was half made (its journal
    ``.polku/mini.pending`` and the temporary log file in it), restored to another folder
    and served there by a real ``polku serve``: the restored copy finishes its own write
    (the sheet and the log agree, and undo reverts that change) and the original folder
    is not touched (the journal named absolute paths: the restored server replayed it
    against the original, deleted it, and the copy kept a row its log lacked)."""
    original = tmp_path / "graphs"
    copy_mini(original / "mini")
    pristine = files(original / "mini")
    killed_writing(original, "mini.changes.jsonl")
    assert (original / ".polku" / "mini.pending").exists()
    journal = (original / ".polku" / "mini.pending").read_text(encoding="utf-8")
    assert str(tmp_path) not in journal  # named relative to its folder
    before = files(original)
    restored = tmp_path / "restored" / "graphs"
    shutil.copytree(original, restored)
    tokens = tmp_path / "tokens"
    tokens.write_text(f"anna:{TOKEN}\n")
    tokens.chmod(0o600)
    with polku_serve(str(restored), "--tokens", str(tokens)) as base:
        status, headers, row = call(f"{base}{ROW}")
        assert status == 200 and row["values"]["capacity_per_month"] == "7"
        status, _, changes = call(f"{base}/api/graphs/mini/changes")
        assert [c["version"] for c in changes["changes"]] == [1]
        status, _, body = call(f"{base}/api/graphs/mini/undo", "POST", {},
                               {**EDITOR, "If-Match": headers["etag"]})
        assert status == 200, body
        assert body["change"]["undoes"] == 1
    assert files(restored / "mini") == pristine
    assert not (restored / ".polku" / "mini.pending").exists()
    assert files(original) == before  # the original's own half write is still its own


@pytest.mark.parametrize("outside", ["absolute", "relative"])
def test_a_journal_naming_files_outside_its_folder_is_set_aside(
        tmp_path: Path, outside: str) -> None:
    """A journal that names files outside the graphs folder (one of polku 0.1.0, whose
    paths were absolute, copied from elsewhere; or one edited to climb out) renames
    nothing: it is set aside as ``mini.pending.refused`` and the graph serves and takes
    writes as its files are."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "services.csv").write_text("kept\n", encoding="utf-8")
    (elsewhere / ".services.csv.x.tmp").write_text("not to be put in place\n")
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    (folder / ".polku").mkdir()
    named = str(elsewhere) if outside == "absolute" else "../../elsewhere"
    (folder / ".polku" / "mini.pending").write_text(
        json.dumps([f"{named}/.services.csv.x.tmp", f"{named}/services.csv"]) + "\n")
    client = served(folder)
    row = client.get(ROW)
    assert row.status_code == 200
    r = client.patch(ROW, json={"capacity_per_month": "7"},
                     headers={**EDITOR, "If-Match": row.headers["etag"]})
    assert r.status_code == 200, r.text
    assert (elsewhere / "services.csv").read_text() == "kept\n"
    assert (elsewhere / ".services.csv.x.tmp").exists()
    assert not (folder / ".polku" / "mini.pending").exists()
    assert (folder / ".polku" / "mini.pending.refused").exists()


def test_a_journal_of_polku_0_1_0_inside_its_folder_is_finished(tmp_path: Path) -> None:
    """A journal left by polku 0.1.0 (absolute paths) in the folder it was written in is
    still finished: the upgrade loses no half-made write."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    killed_writing(folder, "mini.changes.jsonl")
    journal = folder / ".polku" / "mini.pending"
    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    journal.write_text("".join(json.dumps([os.path.normpath(journal.parent / p)
                                           for p in pair]) + "\n" for pair in lines))
    client = served(folder)
    assert client.get(ROW).json()["values"]["capacity_per_month"] == "7"
    assert [c["version"] for c in client.get("/api/graphs/mini/changes").json()["changes"]] \
        == [1]
    assert not journal.exists()


def one_change(tmp_path: Path) -> tuple[Path, Any, str]:
    """The mini workbook served with one change made (its capacity to 7): the graphs
    folder, the client and the ETag after the change."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    client = served(folder)
    r = client.patch(ROW, json={"capacity_per_month": "7"},
                     headers={**EDITOR, "If-Match": client.get(ROW).headers["etag"]})
    assert r.status_code == 200, r.text
    return folder, client, r.json()["etag"]


def test_a_change_log_cut_short_is_checked_and_mended(tmp_path: Path) -> None:
    """The last line cut short (a write or a copy stopped mid-line): ``polku changes
    check`` names the line and says ``mend`` can set it aside; ``polku changes mend``
    keeps the whole log beside it first, then the server takes writes and undo again.
    A broken line in the middle is refused by ``mend``: a person must look."""
    folder, client, etag = one_change(tmp_path)
    log = folder / ".polku" / "mini.changes.jsonl"
    whole = log.read_bytes()
    assert run("changes", "check", folder / "mini").exit_code == 0
    log.write_bytes(whole + b'{"version": 2, "ti')
    r = run("changes", "check", folder / "mini", "--lang", "en")
    assert r.exit_code == 1
    assert f"{log}, row 2: not a change log line (its JSON breaks at column 16)" in r.output
    assert f"polku changes mend {folder / 'mini'} sets it aside" in r.output, r.output
    assert client.patch(ROW, json={"capacity_per_month": "8"},
                        headers={**EDITOR, "If-Match": etag}).status_code == 409

    r = run("changes", "mend", folder / "mini")
    assert r.exit_code == 0, r.output
    [copy] = (folder / ".polku").glob("mini.changes.jsonl.broken-*")
    assert copy.read_bytes() == whole + b'{"version": 2, "ti'
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert "viimeinen rivi, joka oli katkennut, siirrettiin syrjään (jäljellä 1 muutos)" \
        in r.output and copy.name in r.output, r.output
    assert log.read_bytes() == whole
    assert run("changes", "mend", folder / "mini").exit_code == 0  # nothing to mend
    r = client.post("/api/graphs/mini/undo", headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 200, r.text

    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text(lines[0] + "\ngarbage\n" + lines[1] + "\n", encoding="utf-8")
    before = log.read_bytes()
    r = run("changes", "check", folder / "mini", "--lang", "en")
    assert r.exit_code == 1 and "row 2: not a change log line" in r.output
    assert "cannot mend this" in r.output, r.output
    r = run("changes", "mend", folder / "mini", "--lang", "en")
    assert r.exit_code == 1 and "only a last line cut short can be mended" in r.output
    assert log.read_bytes() == before


def test_change_log_lines_carry_their_format_and_old_ones_read_as_1(tmp_path: Path) -> None:
    """A line polku 0.1.0 wrote (no ``format``) is format 1: the server lists it, and undo
    reverts it; each new line says ``"format": 1``. A line of a newer format (a newer
    polku wrote it, then the server was downgraded) refuses writes with 409
    ``changelog-broken`` naming it, and ``polku changes check`` says to upgrade."""
    folder, client, _ = one_change(tmp_path)
    log = folder / ".polku" / "mini.changes.jsonl"
    [entry] = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert entry["format"] == 1
    del entry["format"]  # as 0.1.0 wrote it
    log.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    etag = client.get(ROW).headers["etag"]
    assert [c["version"] for c in client.get("/api/graphs/mini/changes").json()["changes"]] \
        == [1]
    r = client.post("/api/graphs/mini/undo", headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["change"]["undoes"] == 1 and r.json()["change"]["format"] == 1
    assert client.get(ROW).json()["values"]["capacity_per_month"] != "7"
    assert "format" not in json.loads(log.read_text(encoding="utf-8").splitlines()[0])

    log.write_text(log.read_text(encoding="utf-8") + json.dumps(
        {**entry, "version": 3, "format": 2}) + "\n", encoding="utf-8")
    r = client.patch(ROW, json={"capacity_per_month": "8"},
                     headers={**EDITOR, "If-Match": client.get(ROW).headers["etag"],
                              "Accept-Language": "en"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "changelog-broken"
    assert "row 3: written by a newer polku (change log format 2; this one reads up to 1)" \
        in r.json()["error"]["message"], r.text
    r = run("changes", "check", folder / "mini", "--lang", "en")
    assert r.exit_code == 1 and "upgrade polku" in r.output, r.output


def test_changes_check_of_a_graph_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    """``polku changes check g/nosuch`` said ``g/.polku/nosuch.changes.jsonl: 0 changes,
    every line whole`` and exit 0: a typo passed for a healthy graph. A graph with neither
    a source nor a change log is an error naming it, with the graph of the folder likely
    meant, exit 1 (``mend`` too); a graph whose source is gone but whose log is there is
    still checked."""
    folder, _, _ = one_change(tmp_path)
    for command in ("check", "mend"):
        r = run("changes", command, folder / "mni", "--lang", "en")
        assert r.exit_code == 1, r.output
        assert f"error: {folder / 'mni'}: no such graph, and no change log of one; " \
            f"did you mean '{folder / 'mini'}'?" in r.output, r.output
        assert "every line whole" not in r.output
    r = run("changes", "check", folder / "nosuch")
    assert r.exit_code == 1 and "nosuch: aineistoa ei ole, eikä sen muutoslokia" in r.output, \
        r.output
    assert "tarkoititko" not in r.output  # nothing close
    shutil.move(folder / "mini", tmp_path / "muualla")  # its log is still there: checked
    r = run("changes", "check", folder / "mini", "--lang", "en")
    assert r.exit_code == 0 and "1 change, every line whole" in r.output, r.output


SAID = {  # what the log says, by the server's language
    "fi": ("aineisto 'mini': muutos (update) torjuttiin, 409 write-failed: muutosta ei voitu "
           "tallentaa: mini/services.csv: levyllä ei ole tilaa",
           "aineisto 'mini': mini/services.csv, taulukko 'services', rivi 2, sarake "
           "'capacity_per_month': '...' ei ole luku",
           "aineisto 'mini': .polku/mini.pending nimeää tiedostoja aineistojen kansion ja "
           "muutoslokien kansion ulkopuolelta (kopioitu toisesta kansiosta?): siirretty "
           "syrjään nimellä .polku/mini.pending.refused, mitään siitä ei tehty"),
    "sv": ("ekosystemet 'mini': en ändring (update) avvisades, 409 write-failed: ändringen "
           "kunde inte sparas: mini/services.csv: ",
           "ekosystemet 'mini': mini/services.csv, blad 'services', rad 2, kolumn "
           "'capacity_per_month': '...' är inte ett tal",
           "ekosystemet 'mini': .polku/mini.pending namnger filer utanför ekosystemens mapp "
           "och ändringsloggarnas mapp (kopierad från en annan mapp?): lagd åt sidan som "
           ".polku/mini.pending.refused, inget av den gjordes"),
    "en": ("graph 'mini': a write (update) was refused, 409 write-failed: the change could "
           "not be written: mini/services.csv: no space left on the device",
           "graph 'mini': mini/services.csv, sheet 'services', row 2, column "
           "'capacity_per_month': '...' is not a number",
           "graph 'mini': .polku/mini.pending names files outside the graphs' folder and the "
           "change logs' folder (copied from another folder?): set aside as "
           ".polku/mini.pending.refused, nothing of it made"),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_servers_log_is_in_its_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            caplog: pytest.LogCaptureFixture,
                                            lang: str) -> None:
    """The administrator's report: under the default ``--lang fi`` the start lines were
    Finnish and the lines written while serving English (a refused write, a broken sheet,
    a journal set aside: that one without the graph and with absolute paths). Every line
    is in the server's language, its files named relative to the served folder."""
    import logging

    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    (folder / ".polku").mkdir()
    (folder / ".polku" / "mini.pending").write_text(json.dumps(
        [f"{tmp_path}/elsewhere/.services.csv.x.tmp", f"{tmp_path}/elsewhere/services.csv"])
        + "\n")
    caplog.set_level(logging.WARNING, logger="polku.server")
    client = served(folder, lang=lang)
    etag = client.get(ROW).headers["etag"]
    with monkeypatch.context() as m:
        full_disk_at(m, "services.csv")
        r = client.patch(ROW, json={"capacity_per_month": "7"},
                         headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 409, r.text
    services = folder / "mini" / "services.csv"
    services.write_text(services.read_text(encoding="utf-8").replace('"40,5"', "4x4"),
                        encoding="utf-8")
    moment = os.stat(services).st_mtime + 5
    os.utime(services, (moment, moment))
    assert client.get(ROW).headers["x-polku-stale"]
    said = [rec.getMessage() for rec in caplog.records if rec.name == "polku.server"]
    refused, broken, aside = SAID[lang]
    assert any(line.startswith(refused) for line in said), said
    assert broken in said and aside in said, said
    assert not any(str(tmp_path) in line for line in said), said


@pytest.mark.slow  # two server processes
def test_every_worker_logs_in_the_servers_language(tmp_path: Path) -> None:
    """``polku serve --lang sv --workers 2``: the workers' lines are Swedish too (each
    worker is a process of its own that was told nothing of ``--lang``)."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    with polku_serve(str(folder), "--lang", "sv", workers=2) as base:
        services = folder / "mini" / "services.csv"
        services.write_text(services.read_text(encoding="utf-8").replace('"40,5"', "4x4"),
                            encoding="utf-8")
        moment = os.stat(services).st_mtime + 5
        os.utime(services, (moment, moment))
        for _ in range(6):  # both workers read it
            assert call(f"{base}{ROW}")[0] == 200
        assert SAID["sv"][1] in base.said(), base.said()
        assert "is not a number" not in base.said()
