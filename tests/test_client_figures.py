"""Client figures as texts and pages write them: whole clients, a half up (README: "2.5 in the
JSON (3 in texts and pages, which write whole clients)"), in the singular for one client,
and never a small cell the public may not read, however the figure rounds.

A stranger served a copy of the example with ``ref-tyoote-mukautukset`` at 2,5 clients a
month and ``ref-tyoote-tyoelake`` at 1: the blueprint wrote *2 asiakasta/kk* (Python's
``round`` takes a half to even), the segment view *2,5 asiakasta / kk* and the what-if
*63* for 62.5; the segment view's tooltip read *Määrä: 1 asiakasta / kk* and *Volym: 1
kunder / mån*, the blueprint *1 clients a month*."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, copy_mini, edit, run
from polku.app import create_app
from polku.present.i18n import translator, whole_clients
from polku.server.auth import Tokens

TOKEN = "editor-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
PAGE = "/graphs/keski-uusimaa"
SEGMENT = "seg-osatyokykyiset"


@pytest.fixture(scope="module")
def stranger_copy(tmp_path_factory) -> Path:
    """The stranger's copy of the example: ``ref-tyoote-mukautukset`` at 2,5 clients a
    month (``ref-tyoote-tyoelake`` is at 1 already)."""
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    referrals = folder / "keski-uusimaa" / "referrals.csv"
    edit(referrals, "ref-tyoote-mukautukset,tyoote,tyopaikan-mukautukset,seg-osatyokykyiset,15,",
         'ref-tyoote-mukautukset,tyoote,tyopaikan-mukautukset,seg-osatyokykyiset,"2,5",')
    assert "ref-tyoote-tyoelake,tyoote,tyoelake-tyokyvyttomyyselake,seg-osatyokykyiset,1," \
        in referrals.read_text(encoding="utf-8")
    return folder / "keski-uusimaa"


@pytest.fixture(scope="module")
def stranger(stranger_copy) -> TestClient:
    """The stranger's copy served with an editor's token."""
    return TestClient(create_app([stranger_copy.parent], Tokens({"editor": TOKEN})))


def text_of(page: str) -> str:
    """A page's text as a reader reads it (tags and escapes gone, a tooltip's \\n a line)."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", page.replace("\\n", "\n")))


def tooltip(page: str, referral: str) -> str:
    """The lines of a referral's tooltip on a view's page or its table page."""
    text = text_of(page.replace("<br>", "\n"))
    at = text.index(f": {referral}\n")
    return text[text.rindex("\n", 0, text.rindex("\n", 0, at)):][:600]


def test_whole_clients_round_a_half_up() -> None:
    assert [whole_clients(v) for v in (0.5, 1.5, 2.5, 3.5, 4.5, 62.5, 2.4999)] == \
        [1, 2, 3, 4, 5, 63, 2]
    # floor(x + 0.5) rounds the float just below a half up: the figure as written decides
    assert whole_clients(0.49999999999999994) == 0
    fi = translator("fi")
    assert [fi.clients(v) for v in (2.5, 3.5, 62.5)] == ["3", "4", "63"]


@pytest.mark.parametrize("door", ["view", "table"])
def test_the_blueprint_writes_a_half_client_up_as_every_page_does(stranger, door) -> None:
    page = stranger.get(f"{PAGE}/{door}", params={"view": f"blueprint:{SEGMENT}",
                                                  "lang": "fi"}, headers=EDITOR).text
    assert not re.search(r"(?<![\d,])2 asiakasta/kk", text_of(page))
    if door == "table":
        row = re.search(r"<tr><th scope=\"row\">2\. Työn mukauttaminen työpaikalla</th>.*?</tr>",
                        page).group(0)
        assert "<td>3 asiakasta/kk</td>" in row, row


