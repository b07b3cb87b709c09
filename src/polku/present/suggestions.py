"""Verified suggestions in words: each edit as a sentence a leader reads (names, no ids),
in the reader's language, and the answer of the suggestions operation
(:class:`polku.ops.operations.Suggestions`) worded for the CLI, the API and the pages.
The edits themselves stay in the write API's terms (action, sheet, key, row): the pages
apply them as they are."""

from __future__ import annotations

from typing import Any

import networkx as nx

from polku.finding import as_finding
from polku.present.i18n import Translator, as_counted, kind_name
from polku.present.messages import message, subject_name


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
        actor, subject, held = key.split("~")
        # the role the row is given: an update's, a new row's (its key says it too)
        role = row.get("role") or held
        # a referral has no name of its own: by its two ends, as its finding says it
        what = subject_name(g, subject, tr) if g.nodes.get(subject, {}).get("type") == \
            "referral" else lab(subject)
        if role == "lead":
            return tr("Name {actor} the lead of {subject}").format(actor=lab(actor),
                                                                 subject=what)
        if role == "participant":
            return tr("{actor} takes part in {subject} without leading it").format(
                actor=lab(actor), subject=what)
    if sheet == "services" and set(row) == {"capacity_per_month"}:
        capacity = tr.number(row["capacity_per_month"])
        text = tr.ngettext("Raise the capacity of {service} to {n} client a month",
                           "Raise the capacity of {service} to {n} clients a month",
                           as_counted(capacity)).format(service=lab(key), n=capacity)
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
    """What the queueing what-if predicts of a suggested capacity, before → after, as the
    clause after the edit: the utilisation (inflow / capacity, as ``over-capacity``
    measures it; ``∞`` before for a capacity of 0 that clients are referred to, as every
    door writes it), the modelled one where the model is calibrated to observed waits (the
    what-if shows that one), and the wait, so the leader weighs the raise by the wait it
    buys; nothing where the figures are hidden from the reader.

    >>> from polku.present.i18n import translator
    >>> predicted_text({"utilization": 0.5, "modelled_utilization": 0.3,
    ...                 "wait_days": 5.04, "calibrated": True,
    ...                 "before": {"utilization": 0.9, "modelled_utilization": 0.8,
    ...                            "wait_days": 19.6, "unstable": False}}, translator("en"))
    ': utilisation 90% → 50% (modelled 80% → 30%), wait 20 → 5.0 days'
    >>> predicted_text({"utilization": 0.8, "wait_days": 3, "calibrated": False,
    ...                 "before": {"utilization": 1.2, "wait_days": None,
    ...                            "unstable": True}}, translator("en"))
    ': utilisation 120% → 80%, wait growing without bound → 3.0 days'
    >>> predicted_text({"utilization": 0.8, "wait_days": 3, "calibrated": False,
    ...                 "before": {"capacity": 0, "utilization": None, "wait_days": None,
    ...                            "unstable": True}}, translator("en"))
    ': utilisation ∞ → 80%, wait growing without bound → 3.0 days'
    """
    before = p.get("before") or {}
    share_before = _share(before, tr)
    if p.get("utilization") is None or p.get("wait_days") is None or share_before is None:
        return ""
    figures = {"before": share_before,
               "after": tr.percent(p["utilization"]), "wait_after": tr.days(p["wait_days"])}
    if before.get("unstable") or before.get("wait_days") is None:
        return tr(": utilisation {before} → {after}, wait growing without bound → "
                  "{wait_after} days").format(**figures)
    figures["wait_before"] = tr.days(before["wait_days"])
    if p.get("calibrated") and p.get("modelled_utilization") is not None \
            and before.get("modelled_utilization") is not None:
        return tr(": utilisation {before} → {after} (modelled {modelled_before} → "
                  "{modelled_after}), wait {wait_before} → {wait_after} days").format(
            modelled_before=tr.percent(before["modelled_utilization"]),
            modelled_after=tr.percent(p["modelled_utilization"]), **figures)
    return tr(": utilisation {before} → {after}, wait {wait_before} → {wait_after} "
              "days").format(**figures)


def _share(side: dict[str, Any], tr: Translator) -> str | None:
    """One side's utilisation as a percentage; ``∞`` for a capacity of 0 that clients are
    referred to (its queue grows without bound: no figure says how full it is); None when
    there is none to say (hidden, or not known)."""
    if side.get("utilization") is not None:
        return tr.percent(side["utilization"])
    if side.get("capacity") == 0 and side.get("unstable"):
        return "∞"
    return None


def declined_text(d: dict[str, Any], g: nx.MultiDiGraph, tr: Translator) -> str:
    """Why no capacity raise is offered for an ``over-capacity`` service
    (:func:`polku.analyses.suggest.declined_capacities`): what the raise would buy, and that
    the over-capacity is nominal, the wait mostly lead time, which is a different fix."""
    return tr("No capacity raise is suggested for {service}: raising it to {n} clients a "
              "month would shorten the wait only from {wait_before} to {wait_after} days "
              "(utilisation {before} → {after}; a raise is offered when it shortens the "
              "wait by at least {least} days). The over-capacity is nominal: the observed "
              "waits show that the service copes with its {inflow} clients a month (it "
              "serves about {served} a month), and {lead} of the {wait_before} days are "
              "lead time outside the queue (booking, paperwork, the client's own timing), "
              "which capacity does not shorten; shortening it is a different fix.").format(
        service=tr.label(g, d["service"]), n=tr.number(d["capacity"]),
        wait_before=tr.days(d["before"]["wait_days"]), wait_after=tr.days(d["wait_days"]),
        before=_share(d["before"], tr) or "–", after=tr.percent(d["utilization"]),
        # whole clients, a half up, as every text writes them
        least=tr.number(d["min_gain_days"]), inflow=tr.clients(d["inflow"]),
        # what it serves now: the effective capacity before the raise
        served=tr.clients(d["before"]["effective_capacity"]),
        lead=tr.days(d["lead_days"]))


def declined_worded(declined: list[dict[str, Any]], findings: list[Any],
                    g: nx.MultiDiGraph, tr: Translator) -> list[dict[str, Any]]:
    """Each declined capacity raise in words: ``{"finding": KEY, "message": its finding's
    sentence, "text": why no raise is offered}``, in the same order."""
    by_key = {f.key: f for f in map(as_finding, findings)}
    plain = tr.plainly()
    return [{"finding": d["finding"],
             "message": message(by_key[d["finding"]], g, plain) if d["finding"] in by_key
             else d["finding"], "text": declined_text(d, g, tr)} for d in declined]


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
    by_key = {f.key: f for f in map(as_finding, result["findings"])}
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
