"""The one error contract of the HTTP API: ``{"error": {"code", "message", "field"}}``.

Every error the server answers — a bad parameter, an unknown graph, a wrong token, a stale
ETag, a row the workbook rules refuse — is an :class:`ApiError` with its HTTP status, a
stable ``code`` for programs, a ``message`` for people (never an absolute server path, never
a token) and the ``field`` it is about (a parameter, a column, or ``null``). A row refused
by the workbook rules also lists every problem in ``problems``; an unknown id given as a
parameter (or in the one cell a refused row write gets wrong), the id it was likely meant
to be in ``did_you_mean`` (when one is close).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from polku.errors import Figure, PolkuError, PolkuErrors
from polku.privacy import published_error
from polku.words import N_, ngettext

#: status -> (code, what it means in the OpenAPI description)
STATUSES: dict[int, tuple[str, str]] = {
    400: ("bad-request", "A parameter or the body is not what the route takes."),
    401: ("unauthorized", "A write without a valid credential: no bearer token (or sign-in), "
                          "or one that is unknown, malformed or expired "
                          "(`WWW-Authenticate: Bearer realm=\"polku\"`, with "
                          "`error=\"invalid_token\"` for a bad one)."),
    403: ("forbidden", "The credential is valid but does not reach: a viewer, or an editor "
                       "changing another organisation's row (`error=\"insufficient_scope\"`); "
                       "a session write without its CSRF token; or the server is read-only "
                       "(no tokens, no identity provider)."),
    404: ("not-found", "No such graph, sheet or row."),
    405: ("method-not-allowed", "The path does not take this method: `Allow` lists those "
                                "it does take (OPTIONS answers 204 with the same list)."),
    409: ("conflict", "The graph's source is broken (the last good version is served, but "
                      "it cannot take writes), the key names several rows, or the change "
                      "log to undo or review from holds another source's changes "
                      "(`changelog-of-another-source`) or a line polku did not write "
                      "(`changelog-broken`), or the change could not be written "
                      "(`write-failed`: a full disk; nothing of it was written)."),
    412: ("precondition-failed", "If-Match does not name the graph's current ETag: someone "
                                 "else changed it first."),
    413: ("payload-too-large", "The request body is larger than the server takes (1 MiB)."),
    415: ("unsupported-media-type", "The body is JSON, sent with `Content-Type: "
                                    "application/json` (`curl -d` says a form's type)."),
    422: ("invalid-row", "The workbook rules refuse the row (same message, sheet and "
                         "column as `polku import`)."),
    428: ("precondition-required", "A write needs If-Match with the graph's ETag."),
    503: ("unavailable", "The identity provider cannot be reached to check a token."),
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    #: the id an unknown id given in ``field`` was likely meant to be (only when there is one)
    did_you_mean: str | None = None
    problems: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """Every error response of the API."""
    error: ErrorDetail


class ApiError(Exception):
    """An error answer: its status, code, message and field.

    ``message`` is English. Worded for a reader (:meth:`body` with a translator), it is
    the ``cause``'s problems when the error comes from a :class:`PolkuError` (the workbook
    rules, the shapes, a parameter), else ``message`` as a catalogued template of
    ``params`` (marked ``N_`` where it is raised).
    """

    def __init__(self, status: int, message: str, field: str | None = None,
                 code: str | None = None, problems: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None,
                 params: dict[str, Any] | None = None,
                 cause: PolkuError | None = None,
                 choices: tuple[str, list[tuple[str, str]]] | None = None,
                 plural: str | None = None, count: int = 1) -> None:
        english = (plural if plural is not None and count != 1 else message)
        english = english.format(**params) if params is not None else english
        super().__init__(english)
        self.status = status
        self.code = code or STATUSES.get(status, ("error", ""))[0]
        self.msgid = message
        #: a message that counts (``message`` the singular, marked by :func:`ngettext`):
        #: its plural, and the count that chooses between them
        self.plural = plural
        self.count = count
        self.params = params
        self.message = english
        self.field = field
        self.problems = problems
        self.headers = headers or {}
        self.cause = cause
        #: what the reader may choose instead: a heading (catalogued) and (address, name in
        #: the reader's language) pairs, which an HTML error page lists as links (a JSON
        #: answer says its ``field``)
        self.choices = choices

    def worded(self, tr: Any = None) -> str:
        """The message in ``tr``'s language (English without one)."""
        if tr is None or tr.lang == "en":
            return self.message
        from polku.present.i18n import error_message, error_text

        if self.cause is not None:
            first = self.cause.errors[0] if isinstance(self.cause, PolkuErrors) and \
                self.cause.errors else self.cause
            return error_text(first, tr) if self.problems is not None else \
                error_message(first, tr)
        from polku.present.i18n import error_param

        text = tr.ngettext(self.msgid, self.plural, self.count) if self.plural is not None \
            else tr(self.msgid)
        params = {k: problem_worded(v.error, tr) if isinstance(v, Problem) else
                  error_param(v, tr) for k, v in (self.params or {}).items()}
        try:
            return text.format(**params) if self.params is not None else text
        except (KeyError, IndexError, ValueError):
            return self.message

    def body(self, tr: Any = None) -> dict[str, Any]:
        """The error as the API answers it, worded in ``tr``'s language (English without)."""
        error: dict[str, Any] = {"code": self.code, "message": self.worded(tr),
                                 "field": self.field}
        close = getattr(self.cause, "close", None)
        if close:  # as data too: a program can offer it without reading the message
            error["did_you_mean"] = close
        if self.problems is not None:
            error["problems"] = problems_of(self.cause, tr) if self.cause is not None \
                else self.problems
        return {"error": error}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route that can answer ``statuses``."""
    return {s: {"model": ErrorBody, "description": STATUSES[s][1]} for s in statuses}


def relative(error: PolkuError, root: Path | None) -> PolkuError:
    """``error`` with its file named relative to the served folder ``root`` (a server
    never shows its absolute paths)."""
    if isinstance(error, PolkuErrors):
        return PolkuErrors([relative(e, root) for e in error.errors])
    file = error.file
    if file:
        file = shown_path(file, root)
    return PolkuError(error.msgid or error.text, file=file, sheet=error.sheet,
                      row=error.row, column=error.column, node=error.node, field=error.field,
                      params=error.params if error.msgid is not None else None,
                      close=error.close)


def shown_path(file: str | Path, root: Path | None) -> str:
    """A path as the server shows it: relative to ``root`` when inside it, else its name.

    >>> shown_path("/srv/graphs/ku/services.csv", Path("/srv/graphs"))
    'ku/services.csv'
    >>> shown_path("/etc/passwd", Path("/srv/graphs"))
    'passwd'
    """
    path = Path(file)
    if root is not None:
        try:
            rel = os.path.relpath(path.absolute(), root.absolute())
        except ValueError:
            rel = ""
        if rel and not rel.startswith(".."):
            return rel
    return path.name


class Problem(str):
    """A parameter of an :class:`ApiError` that is a source's problem: English as text,
    worded in the reader's language where the error is shown (:func:`problem_worded`)."""

    error: PolkuError

    def __new__(cls, error: PolkuError) -> "Problem":
        made = super().__new__(cls, problem_worded(error) or "")
        made.error = error
        return made


