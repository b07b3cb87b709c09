"""A service's wait in a view's details says what it is, and beside it the observed wait
the what-if reads, under the what-if's name.

Ohjaamo's details said "Odotus palveluun: 5–7 päivää (saapuvien ohjausten mediaani)": a
range labelled as the median. The what-if said "havaittu odotusaika 5,8 pv", the medians
weighted by the referrals' volumes ((25·5 + 15·7) / 40). The details now call the range a
range, and say the observed wait as the what-if does. For the public a weighted wait whose
weights include a volume left out (small numbers) is hidden where the waits differ, as in
the what-if: the weights are volumes, and the mean would give the small one back."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE, run
from polku.app import create_app
from polku.server.auth import Tokens

TOKEN = "editor-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
NAME = "keski-uusimaa"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(EXAMPLE, folder / NAME)
    return TestClient(create_app([folder], Tokens({"editor": TOKEN})))


def details(client: TestClient, service: str, lang: str, editor: bool) -> list[str]:
    """The details of ``service`` in the ecosystem view around it, as the page's table of
    the view gives them (the same text the details panel shows), line by line."""
    r = client.get(f"/graphs/{NAME}/table", headers=EDITOR if editor else {},
                   params={"view": "ecosystem", "focus": service, "depth": 1, "lang": lang})
    assert r.status_code == 200, r.text
    for row in re.findall(r"<tr>(.*?)</tr>", r.text, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells and f"{'tunnus' if lang == 'fi' else 'id'}: {service}<br>" in cells[-1]:
            return [html.unescape(re.sub(r"<[^>]+>", "", line)).strip()
                    for line in cells[-1].split("<br>")]
    raise AssertionError(f"no details of {service}")


def observed(service: str, *args: str) -> float | None:
    r = run("whatif", EXAMPLE, "--format", "json", "--capacity", f"{service}=30", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["services"][service]["observed_wait_days"]


def test_the_range_is_called_a_range_and_the_observed_wait_is_the_what_ifs(client) -> None:
    assert observed("ohjaamo-ohjaus") == 5.75
    fi = details(client, "ohjaamo-ohjaus", "fi", editor=True)
    assert "Odotus palveluun: 5–7 päivää (saapuvien ohjausten mediaanien vaihteluväli)" in fi
    assert not any("mediaani)" in line for line in fi), fi
    # the what-if's name and figure ("havaittu odotusaika 5,8 pv")
    assert any(line.startswith("Havaittu odotusaika: 5,8 pv (") for line in fi), fi
    text = run("whatif", EXAMPLE, "--capacity", "ohjaamo-ohjaus=30", "--lang", "fi").output
    assert "havaittu odotusaika 5,8 pv" in text
    en = details(client, "ohjaamo-ohjaus", "en", editor=True)
    assert "Wait to get in: 5–7 days (range of the incoming referrals' medians)" in en
    assert any(line.startswith("Observed wait: 5.8 d (") for line in en), en
    # the public reads the same here: no volume into Ohjaamo is left out
    assert details(client, "ohjaamo-ohjaus", "en", editor=False) == en


def test_one_median_is_still_a_median(client) -> None:
    # every referral into the workshop waits 14 days
    en = details(client, "nuorten-tyopaja", "en", editor=True)
    assert "Wait to get in: 14 days (median of incoming referrals)" in en
    assert any(line.startswith("Observed wait: 14 d (") for line in en), en


def test_a_weighted_wait_resting_on_a_hidden_volume_is_hidden_for_the_public(client) -> None:
    # IPS: a referral into it has fewer than 5 clients a month, and the waits differ
    editor_wait = observed("ips")
    public_wait = observed("ips", "--suppress")
    assert editor_wait == 17.73 and public_wait is None
    editor = details(client, "ips", "en", editor=True)
    assert any(line.startswith("Observed wait: 18 d (") for line in editor), editor
    public = details(client, "ips", "en", editor=False)
    [line] = [line for line in public if line.startswith("Observed wait:")]
    assert line.startswith("Observed wait: hidden ("), line
    assert not re.search(r"\d", line.split("(")[0]), line
    # a range of medians gives no volume back: it stays
    assert any(line.startswith("Wait to get in: ") for line in public), public
    # where the waits are equal, the hidden volume does not move the mean: it is shown,
    # as the what-if shows it (the workshop: a referral of 3 and one of 4 a month, all 14)
    assert observed("nuorten-tyopaja", "--suppress") == 14
    assert any(line.startswith("Observed wait: 14 d (")
               for line in details(client, "nuorten-tyopaja", "en", editor=False))
