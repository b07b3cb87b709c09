"""The wheel and sdist carry compiled gettext catalogues: build_py compiles every
``src/polku/locale/<lang>/LC_MESSAGES/polku.po`` to its ``.mo`` with Babel (the rest of the
metadata is in pyproject.toml)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path("src/polku/locale").glob("*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / "polku" / po.relative_to("src/polku").with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, target.open("wb") as out:
                write_mo(out, read_po(source, locale=po.parts[-3]))


setup(cmdclass={"build_py": BuildWithCatalogues})