def problem_worded(problem: PolkuError | None, tr: Any = None) -> str | None:
    """A broken source's problem in one line as a page shows it: the first problem,
    located, in ``tr``'s language (English without one), and how many more there are; the
    source's text withheld (:func:`polku.privacy.published_error`).

    >>> from polku.present.i18n import translator
    >>> e = PolkuErrors([PolkuError("'{value}' is not a number", params={"value": "x"},
    ...                             sheet="services", row=3), PolkuError("b")])
    >>> problem_worded(e), problem_worded(e, translator("fi"))
    ("sheet 'services', row 3: '...' is not a number (and 1 more)", "taulukko 'services', rivi 3: '...' ei ole luku (ja 1 muu)")
    """
    if problem is None:
        return None
    from polku.present.i18n import error_text, translator

    # anyone may read it (it is shown before the reader is known): a people cell's text
    # is withheld (polku.privacy.published_error)
    problem = published_error(problem)
    tr = tr or translator("en")
    errors = problem.errors if isinstance(problem, PolkuErrors) else [problem]
    if not errors:
        return tr("unreadable")
    first = error_text(errors[0], tr).splitlines()
    more = len(errors) - 1 + max(len(first) - 1, 0)
    text = first[0] if first else tr("unreadable")
    return text + tr.ngettext(" (and {n} more)", " (and {n} more)", more).format(n=more) \
        if more else text


def problems_listed(problem: PolkuError | None, tr: Any = None) -> list[dict[str, Any]]:
    """Every problem of a broken source as anyone may read it (:func:`problem_worded`
    says the first), each as :func:`problems_of` gives it, in ``tr``'s language (English
    without one), the source's text withheld (:func:`polku.privacy.published_error`):
    what the API lists as ``problems`` and a page beside its banner, as ``polku validate``
    lists them all.

    >>> from polku.present.i18n import translator
    >>> e = PolkuErrors([PolkuError("'{value}' is not a number", params={"value": "x"},
    ...                             sheet="services", row=3), PolkuError("b")])
    >>> [p["message"] for p in problems_listed(e, translator("fi"))]
    ["taulukko 'services', rivi 3: '...' ei ole luku", 'b']
    """
    if problem is None:
        return []
    return problems_of(published_error(problem), tr)


