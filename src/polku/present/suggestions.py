"""Verified suggestions in words: each edit as a sentence a leader reads (names, no ids),
in the reader's language, and the answer of the suggestions operation
(:class:`polku.ops.operations.Suggestions`) worded for the CLI, the API and the pages.
The edits themselves stay in the write API's terms (action, sheet, key, row): the pages
apply them as they are."""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.present.i18n import Translator, kind_name
from polku.present.messages import message


def edit_text(e: dict[str, Any], g: nx.MultiDiGraph, tr: Translator,
              predicted: dict[str, Any] | None = None) -> str:
    """One edit of a verified suggestion as a sentence a leader reads (names, no ids); a
    capacity with what the queueing what-if ``predicted`` after it (the suggestion's
    ``predicted``: the utilisation and the wait, so a leader sees the headroom)."""
    from polku.graph import targets

    row, key, sheet, action = e["row"], str(e.get("key") or ""), e["sheet"], e["action"]
    lab = lambda n: tr.label(g, str(n))  # noqa: E731
    if sheet == "referrals" and action == "create":
        text = tr("Add a referral from {source} to {target}").format(
            source=lab(row.get("from")), target=lab(row.get("to")))
        return text + (tr(", owned by {owner}").format(owner=lab(row["owner"]))
                       if row.get("owner") else "")
    if sheet == "referrals" and set(row) == {"owner"}:
        return tr("Make {owner} the owner of the referral").format(owner=lab(row["owner"]))
    if sheet == "responsibilities" and key.count("~") == 2:
        actor, subject, _ = key.split("~")
        if action == "create" or row.get("role") == "lead":
            return tr("Name {actor} the lead of {subject}").format(actor=lab(actor),
                                                                 subject=lab(subject))
        if row.get("role") == "participant":
            return tr("{actor} takes part in {subject} without leading it").format(
                actor=lab(actor), subject=lab(subject))
    if sheet == "services" and set(row) == {"capacity_per_month"}:
        text = tr("Raise the capacity of {service} to {n} clients a month").format(
            service=lab(key), n=tr.number(row["capacity_per_month"]))
        return text + predicted_text(predicted, tr) if predicted and \
            predicted.get("service") == key else text
    if sheet == "services" and set(row) == {"segments"}:
        new = sorted(set(str(row["segments"]).split(";")) - set(targets(g, key, "for_segment")))
        return tr("Open {service} to {segments}").format(
            service=lab(key), segments=", ".join(lab(n) for n in new))
    if sheet == "services" and set(row) == {"providers"}:
        return tr("Make {actor} a provider of {service}").format(actor=lab(row["providers"]),
                                                                 service=lab(key))
    if sheet == "measures" and row.get("leads"):
        return tr("Name {actor} the lead of {subject}").format(actor=lab(row["leads"]),
                                                             subject=lab(key))
    if sheet == "risks" and set(row) == {"mitigation"}:
        return tr("Mitigate the risk with the measure “{measure}”").format(
            measure=row["mitigation"])
    # an edit no sentence above words: what changes in which row, by names where there are
    values = ", ".join(f"{k} = {lab(v) if str(v) in g else v}" for k, v in row.items()
                       if k != "id" and v not in (None, ""))
    verb = {"create": tr("add to"), "update": tr("change"), "delete": tr("delete from")}
    return " ".join(x for x in (verb.get(action, action), sheet, lab(key) if key in g else key)
                    if x) + (f": {values}" if values else "")


def predicted_text(p: dict[str, Any], tr: Translator) -> str:
    """What the queueing what-if predicts after a suggested capacity, as the clause after
    the edit: the utilisation (inflow / capacity, as ``over-capacity`` measures it), the
    modelled one where the model is calibrated to observed waits (the what-if shows that
    one), and the wait; nothing where the figures are hidden from the reader.

    >>> from polku.present.i18n import translator
    >>> predicted_text({"utilization": 0.845, "modelled_utilization": 0.507,
    ...                 "wait_days": 23.91, "calibrated": True}, translator("en"))
    ': predicted utilisation 84%, modelled utilisation 51%, wait 24 days'
    """
    if p.get("utilization") is None or p.get("wait_days") is None:
        return ""
    if p.get("calibrated") and p.get("modelled_utilization") is not None:
        return tr(": predicted utilisation {utilisation}, modelled utilisation {modelled}, "
                  "wait {days} days").format(utilisation=tr.percent(p["utilization"]),
                                            modelled=tr.percent(p["modelled_utilization"]),
                                            days=tr.days(p["wait_days"]))
    return tr(": predicted utilisation {utilisation}, wait {days} days").format(
        utilisation=tr.percent(p["utilization"]), days=tr.days(p["wait_days"]))


def suggestion_text(s: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> str:
    """A verified suggestion's edits in words (:func:`edit_text`), joined with semicolons.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> g.add_node("r", type="referral")
    >>> suggestion_text({"edits": [{"action": "update", "sheet": "referrals", "key": "r",
    ...                             "row": {"owner": "kela"}}]}, g, translator("en"))
    'Make Kela the owner of the referral'
    """
    return "; ".join(edit_text(e, g, tr, s.get("predicted")) for e in s["edits"])


def suggestions_worded(result: dict[str, Any], g: nx.MultiDiGraph,
                       tr: Translator) -> list[dict[str, Any]]:
    """What the suggestions of :class:`polku.ops.operations.Suggestions` say, in ``tr``'s
    language, one entry per suggestion in the same order: ``{"finding": KEY, "message":
    its finding's sentence, "text": the edits as one sentence, "edits": [each edit's
    sentence], "resolves": [the sentences of the findings it resolves], "creates": [the
    findings it creates, by kind and subject]}``. The suggestions themselves keep the
    shape the JSON contract gives them (``docs`` and issue 17: finding, edits, resolves,
    creates), so a client applies their edits as they are; this list is beside them."""
    by_key = {f.key: f for f in result["findings"]}
    plain = tr.plainly()  # sentences for people: names, the keys stay beside them

    def created(key: str) -> str:
        kind, _, rest = key.partition(":")
        subject = rest.split(":")[0]
        return f"{kind_name(kind, tr)}: {tr.label(g, subject) if subject in g else subject}"

    def said(key: str) -> str:
        f = by_key.get(key)
        return message(f, g, plain) if f is not None else created(key)

    return [{"finding": s["finding"], "message": said(s["finding"]),
             "text": suggestion_text(s, g, tr),
             "edits": [edit_text(e, g, tr, s.get("predicted")) for e in s["edits"]],
             "resolves": [said(k) for k in s["resolves"]],
             "creates": [created(k) for k in s["creates"]]}
            for s in result["suggestions"]]
