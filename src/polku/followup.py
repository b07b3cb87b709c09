"""Follow-ups: what is being done about a finding, by whom and by when.

A follow-up names its finding by the finding's stable key (:func:`polku.finding.finding_key`)
and says where the work stands: ``status`` (one of :data:`STATUSES`), the ``owner`` (an actor
id), a ``due`` date, a ``note``, when it was last ``updated`` and ``by`` whom. They are rows
of the workbook's ``followups`` sheet and travel with the graph in every store (the graph's
``followups`` attribute: finding key → the row's other columns).

A finding whose key no longer occurs in a version of the graph is resolved in that version,
whatever its follow-up says (:func:`effective`): the fix shows in the data, not in a form.

>>> fu = {"over-capacity:typ": {"status": "in-progress", "owner": "te", "due": "2026-01-31"}}
>>> [(k, s["status"], s["overdue"]) for k, s in effective(fu, ["over-capacity:typ"], "2026-02-01").items()]
[('over-capacity:typ', 'in-progress', True)]
>>> effective(fu, [], "2026-02-01")["over-capacity:typ"]["status"]
'resolved'
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from polku import clock
from polku.errors import CellError, Said, not_a_choice
from polku.kinds import KIND_CATALOGUE
from polku.words import N_, STATUS_NAMES

#: The statuses, in the order work goes.
STATUSES = ("new", "in-progress", "resolved", "accepted-risk")
#: Each status as people read it: the one catalogue's (:data:`polku.words.STATUS_NAMES`,
#: English source; fi/sv in the catalogues, glossary words).
STATUS_LABELS: Mapping[str, str] = STATUS_NAMES
#: What a designer may type in the sheet for a status: the code, or the Finnish or Swedish
#: word (the glossary's).
STATUS_WORDS: Mapping[str, str] = {
    "uusi": "new", "ny": "new", "new": "new",
    "työn alla": "in-progress", "tyon alla": "in-progress", "pågår": "in-progress",
    "in progress": "in-progress",
    "ratkaistu": "resolved", "löst": "resolved",
    "hyväksytty riski": "accepted-risk", "hyvaksytty riski": "accepted-risk",
    "accepterad risk": "accepted-risk", "accepted risk": "accepted-risk"}
#: Statuses that close a follow-up: nothing is overdue once resolved or accepted.
CLOSED = ("resolved", "accepted-risk")

#: due dates are Finnish dates

KEY_RE = re.compile(r"^[a-z][a-z-]*:[^\s:]+(:[^\s:]+)?$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def today() -> str:
    """Today's date in Finland (``YYYY-MM-DD``): what "overdue" is measured against
    (:func:`polku.clock.today`, the one clock)."""
    return clock.today().isoformat()


def parse_status(text: str) -> str:
    """A status cell as its code; ValueError naming the choices.

    >>> parse_status("Työn alla"), parse_status("accepterad risk"), parse_status("resolved")
    ('in-progress', 'accepted-risk', 'resolved')
    """
    word = " ".join(text.strip().lower().split())
    word = STATUS_WORDS.get(word, word)
    if word not in STATUSES:
        raise not_a_choice("status", text)
    return word


def parse_date(raw: object) -> str:
    """A date cell as ``YYYY-MM-DD``: that text, ``d.m.yyyy`` or a spreadsheet date.

    >>> parse_date("2026-03-31"), parse_date("31.3.2026")
    ('2026-03-31', '2026-03-31')
    >>> parse_date("2026-02-30")
    Traceback (most recent call last):
    polku.errors.CellError: '2026-02-30' is not a date (write YYYY-MM-DD or D.M.YYYY, e.g. 2026-03-31 or 31.3.2026)
    """
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        text = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    try:
        if not DATE_RE.match(text):
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CellError(N_("'{value}' is not a date (write YYYY-MM-DD or D.M.YYYY, e.g. "
                           "2026-03-31 or 31.3.2026)"),
                        value=raw) from None


def check_key(text: str) -> str:
    """A finding key as a follow-up names it, or :class:`CellError` saying what is wrong:
    its syntax, a kind polku does not know (with the kind likely meant), or a shape its
    kind does not have (a detail after the subject where the kind has one, in its number
    of ids: ``docs/findings.md``, "The stable key"). Whether the ids are nodes of the graph
    is not asked here: a follow-up outlives the node its finding was about (its history;
    the workbook's warnings name such a row, :func:`key_nodes`).

    >>> check_key("path-broken:p1:s1+s2")
    'path-broken:p1:s1+s2'
    >>> check_key("over-capacty:typ")
    Traceback (most recent call last):
    polku.errors.CellError: 'over-capacty' in 'over-capacty:typ' is no kind of finding (did you mean 'over-capacity'?)
    >>> check_key("unmet-need:nuoret")
    Traceback (most recent call last):
    polku.errors.CellError: 'unmet-need:nuoret': the key of a finding of kind unmet-need is kind:subject:detail, the detail the need
    >>> check_key("long-wait:r1:x")
    Traceback (most recent call last):
    polku.errors.CellError: 'long-wait:r1:x': the key of a finding of kind long-wait is kind:subject, with nothing after the subject
    """
    if not KEY_RE.match(text):
        raise CellError(N_("'{value}' is not a finding key (kind:subject or "
                           "kind:subject:detail, e.g. over-capacity:typ-assessment; "
                           "docs/findings.md)"), value=text)
    kind, _, *detail = text.split(":")
    entry = KIND_CATALOGUE.get(kind)
    if entry is None:
        close = difflib.get_close_matches(kind, sorted(KIND_CATALOGUE), n=1, cutoff=0.6)
        if close:
            raise CellError(N_("'{kind}' in '{value}' is no kind of finding (did you mean "
                               "'{close}'?)"), kind=kind, value=text, close=close[0])
        raise CellError(N_("'{kind}' in '{value}' is no kind of finding (docs/findings.md "
                           "lists them)"), kind=kind, value=text)
    ids = detail[0].split("+") if detail else []
    if entry.detail and (len(ids) != len(entry.detail) or not all(ids)):
        raise CellError(N_("'{value}': the key of a finding of kind {kind} is "
                           "kind:subject:detail, the detail {detail}"), value=text, kind=kind,
                        detail=Said(entry.detail_text))
    if not entry.detail and detail:
        raise CellError(N_("'{value}': the key of a finding of kind {kind} is kind:subject, "
                           "with nothing after the subject"), value=text, kind=kind)
    return text


def key_nodes(key: str) -> list[tuple[str, tuple[str, ...]]]:
    """The ids a well-formed finding key (:func:`check_key`) names, each with the node
    types it may be by its kind (the subject, then the detail's ids); none for a key that
    is not one.

    >>> key_nodes("path-broken:p1:s1+o")
    [('p1', ('path',)), ('s1', ('service', 'outcome')), ('o', ('service', 'outcome'))]
    >>> key_nodes("nope:x")
    []
    """
    try:
        check_key(key)
    except CellError:
        return []
    kind, subject, *detail = key.split(":")
    entry = KIND_CATALOGUE[kind]
    ids = detail[0].split("+") if detail else []
    return [(subject, entry.subjects), *zip(ids, entry.detail)]


def effective(followups: Mapping[str, Mapping[str, Any]], present: Iterable[str],
              today: str) -> dict[str, dict[str, Any]]:
    """Each follow-up as it stands in a version whose findings have the keys ``present``:
    its fields, ``status`` ``resolved`` when its finding no longer occurs (and
    ``recorded_status`` what the sheet says), and ``overdue`` when the finding is still there,
    the follow-up is open and ``due`` is before ``today`` (``YYYY-MM-DD``)."""
    keys = set(present)
    out: dict[str, dict[str, Any]] = {}
    for key, row in sorted(followups.items()):
        item = {"finding": key, **dict(row)}
        recorded = str(row.get("status") or "new")
        item["recorded_status"] = recorded
        item["status"] = recorded if key in keys else "resolved"
        due = row.get("due")
        item["overdue"] = bool(key in keys and item["status"] not in CLOSED and due
                               and str(due) < today)
        out[key] = item
    return out


def for_findings(followups: Mapping[str, Mapping[str, Any]], keys: Iterable[str],
                 today: str) -> dict[str, dict[str, Any]]:
    """The follow-up of each finding key (``new`` with nothing else for a finding nobody has
    followed up yet), as :func:`effective` has it."""
    keys = list(keys)
    known = effective(followups, keys, today)
    return {k: known.get(k) or {"finding": k, "status": "new", "recorded_status": None,
                                "overdue": False} for k in keys}
