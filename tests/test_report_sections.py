"""The report's sections say what they list: each severity heading counts the findings
listed under it, the responsibility section holds the responsibility gaps and overlaps
(the kinds the catalogue groups so, polku.kinds), and the contents list exactly the
sections the report has.

A director of services added a few responsibility rows and a referral without an owner to
the example (``w1`` below): the report's heading read "Varoitukset (16)" above 13 items
(the three multiple-leads were listed only under "Vastuiden päällekkäisyydet ja aukot",
with no word of it), the hand-off nobody owns and the segment nobody leads were listed
under the errors and warnings, not with the responsibility gaps; the contents never listed
the warnings and always listed the errors, a dead link (no id="errors") when there were
none."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import EXAMPLE, edit, run
from polku import kinds

W1_RESPONSIBILITIES = ("keusote,ips,lead,Keusote koordinoi\n"
                       "hus,ips,lead,HUS koordinoi\n"
                       "keusote,sosiaalinen-kuntoutus,lead,Emo-organisaatio\n"
                       "kela,ref-mielenterveys-hus,lead,Kela väittää\n")
W1_REFERRAL = "ref-uusi-kela-tyokokeilu,kela-tyokokeilu,tyokokeilu,,12,10,,yes\n"


def w1(folder: Path) -> Path:
    """The example with the stranger's rows: three leads on IPS, Keusote's lead beside its
    own unit's on social rehabilitation, Kela's lead row on a referral another owns, and a
    referral from Kela's work trial nobody owns."""
    shutil.copytree(EXAMPLE, folder)
    with open(folder / "responsibilities.csv", "a", encoding="utf-8") as f:
        f.write(W1_RESPONSIBILITIES)
    with open(folder / "referrals.csv", "a", encoding="utf-8") as f:
        f.write(W1_REFERRAL)
    return folder


def without_errors(folder: Path) -> Path:
    """The example with every error fixed: the hand-off gets its owner, the designed path
    its referral, and the segment no longer needs what nothing it reaches meets."""
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "referrals.csv", "ref-ktt-tyokokeilu,kuntouttava-tyotoiminta,tyokokeilu,,10,21,,no",
         "ref-ktt-tyokokeilu,kuntouttava-tyotoiminta,tyokokeilu,,10,21,keusote,no")
    with open(folder / "referrals.csv", "a", encoding="utf-8") as f:
        f.write("ref-x,talous-ja-velkaneuvonta,kuntouttava-tyotoiminta,seg-monitarve,6,10,"
                "oikeusaputoimisto,yes\n")
    edit(folder / "segments.csv", "tarve-terveys; tarve-tyokyvyn-arviointi; ",
         "tarve-terveys; ")
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """The reports of w1 (HTML in Finnish and Swedish, markdown in Finnish) and of the
    example without errors (HTML in Finnish)."""
    root = tmp_path_factory.mktemp("sections")
    sources = {"w1": w1(root / "w1"), "clean": without_errors(root / "clean")}
    out = {}
    for name, source, lang in (("w1.fi.html", "w1", "fi"), ("w1.sv.html", "w1", "sv"),
                               ("w1.fi.md", "w1", "fi"), ("clean.fi.html", "clean", "fi")):
        r = run("report", sources[source], "-o", root / name, "--lang", lang, "-q")
        assert r.exit_code == 0, r.output
        out[name] = (root / name).read_text(encoding="utf-8")
    return out


def severity_blocks(page: str) -> dict[str, tuple[int, list[str], int]]:
    """Each severity list of the report: the count its heading says, the keys it lists and
    how many more it says it leaves out."""
    out = {}
    for m in re.finditer(r'<h2 id="(errors|warnings|infos)">[^<(]*\((\d+)\)</h2>\s*'
                         r'<ul class="findings">(.*?)</ul>(.*?)(?=<h2|<section)', page, re.S):
        more = re.search(r"… ja (\d+) muuta", html.unescape(m.group(4)))
        out[m.group(1)] = (int(m.group(2)), re.findall(r'data-finding="([^"]+)"', m.group(3)),
                           int(more.group(1)) if more else 0)
    return out


def responsibility_keys(page: str) -> list[str]:
    part = page.split('<h2 id="responsibility">')[1].split("<section")[0]
    return re.findall(r'data-finding="([^"]+)"', part)


