"""Workbook cells as people read them: a column by its name in the reader's language, a
reference by the name of what it names, a choice by its word, a sheet's row by what it is.

One catalogue for every text that shows a row or a change of one: the change log's pages,
the forms, ``polku diff``, the PTV comparison's proposed edits. The values themselves stay
the workbook's (what a program sends and reads); only the words shown change.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from polku.followup import STATUS_LABELS
from polku.io import workbook
from polku.present.i18n import N_, Translator
from polku.words import ACTOR_KIND_NAMES, NODE_TYPE_NAMES, ORGANISED_NAMES, ROLE_NAMES

#: the columns the forms offer, as a person reads them (the workbook's column name is
#: shown beside: the workbook's messages name it)
COLUMN_NAMES = {
    "id": N_("Id"), "name": N_("Name"), "providers": N_("Providers"),
    "capacity_per_month": N_("Clients it can take a month"), "entry": N_("Entry for segments"),
    "needs": N_("Needs it meets"), "segments": N_("Client segments"),
    "legal_basis": N_("Legal basis"), "from": N_("From service"),
    "to": N_("To service or outcome"), "volume_per_month": N_("Clients referred a month"),
    "median_wait_days": N_("Median wait (days)"), "owner": N_("Responsible actor"),
    "information_flow": N_("Client information travels with the referral"),
    "subject": N_("Subject"), "role": N_("Role"), "note": N_("Note"),
    "finding": N_("Finding"), "status": N_("Status"), "due": N_("Due date"),
    # columns the change log shows that the forms do not offer
    "updated": N_("Updated"), "by": N_("By"), "kind": N_("Kind"), "places": N_("Places"),
    "size": N_("Size (people)"), "parent": N_("Part of"), "name_sv": N_("Name in Swedish"), "name_fi": N_("Name in Finnish"),
    "name_en": N_("Name in English"), "participation_rate": N_("Participation rate"),
    "description": N_("Description"), "method": N_("Method"), "organised": N_("How the providers organise it"),
    "business_id": N_("Business ID"), "region": N_("Region"), "factor": N_("Work-ability factor"),
    "title": N_("Title"), "title_sv": N_("Title in Swedish"), "title_en": N_("Title in English"),
    "region_sv": N_("Region in Swedish"), "region_en": N_("Region in English"),
    # the language a row's main name, description or title is written in, where it is not
    # the graph's own (polku.io.sheets.LANGUAGE_COLUMNS: a write may give them)
    "name_lang": N_("Language of the name"),
    "description_lang": N_("Language of the description"),
    "title_lang": N_("Language of the title"),
    # columns a diff shows besides (a service's contact unit, a designed path's steps as
    # one list, the plan's sheets)
    "contact_unit": N_("Contact unit"), "steps": N_("Steps"),
    "leads": N_("Leads"), "participants": N_("Participants"), "start": N_("Start month"),
    "end": N_("End month"), "subjects": N_("What it is about"),
    "deferred": N_("Division of work left to agree"),
    "mitigation": N_("Mitigation"), "illustrative": N_("Illustrative data"),
    # the plan's own words (its table's columns: polku.io.plan.COLUMNS)
    "subthemes": N_("Sub-themes"), "parts": N_("Parts"), "part": N_("Part of the measure"),
    "actions": N_("Concrete actions"), "outputs": N_("Outputs"),
    "impacts": N_("Long-term impacts"),
    "deferred_text": N_("What the plan says of the division of work"),
    "source": N_("Source"),
    # the columns a region takes from the national service catalogue (PTV)
    "area": N_("Area"), "target_groups": N_("Target groups"),
    "channels": N_("Service channels"), "ptv_id": N_("PTV id"),
    "service_classes": N_("Service classes"), "organization_type": N_("Organisation type"),
}
#: columns that name one node of a type, called by the type's name (polku.words holds the
#: names of node types: a responsibility's actor, a measure's plan goal, an indicator's or a
#: risk's plan measure)
TYPE_COLUMNS = {"actor": "actor", "goal": "goal", "measure": "measure"}
#: a column whose meaning depends on its sheet (a segment's needs are needs it has, a
#: service's the needs it meets)
SHEET_COLUMN_NAMES = {
    ("segments", "needs"): N_("Needs of the segment"),
    ("segments", "entry"): N_("Services it enters at"),
    ("referrals", "segments"): N_("For client segments"),
    ("followups", "owner"): N_("Owner"),
    ("paths", "path"): N_("Designed path"), ("paths", "segment"): N_("Client segment"),
    ("paths", "step"): N_("Step"), ("paths", "node"): N_("Service or outcome"),
}
#: the columns whose values are words of a list (shown by their names in the change log)
ENUM_COLUMNS = frozenset(c.name for s in workbook.SHEETS.values() for c in s.columns
                         if c.choices or c.kind in ("bool", "status"))
#: the values of enum columns, as a person reads them (the value sent stays the workbook's)
CHOICE_NAMES = {"yes": N_("yes"), "no": N_("no"), "unknown": N_("unknown"), **ROLE_NAMES,
                **STATUS_LABELS}
#: the values of columns whose words depend on the column (an actor's kind, how a service
#: with several providers is organised)
COLUMN_CHOICE_NAMES = {
    "kind": ACTOR_KIND_NAMES,
    "organised": ORGANISED_NAMES,
}
#: columns outside the sheets whose value is a list of ids (a designed path's steps, as
#: :func:`polku.analyses.diff.records` joins them)
REFS_COLUMNS = {("paths", "steps")}
#: columns that hold a moment, as a write stamps it (:func:`polku.ops.edits.stamped`)
MOMENT_COLUMNS = {("followups", "updated")}
#: a moment as the change log and the stamps write it (ISO 8601, a date and a time)
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")

#: why a diff's side reads <5: its graph (a copy meant for others) left the figure out
LEFT_OUT_OLD = N_("(hidden: the first graph leaves this small figure out)")
LEFT_OUT_NEW = N_("(hidden: the second graph leaves this small figure out)")
#: the two, by the side of the change that left the figure out
LEFT_OUT = {"old": LEFT_OUT_OLD, "new": LEFT_OUT_NEW}

#: what the row a write changed is, by sheet (the form's result says it)
#: (a node's sheet by its type's name in polku.words; a follow-up is no node)
SHEET_NAMES = {**{sheet: NODE_TYPE_NAMES[kind][0] for sheet, kind in (
                   ("services", "service"), ("referrals", "referral"),
                   ("responsibilities", "responsibility"), ("actors", "actor"),
                   ("segments", "segment"), ("needs", "need"), ("outcomes", "outcome"),
                   ("paths", "path"), ("measures", "measure"), ("goals", "goal"),
                   ("indicators", "indicator"), ("risks", "risk"))},
               "followups": N_("follow-up")}


def column_shown(sheet: str, column: str, tr: Translator) -> str:
    """A column's name in ``tr``'s language (an unknown one as it is).

    >>> from polku.present.i18n import translator
    >>> column_shown("segments", "needs", translator("en")), column_shown("x", "y", translator("en"))
    ('Needs of the segment', 'y')
    >>> fi, sv = translator("fi"), translator("sv")
    >>> column_shown("responsibilities", "actor", fi), column_shown("risks", "measure", sv)
    ('Toimija', 'Åtgärd i planen')
    """
    name = SHEET_COLUMN_NAMES.get((sheet, column)) or COLUMN_NAMES.get(column)
    if name is None and column in TYPE_COLUMNS:
        word = tr(NODE_TYPE_NAMES[TYPE_COLUMNS[column]][0])
        return word[:1].upper() + word[1:]  # a column's name begins as a heading does
    return tr(name) if name else column


def sheet_shown(sheet: str, tr: Translator) -> str:
    """What a row of ``sheet`` is, in ``tr``'s language (an unknown sheet as it is)."""
    return tr(SHEET_NAMES[sheet]) if sheet in SHEET_NAMES else sheet


