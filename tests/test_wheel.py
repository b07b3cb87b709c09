"""An installed polku (a wheel in a fresh virtualenv, not an editable checkout) carries its
ontology, shapes and templates, and runs from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from helpers import EXAMPLE_TTL as EXAMPLE, ROOT

pytestmark = pytest.mark.wheel  # conftest.py adds slow


def outside_env() -> dict[str, str]:
    """The environment without the checkout: with PYTHONPATH pointing at src/ (as when
    working on polku), the fresh virtualenv would see the checkout's polku instead."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv with polku installed from its wheel."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(work / "dist"), str(ROOT)], check=True, capture_output=True)
    wheels = list((work / "dist").glob("polku-*.whl"))
    assert len(wheels) == 1, wheels
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    # its dependencies at the versions the suite is run with (constraints.txt)
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-c",
                    str(ROOT / "constraints.txt"), str(wheels[0])],
                   check=True, capture_output=True, env=outside_env())
    return bin_dir


def run_installed(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "polku"), *args], cwd=cwd, env=outside_env(),
                          capture_output=True, text=True)


def test_wheel_carries_ontology_shapes_and_templates(installed: Path, tmp_path: Path) -> None:
    code = ("import polku, pathlib; root = pathlib.Path(polku.__file__).parent; "
            "print(root); print(sorted(p.relative_to(root).as_posix() for p in root.rglob('*') "
            "if p.suffix in ('.ttl', '.html', '.css', '.js', '.mo')))")
    out = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, env=outside_env(),
                         capture_output=True, text=True, check=True).stdout
    location, files = out.splitlines()
    assert str(installed.parent) in location, "polku must come from the wheel, not the checkout"
    assert "ontology/polku.ttl" in files and "ontology/shapes.ttl" in files
    assert "templates/page.html" in files
    # the build compiled the gettext catalogues
    assert "locale/fi/LC_MESSAGES/polku.mo" in files and "locale/sv/LC_MESSAGES/polku.mo" in files


def test_installed_polku_validates_and_finds_from_another_folder(installed: Path,
                                                                 tmp_path: Path) -> None:
    r = run_installed(installed, "validate", str(EXAMPLE), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "kelvollinen" in r.stdout  # Finnish by default: the installed catalogues work
    r = run_installed(installed, "findings", str(EXAMPLE), "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert '"findings"' in r.stdout and '"kind"' in r.stdout
    r = run_installed(installed, "import", str(ROOT / "graphs" / "keski-uusimaa"), "-o",
                      str(tmp_path / "region.ttl"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "region.ttl").read_bytes().startswith(b"@prefix")
    r = run_installed(installed, "show", str(EXAMPLE), "--lang", "sv", cwd=tmp_path)
    assert r.returncode == 0 and "kundgrupper" in r.stdout, r.stderr
