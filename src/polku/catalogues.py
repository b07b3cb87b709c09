"""The gettext catalogues that translate polku's texts (``polku/locale``), as the ground
reads them: :mod:`polku.present.i18n` words everything a person reads with them, and the
workbook reader (:mod:`polku.io.workbook`) reads a choice in the words the pages show for it
(an actor's kind as *kunta* or *kommun*), so that the words read are the words shown.

>>> words_of("municipality")
('kunta', 'kommun', 'municipality')
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from importlib import resources
from pathlib import Path

from polku.errors import PolkuError

#: The languages, Finnish first (the default everywhere).
LANGUAGES = ("fi", "sv", "en")
DOMAIN = "polku"


def locale_dir() -> Path:
    """Where the catalogues live inside the package."""
    return Path(str(resources.files("polku") / "locale"))


@lru_cache(maxsize=None)
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang``; in a checkout whose ``.mo`` is missing or older
    than its ``.po`` (a translator at work), the ``.po`` is compiled in memory by Babel."""
    if lang == "en":
        return gettext.NullTranslations()
    folder = locale_dir() / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if not po.exists():
        raise PolkuError(f"the {lang} catalogue is missing from this installation", file=str(po))
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def words_of(text: str) -> tuple[str, ...]:
    """A catalogued text (an English source text marked with ``N_``) in each of
    :data:`LANGUAGES`, in that order."""
    return tuple(catalogue(lang).gettext(text) for lang in LANGUAGES)
