"""The finding record every analysis returns, its stable sort order and its JSON shape.

A finding is one thing a leader or designer should look at (``docs/findings.md``).
Every analysis (ecosystem findings in :mod:`polku.analyses.findings`, plan findings in
:mod:`polku.analyses.plan_findings`) returns :class:`Finding` records so that they sort, diff and
print the same way. This module has no analysis in it, so any analysis can import it.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterable, Mapping

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """One finding: ``kind`` and ``severity`` from the spec, workbook ids in ``subject`` and
    ``related`` (kept sorted), a plain sentence in ``message`` and numbers in ``metrics``;
    who must act in ``accountable`` (actor ids) and the plan measures that deal with it in
    ``measures`` (both sorted, filled in by :mod:`polku.analyses.accountable`).

    >>> f = Finding("long-wait", "warning", "r1", ("b", "a"), "waits 40 days", {"median_wait_days": 40})
    >>> f.related
    ('a', 'b')
    >>> f.to_dict()["related"]
    ['a', 'b']
    """
    kind: str
    severity: str
    subject: str
    related: tuple[str, ...] = ()
    message: str = ""
    metrics: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    accountable: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r} for finding {self.kind!r}")
        put = object.__setattr__
        put(self, "related", _id_tuple(self.related))
        put(self, "accountable", _id_tuple(self.accountable))
        put(self, "measures", _id_tuple(self.measures))
        metrics = tuple([(k, _sortable(v)) for k, v in sorted(self.metrics.items())]) \
            if self.metrics else ()
        # Computed once: findings are sorted at least twice (by find and by the printers).
        # Without the message, which the edge words anew (with_message): no finding's
        # place depends on it, as no two findings differ only in it (sort_findings).
        put(self, "_key", (SEVERITY_RANK[self.severity], self.kind, self.subject,
                           self.related, metrics))

    @property
    def identity(self) -> str:
        """What makes two findings "the same" across two versions of a graph: their stable
        :attr:`key` (``docs/findings.md``, "The stable key"), not the related ids, figures
        or message. A referral into a crowded service removed while the service stays over
        capacity leaves the same ``over-capacity`` finding (another list of incoming
        referrals, another inflow), not one resolved and one created; the what-ifs, the
        diff and a write's answer match findings so, as the review (``--since``) does.

        >>> a = Finding("over-capacity", "warning", "typ", ("r1", "r2"), "", {"inflow": 60})
        >>> a.identity == Finding("over-capacity", "warning", "typ", ("r2",), "", {"inflow": 52}).identity
        True
        """
        return self.key

    @property
    def key(self) -> str:
        """The finding's stable key across versions of a graph (:func:`finding_key`),
        worked out once (the copies :meth:`with_message` makes keep it: the message is no
        part of it)."""
        key = self.__dict__.get("_stable_key")
        if key is None:
            key = finding_key(self)
            object.__setattr__(self, "_stable_key", key)
        return key

    def with_message(self, message: str) -> "Finding":
        """The same finding with ``message`` (the edge words findings in a reader's language:
        :func:`polku.present.messages.worded`). A copy of the record, without sorting the
        ids again or working out its sort key (several times quicker than
        :func:`dataclasses.replace`, which a national graph's thousands of findings feel).

        >>> f = Finding("dead-end", "error", "s").with_message("S leads nowhere")
        >>> f.message, f.sort_key()[-1], f == Finding("dead-end", "error", "s", (), "S leads nowhere")
        ('S leads nowhere', 'S leads nowhere', True)
        """
        fields = self.__dict__.copy()  # a dict's own copy: quicker than update() into one
        fields["message"] = message
        done = object.__new__(type(self))
        object.__setattr__(done, "__dict__", fields)
        return done

    def sort_key(self) -> tuple:
        """Severity (error, warning, info), kind, subject as the spec says; then related ids
        and the metrics, so that findings of one kind on one subject (one per need, one per
        broken step pair) still come out in one stable order; the message last."""
        return self._key + (self.message,)  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, Any]:
        """The spec's JSON object, keys in the spec's order; ``key`` last (the stable key a
        follow-up names the finding by)."""
        return {"kind": self.kind, "severity": self.severity, "subject": self.subject,
                "related": list(self.related), "message": self.message,
                "metrics": dict(self.metrics), "accountable": list(self.accountable),
                "measures": list(self.measures), "key": self.key}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Finding":
        return cls(d["kind"], d["severity"], d["subject"], tuple(d.get("related") or ()),
                   d.get("message", ""), dict(d.get("metrics") or {}),
                   tuple(d.get("accountable") or ()), tuple(d.get("measures") or ()))


#: Kinds that can fire more than once on one subject, and what tells those findings apart
#: in their key: the ``related`` ids, one named metric, or named metrics in their order
#: (``docs/findings.md``). A ``path-broken`` finding's two steps are its metrics ``from``
#: and ``to``, in step order: ``related`` is sorted, and would make ``x`` → ``y`` and
#: ``y`` → ``x`` one key.
KEY_DETAIL: Mapping[str, str | tuple[str, ...]] = {
    "path-broken": ("from", "to"), "unmet-need": "related", "unmodelled-flow": "related",
    "overlapping-services": "need"}
#: the separator between a key's parts (ids never hold it) and between detail ids
KEY_SEPARATOR = ":"


def finding_key(f: "Finding | Mapping[str, Any]") -> str:
    """A finding's stable key: ``kind:subject``, and for the kinds that fire more than once
    on one subject (:data:`KEY_DETAIL`) ``kind:subject:detail`` with the ids that tell them
    apart, joined with ``+`` (a broken path's two steps in step order). Figures, messages and the other related ids are left out, so a
    finding keeps its key while its numbers change (an over-capacity finding whose inflow
    grows is the same finding); a follow-up names its finding by this key.

    >>> finding_key(Finding("over-capacity", "warning", "typ", ("r2", "r1")))
    'over-capacity:typ'
    >>> finding_key(Finding("path-broken", "error", "p1", ("s2", "s1"),
    ...                     metrics={"from": "s2", "to": "s1", "step": 1}))
    'path-broken:p1:s2+s1'
    >>> finding_key(Finding("overlapping-services", "info", "seg", ("a", "b"), "", {"need": "debt"}))
    'overlapping-services:seg:debt'
    """
    f = as_finding(f)
    detail = KEY_DETAIL.get(f.kind)
    parts = [f.kind, f.subject]
    if detail is None:  # most kinds; the document asks every finding's key
        return KEY_SEPARATOR.join(parts)
    if isinstance(detail, tuple):
        ends = [f.metrics.get(m) for m in detail]
        # a finding that does not say them (one read from an older file) by its related ids
        parts.append("+".join(map(str, ends)) if all(e is not None for e in ends)
                     else "+".join(f.related))
    elif detail == "related":
        parts.append("+".join(f.related))
    elif f.metrics.get(detail) is not None:
        parts.append(str(f.metrics[detail]))
    return KEY_SEPARATOR.join(parts)


def _id_tuple(ids: Iterable[str]) -> tuple[str, ...]:
    """Ids sorted, each once; most findings name none or one, which need no set and no
    sort."""
    if type(ids) is tuple and len(ids) < 2:
        return ids
    return tuple(sorted(set(ids)))


def _sortable(value: Any) -> tuple:
    """Numbers before text before anything else, each comparable within its group."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    if isinstance(value, str):
        return (1, 0, value)
    return (2, 0, json.dumps(value, sort_keys=True, default=str))


def as_finding(f: "Finding | Mapping[str, Any]") -> Finding:
    """Accept a :class:`Finding` or its dict form (for analyses that build dicts)."""
    return f if isinstance(f, Finding) else Finding.from_dict(f)


def sort_findings(findings: Iterable["Finding | Mapping[str, Any]"]) -> list[Finding]:
    """Findings in the spec's order, duplicates (same kind, subject, related, metrics) once."""
    fs = list(map(as_finding, findings))
    # Most callers hand over what find() returned: sorted already, nothing twice. Each
    # key strictly below the next says both at once (compared in C: the printers of a
    # national graph's findings ask this of a sorted list).
    keys = [f._key for f in fs]  # type: ignore[attr-defined]
    if all(map(operator.lt, keys, islice(keys, 1, None))):
        return fs
    unique = {}
    for f in fs:
        unique.setdefault(f._key, f)  # type: ignore[attr-defined]
    # each key once now: the message (the sort key's last part) decides nothing
    return sorted(unique.values(), key=_fixed_key)


def _fixed_key(f: Finding) -> tuple:
    """:meth:`Finding.sort_key` without the message."""
    return f._key  # type: ignore[attr-defined]


#: one encoder for what :func:`finding_line` leaves to it (``json.dumps`` with options
#: builds one per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False)
#: a string as ``_ENCODER`` writes it: json's own string writer (its C one where built)
_string = json.encoder.encode_basestring


def finding_line(f: Finding, message: str | None = None,
                 names: Mapping[str, str] | None = None) -> str:
    """One finding's line of :func:`findings_json`: exactly what ``_ENCODER`` writes of
    :meth:`Finding.to_dict` (with ``message`` instead of its own, where given, and
    ``names`` before ``key``, where given: :func:`with_names`), put together from its
    parts. Why: the encoder walks the dict in Python and sets up its C
    writer again for every object, a national graph's seven thousand findings took it a
    twentieth of a second; ids and messages are strings and metrics mostly plain numbers
    and text, which need no walk. Anything else (a metric holding a list, a number that is
    no plain ``int`` or ``float``) goes to the encoder, so the line stays what it was
    (tests/test_findings.py holds the two together).

    >>> f = Finding("path-broken", "error", "p", ("b", "a"), 'Ä "1"', {"step": 1, "x": [2.5]})
    >>> finding_line(f) == _ENCODER.encode(f.to_dict())
    True
    >>> finding_line(f, None, {"p": "Polku"}) == _ENCODER.encode(with_names(f.to_dict(), {"p": "Polku"}))
    True
    """
    if message is None:
        message = f.message
    # a message read back from JSON may be null
    said = _string(message) if isinstance(message, str) else _ENCODER.encode(message)
    return (f'{{"kind": {_string(f.kind)}, "severity": {_string(f.severity)}, '
            f'"subject": {_string(f.subject)}, "related": {_ids_json(f.related)}, '
            f'"message": {said}, "metrics": {_metrics_json(f.metrics)}, '
            f'"accountable": {_ids_json(f.accountable)}, "measures": {_ids_json(f.measures)}, '
            + ("" if names is None else f'"names": {_names_json(names)}, ')
            + f'"key": {_string(f.key)}}}')


def with_names(d: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """A finding's JSON object ``d`` with its ``names`` (id → name in the reader's
    language: :class:`polku.present.finding_names.FindingNames`), put before ``key``, which
    stays last; every other field as it was.

    >>> list(with_names(Finding("dead-end", "error", "s").to_dict(), {"s": "S"}))[-2:]
    ['names', 'key']
    """
    out = {k: v for k, v in d.items() if k != "key"}
    out["names"] = dict(names)
    if "key" in d:
        out["key"] = d["key"]
    return out


def _names_json(names: Mapping[str, str]) -> str:
    """Ids → names as the encoder writes the dict (anything but text keys and values: by
    it)."""
    if not names:
        return "{}"
    try:
        return "{" + ", ".join([f"{_string(k)}: {_string(v)}" for k, v in names.items()]) + "}"
    except TypeError:
        return _ENCODER.encode(dict(names))


def _ids_json(ids: tuple[str, ...]) -> str:
    """A tuple of ids as the encoder writes it as a list (an id that is no string: by it)."""
    if not ids:
        return "[]"
    try:
        return f"[{', '.join(map(_string, ids))}]"
    except TypeError:
        return _ENCODER.encode(list(ids))


#: how the encoder writes the constants it knows (``float`` and ``int``: their own repr)
_JSON_CONSTANTS = {None: "null", True: "true", False: "false"}


def _metrics_json(metrics: Mapping[str, Any]) -> str:
    """Metrics as the encoder writes them, in their own order: text keys with strings,
    ``int``/finite ``float`` numbers, booleans or None written here, anything else by the
    encoder (it writes the dict alike, whole or inside the finding's object)."""
    if not metrics:
        return "{}"
    parts = []
    for k, v in metrics.items():
        kind = type(v)
        if kind is str:
            value = _string(v)
        elif kind is int or (kind is float and math.isfinite(v)):
            value = repr(v)
        elif v is None or kind is bool:
            value = _JSON_CONSTANTS[v]
        else:
            return _ENCODER.encode(dict(metrics))
        if type(k) is not str:
            return _ENCODER.encode(dict(metrics))
        parts.append(f"{_string(k)}: {value}")
    return "{" + ", ".join(parts) + "}"


def findings_json(graph_name: str, findings: Iterable["Finding | Mapping[str, Any]"],
                  followups: Mapping[str, Any] | None = None,
                  message: Callable[[Finding], str] | None = None,
                  names: Callable[[Finding], Mapping[str, str]] | None = None) -> str:
    """The spec's JSON document, sorted, one finding per line, so that two versions of a
    graph diff line by line (a changed finding is one changed line). ``message`` gives
    each finding's message where not its own: the edge words the findings in the reader's
    language as their lines are written (:meth:`polku.present.messages.Wording.message`),
    without a worded copy of each finding first; ``names``, where given, each finding's
    ``names`` object (:class:`polku.present.finding_names.FindingNames`), alike.

    >>> print(findings_json("g", [Finding("dead-end", "error", "s", (), "S leads nowhere")]))
    {"graph": "g",
     "findings": [
      {"kind": "dead-end", "severity": "error", "subject": "s", "related": [], "message": "S leads nowhere", "metrics": {}, "accountable": [], "measures": [], "key": "dead-end:s"}
     ]}
    >>> json.loads(findings_json("g", []))
    {'graph': 'g', 'findings': []}
    """
    fs = sort_findings(findings)
    if names is not None:
        lines = [finding_line(f, None if message is None else message(f), names(f))
                 for f in fs]
    else:
        lines = list(map(finding_line, fs)) if message is None else \
            [finding_line(f, message(f)) for f in fs]
    head = '{"graph": ' + json.dumps(graph_name, ensure_ascii=False) + ',\n "findings": ['
    tail = "}"
    if followups:
        # the follow-ups as they stand (polku.followup.effective), one a line, by key
        tail = ',\n "followups": {\n  ' + ",\n  ".join(
            f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
            for k, v in sorted(followups.items())) + "\n }}"
    if not lines:
        return head + ']' + tail
    # one copy of the body (megabytes at national size), not one per "+"
    return "".join((head, "\n  ", ",\n  ".join(lines), "\n ]", tail))


def number(value: float | int | None) -> float | int | None:
    """A number as JSON should show it: ``64.0`` → ``64``; other floats kept."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: the most decimals a figure over a limit is given to read above it (a millionth of a
#: client a month is float noise, not a figure)
MOST_DECIMALS = 6


def decimals_above(value: float, limit: float, digits: int) -> int:
    """The decimals to write ``value`` with: ``digits``, or where ``value`` is above
    ``limit`` but would read as it (or below it) at ``digits``, as many more as it takes
    to read above it (at most :data:`MOST_DECIMALS`). Why: 15.02 clients a month against a
    capacity of 15 read "15 against 15", and an utilisation of 1.0013 read 1.0 (100 %), a
    figure that says there is no overload where there is one.

    >>> decimals_above(15.02, 15, 0), decimals_above(15.6, 15, 0), decimals_above(1.0013, 1, 2)
    (2, 0, 3)
    >>> decimals_above(0.999, 1, 2), decimals_above(1.33, 1, 2)
    (2, 2)
    """
    if value > limit:
        while digits < MOST_DECIMALS and round(value, digits) <= limit:
            digits += 1
    return digits


def above(value: float, limit: float, digits: int) -> float | int:
    """``value`` rounded to :func:`decimals_above` decimals: an utilisation of 1.0013 is
    1.001, not 1.0; one at or below its limit keeps ``digits``.

    >>> above(1.0013, 1, 2), above(1.3333, 1, 2), above(0.8, 1, 2)
    (1.001, 1.33, 0.8)
    """
    return number(round(value, decimals_above(value, limit, digits)))


def format_number(x: float | int) -> str:
    """A number as messages show it: integers plainly, others with up to ten digits.

    >>> format_number(35), format_number(1.3333333333333333)
    ('35', '1.333333333')
    """
    x = number(x)
    return f"{x:.10g}" if isinstance(x, float) else str(x)


def counts_by_kind(findings: Iterable[Finding]) -> list[tuple[str, str, int]]:
    """``(severity, kind, count)`` in the findings' sort order."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[(f.severity, f.kind)] = counts.get((f.severity, f.kind), 0) + 1
    return [(s, k, n) for (s, k), n in sorted(counts.items(),
                                               key=lambda x: (SEVERITY_RANK[x[0][0]], x[0][1]))]


def at_or_above(findings: Iterable[Finding], severity: str) -> list[Finding]:
    """The findings at ``severity`` or more severe (``error`` > ``warning`` > ``info``)."""
    if severity not in SEVERITY_RANK:
        raise ValueError(severity)
    return [f for f in findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK[severity]]
