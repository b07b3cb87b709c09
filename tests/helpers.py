"""What many test modules share: paths, the CLI runner, the mini workbook and the Chromium page.

conftest.py turns these into fixtures (``mini``, ``browser``, ``open_page``) and marks the
slow groups; a test module imports the plain helpers it needs::

    from helpers import MINI, edit, run

    def test_validate(mini):
        edit(mini / "services.csv", ",20,", ",x,")
        assert run("validate", mini).exit_code == 1
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
#: the small, valid workbook the tests copy and edit
MINI = DATA / "mini"
#: every sheet and column of the workbook format, in one small invented region
FULL = DATA / "full"
#: the example region as a workbook folder and as Turtle
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
EXAMPLE_TTL = ROOT / "graphs" / "keski-uusimaa.ttl"
#: a second region, for merges and diffs
SECOND = DATA / "keski-suomi"
#: the second example region (illustrative figures, real organisations): what compare shows
SECOND_REGION = ROOT / "graphs" / "keski-suomi"
PLAN = ROOT / "graphs" / "plan.ttl"
#: screenshots and other files a reader may want after a run
ARTIFACTS = ROOT / "test-artifacts"
#: under CI nothing is skipped: a missing browser or server fails instead
CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def run(*args: object, **options: Any):
    """``polku ARGS...`` through typer's CliRunner; every argument is turned into a string,
    ``options`` go to ``CliRunner.invoke`` (``env=``, ``input=``)."""
    # imported here, not at the top: conftest imports this module, and one broken import in
    # polku should fail the tests that use the CLI, not the collection of the whole suite
    from typer.testing import CliRunner

    from polku.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], **options)


#: the token of the designer the browser tests sign in as (the ``designer_url`` fixture)
DESIGNER_TOKEN = "designer-token-0123456789"


@contextmanager
def serving_example(folder: Path, tokens: str | None = None) -> Iterator[str]:
    """The bundled example region (a writable copy in ``folder``) served by a real uvicorn
    on loopback, with ``tokens`` (``name:token`` lines) as its editors; yields the base
    URL."""
    from live_server import serving
    from polku.app import create_app
    from polku.server.auth import parse_tokens

    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", folder / "keski-uusimaa")
    app = create_app([folder], parse_tokens(tokens)) if tokens else create_app([folder])
    with serving(app) as url:
        yield url


def copy_mini(dest: Path) -> Path:
    """A writable copy of the mini workbook at ``dest`` (a folder that does not exist yet)."""
    shutil.copytree(MINI, dest)
    return dest


def copy_full(dest: Path, name: str) -> Path:
    """A writable copy of the full workbook (``tests/data/full``: every sheet and column of
    ``docs/workbook.md``, an extra column on each, follow-ups) at ``dest``, as region
    ``name`` (its graph sheet's id)."""
    shutil.copytree(FULL, dest)
    edit(dest / "graph.csv", "\nfull,", f"\n{name},")
    return dest


def copy_pohjois_karjala(dest: Path) -> Path:
    """A second region made of the example one, as a national developer made it: region
    ``pohjois-karjala`` (its graph sheet's id), every id prefixed ``pk-`` but Kela's (the
    actor the regions share by its business id, here named otherwise, so a merge reports
    conflicts), its services keeping their names (two regions' "Aikuissosiaalityö"), and
    ``pk-seg-osatyokykyiset`` a small cell of 3 people. Written as a workbook at ``dest``."""
    import networkx as nx

    from polku.io.load import load_graph
    from polku.io.workbook import write_workbook

    g = load_graph(EXAMPLE)
    g = nx.relabel_nodes(g, {n: n if n == "kela" else f"pk-{n}" for n in g}, copy=True)
    for key in ("title_sv", "title_en", "region_sv", "region_en"):
        g.graph.pop(key, None)
    g.graph.update(name="pohjois-karjala", title="Pohjois-Karjalan työllisyyden ekosysteemi",
                   region="Pohjois-Karjala")
    g.nodes["kela"].update(name="Kela", name_sv="FPA")
    g.nodes["pk-seg-osatyokykyiset"]["size"] = 3
    write_workbook(g, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file by ``new``; fails if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def need_chromium() -> None:
    """Skip the calling test when Chromium is missing, except under CI, where it fails."""
    if not CHROMIUM.exists():
        message = "Chromium is not installed (scripts/setup --tests installs it)"
        if CI:
            pytest.fail(f"{message}; browser tests cannot run under CI=true", pytrace=False)
        pytest.skip(message)


def until(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Wait until ``expression`` is true in ``page``, polled from here: a scroll or a
    filter that the page finishes a moment later, on a busy machine later than a fixed
    wait (``page.wait_for_function`` evaluates a string, which the pages' CSP refuses)."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


@dataclass
class Opened:
    """A page with what it tried to do besides loading what it was allowed to."""

    page: Any
    url: str
    #: requests the page attempted outside what it was allowed (each was aborted)
    requests: list[str] = field(default_factory=list)
    #: console errors and uncaught exceptions
    errors: list[str] = field(default_factory=list)
    #: dialogs the page opened (each was dismissed)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def drawn(self) -> set[str]:
        """Ids of the nodes vis-network holds and shows (a polku view page)."""
        return set(self.js("window.polku.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))

    def in_network(self) -> set[str]:
        return set(self.js("Object.keys(window.network.getPositions())"))

    def dom_point(self, node_id: str) -> tuple[float, float]:
        box = self.page.locator(".pv-canvas").bounding_box()
        p = self.js("id => window.network.canvasToDOM(window.network.getPosition(id))", node_id)
        return box["x"] + p["x"], box["y"] + p["y"]

    def clean(self) -> None:
        """Nothing but what was allowed was requested; no error; no dialog."""
        assert self.requests == [], f"requests attempted: {self.requests}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


def guard(page: Any, url: str, allow: Callable[[str], bool]) -> Opened:
    """Abort and record every request ``allow`` refuses; record console errors, uncaught
    exceptions and dialogs (dismissing them). Call before the page loads anything."""
    opened = Opened(page, url)

    def route(r) -> None:
        if allow(r.request.url):
            r.continue_()
        else:
            opened.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(f"uncaught: {e}"))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    return opened


def only(*prefixes: str) -> Callable[[str], bool]:
    """An ``allow`` for :func:`guard`: addresses that start with one of ``prefixes``."""
    return lambda address: address.startswith(prefixes)


def etag_of(client, name: str = "mini") -> str:
    """The current version of a served graph as a write's If-Match names it and a write
    answers it in its ETag: the version part of the tag its answers send (those add their
    representation: :func:`polku.server.http.representation_tag`)."""
    from polku.server.http import version_of_tag

    r = client.get(f"/api/graphs/{name}")
    assert r.status_code == 200
    return f'"{version_of_tag(r.headers["etag"])}"'


#: what :func:`copy_two_organisations` adds to the mini workbook: an association, a service
#: it provides and a referral from that service (the county, ``keusote``, has the rest)
ASSOCIATION_ROWS = {
    "actors.csv": "yhdistys,Työttömien yhdistys,,third-sector,,Keski-Uusimaa\n",
    "services.csv": "vertaistuki,Vertaistuki,yhdistys,10,,,tyokyky,,,,,\n",
    "referrals.csv": "r3,vertaistuki,alkuhaastattelu,,2,,yhdistys,unknown\n",
}


def copy_two_organisations(dest: Path) -> Path:
    """The mini workbook with a second organisation, the association ``yhdistys`` (its
    service ``vertaistuki`` and referral ``r3``), beside the county ``keusote`` and its
    unit ``tyokykytiimi``: for the tests of who may change which rows."""
    copy_mini(dest)
    for name, line in ASSOCIATION_ROWS.items():
        with open(dest / name, "a", encoding="utf-8") as f:
            f.write(line)
    return dest


def catalogue_texts(lang: str) -> list[tuple[str, str]]:
    """(English source, text) of every entry of ``lang``'s catalogue, a plural's forms one
    each: what a reader of that language may see, for tests of its words."""
    from babel.messages.pofile import read_po

    with (ROOT / "src" / "polku" / "locale" / lang / "LC_MESSAGES" / "polku.po").open("rb") as f:
        catalogue = read_po(f)
    out = []
    for m in catalogue:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        texts = m.string if isinstance(m.string, tuple) else (m.string,)
        out += [(ids[-1], t) for t in texts if m.id]
    return out


def example_client(tmp_path: Path) -> Any:
    """The example region served in-process from a copy (``graphs/keski-uusimaa`` under
    ``tmp_path/graphs``): a TestClient of the real app, for what its pages and API say."""
    import shutil

    from fastapi.testclient import TestClient

    from polku.app import create_app

    folder = tmp_path / "graphs"
    folder.mkdir()
    shutil.copytree(EXAMPLE, folder / "keski-uusimaa")
    return TestClient(create_app([folder]), raise_server_exceptions=False)


def edit_controls(page: str) -> dict[str, object]:
    """What the graph page offers to edit with: the edit forms' collapsible and its
    heading, whether each button of the findings table is sent hidden, and whether the
    edit key's field is offered (not hidden, as it is for a signed-in editor)."""
    details = re.search(r'<details id="edit-forms"( open)?>', page)
    heading = re.search(r'<h3 id="edit-forms-title">(.*?)</h3>', page)
    buttons = re.findall(r'<button type="button" class="(?:follow-up|suggest)"[^>]*>', page)
    return {"forms": details is not None, "open": bool(details and details.group(1)),
            "heading": heading.group(1) if heading else None,
            "hidden": {" hidden" in b for b in buttons},
            "key": 'id="token"' in page and 'id="token-field" hidden' not in page}


def lines_of(output: str, sid: str) -> list[str]:
    """A service's lines in the what-if's text: its own and the indented ones below it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if f"({sid}):" in line)
    block = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith("      "):
            break
        block.append(line)
    return block


def as_xlsx(folder: Path, book: Path) -> Path:
    """The CSV sheets of ``folder`` as one .xlsx, cell for cell (as a designer would paste
    them): a workbook that need not be valid, unlike an export."""
    import csv

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sorted(folder.glob("*.csv")):
        ws = wb.create_sheet(sheet.stem)
        with open(sheet, encoding="utf-8", newline="") as f:
            for record in csv.reader(f):
                ws.append(record)
    wb.save(book)
    return book


def director_workbook(example: Path, folder: Path) -> Path:
    """A director's workbook at ``folder``: the example with a parent organisation leading
    beside its unit that provides the service (IPS: three leads; social rehabilitation:
    two), Kela's lead row on a hand-off Keusote's mental-health unit owns, and a referral
    nobody owns (found by a stranger acting as a director of services)."""
    shutil.copytree(example, folder)
    with open(folder / "responsibilities.csv", "a", encoding="utf-8") as out:
        out.write("keusote,ips,lead,Keusote koordinoi\n"
                  "hus,ips,lead,HUS koordinoi\n"
                  "keusote,sosiaalinen-kuntoutus,lead,Emo-organisaatio\n"
                  "kela,ref-mielenterveys-hus,lead,Kela väittää\n")
    with open(folder / "referrals.csv", "a", encoding="utf-8") as out:
        out.write("ref-uusi-kela-tyokokeilu,kela-tyokokeilu,tyokokeilu,,12,10,,yes\n")
    return folder