def test_the_segment_views_tooltips_write_whole_clients_in_the_right_form(stranger) -> None:
    """The segment view wrote the volume as it was typed (*2,5 asiakasta / kk*) where the
    blueprint beside it wrote whole clients; and one client in the plural."""
    said = {"fi": ("Määrä: 3 asiakasta / kk", "Määrä: 1 asiakas / kk",
                   "Saapuvia: 3 asiakasta / kk"),
            "sv": ("Volym: 3 kunder / mån", "Volym: 1 kund / mån", "Inflöde: 3 kunder / mån"),
            "en": ("Volume: 3 / month", "Volume: 1 / month", "Inflow: 3 / month")}
    for lang, (half, one, inflow) in said.items():
        for door in ("view", "table"):
            page = stranger.get(f"{PAGE}/{door}", params={"view": f"segment:{SEGMENT}",
                                                          "lang": lang}, headers=EDITOR).text
            assert half in tooltip(page, "ref-tyoote-mukautukset"), (lang, door)
            assert one in tooltip(page, "ref-tyoote-tyoelake"), (lang, door)
            assert inflow in text_of(page), (lang, door)
            assert not re.search(r"\b2[,.]5 (asiakasta|kunder|/)", text_of(page)), (lang, door)


@pytest.mark.parametrize("lang, one", [("fi", "1 asiakas/kk"), ("sv", "1 kund/mån"),
                                       ("en", "1 client a month")])
def test_the_blueprint_says_one_client_in_the_singular(tmp_path, lang, one) -> None:
    mini = copy_mini(tmp_path / "served" / "mini")
    edit(mini / "referrals.csv", "r1,alkuhaastattelu,kuntouttava,nuoret,12,",
         "r1,alkuhaastattelu,kuntouttava,nuoret,1,")
    client = TestClient(create_app([mini.parent], Tokens({"editor": TOKEN})))
    for door in ("view", "table"):
        page = text_of(client.get(f"/graphs/mini/{door}", params={"view": "blueprint:p1",
                                                                "lang": lang},
                                  headers=EDITOR).text)
        assert one in page, (door, lang)
        assert re.search(r"\b1 (asiakasta|kunder|clients)\b", page) is None, (door, lang)


def test_privacy_decides_on_the_figure_not_its_rounding(tmp_path) -> None:
    """A volume of 4.5 is a small cell: the public reads ``<5`` wherever it is written,
    never the 5 it rounds to; the editor reads the whole clients, 5."""
    mini = copy_mini(tmp_path / "served" / "mini")
    edit(mini / "referrals.csv", "r1,alkuhaastattelu,kuntouttava,nuoret,12,",
         "r1,alkuhaastattelu,kuntouttava,nuoret,4.5,")
    client = TestClient(create_app([mini.parent], Tokens({"editor": TOKEN})))
    for who, headers in (("public", {}), ("editor", EDITOR)):
        blueprint = text_of(client.get("/graphs/mini/table", params={
            "view": "blueprint:p1", "lang": "fi"}, headers=headers).text)
        segment = client.get("/graphs/mini/table", params={"view": "segment:nuoret",
                                                           "lang": "fi"}, headers=headers).text
        path = text_of(client.get("/graphs/mini/view", params={"view": "path:p1", "lang": "fi"},
                                  headers=headers).text)
        if who == "public":
            assert "<5 asiakasta/kk" in blueprint and "5 asiakasta/kk" not in \
                blueprint.replace("<5 asiakasta/kk", "")
            assert "Määrä: <5 asiakasta / kk" in tooltip(segment, "r1")
            assert "<5/kk" in path and not re.search(r"(?<!<)\b5/kk", path)
        else:
            assert "5 asiakasta/kk" in blueprint and "<5" not in blueprint
            assert "Määrä: 5 asiakasta / kk" in tooltip(segment, "r1")
            assert re.search(r"(?<!<)\b5/kk", path) and "4,5" not in path


def test_the_report_writes_whole_clients_a_half_up(stranger, stranger_copy, tmp_path) -> None:
    """The report's flows between organisations rounded their clients a month half to
    even (``round``, and Jinja's ``round`` in the page): the stranger's 638.5 clients a
    month read 638, the employers' 2.5 in read 2."""
    page = text_of(stranger.get(f"{PAGE}/report", params={"lang": "en"},
                                headers=EDITOR).text)
    assert "referrals cross from one organisation to another, 639 clients a month" in page, \
        re.findall(r"cross from one organisation to another, [^.]*", page)
    out = tmp_path / "r.md"
    result = run("report", stranger_copy, "-o", out, "--lang", "en", "--no-suppress")
    assert result.exit_code == 0, result.output
    assert "to another, 639 clients a month" in out.read_text(encoding="utf-8")