def test_each_severity_heading_counts_what_it_lists(reports) -> None:
    page = reports["w1.fi.html"]
    blocks = severity_blocks(page)
    assert set(blocks) == {"errors", "warnings"}  # the info findings are all overlaps
    for sev, (said, listed, more) in blocks.items():
        assert said == len(listed) + more, (sev, said, listed)
    # the cards keep the totals; the lists say where the rest is
    seen = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "16 varoitusta" in seen
    assert "Varoitukset (12)" in seen and "Virheet (2)" in seen
    assert ("Lisäksi 4 varoitusta on lueteltu kohdassa ”Vastuiden päällekkäisyydet ja "
            "aukot”.") in seen
    assert "Lisäksi 2 virhettä on lueteltu kohdassa" in seen
    sv = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", reports["w1.sv.html"])).split())
    assert "Varningar (12)" in sv


def test_the_responsibility_section_holds_the_gaps_and_overlaps(reports) -> None:
    """The hand-offs nobody owns and the segment nobody leads are listed with the several
    leads, the missing leads and the overlaps, each finding once: the catalogue's group."""
    page = reports["w1.fi.html"]
    keys = responsibility_keys(page)
    listed = [k for _, ks, _ in severity_blocks(page).values() for k in ks]
    for key in ("multiple-leads:ips", "multiple-leads:sosiaalinen-kuntoutus",
                "multiple-leads:ref-mielenterveys-hus",
                "referral-without-owner:ref-uusi-kela-tyokokeilu",
                "referral-without-owner:ref-ktt-tyokokeilu", "segment-without-lead:seg-terveys"):
        assert key in keys and key not in listed, key
    assert not set(keys) & set(listed)
    assert all(k.split(":")[0] in kinds.RESPONSIBILITY_KINDS for k in keys)
    assert not any(k.split(":")[0] in kinds.RESPONSIBILITY_KINDS for k in listed)
    # the heading says what the section holds, in every language
    assert "Vastuiden päällekkäisyydet ja aukot" in page
    assert "Överlappande och saknat ansvar" in reports["w1.sv.html"]
    md = reports["w1.fi.md"]
    part = md.split("## Vastuiden päällekkäisyydet ja aukot")[1].split("\n## ")[0]
    assert "(`ref-uusi-kela-tyokokeilu`)" in part and "(`seg-terveys`): asiakasryhmältä" in part
    warnings = md.split("## Varoitukset")[1].split("\n## ")[0]
    assert "useita päävastuullisia" not in warnings
    assert "Lisäksi 4 varoitusta on lueteltu kohdassa" in warnings


def test_the_responsibility_kinds_are_the_catalogues() -> None:
    """One definition: the kinds that say who leads a subject (nobody, several, not yet
    agreed) and the services that overlap."""
    assert set(kinds.RESPONSIBILITY_KINDS) == {
        "no-lead", "multiple-leads", "referral-without-owner", "segment-without-lead",
        "overlapping-services", "deferred-responsibility"}
    assert all(kinds.KIND_CATALOGUE[k].responsibility in ("gap", "overlap")
               for k in kinds.RESPONSIBILITY_KINDS)


class _Sections(HTMLParser):
    """The report's contents (the links of nav.toc) and the place each h2 of its main part
    is reached by: its own id, else its section's."""

    def __init__(self) -> None:
        super().__init__()
        self.toc: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[str | None] = []
        self._stack: list[tuple[str, str | None]] = []
        self._in_toc = False

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "nav" and "toc" in (a.get("class") or ""):
            self._in_toc = True
        if self._in_toc and tag == "a":
            self.toc.append(a["href"].lstrip("#"))
        if tag == "h2":
            # a section's heading is reached by the section's id (#raci, not #raci-title)
            section = next((i for t, i in reversed(self._stack) if t == "section" and i), None)
            self.headings.append(section or a.get("id"))
        if tag in ("section", "nav", "main", "div"):
            self._stack.append((tag, a.get("id")))

    def handle_endtag(self, tag) -> None:
        if tag == "nav":
            self._in_toc = False
        if tag in ("section", "nav", "main", "div") and self._stack:
            self._stack.pop()


@pytest.mark.parametrize("name", ["w1.fi.html", "clean.fi.html"])
def test_the_contents_list_exactly_the_sections_present(reports, name) -> None:
    parsed = _Sections()
    parsed.feed(reports[name])
    assert None not in parsed.headings
    assert [t for t in parsed.toc if t not in parsed.ids] == []  # no dead link
    assert parsed.toc == parsed.headings
    if name.startswith("w1"):
        assert "warnings" in parsed.toc and "errors" in parsed.toc
    else:
        assert "errors" not in parsed.toc and 'id="errors"' not in reports[name]
