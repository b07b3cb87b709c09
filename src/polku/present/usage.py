"""The command line's own complaints (an unknown option, a value that is not a number, a
missing argument) in the reader's language, as one problem like any other.

click (typer's own copy of it) words these itself, in English, before any polku code
runs; here they become a :class:`polku.errors.PolkuError` with a catalogued template, so
the command line prints them through the same path as every other problem
(:func:`polku.cli.problems.fail`). The errors and parameters are read by their class names and
attributes, the same in click and in the copy typer carries: ``polku paths G
--long-wait-days abc`` says ``virhe: --long-wait-days: 'abc' ei ole luku``.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from polku.errors import PolkuError, Said
from polku.words import N_

#: the start of click's complaint about arguments no parameter takes, up to its list
_EXTRA = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \(")


def given(args: Sequence[str], names: Sequence[str]) -> str | None:
    """The value typed after one of the option ``names`` in ``args`` (last one wins).

    >>> given(["x", "--k", "3", "--k=4"], ["--k", "-k"]), given(["x"], ["--k"])
    ('4', None)
    """
    found = None
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                found = args[i + 1]
            elif arg.startswith(name + "=") and name.startswith("--"):
                found = arg[len(name) + 1:]
    return found


def is_usage_error(error: BaseException) -> bool:
    """Whether ``error`` is click's complaint about the command line (click's or typer's
    copy of it)."""
    return any(k.__name__ == "UsageError" for k in type(error).__mro__)


def _kind(error: BaseException) -> set[str]:
    return {k.__name__ for k in type(error).__mro__}


def _bad_value(param: Any, value: str | None) -> tuple[str, dict]:
    """What is wrong with a value of ``param``'s type, as a template and its parameters."""
    kind = param.type
    name = getattr(kind, "name", "")
    if value is None:
        return N_("not a valid value"), {}
    if getattr(kind, "choices", None):
        return N_("'{value}' is not one of {choices}"), {
            "value": value, "choices": ", ".join(repr(str(c)) for c in kind.choices)}
    if name.endswith("range") and getattr(kind, "min", None) is not None:
        try:
            float(value)
        except ValueError:
            pass
        else:
            least = kind.min if not isinstance(kind.min, float) or not kind.min.is_integer() \
                else int(kind.min)
            return N_("must be {least} or more, not {value}"), {"least": least, "value": value}
    if name in ("int", "integer", "int range", "integer range"):
        return N_("'{value}' is not a whole number"), {"value": value}
    if name in ("float", "float range"):
        return N_("'{value}' is not a number"), {"value": value}
    if name == "boolean":
        return N_("'{value}' is not yes or no"), {"value": value}
    if name in ("path", "file"):
        return N_("no such file or folder"), {}
    return N_("'{value}' is not a valid value"), {"value": value}


#: what click's path type refuses, by the end of its message, as a catalogued reason
_PATH_REASONS = {"does not exist.": N_("no such file or folder"),
                 "is not readable.": N_("permission denied"),
                 "is not writable.": N_("permission denied"),
                 "is a directory.": N_("is a folder, not a file")}


def _path_problem(param: Any, message: str) -> Any:
    """Why click's path type refused a path (it exists but may not be read: typer asks
    for ``readable``), with the path named: a template of its own for each, not 'no such
    file or folder' for all of them. ``None`` for any other parameter.

    >>> class P: type = type("T", (), {"name": "path"})()
    >>> str(_path_problem(P(), "File 'wb/services.csv' is not readable."))
    'wb/services.csv: permission denied'
    """
    from polku.errors import Phrase

    if getattr(param.type, "name", "") not in ("path", "file"):
        return None
    end = next((e for e in _PATH_REASONS if message.endswith(e)), None)
    if end is None:
        return None
    reason = _PATH_REASONS[end]
    # "File 'x' is not readable.": the kind of path, the path quoted, what is wrong
    quoted = message[message.find(" ") + 1:len(message) - len(end)].rstrip()
    if quoted.endswith(" is"):
        quoted = quoted[:-3]
    if len(quoted) >= 2 and quoted[0] == quoted[-1] and quoted[0] in "'\"":
        return Phrase("{file}: {reason}", file=quoted[1:-1], reason=Said(reason))
    return Said(reason)


def _is_option(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "option"


def _name_of(param: Any, hint: object = None) -> str:
    """An option as its reader types it (the longest of its names), or an argument's name."""
    if _is_option(param) and param.opts:
        names = list(param.opts) + list(getattr(param, "secondary_opts", []))
        return max((o for o in names if o.startswith("--")), key=len, default=param.opts[0])
    if param is not None and getattr(param, "metavar", None):
        # an argument's name as its help names it, in the reader's language (GRAPH: AINEISTO)
        return Said(param.metavar)
    if param is not None:
        return str(param.name or hint or "").upper()
    if isinstance(hint, (list, tuple)):
        return str(hint[0]) if hint else ""
    return str(hint or "")


def usage_problem(error: Any, args: Sequence[str]) -> PolkuError:
    """click's ``error`` about the command line ``args`` as a catalogued problem, its
    ``field`` the parameter's name where there is one."""
    kinds = _kind(error)
    if "NoSuchOption" in kinds:
        close = sorted(error.possibilities or ())
        if close:
            return PolkuError(N_("no such option: {option} (did you mean {choices}?)"),
                              params={"option": error.option_name,
                                      "choices": ", ".join(close)})
        return PolkuError(N_("no such option: {option}"), params={"option": error.option_name})
    if "MissingParameter" in kinds:
        param = error.param
        return PolkuError(N_("{name} is missing"),
                          params={"name": _name_of(param, error.param_hint)},
                          field=param.name if param is not None else None)
    if "BadParameter" in kinds:
        param = error.param
        if param is None:
            return PolkuError(N_("not a valid value"), params={})
        problem = _path_problem(param, error.message or "")
        if problem is None:
            names = list(param.opts) + list(getattr(param, "secondary_opts", []))
            value = given(args, names) if _is_option(param) else None
            template, params = _bad_value(param, value)
            problem = PolkuError(template, params=params)
        return PolkuError("{name}: {problem}", params={
            "name": _name_of(param), "problem": problem}, field=param.name)
    if "BadOptionUsage" in kinds:
        return PolkuError(N_("{option} needs a value"), params={"option": error.option_name})
    message = error.message or ""
    if message.startswith("No such command"):
        name = message.split("'")[1] if message.count("'") >= 2 else message
        return PolkuError(N_("no such command '{name}' (polku --help lists them)"),
                          params={"name": name})
    if extra_at := _EXTRA.match(message):
        # click writes "argument (x)" or "arguments (x y)", typer's own "argument(s) (x)":
        # the arguments are what the last part's parentheses hold, whatever they hold
        extra = message[extra_at.end():].removesuffix(")")
        return PolkuError(N_("unexpected argument: {args}"), params={"args": extra})
    return PolkuError(N_("the command line is not understood ({detail})"),
                      params={"detail": message})