def problems_of(error: PolkuError, tr: Any = None) -> list[dict[str, Any]]:
    """Every problem of an error as plain data: ``message`` located (file, sheet, row,
    column), ``text`` what is wrong alone (for the form field it is shown beside), both in
    ``tr``'s language (English without one), with the sheet, row and field."""
    from polku.present.i18n import error_message, error_text

    errors = error.errors if isinstance(error, PolkuErrors) else [error]
    if tr is None:
        return [{"message": str(e), "text": e.message, "sheet": e.sheet, "row": e.row,
                 "field": e.column or e.node} for e in errors]
    return [{"message": error_text(e, tr), "text": error_message(e, tr), "sheet": e.sheet,
             "row": e.row, "field": e.column or e.node} for e in errors]


def invalid(error: PolkuError) -> ApiError:
    """A 422 for a row the workbook rules refuse: the first problem as the message (with
    file, sheet, row and column, exactly as ``polku import`` says it), every one listed."""
    problems = problems_of(error)
    first = error.errors[0] if isinstance(error, PolkuErrors) else error
    return ApiError(422, str(first), field=first.column or first.node, problems=problems,
                    cause=error)


#: what a request the route's types refuse is told, by the validator's error type
#: (pydantic's ``type``); each names the ``field`` and quotes the ``value``
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": N_("{field}: this parameter is needed"),
    "json_invalid": N_("{field}: the body is not valid JSON"),
    "json_type": N_("{field}: the body is not valid JSON"),
    "dict_type": N_("{field}: a JSON object is needed here, not {value}"),
    "model_type": N_("{field}: a JSON object is needed here, not {value}"),
    "model_attributes_type": N_("{field}: a JSON object is needed here, not {value}"),
    "list_type": N_("{field}: a list is needed here, not {value}"),
    "string_type": N_("{field}: a text is needed here, not {value}"),
    "int_parsing": N_("{field}: {value} is not a whole number"),
    "int_type": N_("{field}: {value} is not a whole number"),
    "int_from_float": N_("{field}: {value} is not a whole number"),
    "float_parsing": N_("{field}: {value} is not a number"),
    "float_type": N_("{field}: {value} is not a number"),
    "finite_number": N_("{field}: {value} is not a number"),
    "bool_parsing": N_("{field}: {value} is not true or false"),
    "bool_type": N_("{field}: {value} is not true or false"),
    "greater_than_equal": N_("{field}: {value} is too small: {limit} or more"),
    "greater_than": N_("{field}: {value} is too small: more than {limit}"),
    "less_than_equal": N_("{field}: {value} is too large: at most {limit}"),
    "less_than": N_("{field}: {value} is too large: less than {limit}"),
    "too_long": N_("{field}: too many, at most {limit}"),
    "too_short": N_("{field}: too few, at least {limit}"),
    "string_pattern_mismatch": N_("{field}: {value} is not one of {choices}"),
}
#: the refusals that count characters, said in the singular or plural of their limit
COUNTED_MESSAGES: dict[str, tuple[str, str]] = {
    "string_too_long": ngettext("{field}: too long, at most {limit} character",
                                "{field}: too long, at most {limit} characters"),
    "string_too_short": ngettext("{field}: too short, at least {limit} character",
                                 "{field}: too short, at least {limit} characters"),
}
#: any other refusal of the validator
OTHER_VALIDATION = N_("{field}: {value} is not a valid value")
#: where a request's part is named in a validator's error location
_PARTS = ("query", "path", "body", "header", "cookie")


