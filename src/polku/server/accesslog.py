"""What ``polku serve --access-log`` writes: uvicorn's line per request, without secrets.

uvicorn's access log holds no header (so no token or cookie), but it holds each request's
query, and a sign-in's return (``/auth/callback?code=…&state=…``) carries a one-time
code that, read from a log in time, signs its reader in. So the log's handler drops the
values of the query parameters that carry a credential (:data:`SECRET_PARAMETERS`).
"""

from __future__ import annotations

import copy
import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode

#: query parameters whose values are a credential or a sign-in's one-time value
SECRET_PARAMETERS = frozenset({"code", "state", "session_state", "token", "access_token",
                               "id_token", "id_token_hint", "refresh_token", "logout_token"})


def without_secrets(path: str) -> str:
    """``path`` (with its query) with each secret parameter's value left out (``...``).

    >>> without_secrets("/auth/callback?state=abc&code=xyz&iss=https://id.example.fi")
    '/auth/callback?state=...&code=...&iss=https://id.example.fi'
    >>> without_secrets("/graphs/g?lang=fi&view=segment:seg-nuoret")
    '/graphs/g?lang=fi&view=segment:seg-nuoret'
    """
    path_part, sep, query = path.partition("?")
    if not sep:
        return path
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(k.lower() in SECRET_PARAMETERS for k, _ in pairs):
        return path
    return path_part + "?" + urlencode(
        [(k, "..." if k.lower() in SECRET_PARAMETERS else v) for k, v in pairs], safe="/:")


class NoSecrets(logging.Filter):
    """A filter for uvicorn's access log: the request's path as :func:`without_secrets`
    writes it (uvicorn hands it over as the third of the record's arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (*args[:2], without_secrets(args[2]), *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's own logging settings, its access lines filtered by :class:`NoSecrets` and
    written to stderr with the server's other lines (each worker process applies them)."""
    import uvicorn.config

    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["filters"] = {"no_secrets": {"()": "polku.server.accesslog.NoSecrets"}}
    config["handlers"]["access"]["filters"] = ["no_secrets"]
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config
