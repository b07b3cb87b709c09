"""Which organisation a workbook row belongs to: who, besides an admin, may change it.

When several organisations share a region's model, each edits its own rows. A row belongs
to the actors it is about, and to every organisation those actors are units of (the
``parent`` column of ``actors``, followed up to the top):

============================  ==============================================================
sheet                         the row belongs to
============================  ==============================================================
``actors``                    the actor itself (its ``id``) and its parents
``services``                  its providers (``providers``) and their parents
``referrals``                 the providers of its ``from`` service, and their parents
``responsibilities``          its ``actor`` and the actor's parents
``followups``                 its ``owner`` and the owner's parents
every other sheet             nobody: outcomes, needs, segments, designed paths, the graph
                              sheet and the plan are the region's shared graph (an admin's)
============================  ==============================================================

A change may be made by an editor of an organisation the row belongs to *both before and
after* the change: an association cannot take over the county's service by writing itself
in as a provider, nor give its own service away to the county. A service that names no
provider belongs to nobody, so only an admin changes it. :func:`refusal` says why a change
is refused, in plain data (the organisations it belongs to), so the door words it.
"""

from __future__ import annotations

from typing import Mapping

from polku.io.sheets import Sheets

#: the sheets whose rows belong to organisations; every other sheet is shared (admin only)
OWNED_SHEETS = ("actors", "services", "referrals", "responsibilities", "followups")


def _ids(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def _rows(sheets: Sheets, sheet: str) -> list[dict[str, str]]:
    return sheets.get(sheet, ([], []))[1]


def with_parents(actors: list[str], sheets: Sheets) -> frozenset[str]:
    """``actors`` and every actor they are units of (``parent``, followed to the top; a
    circle of parents stops where it closes).

    >>> sheets = {"actors": (["id", "parent"], [{"id": "keusote", "parent": ""},
    ...                                          {"id": "tiimi", "parent": "keusote"}])}
    >>> sorted(with_parents(["tiimi"], sheets))
    ['keusote', 'tiimi']
    """
    parent = {r.get("id", ""): r.get("parent", "").strip() for r in _rows(sheets, "actors")}
    out: set[str] = set()
    for actor in actors:
        while actor and actor not in out:
            out.add(actor)
            actor = parent.get(actor, "")
    return frozenset(out)


def owners(sheet: str, row: Mapping[str, str] | None, sheets: Sheets) -> frozenset[str] | None:
    """The organisations (actor ids) ``row`` of ``sheet`` belongs to; ``None`` for a sheet
    that no organisation owns (shared: admins only) and for no row at all.

    >>> sheets = {"actors": (["id", "parent"], [{"id": "keusote", "parent": ""},
    ...                                          {"id": "tiimi", "parent": "keusote"},
    ...                                          {"id": "yhdistys", "parent": ""}]),
    ...           "services": (["id", "providers"], [{"id": "s1", "providers": "tiimi"}])}
    >>> sorted(owners("services", {"id": "s2", "providers": "tiimi; yhdistys"}, sheets))
    ['keusote', 'tiimi', 'yhdistys']
    >>> sorted(owners("referrals", {"id": "r1", "from": "s1", "to": "s2"}, sheets))
    ['keusote', 'tiimi']
    >>> owners("needs", {"id": "n1"}, sheets) is None
    True
    """
    if row is None or sheet not in OWNED_SHEETS:
        return None
    if sheet == "actors":
        named = [row.get("id", "")]
    elif sheet == "services":
        named = _ids(row.get("providers"))
    elif sheet == "referrals":
        source = row.get("from", "").strip()
        named = [p for r in _rows(sheets, "services") if r.get("id") == source
                 for p in _ids(r.get("providers"))]
    elif sheet == "responsibilities":
        named = [row.get("actor", "")]
    else:  # followups
        named = [row.get("owner", "")]
    return with_parents([n.strip() for n in named if n.strip()], sheets)


def refusal(organisations: frozenset[str] | set[str], sheet: str,
            before: Mapping[str, str] | None, after: Mapping[str, str] | None,
            sheets: Sheets) -> frozenset[str] | None:
    """Why an editor of ``organisations`` may not change ``before`` into ``after`` (either
    ``None`` for a create or a delete): the organisations the row belongs to (empty for a
    shared sheet or a row that belongs to nobody), or ``None`` when the change is theirs to
    make.

    >>> sheets = {"actors": (["id", "parent"], [{"id": "keusote", "parent": ""},
    ...                                          {"id": "yhdistys", "parent": ""}])}
    >>> county = {"id": "s1", "providers": "keusote"}
    >>> refusal({"keusote"}, "services", county, dict(county, name="New"), sheets) is None
    True
    >>> sorted(refusal({"yhdistys"}, "services", county, dict(county, name="New"), sheets))
    ['keusote']
    >>> sorted(refusal({"yhdistys"}, "services", county, {"id": "s1", "providers": "yhdistys"},
    ...                sheets))
    ['keusote']
    >>> refusal({"keusote"}, "needs", None, {"id": "n1"}, sheets)
    frozenset()
    """
    for row in (before, after):
        if row is None:
            continue
        belongs = owners(sheet, row, sheets)
        if not belongs:
            return frozenset()
        if not belongs & set(organisations):
            return belongs
    return None