def validation_error(errors: list[dict[str, Any]], body: Any = None) -> ApiError:
    """A 400 for what the route's types refused (FastAPI's request validation), in the
    one error shape: the first problem's place as ``field`` (a parameter by its name, a
    place in the JSON ``body`` by its path: ``files[0].text``; ``body`` for the body as a
    whole), and a catalogued message naming it and quoting the value as JSON says it.

    >>> e = validation_error([{"type": "string_pattern_mismatch", "loc": ("query", "format"),
    ...                        "input": "x", "ctx": {"pattern": "^(turtle|jsonld)$"}}])
    >>> e.field, e.message
    ('format', "format: 'x' is not one of turtle, jsonld")
    >>> validation_error([{"type": "json_invalid", "loc": ("body", 0), "input": {}}]).field
    'body'
    >>> e = validation_error([{"type": "missing", "loc": ("body", "files", 0, "text"),
    ...                        "input": {"name": "a"}}], {"files": [{"name": "a"}]})
    >>> e.field, e.message
    ('files[0].text', 'files[0].text: this parameter is needed')
    >>> validation_error([{"type": "dict_type", "loc": ("body",), "input": None}]).message
    'body: a JSON object is needed here, not null'
    """
    import re

    first = chosen(errors, body)
    loc = list(first.get("loc", ()))
    kind = str(first.get("type", ""))
    field = place(loc, kind, body)
    ctx = first.get("ctx") or {}
    value = first.get("input")
    limit = next((ctx[k] for k in ("ge", "gt", "le", "lt", "max_length", "min_length")
                  if k in ctx), "")
    count = limit if isinstance(limit, int) and not isinstance(limit, bool) else 1
    if isinstance(limit, (int, float)) and not isinstance(limit, bool):
        limit = Figure(limit)  # written as the reader's language writes numbers
    choices = re.fullmatch(r"\^\(([\w|-]+)\)\$", str(ctx.get("pattern", "")))
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than") and \
            isinstance(value, str) and value.strip().lower() in ("nan", "+nan", "-nan"):
        kind = "finite_number"  # 'nan' is no number, not a number too large
    template = VALIDATION_MESSAGES.get(kind, OTHER_VALIDATION)
    if kind == "string_pattern_mismatch" and choices is None:
        template = OTHER_VALIDATION
    params = {"field": field, "value": quoted(value), "limit": limit,
              "choices": ", ".join(choices.group(1).split("|")) if choices else ""}
    if kind in COUNTED_MESSAGES:
        singular, plural = COUNTED_MESSAGES[kind]
        return ApiError(400, singular, field=field, params=params, plural=plural,
                        count=count)
    return ApiError(400, template, field=field, params=params)


def quoted(value: Any) -> str:
    """A refused value as a message quotes it: a text in quotes (as every message quotes
    a cell), anything else as JSON writes it (``null``, ``true``, ``12``), an object or a
    list as ``{…}``, ``[…]``; shortened past 60 characters.

    >>> quoted(None), quoted(True), quoted(1.5), quoted("x"), quoted([1]), quoted(b"a")
    ('null', 'true', '1.5', "'x'", '[…]', "'a'")
    """
    import json

    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        return "{…}" if isinstance(value, dict) else "[…]"
    if isinstance(value, str):
        shown = f"'{value}'"
    else:
        try:
            shown = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            shown = f"'{value}'"
    return shown if len(shown) <= 60 else shown[:57] + "…"


def place(loc: list[Any], kind: str, body: Any = None) -> str:
    """Where a validator's error is, as a reader names it: a parameter by its name, a
    place in the JSON body by its path (``files[0].text``, ``segments[1]``), the body as a
    whole ``body``. The path is walked in ``body`` (the JSON sent): a name the validator
    adds that is no place in it (the type a value was tried as: ``str``, ``list[str]``)
    is left out; a missing field is the last name.

    >>> place(["body", "files", 0, "text"], "missing", {"files": [{"name": "a"}]})
    'files[0].text'
    >>> place(["body", "segments", "list[str]", 1], "string_type", {"segments": ["a", 3]})
    'segments[1]'
    >>> place(["query", "top"], "int_parsing"), place(["body"], "dict_type", None)
    ('top', 'body')
    """
    part = loc[0] if loc and loc[0] in _PARTS else None
    rest = loc[1:] if part is not None else loc
    if part != "body":
        names = [str(x) for x in rest if isinstance(x, str)]
        return names[0] if names else (part or "request")
    path = ""
    here = body
    for i, step in enumerate(rest):
        if isinstance(step, int) and isinstance(here, list) and 0 <= step < len(here):
            path, here = f"{path}[{step}]", here[step]
        elif isinstance(step, str) and isinstance(here, dict) and (
                step in here or (kind == "missing" and i == len(rest) - 1)):
            path, here = (f"{path}.{step}" if path else step), here.get(step)
    return path or "body"


def chosen(errors: list[dict[str, Any]], body: Any = None) -> dict[str, Any]:
    """The error a refusal tells: the first, or where the validator tried a value as each
    type a field takes (a cell: text, number, list …), the one that reaches deepest into
    the value at that place (a list's member that is no text, rather than "a text is
    needed")."""
    if not errors:
        return {}
    first = errors[0]

    def where(e: dict[str, Any]) -> str:
        return place(list(e.get("loc", ())), str(e.get("type", "")), body)

    at = where(first)
    deeper = [e for e in errors if where(e).startswith((at + ".", at + "["))]
    return max(deeper, key=lambda e: len(where(e))) if deeper else first
