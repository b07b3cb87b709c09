"""ETags are keyed: the public gets every cell but the suppressed ones, and every reader gets
the ETag, so an unkeyed hash of the files would let anyone try the few values a suppressed
cell can hold until the hash matches (the adversarial review recovered a planted size 3
and volume 4 that way in under a second)."""

from __future__ import annotations

import stat
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import copy_mini, edit
from polku.app import create_app
from polku.ops import edits
from polku.server.http import version_of_tag


def etag(client: TestClient, name: str = "mini") -> str:
    r = client.get(f"/api/graphs/{name}")
    assert r.status_code == 200
    return version_of_tag(r.headers["etag"])  # the graph's version: the ETag's first part


def files_digest(folder: Path) -> str:
    """What the ETag was before it was keyed: a hash of the file names and bytes."""
    return edits.digest(b"".join(p.name.encode() + b"\0" + p.read_bytes() + b"\0"
                                 for p in sorted(folder.iterdir()) if p.is_file()))


def test_the_public_cannot_find_a_suppressed_cell_by_hashing_candidates(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path / "graphs" / "mini")
    segments = folder / "segments.csv"
    lines = segments.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    size = header.index("size")
    first = lines[1].split(",")
    first[size] = "3"
    lines[1] = ",".join(first)
    segments.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = TestClient(create_app([tmp_path / "graphs"]))
    row = client.get(f"/api/graphs/mini/rows/segments/{first[0]}").json()
    assert row["values"]["size"] != "3", row  # suppressed for the public
    public_etag = etag(client)
    # the attack: every value a suppressed cell can hold, hashed as the files would be
    tried = []
    for candidate in ("1", "2", "3", "4"):
        first[size] = candidate
        lines[1] = ",".join(first)
        trial = tmp_path / "trial" / candidate
        trial.mkdir(parents=True)
        for p in folder.iterdir():
            if p.is_file():
                (trial / p.name).write_bytes(p.read_bytes())
        (trial / "segments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        tried.append(files_digest(trial))
    assert files_digest(folder) in tried  # the attack would have worked unkeyed
    assert public_etag not in tried


def test_servers_over_one_folder_agree_and_the_key_is_private(tmp_path: Path) -> None:
    copy_mini(tmp_path / "graphs" / "mini")
    one, two = (TestClient(create_app([tmp_path / "graphs"])) for _ in range(2))
    assert etag(one) == etag(two)  # workers and restarts answer the same ETags
    key = tmp_path / "graphs" / ".polku" / "etag.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = etag(one)
    edit(tmp_path / "graphs" / "mini" / "outcomes.csv", "Avoimet", "Avoimet ja uudet")
    assert etag(one) != before  # any change gives a new one
    # a given secret wins (servers on several machines over one Neo4j region)
    a, b, c = (TestClient(create_app([tmp_path / "graphs"], etag_secret=s))
               for s in ("shared", "shared", "other"))
    assert etag(a) == etag(b) != etag(c) and etag(a) != etag(one)


def test_where_no_key_can_be_kept_a_server_keys_its_own(tmp_path: Path) -> None:
    graphs = tmp_path / "graphs"
    copy_mini(graphs / "mini")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")  # the change-log folder cannot be made under it
    tags = [etag(TestClient(create_app([graphs], changes_dir=blocked / "changes")))
            for _ in range(2)]
    assert all(len(t) == 20 for t in tags) and tags[0] != tags[1]
    assert files_digest(graphs / "mini") not in tags
