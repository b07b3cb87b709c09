"""The change log the public reads does not list a change between two small cells: the
entry (or a batch's row) says that a row changed, and when, with no key and no rows, as a
follow-up the public does not read (docs/workbook.md: a change from one small cell to
another is not listed). The editor reads it whole."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from polku.privacy import EDITOR, PUBLIC, changes_for

from helpers import EXAMPLE

TOKEN = "anna-token-0123456789"
REFERRAL = "/rows/referrals/ref-uraohjaus-hyria"


def client_of(tmp_path: Path):
    from fastapi.testclient import TestClient

    from polku.app import create_app
    from polku.server.auth import parse_tokens

    folder = tmp_path / "graphs"
    folder.mkdir()
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    return TestClient(create_app([folder], parse_tokens(f"anna:{TOKEN}")),
                      raise_server_exceptions=False)


def patch(client, path: str, body: dict) -> None:
    etag = client.get("/api/graphs/keski-uusimaa").headers["etag"]
    r = client.patch("/api/graphs/keski-uusimaa" + path, json=body,
                     headers={"Authorization": f"Bearer {TOKEN}", "If-Match": etag})
    assert r.status_code == 200, r.text


def test_a_change_between_two_small_cells_is_not_said_to_the_public(tmp_path) -> None:
    client = client_of(tmp_path)
    patch(client, REFERRAL, {"volume_per_month": "4"})  # 5 -> 4: became small, listed
    patch(client, REFERRAL, {"volume_per_month": "3"})  # 4 -> 3: within the small ones
    public = client.get("/api/graphs/keski-uusimaa/changes").json()["changes"]
    assert [c["version"] for c in public] == [2, 1]  # the versions run on
    hidden, became = public
    assert hidden == {"version": 2, "time": hidden["time"], "action": "update",
                      "sheet": "referrals", "key": None}
    assert became["key"] == "ref-uraohjaus-hyria"
    assert became["before"]["volume_per_month"] == "5"
    assert became["after"]["volume_per_month"] == "<5"
    # the editor reads it whole
    editor = client.get("/api/graphs/keski-uusimaa/changes",
                        headers={"Authorization": f"Bearer {TOKEN}"}).json()["changes"]
    assert editor[0]["key"] == "ref-uraohjaus-hyria"
    assert (editor[0]["before"]["volume_per_month"],
            editor[0]["after"]["volume_per_month"]) == ("4", "3")
    # and the page: the public's row names neither the referral nor a figure
    page = html.unescape(client.get("/graphs/keski-uusimaa/changes",
                                    params={"lang": "en"}).text)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")
    row_of = {r.split("</td>", 1)[0].removeprefix("<td>"): r for r in rows if r}
    assert "ref-uraohjaus-hyria" not in row_of["2"] and "&lt;5" not in row_of["2"] \
        and "<5" not in row_of["2"]
    assert "ref-uraohjaus-hyria" in row_of["1"] and "<5" in row_of["1"]
    own = html.unescape(client.get("/graphs/keski-uusimaa/changes", params={"lang": "en"},
                                   headers={"Authorization": f"Bearer {TOKEN}"}).text)
    assert own.count("ref-uraohjaus-hyria") >= 2


def test_a_batch_row_between_two_small_cells_is_not_said_to_the_public() -> None:
    row = {"id": "r", "source": "a", "target": "b"}
    batch = {"version": 4, "time": "2026-05-04T09:12:44Z", "who": "anna", "action": "batch",
             "sheet": None, "key": None, "before": None, "after": None, "changes": [
                 {"action": "update", "sheet": "referrals", "key": "r",
                  "before": {**row, "volume_per_month": "4"},
                  "after": {**row, "volume_per_month": "3"}},
                 {"action": "update", "sheet": "referrals", "key": "r",
                  "before": {**row, "volume_per_month": "3"},
                  "after": {**row, "volume_per_month": "30"}}]}
    unsaid, said = changes_for(PUBLIC, [batch])[0]["changes"]
    assert unsaid == {"action": "update", "sheet": "referrals", "key": None}
    assert said["key"] == "r" and said["before"]["volume_per_month"] == "<5"
    assert changes_for(EDITOR, [batch]) == [batch]
