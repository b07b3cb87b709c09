"""The words polku shows for its own terms, as English source texts marked for the
catalogues: :func:`N_` marks a text where it is defined, and it is translated where it is
shown (:mod:`polku.present.i18n`). This module is part of the ground so that the kinds
catalogue and the display names can be defined beside the data they name.

>>> N_("warning")
'warning'
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a text for the catalogues where it is defined; it is translated where shown."""
    return message
