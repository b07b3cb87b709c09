"""A path's caption, one sentence for every door that words a path: ``polku paths`` (its
best paths and its designed paths alike) and the path explorer's tables. Two loops that
each wrote their own said different things of the same path: the designed paths' line left
out the waits nobody knows, which the page and the JSON count.

>>> from polku.present.i18n import translator
>>> p = {"total_wait_days": 65, "handoffs": 1, "unknown_waits": 1,
...      "uncovered": ["n"], "uncovered_labels": ["Life management"]}
>>> path_caption(p, translator("en"), needs=True)
"65 days' wait, 1 hand-off between organisations, 1 wait unknown; needs left uncovered: Life management"
>>> path_caption(dict(p, unknown_waits=0, uncovered=[]), translator("fi"), needs=True)
'65 päivää odotusta, 1 ohjaus organisaatiosta toiseen; kattaa kaikki tarpeet'
"""

from __future__ import annotations

from typing import Any, Mapping

from polku.present.i18n import Translator


def path_caption(p: Mapping[str, Any], tr: Translator, needs: bool) -> str:
    """Path ``p`` (as :func:`polku.present.results.paths_worded` gives a best or a designed
    path) said in ``tr``'s language: its total wait, its hand-offs between organisations,
    how many of its waits nobody knows (counted as 0 in the total, so the total is read as
    at least that), then the needs it leaves uncovered by name, or that it covers every need
    when the segment names any (``needs``)."""
    days = float(p.get("total_wait_days") or 0)
    handoffs = int(p.get("handoffs") or 0)
    parts = [tr.ngettext("{n} day's wait", "{n} days' wait", int(round(days))).format(
                 n=tr.number(p.get("total_wait_days") or 0)),
             tr.ngettext("{n} hand-off between organisations",
                         "{n} hand-offs between organisations", handoffs).format(
                 n=tr.number(handoffs))]
    if unknown := int(p.get("unknown_waits") or 0):
        parts.append(tr.ngettext("{n} wait unknown", "{n} waits unknown", unknown).format(
            n=tr.number(unknown)))
    said = ", ".join(parts)
    # the needs by name where the path has been worded (paths_worded), else by id
    uncovered = (p.get("uncovered_labels") or p["uncovered"]) if p.get("uncovered") else []
    if uncovered:
        return said + "; " + tr("needs left uncovered: {needs}").format(
            needs=", ".join(uncovered))
    return said + "; " + tr("covers every need") if needs else said
