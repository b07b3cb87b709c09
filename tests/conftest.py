"""Shared pytest fixtures, markers and settings; plain helpers live in helpers.py.

Fixtures: ``mini`` (a writable copy of the mini workbook), ``browser`` (headless Chromium
driven by Playwright), ``open_page`` and ``file_page`` (Chromium pages that may load only
what they are allowed), ``neo4j_server`` (a real Neo4j server, neo4j_server.py),
``keycloak_server`` (a real Keycloak with the test realm, keycloak_server.py).

Markers: a test that uses ``browser`` (directly or through another fixture) is marked
``browser``, one that uses ``neo4j_server`` is marked ``neo4j``, one that uses
``keycloak_server`` is marked ``keycloak``; test_wheel.py and
test_notebook.py mark their module ``wheel`` and ``notebook``. Each of these is also marked
``slow`` (as are a few long tests, by hand), so ``-m "not slow"`` is the quick loop. Under
CI=true nothing is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import (CHROMIUM, CHROMIUM_ARGS, DESIGNER_TOKEN, Opened, copy_mini, guard,
                     need_chromium, only, serving_example)
from keycloak_server import keycloak_server  # noqa: F401  (session-scoped real Keycloak)
from neo4j_server import neo4j_alone, neo4j_server  # noqa: F401  (a real Neo4j server)

# Under CI the property tests run a fixed set of examples (a run is repeatable and a red
# build points at one example); locally they explore new random examples every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

#: marker -> the fixture whose use sets it (the wheel and notebook modules mark themselves)
MARK_BY_FIXTURE = {"browser": "browser", "neo4j": "neo4j_server", "keycloak": "keycloak_server"}
#: the groups that take long: each is also marked ``slow``
SLOW = ("browser", "neo4j", "keycloak", "wheel", "notebook")
#: what a polku view page sets when it has drawn itself
VIEW_READY = '.polku-view[data-stable="1"]'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, so a new test cannot forget its group."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixture in MARK_BY_FIXTURE.items():
            if fixture in used:
                item.add_marker(marker)
        if any(item.get_closest_marker(group) for group in SLOW):
            item.add_marker("slow")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini workbook (tests/data/mini), at tmp_path / "mini"."""
    return copy_mini(tmp_path / "mini")


@pytest.fixture(scope="module")
def designer_url(tmp_path_factory):
    """The base URL of the example region served by a real uvicorn to a module's browser
    tests, with one designer (:data:`helpers.DESIGNER_TOKEN`) as its editor."""
    with serving_example(tmp_path_factory.mktemp("designer"), f"designer:{DESIGNER_TOKEN}"
                         ) as url:
        yield url


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """A folder to serve (``create_app([served], …)``) holding a copy of the mini workbook,
    ``mini``; a test module may define its own ``served`` instead."""
    folder = tmp_path / "graphs"
    folder.mkdir()
    copy_mini(folder / "mini")
    return folder


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (/usr/bin/chromium) driven by Playwright, one per test module;
    skipped when Chromium is missing, except under CI=true."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """Opens a file or an address in a fresh page and returns an :class:`helpers.Opened`.

    ``open_page(path)`` lets the page load only its own file and waits until the polku view
    has drawn itself; ``allow`` (see :func:`helpers.only`) widens what may load, ``wait``
    names another selector to wait for (None: none) and ``state`` what it must be. Every
    other request is aborted and recorded, with console errors and dialogs;
    ``opened.clean()`` asserts there were none.
    """
    pages = []

    def opener(target: Path | str, width: int = 1600, height: int = 1000,
               wait: str | None = VIEW_READY, allow=None, timeout: float = 90_000,
               state: str = "attached") -> Opened:
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        url = target.resolve().as_uri() if isinstance(target, Path) else target
        opened = guard(page, url, allow or (lambda address: address == url))
        page.goto(url)
        if wait:
            page.wait_for_selector(wait, state=state, timeout=timeout)
        return opened

    yield opener
    for page in pages:
        page.close()


@pytest.fixture
def file_page(browser):
    """A fresh page that may load only ``file:`` addresses; the test fails if it requested
    anything else or logged an error."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    opened = guard(page, "", only("file:"))
    yield page
    page.close()
    assert opened.requests == [] and opened.errors == [], (opened.requests, opened.errors)


@pytest.fixture
def english_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line in English (``POLKU_LANG=en``), for the modules whose tests read the
    English source texts of its messages (``pytestmark = pytest.mark.usefixtures(
    "english_cli")``): the command line's default is Finnish, and test_cli_language.py
    holds it to that."""
    monkeypatch.setenv("POLKU_LANG", "en")
