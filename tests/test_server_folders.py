"""The folders a server writes in, checked where an administrator meets them: a server
told to take writes that cannot write its change-log folder (``.polku`` a file, a
read-only mount, a folder of root's) does not start, and says which folder and why; a
write whose files fail at run time answers 409 ``write-failed``, never a 500 with a
traceback; a read-only server whose folder cannot keep the ETag key says so in its own
language, and its workers still answer one ETag for the same graph."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_mini
from processes import free_port, launch, polku_serve, stop
from test_server_workers import call
from polku.app import create_app
from polku.server.auth import Tokens

TOKEN = "folders-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
ROW = "/api/graphs/mini/rows/services/kuntouttava"


def tokens_file(tmp_path: Path) -> Path:
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(f"anna:{TOKEN}\n", encoding="utf-8")
    tokens.chmod(0o600)
    return tokens


def serve(*args: object, lang: str = "fi", until: str | None = None) -> tuple[int | None, str]:
    """A real ``polku serve ARGS`` process on a free loopback port, in ``lang``: its exit
    code and output once it stops, or (``until``) once its output holds that text (then
    it is stopped, and the code is None)."""
    import polku

    env = {**os.environ, "POLKU_LANG": lang,
           "PYTHONPATH": str(Path(polku.__file__).parents[1])}
    process = launch([sys.executable, "-c", "from polku.cli import main; main()", "serve",
                      *map(str, args), "--port", str(free_port())], env=env,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if until is None:
        out, _ = process.communicate(timeout=120)
        return process.returncode, out.decode()
    said, deadline = b"", time.monotonic() + 120
    os.set_blocking(process.stdout.fileno(), False)
    try:
        while until.encode() not in said and process.poll() is None:
            assert time.monotonic() < deadline, said.decode()
            said += process.stdout.read() or b""
            time.sleep(0.1)
        said += process.stdout.read() or b""
        return process.poll(), said.decode()
    finally:
        stop(process)


def test_a_server_that_cannot_write_its_change_logs_does_not_start(tmp_path: Path) -> None:
    """``.polku`` is a file: with tokens the server refuses to start, naming the folder
    and what is wrong, in the server's language (it started saying writes were on, and
    every write was a 500); without tokens it serves read-only."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    (folder / ".polku").write_text("", encoding="utf-8")
    code, said = serve(folder, "--tokens", tokens_file(tmp_path))
    assert code == 1, said
    assert f"{folder / '.polku'}: muokkaukset ovat päällä, mutta palvelin ei voi " \
        "kirjoittaa tähän kansioon: on tiedosto, ei kansio" in said, said
    assert "Traceback" not in said and "palvelee" not in said, said
    code, said = serve(folder, "--tokens", tokens_file(tmp_path), lang="en")
    assert code == 1 and "writes are on, but this server cannot write in this folder: " \
        "is a file, not a folder" in said, said
    code, said = serve(folder, until="vain luku")
    assert code is None, said  # without tokens it serves, read-only


def test_a_write_the_folder_refuses_at_run_time_answers_409(tmp_path: Path) -> None:
    """The change-log folder turns into a file while the server runs (as a read-only
    remount or a changed owner does to it): the write answers 409 ``write-failed`` naming
    the file and the reason, and nothing is written."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    client = TestClient(create_app([folder], Tokens({"anna": TOKEN})),
                        raise_server_exceptions=False)
    etag = client.get(ROW).headers["etag"]
    shutil.rmtree(folder / ".polku")
    (folder / ".polku").write_text("", encoding="utf-8")
    sheet = (folder / "mini" / "services.csv").read_bytes()
    for method, path, body in (("PATCH", ROW, {"capacity_per_month": "7"}),
                               ("POST", "/api/graphs/mini/undo", None)):
        r = client.request(method, path, json=body,
                           headers={**EDITOR, "If-Match": etag, "Accept-Language": "en"})
        assert r.status_code == 409, r.text
        error = r.json()["error"]
        assert error["code"] == "write-failed", error
        assert "the change could not be written: .polku" in error["message"], error
        assert str(tmp_path) not in error["message"]
    assert (folder / "mini" / "services.csv").read_bytes() == sheet


@pytest.mark.slow  # two server processes, forty requests
def test_workers_that_cannot_keep_the_etag_key_agree_and_say_so(tmp_path: Path) -> None:
    """A read-only server of a folder that cannot keep ``etag.key``: its two workers key
    the ETags by one secret of the run (they answered two ETags for the same graph), and
    the warning is in the server's language (it was English under a Finnish server)."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    (folder / ".polku").write_text("", encoding="utf-8")
    with polku_serve(str(folder), workers=2, env={"POLKU_LANG": "fi"}) as served:
        etags = set()
        for _ in range(40):  # a new connection each: the two workers take turns
            status, headers, _ = call(f"{served}{ROW}")
            assert status == 200
            etags.add(headers["etag"])
        assert len(etags) == 1, etags
    code, said = serve(folder, until="palvelee")
    assert code is None, said
    assert f"varoitus: ETag-avainta ei voi säilyttää kansiossa {folder / '.polku'} " \
        "(on tiedosto, ei kansio)" in said, said


