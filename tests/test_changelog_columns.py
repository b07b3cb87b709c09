"""The change-log page names every changed column as the rest of the pages do, by its
name in the reader's language: it wrote a row's language columns (``name_lang``,
``description_lang``) and the plan sheets' own text columns (``deferred_text``,
``actions``, ``subthemes``, ``part``…) by their codes, and the plan sheets a row of a
goal, an indicator or a risk is on by theirs (``goals``, ``indicators``, ``risks``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import copy_full, etag_of
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "anna-token-0123456789"
AS_EDITOR = {"Authorization": f"Bearer {TOKEN}"}
#: sheet, row -> the cells written, each column new text
WRITES = {
    ("services", "alku"): {"name_lang": "en", "description_lang": "sv"},
    ("measures", "m1"): {"deferred_text": "sovitaan", "parts": "A: UUSI", "actions": "toimet",
                         "outputs": "tuotokset", "impacts": "vaikutukset"},
    ("goals", "g1"): {"subthemes": "alateema"},
    ("indicators", "i1"): {"part": "B"},
    ("risks", "risk1"): {"part": "B"},
}
#: what a row named in English first also says: its name in English, its Finnish name beside
NAMED_IN_ENGLISH = {"name": "Initial interview", "name_en": "", "name_fi": "Alkuhaastattelu"}
#: language -> what the page calls each column written
NAMES = {
    "en": {"name_lang": "Language of the name",
           "description_lang": "Language of the description",
           "deferred_text": "What the plan says of the division of work", "parts": "Parts",
           "actions": "Concrete actions", "outputs": "Outputs",
           "impacts": "Long-term impacts", "subthemes": "Sub-themes",
           "part": "Part of the measure"},
    "fi": {"name_lang": "Nimen kieli", "description_lang": "Kuvauksen kieli",
           "deferred_text": "Suunnitelman teksti työnjaosta", "parts": "Osat",
           "actions": "Konkreettiset toimet", "outputs": "Tulokset",
           "impacts": "Pitkäaikaiset vaikutukset", "subthemes": "Alateemat",
           "part": "Toimenpiteen osa"},
    "sv": {"name_lang": "Namnets språk", "description_lang": "Beskrivningens språk",
           "deferred_text": "Planens text om arbetsfördelningen", "parts": "Delar",
           "actions": "Konkreta åtgärder", "outputs": "Resultat",
           "impacts": "Långsiktiga effekter", "subthemes": "Delteman",
           "part": "Del av åtgärden"},
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    served = tmp_path_factory.mktemp("changes") / "graphs"
    copy_full(served / "full", "full")
    made = TestClient(create_app([served], parse_tokens(f"anna:{TOKEN}")))
    for (sheet, key), cells in WRITES.items():
        sent = {**cells, **NAMED_IN_ENGLISH} if "name_lang" in cells else cells
        r = made.patch(f"/api/graphs/full/rows/{sheet}/{key}", json=sent,
                       headers={**AS_EDITOR, "If-Match": etag_of(made, "full")})
        assert r.status_code == 200, r.text
    return made


@pytest.mark.parametrize("lang", sorted(NAMES))
def test_the_change_log_page_names_each_changed_column(client: TestClient, lang: str) -> None:
    page = client.get("/graphs/full/changes", params={"lang": lang}, headers=AS_EDITOR)
    assert page.status_code == 200, page.text
    body = html.unescape(page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    for (sheet, _), cells in WRITES.items():
        assert f"<td>{sheet}</td>" not in body, (lang, sheet)  # a row's sheet by its name too
        for column, value in cells.items():
            assert f"{NAMES[lang][column]}: {value}" in body, (lang, column)
            assert not re.search(rf"(^|[>;] ?){column}:", body, re.M), (lang, column)