def sheet_of(g: nx.MultiDiGraph, key: str) -> str:
    """The workbook sheet whose row ``key`` is in ``g`` (a node's, by its type; a
    responsibility's ``responsibility/actor/subject/role``), or ``""``.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> sheet_of(g, "kela"), sheet_of(g, "responsibility/kela/x/lead"), sheet_of(g, "nope")
    ('actors', 'responsibilities', '')
    """
    if key.startswith("responsibility/"):
        return "responsibilities"
    kind = g.nodes[key].get("type") if key in g else None
    if kind == "path":
        return "paths"
    return next((name for name, s in workbook.SHEETS.items()
                 if kind is not None and s.node_type == kind), "")


def cell_shown(sheet: str, column: str, value: Any, g: nx.MultiDiGraph | None,
               tr: Translator) -> tuple[str, str]:
    """(column name, value) of one cell as a person reads it: references by the names of
    what they name in ``g``, choices by their words, numbers, days and months as the reader
    writes them, when a row was written in Helsinki time, an empty cell as ``–``.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> fi = translator("fi")
    >>> cell_shown("services", "providers", "kela;x", g, fi), cell_shown("services", "entry", "no", g, fi)
    (('Tuottajat', 'Kela; x'), ('Aloituspalvelu asiakasryhmille', 'ei'))
    >>> cell_shown("referrals", "median_wait_days", "20.64", g, fi)[1], cell_shown("referrals", "median_wait_days", "0,5", g, fi)[1]
    ('20,64', '0,5')
    >>> sv = translator("sv")
    >>> cell_shown("followups", "due", "2026-03-31", g, sv), cell_shown("followups", "due", "pian", g, sv)
    (('Senast', '31.3.2026'), ('Senast', 'pian'))
    >>> cell_shown("followups", "updated", "2026-12-05T16:04:49Z", g, sv)[1]
    '5.12.2026 kl. 18.04'
    """
    text = "" if value is None else str(value)
    spec = workbook.SHEETS[sheet].column(column) if sheet in workbook.SHEETS else None
    kind = "refs" if (sheet, column) in REFS_COLUMNS else (spec.kind if spec else None)
    if kind in ("ref", "refs") and g is not None:
        ids = [v.strip() for v in text.split(";") if v.strip()] if kind == "refs" \
            else ([text.strip()] if text.strip() else [])
        text = "; ".join(tr.label(g, i) if i in g else i for i in ids)
    elif column in ENUM_COLUMNS and text in COLUMN_CHOICE_NAMES.get(column, {}):
        text = tr(COLUMN_CHOICE_NAMES[column][text])
    elif column in ENUM_COLUMNS and text in CHOICE_NAMES:
        text = tr(CHOICE_NAMES[text])
    elif kind in ("number", "integer", "ratio") and re.fullmatch(r"\d+(\.\d+)?", text.strip()):
        # a number as the reader writes it (a graph's 20.64 is 20,64 in Finnish); a cell
        # as a designer typed it (0,5, 1 200) stays as typed
        text = tr.number(float(text.strip()))
    elif kind == "date":
        # the graph's 2026-03-31 as the reader writes a day (31.3.2026); a day as typed
        # (31.3.2026) and what is no day stay as they are
        text = tr.day(text.strip()) if text.strip() else text
    elif kind == "month":
        text = tr.month(text.strip()) if text.strip() else text
    elif (sheet, column) in MOMENT_COLUMNS and ISO_MOMENT.fullmatch(text.strip()):
        # when a row was written (UTC, as the change log keeps it) in Helsinki time, as
        # the log's own time column writes it
        text = tr.when(text.strip())
    return column_shown(sheet, column, tr), text or "–"