def test_an_empty_tokens_file_is_refused(tmp_path: Path) -> None:
    """``: > t.txt; polku serve --tokens t.txt``: tokens were asked for and there are
    none (an empty file, or comments only). The server does not start read-only without
    a word: it refuses, naming the file and what is wrong."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    tokens = tmp_path / "t.txt"
    for text in ("", "# the team's edit keys\n\n"):
        tokens.write_text(text, encoding="utf-8")
        code, said = serve(folder, "--tokens", tokens)
        assert code == 1, said
        assert "t.txt: ei sisällä yhtään muokkausavainta" in said, said
        assert "palvelee" not in said and "Traceback" not in said, said


def uvicorn_factory(env: dict[str, str], until: str | None = None) -> tuple[int | None, str]:
    """``uvicorn --factory polku.app:app_from_env`` on a free loopback port with ``env``
    added: its exit code and output once it stops, or once its output holds ``until``
    (uvicorn's "startup complete" without it: then it is stopped, and the code is
    None)."""
    import polku

    env = {**{k: v for k, v in os.environ.items() if not k.startswith("POLKU_")}, **env,
           "PYTHONPATH": str(Path(polku.__file__).parents[1])}
    process = launch([sys.executable, "-m", "uvicorn", "--factory", "polku.app:app_from_env",
                      "--port", str(free_port())], env=env, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
    said, deadline = b"", time.monotonic() + 120
    os.set_blocking(process.stdout.fileno(), False)
    try:
        while until is None and b"startup complete" not in said or \
                until is not None and until.encode() not in said:
            if process.poll() is not None:
                break
            assert time.monotonic() < deadline, said.decode()
            said += process.stdout.read() or b""
            time.sleep(0.1)
        time.sleep(0.2)
        said += process.stdout.read() or b""
        return process.poll(), said.decode()
    finally:
        stop(process)


def test_the_app_factory_checks_at_start_as_polku_serve_does(tmp_path: Path) -> None:
    """``uvicorn --factory polku.app:app_from_env`` with tokens over a folder it cannot
    write started, said it was ready and refused every write (409 write-failed); it is
    refused at start as ``polku serve`` is, by the same check, its error in the language
    of ``POLKU_LANG`` (Finnish without it), with no traceback. And it warns of a tokens
    file that other users can read, as ``polku serve`` does."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    (folder / ".polku").write_text("", encoding="utf-8")
    tokens = tokens_file(tmp_path)
    env = {"POLKU_GRAPHS": str(folder), "POLKU_TOKENS_FILE": str(tokens)}
    code, said = uvicorn_factory(env)
    assert code not in (None, 0), said
    assert f"{folder / '.polku'}: muokkaukset ovat päällä, mutta palvelin ei voi " \
        "kirjoittaa tähän kansioon: on tiedosto, ei kansio" in said, said
    assert "Traceback" not in said and "startup complete" not in said, said
    code, said = uvicorn_factory({**env, "POLKU_LANG": "sv"})
    assert code not in (None, 0) and "är en fil, inte en mapp" in said, said
    code, said = uvicorn_factory({**env, "POLKU_LANG": "en"})
    assert code not in (None, 0) and "writes are on, but this server cannot write in " \
        "this folder: is a file, not a folder" in said, said
    (folder / ".polku").unlink()
    tokens.chmod(0o644)
    code, said = uvicorn_factory({**env, "POLKU_LANG": "en"}, until="startup complete")
    assert code is None, said
    assert f"the tokens file {tokens} can be read by other users of this machine" in said, said


def test_a_refused_start_names_every_folder_the_same_way(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``polku serve ro --tokens …`` on a read-only mount named the change logs' folder
    absolutely (``/srv/ro/.polku``) and the graph's folders as given (``ro/mini``, ``ro``):
    every folder is named the one way now, absolutely (a service manager's log shows no
    working folder to read a relative one from)."""
    import errno

    from helpers import run
    from polku.errors import os_reason
    from polku.server import store

    copy_mini(tmp_path / "ro" / "mini")
    shutil.copy(Path(__file__).resolve().parents[1] / "graphs" / "plan.ttl", tmp_path / "ro")
    monkeypatch.chdir(tmp_path)
    # a read-only mount, as every folder answers it (the suite cannot mount one)
    monkeypatch.setattr(store, "folder_problem", lambda folder: os_reason(
        OSError(errno.EROFS, "Read-only file system")))
    r = run("serve", "ro", "--tokens", tokens_file(tmp_path), "--port", free_port(),
            env={"POLKU_LANG": "en"})
    assert r.exit_code == 1, r.output
    named = [line.removeprefix("error: ").split(": writes are on")[0]
             for line in r.output.splitlines() if "writes are on" in line]
    assert sorted(named) == sorted(str(tmp_path / "ro" / f) for f in (".polku", "mini", "")), \
        r.output
