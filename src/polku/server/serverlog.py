"""The server's own log lines, in its language: ``polku serve --lang`` (``POLKU_LANG`` for
the app factory), Finnish by default, as every other line the server writes for its
administrator. Each line is a catalogued template (marked ``N_`` where it is said) whose
parameters are worded in that language: a problem located and in one line, a cell's text
withheld (:func:`polku.server.contract.problem_worded`: the log is read by more people
than the editors), an answer's message as its reader would read it in that language, a
file operation's reason catalogued. Files are named by the caller relative to the served
folder, as the API names them.

>>> said = ServerLog("sv")
>>> said.text("graph '{graph}': {problem}", graph="mini",
...           problem=PolkuError("'{value}' is not a number", params={"value": "4x"},
...                              file="mini/services.csv", row=3, column="size"))
"ekosystemet 'mini': mini/services.csv, rad 3, kolumn 'size': '...' är inte ett tal"
"""

from __future__ import annotations

import logging
from typing import Any

from polku.errors import PolkuError, Said, os_reason
from polku.present.i18n import Translator, error_param, translator


class ServerLog:
    """The log lines of one server, in ``lang`` (checked; default Finnish), written to the
    logger ``name``."""

    def __init__(self, lang: str | Translator | None = None,
                 name: str = "polku.server") -> None:
        self.tr = lang if isinstance(lang, Translator) else translator(lang)
        self.logger = logging.getLogger(name)

    def child(self, part: str) -> "ServerLog":
        """The same language, written to the logger ``NAME.part`` (``polku.server.oidc``)."""
        return ServerLog(self.tr, f"{self.logger.name}.{part}")

    def worded(self, value: Any) -> Any:
        """One parameter of a line in the log's language."""
        from polku.server.contract import ApiError, problem_worded

        tr = self.tr
        if isinstance(value, ApiError):  # as its reader reads it, in the log's language
            return value.worded(tr)
        if isinstance(value, PolkuError):  # located, in one line, no cell quoted
            return problem_worded(value, tr)
        if isinstance(value, OSError):
            return tr(os_reason(value))
        if isinstance(value, Said):
            return tr(value)
        msgid = getattr(value, "msgid", None)
        if isinstance(value, Exception) and isinstance(msgid, str):
            # an exception that keeps its catalogued message (an identity provider's)
            params = getattr(value, "params", None) or {}
            try:
                return tr(msgid).format(**{k: self.worded(v) for k, v in params.items()})
            except (KeyError, IndexError, ValueError):
                return str(value)
        return error_param(value, tr)

    def text(self, msgid: str, **params: Any) -> str:
        """The line ``msgid`` (catalogued) of ``params``, in the log's language."""
        try:
            return self.tr(msgid).format(**{k: self.worded(v) for k, v in params.items()})
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
            return msgid.format(**{k: str(v) for k, v in params.items()})

    def _say(self, level: int, msgid: str, params: dict[str, Any],
             exc_info: bool = False) -> None:
        if self.logger.isEnabledFor(level):
            self.logger.log(level, "%s", self.text(msgid, **params), exc_info=exc_info)

    def warning(self, msgid: str, **params: Any) -> None:
        self._say(logging.WARNING, msgid, params)

    def info(self, msgid: str, **params: Any) -> None:
        self._say(logging.INFO, msgid, params)

    def debug(self, msgid: str, **params: Any) -> None:
        self._say(logging.DEBUG, msgid, params)

    def exception(self, msgid: str, **params: Any) -> None:
        """An error line with the traceback of the exception being handled."""
        self._say(logging.ERROR, msgid, params, exc_info=True)


__all__ = ["ServerLog"]
