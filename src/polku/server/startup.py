"""What a server checks and says as it starts, the same for ``polku serve`` and for the app
factory (``uvicorn --factory polku.app:app_from_env``): a server told to take writes that
cannot write its folders does not start (:func:`start_refusal`), and the warnings an
administrator must read (:func:`tokens_warning`, :func:`key_warnings`), worded in the
server's language."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from polku.errors import PolkuErrors
from polku.present.i18n import Translator, error_text, translator


def server_language(lang: str | None = None) -> Translator:
    """The language of a server's own lines: ``lang`` (``polku serve --lang``), else
    ``POLKU_LANG``, else Finnish; one polku does not speak is no reason to stay silent
    (Finnish then)."""
    from polku.errors import PolkuError

    for wanted in (lang, os.environ.get("POLKU_LANG")):
        if wanted:
            try:
                return translator(wanted)
            except PolkuError:
                continue
    return translator()


def start_refusal(app: Any) -> PolkuErrors | None:
    """Why the server of ``app`` must not start: told to take writes (tokens or an identity
    provider), it cannot write its change-log folder or a graph's folder (every write
    would fail: :meth:`polku.server.store.GraphStore.write_problems`); None when it may."""
    if not app.state.access.writable:
        return None
    problems = app.state.store.write_problems()
    return PolkuErrors(problems) if problems else None


def tokens_warning(file: str | Path | None, tr: Translator) -> str | None:
    """The warning about a tokens file other users of the machine can read (the edit keys
    act as admins: whoever reads the file may change any row), in ``tr``'s language; None
    for one only its owner reads."""
    if file is None or os.name != "posix":
        return None
    try:
        if not os.stat(file).st_mode & 0o077:
            return None
    except OSError:  # said where it is read (polku.server.auth.load_tokens)
        return None
    return tr("the tokens file {file} can be read by other users of this machine: let only "
              "the server's user read it (chmod 600 {file})").format(file=file)


def key_warnings(app: Any, tr: Translator) -> list[str]:
    """The change-log folders that cannot keep the ETag key, each with why, in ``tr``'s
    language: the run keys its ETags by a secret of its own."""
    return [tr("cannot keep the ETag key in {folder} ({reason}): this run keys its ETags by "
               "a secret of its own, so they change when the server starts again").format(
                   folder=folder, reason=tr(problem))
            for folder, problem in app.state.store.unkept_keys.items()]


class NotStarted(SystemExit):
    """A server refused at start (:func:`start_refusal`), raised by the app factory: its
    text, each problem on a line in the server's language, is all uvicorn's process prints
    (exit status 1), as ``polku serve`` says it; ``problems`` keeps them."""

    def __init__(self, problems: PolkuErrors, tr: Translator) -> None:
        super().__init__("\n".join(tr("error: {problem}").format(problem=error_text(p, tr))
                                   for p in problems.errors))
        self.problems = problems


__all__ = ["NotStarted", "key_warnings", "server_language", "start_refusal",
           "tokens_warning"]
