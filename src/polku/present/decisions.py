"""The report's first page: what to decide ("Päätettävät asiat", "Beslut att fatta").

A leader reads the first page and decides; the counts and the detail come after. Of all
findings, at most :data:`MAX_DECISIONS` become decisions, ranked by severity (errors first),
then by the people affected (the summed sizes of the client segments the finding names, or
else of those whose routes reach its subject), then by the nearest plan deadline (the earliest end month of
the plan measures on it). A finding nobody answers for is a decision too when it is an
error or a warning with a verified suggestion: "who takes the lead of …?", one per subject,
with the checked candidates. Each decision is one plain sentence (names, no ids), who
decides and why (the lead of the referring service, the provider, …), at most
:data:`MAX_PARTNERS` partners (organisations, those the decision is about first:
:func:`_partners`), the plan measure and its month, and the best verified
suggestion (:func:`polku.analyses.suggest.suggest`) in words: seven decisions of at most
five lines each fill one A4 page or one screen.

A finding whose follow-up (the workbook's ``followups`` sheet) is an accepted risk or
resolved has been decided: it is not put to the leaders again (:func:`set_aside`), and the
page says how many it leaves out for that (:func:`set_aside_text`). A decision whose
finding has a follow-up says its status, owner and due date, overdue marked.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any, Callable, Iterable

import networkx as nx

from polku.finding import SEVERITY_RANK, Finding
from polku.present.i18n import Translator
from polku.present.suggestions import suggestion_text
from polku.words import ACCOUNTABLE_WHY

#: decisions on the first page, at most (a page a leader reads, not a list)
MAX_DECISIONS = 7
#: partners named on a decision, at most (the rest counted), so a decision keeps to its lines
MAX_PARTNERS = 3


def _segments(f: Finding, g: nx.MultiDiGraph, eco: Any,
              reach: dict[str, set[str]] | None = None) -> set[str]:
    """The client segments a finding is about.

    The segments it names (its subject, related nodes or ``segment`` figure, or the segment
    a designed path it names is for) when it names any: a finding about one group of
    people is about them alone, however many other groups use the same services. Else the
    segments whose routes reach its subject (a service, or both ends of a referral the
    segment may take; not the ends alone, which groups that never take the referral reach
    too); ``reach`` maps each segment to what it
    reaches (:func:`polku.analyses.reach.segment_reach`), computed here when not given.
    """
    about = (f.subject, *f.related)
    named = {n for n in (*about, f.metrics.get("segment"))
             if n in g and g.nodes[n].get("type") == "segment"}
    named |= {eco.paths[n][0] for n in about if n in eco.paths and eco.paths[n][0]}
    if named:
        return named
    if reach is None:
        reach = segment_reaches(eco)
    # what it is about is its subject: a referral's ends (its related ids) are reached by
    # groups that never take the referral, and an over-capacity service's incoming
    # referrals are taken by groups that reach the service anyway
    ref = eco.refs.get(f.subject)
    if ref is not None:
        return {s for s, seen in reach.items()
                if ref.source in seen and ref.target in seen
                and (not ref.segments or s in ref.segments)}
    if f.subject in eco.services:
        return {s for s, seen in reach.items() if f.subject in seen}
    return set()


def segment_reaches(eco: Any) -> dict[str, set[str]]:
    """Each segment → the services and outcomes its routes reach."""
    from polku.analyses.reach import segment_reach

    return {s: segment_reach(eco, s) for s in eco.segments}


def people_affected(f: Finding, g: nx.MultiDiGraph, eco: Any,
                    reach: dict[str, set[str]] | None = None) -> float:
    """The summed sizes of the segments the finding is about (:func:`_segments`; unknown
    sizes count 0): each group of people once.

    >>> from polku.graph import new_graph
    >>> from polku.analyses.reach import ecosystem
    >>> g = new_graph(); g.add_node("s", type="segment", size=120)
    >>> g.add_node("t", type="segment", size=80)
    >>> people_affected(Finding("segment-without-lead", "warning", "s"), g, ecosystem(g))
    120
    """
    total = 0
    for s in _segments(f, g, eco, reach):
        size = g.nodes[s].get("size")
        if isinstance(size, (int, float)):
            total += size
    return total


def _deadline(f: Finding, g: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The plan measure on the finding that ends first, as (end month, measure id)."""
    ends = [(str(g.nodes[m].get("end")), m) for m in f.measures
            if m in g and g.nodes[m].get("end")]
    return min(ends) if ends else None


def rank(findings: Iterable[Finding], g: nx.MultiDiGraph, eco: Any,
         reach: dict[str, set[str]] | None = None) -> list[Finding]:
    """The findings in the first page's order: severity, people affected (most first), the
    nearest plan deadline (findings without one after), then the findings' own order."""
    reach = segment_reaches(eco) if reach is None else reach

    def key(item: tuple[int, Finding]) -> tuple:
        i, f = item
        d = _deadline(f, g)
        return (SEVERITY_RANK[f.severity], -people_affected(f, g, eco, reach),
                (0, d[0]) if d else (1, ""), i)
    return [f for _, f in sorted(enumerate(findings), key=key)]


def _ends(f: Finding, eco: Any) -> list[str]:
    """What a finding is about at its other ends, in their order: a referral's two
    services (from, then to), a broken path's two steps in step order, else its related
    ids."""
    ref = eco.refs.get(f.subject)
    if ref is not None:
        return [n for n in (ref.source, ref.target) if n]
    pair = [f.metrics.get("from"), f.metrics.get("to")]
    if all(isinstance(n, str) for n in pair):
        return pair
    return list(f.related)


def _suggested(shown: Iterable[dict[str, Any]]) -> list[str]:
    """The actors the checked suggestions a decision words name to answer for something:
    a referral's owner, a lead (a responsibilities row whose role becomes ``lead``, a plan
    measure's leads).

    >>> _suggested([{"edits": [{"action": "create", "sheet": "referrals", "key": "r",
    ...                         "row": {"owner": "oikeusapu"}}]}])
    ['oikeusapu']
    """
    out = []
    for s in shown:
        for e in s.get("edits") or ():
            row = e.get("row") or {}
            if row.get("owner"):
                out.append(str(row["owner"]))
            if row.get("leads"):
                out += [a.strip() for a in str(row["leads"]).split(";") if a.strip()]
            parts = str(e.get("key") or "").split("~")
            if e.get("sheet") == "responsibilities" and row.get("role") == "lead":
                out.append(str(row.get("actor") or parts[0]))
    return list(dict.fromkeys(out))


def _partners(grp: list[Finding], g: nx.MultiDiGraph, eco: Any, tr: Translator,
              homes: dict[str, list[str]], shown: Iterable[dict[str, Any]] = (),
              left_out: Iterable[str] = ()) -> list[str]:
    """The organisations a decision involves besides the one that decides: the
    organisations (the top of the parent chain, as the hand-offs count them,
    :func:`polku.analyses.handoffs.organisation`) of the subjects' providers and leads and
    of the actors the findings name, never an accountable actor's organisation (itself or
    one of its units) nor those of ``left_out`` (named on another line). First the ones the
    decision is about: the organisation at each end of the hand-off or the broken step
    (``homes``, :func:`polku.analyses.handoffs.service_organisations`: the end's own), then
    the ones a checked suggestion of ``shown`` names to own or lead it; then the rest by
    name in the reader's alphabet."""
    from polku.present.i18n import alphabetical
    from polku.present.langmarks import unmarked

    def org(a: str) -> str:
        return eco.actor_organisation.get(a, a)

    ours = {org(a) for f in grp for a in f.accountable} | {org(a) for a in left_out}
    first: list[str] = []
    for f in grp:
        for n in _ends(f, eco):
            if n in eco.services and homes.get(n):
                first.append(homes[n][0])
            elif g.nodes.get(n, {}).get("type") == "actor":
                first.append(org(n))
    first += [org(a) for a in _suggested(shown) if a in g]
    rest: set[str] = set()
    for f in grp:
        for n in (f.subject, *f.related):
            rest |= {org(a) for a in (*eco.providers.get(n, ()), *eco.leads.get(n, ()))}
            if g.nodes.get(n, {}).get("type") == "actor":
                rest.add(org(n))
    first = [o for o in dict.fromkeys(first) if o not in ours]
    rest = {o for o in rest if o not in ours and o not in first}
    return first + sorted(rest, key=lambda o: alphabetical(unmarked(tr.label(g, o)), tr.lang))


def _candidate(f: Finding) -> bool:
    """Whether a finding may become a decision: one an organisation answers for, or one
    nobody does that is an error or a warning of a kind with a suggestion generator (it
    stays only if a suggestion is verified)."""
    from polku.analyses.suggest import suggestable

    return bool(f.accountable) or f.severity == "error" or (
        f.severity == "warning" and suggestable(f.kind))


def set_aside(findings: Iterable[Finding], g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """The findings the first page does not put to the leaders again, because their
    follow-up closed them: ``{"accepted-risk": [keys], "resolved": [keys]}`` (only the
    statuses that occur), of the findings that could be decisions (:func:`_candidate`).

    One rule for the report and the graph page: :func:`decision_data` leaves out exactly
    these, and :func:`set_aside_text` counts them, so nothing disappears silently.

    >>> from polku.graph import new_graph
    >>> g = new_graph(); g.graph["followups"] = {"long-wait:r": {"status": "accepted-risk"}}
    >>> set_aside([Finding("long-wait", "warning", "r", accountable=("kela",))], g)
    {'accepted-risk': ['long-wait:r']}
    """
    from polku.followup import CLOSED

    recorded = g.graph.get("followups") or {}
    out: dict[str, list[str]] = {}
    for f in findings:
        status = str((recorded.get(f.key) or {}).get("status") or "")
        if status in CLOSED and _candidate(f):
            out.setdefault(status, []).append(f.key)
    return {s: out[s] for s in CLOSED if s in out}


def set_aside_text(aside: dict[str, list[str]], tr: Translator) -> str:
    """What the first page leaves out because a follow-up closed it (:func:`set_aside`),
    in ``tr``'s language; empty when nothing is.

    >>> from polku.present.i18n import translator
    >>> set_aside_text({"accepted-risk": ["a", "b"]}, translator("en"))
    '2 findings marked as accepted risks are not put to decision again (see their follow-ups).'
    """
    said = []
    if n := len(aside.get("accepted-risk") or ()):
        said.append(tr.ngettext(
            "{n} finding marked as an accepted risk is not put to decision again (see its "
            "follow-up).",
            "{n} findings marked as accepted risks are not put to decision again (see their "
            "follow-ups).", n).format(n=tr.number(n)))
    if n := len(aside.get("resolved") or ()):
        said.append(tr.ngettext(
            "{n} finding marked as resolved is not put to decision again (see its "
            "follow-up).",
            "{n} findings marked as resolved are not put to decision again (see their "
            "follow-ups).", n).format(n=tr.number(n)))
    return " ".join(said)


def _finding_named(f: Finding, g: nx.MultiDiGraph, tr: Translator) -> str:
    """A finding of a decision said by what it is, no id: its kind by name, and what it
    is about where its key names more than its subject (the need of an unmet need:
    "kattamaton tarve (Työkyvyn arviointi ja selvittely)")."""
    from polku.present.i18n import kind_name

    # the detail's ids, several joined by "+" (path-broken:p1:s1+s2)
    detail = [tr.label(g, n) for part in f.key.split(":")[2:] for n in part.split("+")
              if n in g]
    return kind_name(f.kind, tr) + (f" ({', '.join(detail)})" if detail else "")


def _effect_text(grp: list[Finding], shown: list[dict[str, Any]], g: nx.MultiDiGraph,
                 tr: Translator) -> str | None:
    """Which of a decision's findings its checked suggestions resolve and which stay open,
    when the decision has several (naming a lead resolves the missing lead, not the unmet
    need beside it: a leader must not read it as closing the error); None for a decision of
    one finding, which its suggestion resolves (it is offered only then)."""
    if len(grp) < 2 or not shown:
        return None
    # resolved by every suggestion shown (the leader picks one of them), open if by none
    resolved = set.intersection(*(set(s.get("resolves") or ()) for s in shown))
    touched = set().union(*(set(s.get("resolves") or ()) for s in shown))
    done = [f for f in grp if f.key in resolved]
    left = [f for f in grp if f.key not in touched]
    said = []
    if done:
        said.append(tr("resolves: {findings}").format(
            findings=", ".join(_finding_named(f, g, tr) for f in done)))
    if left:
        said.append(tr.ngettext("does not resolve: {findings}, which stays open",
                                "does not resolve: {findings}, which stay open",
                                len(left)).format(
            findings=", ".join(_finding_named(f, g, tr) for f in left)))
    return "; ".join(said) or None


def _groups(pool: list[Finding], keep: Callable[[Finding], bool]) -> list[list[Finding]]:
    """The first page's decisions as groups of findings, in ``pool``'s (ranked) order: one
    finding an organisation answers for is one decision; the findings nobody answers for
    that ``keep`` keeps are one decision per subject ("who takes the lead of …?"), placed
    where its first finding ranks. At most :data:`MAX_DECISIONS` groups."""
    groups: list[list[Finding]] = []
    unowned: dict[str, list[Finding]] = {}
    for f in pool:
        if f.accountable:
            if len(groups) < MAX_DECISIONS:
                groups.append([f])
        elif keep(f):
            if f.subject in unowned:
                unowned[f.subject].append(f)
            elif len(groups) < MAX_DECISIONS:
                unowned[f.subject] = [f]
                groups.append(unowned[f.subject])
    return groups


def _names_lead(s: dict[str, Any], subject: str) -> str | None:
    """The actor a verified suggestion names the lead of ``subject``, if that is all it
    does: one ``responsibilities`` row (``actor~subject~role``, new or changed) whose role
    becomes ``lead``.

    >>> _names_lead({"edits": [{"action": "update", "sheet": "responsibilities",
    ...     "key": "ttl~seg~consulted", "row": {"role": "lead"}}]}, "seg")
    'ttl'
    """
    if len(s["edits"]) != 1:
        return None
    e = s["edits"][0]
    parts = str(e.get("key") or "").split("~")
    if e["sheet"] == "responsibilities" and len(parts) == 3 and parts[1] == subject and \
            (e.get("row") or {}).get("role") == "lead":
        return parts[0]
    return None


def lead_candidates_text(actors: list[str], g: nx.MultiDiGraph, tr: Translator) -> str:
    """The checked suggestions of a decision nobody answers for, when each names one
    organisation the lead: one line naming them all (the leader chooses one).

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("kela", type="actor", name="Kela")
    >>> g.add_node("thl", type="actor", name="THL")
    >>> lead_candidates_text(["kela", "thl"], g, translator("en"))
    'Name one of these the lead: Kela, THL (each checked)'
    """
    from polku.present.i18n import alphabetical, names_joined

    # by name, in the order the finding's "other roles" name them
    labels = sorted((tr.label(g, a), a) for a in actors)
    labels.sort(key=lambda x: (alphabetical(x[0], tr.lang), x[1]))
    return tr("Name one of these the lead: {actors} (each checked)").format(
        actors=names_joined(label for label, _ in labels))


def decision_data(findings: list[Finding], g: nx.MultiDiGraph, eco: Any,
                  suggestions: bool = True, long_wait_days: float | None = None,
                  checks: Any = None) -> dict[str, Any]:
    """What :func:`decisions` words, as data in no language: ``{"groups": [[finding keys]
    of each decision, in order], "people": {the first key of each: people affected},
    "offered": {key of a finding nobody answers for: [its verified suggestions]}, "best":
    {key of a finding an organisation answers for: its first verified suggestion},
    "declined": {key: the capacity raise declined,
    :func:`polku.analyses.suggest.declined_capacities`}}``.

    Why apart from the words: choosing the decisions verifies suggestions on a copy of the
    graph, and the choice is the same in every language; a model keeps it with its version
    (:func:`decided`), so the report and the graph page in Finnish, Swedish and English
    verify once. ``checks``: the graph's :class:`polku.analyses.suggest.Checks` where the
    caller keeps them (a model's), else made here; every round of checking shares them
    (the graph's sheets read once, a merged graph split once)."""
    from polku.analyses.suggest import MAX_PER_FINDING, Checks
    from polku.kinds import LONG_WAIT_DAYS

    wait = long_wait_days or LONG_WAIT_DAYS
    reach = segment_reaches(eco)  # each segment's routes, once for the ranking and the counts
    # a finding whose follow-up closed it (an accepted risk, resolved) has been decided
    closed = {k for keys in set_aside(findings, g).values() for k in keys}
    pool = rank([f for f in findings if _candidate(f) and f.key not in closed], g, eco,
                reach)
    offered: dict[str, list[dict[str, Any]]] = {}  # a finding nobody answers for → its checked
    checked: set[str] = set()

    def keep(f: Finding) -> bool:
        # an unowned warning is kept while its suggestions are unchecked (so that they are
        # checked), and after only if one was verified
        return f.severity == "error" or (suggestions and (
            f.key not in checked or bool(offered.get(f.key))))

    best: dict[str, dict[str, Any]] = {}
    declined: dict[str, dict[str, Any]] = {}
    if checks is None and suggestions:
        checks = Checks(g, findings, wait, eco)
    with checks.held() if suggestions else nullcontext():
        while True:
            groups = _groups(pool, keep)
            todo = [f.key for grp in groups for f in grp
                    if not f.accountable and f.key not in checked]
            if not suggestions or not todo:
                break
            # the findings nobody answers for: every checked candidate (the leader picks one)
            for s in checks.suggest(among=todo, limit=MAX_PER_FINDING):
                offered.setdefault(s["finding"], []).append(s)
            checked |= set(todo)
        owned = [grp[0].key for grp in groups if grp[0].accountable]
        if suggestions and owned:
            # one call for all the decisions, stopping at the first verified suggestion of
            # each: the page shows only that one
            for s in checks.suggest(among=owned, limit=1):
                best.setdefault(s["finding"], s)
        # a capacity raise that would barely shorten the wait is not offered: the page says
        # why (the headroom the capacity candidates searched, not searched again)
        if suggestions and groups:
            for d in checks.declined({grp[0].key for grp in groups}):
                declined[d["finding"]] = d
    return {"groups": [[f.key for f in grp] for grp in groups],
            "people": {grp[0].key: people_affected(grp[0], g, eco, reach) for grp in groups},
            "offered": offered, "best": best, "declined": declined}


def decided(model: Any, findings: list[Finding],
            long_wait_days: float | None = None) -> dict[str, Any]:
    """:func:`decision_data` of the model the reader reads (a
    :class:`polku.ops.model.Model`: its graph, index and suggestions' checks), kept with
    its version: computed by the first page or report that asks, in whatever language,
    and read by the others. ``findings``: the model's findings as that reader sees them
    (what the report and the graph page are given alike)."""
    from polku.kinds import LONG_WAIT_DAYS

    wait = long_wait_days or LONG_WAIT_DAYS
    return model.memo(("decisions", float(wait)), lambda: decision_data(
        findings, model.graph, model.index, long_wait_days=wait,
        checks=model.suggestions(wait)))


def decisions(findings: list[Finding], g: nx.MultiDiGraph, eco: Any, tr: Translator,
              suggestions: bool = True,
              long_wait_days: float | None = None,
              data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The first page's decisions: at most :data:`MAX_DECISIONS`, each ``{"key", "kind",
    "severity", "sentence", "question": text | None, "also": [sentences], "accountable":
    [{"id", "label", "why"}], "partners": [...], "more_partners": N, "measure": {"id",
    "label", "end"} | None, "people": N, "suggestion": text | None, "effect": text |
    None, "followups": [{"key", "text", "overdue"}], "declined": text | None}``:
    ``effect`` says which of the decision's findings its suggestion resolves and which stay
    open (a decision of several findings: :func:`_effect_text`); ``followups`` the
    follow-up of each of its findings that has one (status, owner by name, due date, overdue
    marked: :func:`polku.present.printers.followup_text`); ``declined`` says why no capacity
    raise is offered where it would barely shorten the wait
    (:func:`polku.analyses.suggest.declined_capacities`). Findings whose follow-up closed
    them are not among them (:func:`set_aside`). ``findings`` are
    worded plainly (:meth:`~polku.present.i18n.Translator.plainly`); the suggestions are
    verified on a copy of the graph (:func:`polku.analyses.suggest.suggest`).

    A finding nobody answers for is exactly what a steering group must decide: an error,
    or a warning with a verified suggestion, becomes the question "who takes the lead of
    …?" (``question``; the findings on the same subject in one decision, their sentences in
    ``sentence`` and ``also``), with the checked candidates. Without ``suggestions`` only
    such errors do (a warning's suggestion is not checked).

    ``data``: the decisions as data where the caller keeps them (:func:`decided`), else
    chosen here (:func:`decision_data`); this words them in ``tr``'s language."""
    from polku.analyses.accountable import responsibilities_of, why_accountable
    from polku.analyses.handoffs import service_organisations
    from polku.followup import effective, today
    from polku.present.i18n import kind_name
    from polku.present.printers import followup_text
    from polku.present.suggestions import declined_text

    if data is None:
        data = decision_data(findings, g, eco, suggestions, long_wait_days)
    by_key = {f.key: f for f in findings}
    groups = [[by_key[k] for k in keys] for keys in data["groups"]]
    offered, declined = data["offered"], data["declined"]
    # the follow-ups of the decisions' findings, as the report's lists say them (names, the
    # reader's dates, overdue judged today)
    states = effective(g.graph.get("followups") or {}, by_key, today())
    # who answers for what, as the index has it (the rules' own lookups)
    resp = eco.responsibilities or responsibilities_of(g)
    homes = service_organisations(g)  # each service's own organisation (a hand-off's end)
    out = []
    for grp in groups:
        f = grp[0]
        deadlines = [d for d in (_deadline(m, g) for m in grp) if d]
        deadline = min(deadlines) if deadlines else None
        why = why_accountable(resp, f.subject)
        best = data["best"].get(f.key)
        question, suggestion = None, best and suggestion_text(best, g, tr)
        shown = [best] if best else []  # the checked suggestions the decision words
        candidates: list[str] = []  # the leads a question names on a line of their own
        sentences = [m.message for m in grp]
        if not f.accountable:
            name = tr.label(g, f.subject)
            question = tr("Who takes the lead of {subject}?").format(subject=name)
            # the question names the subject: its findings' sentences need not again
            sentences = [x[len(name) + 2:] if x.startswith(name + ": ") else x
                         for x in sentences]
            sentences = [x[:1].upper() + x[1:] for x in sentences]
            checked_ones = [s for m in grp for s in offered.get(m.key, ())]
            leads = list(dict.fromkeys(a for s in checked_ones
                                       if (a := _names_lead(s, f.subject))))
            if len(leads) > 1:
                suggestion = lead_candidates_text(leads, g, tr)
                shown = [s for s in checked_ones if _names_lead(s, f.subject) in leads]
                candidates = leads
            elif checked_ones:
                suggestion = suggestion_text(checked_ones[0], g, tr)
                shown = checked_ones[:1]
        # the candidates for the lead are named on their line: not again as partners
        partners = _partners(grp, g, eco, tr, homes, () if candidates else shown, candidates)
        followups = []
        for m in grp:
            said = followup_text(states.get(m.key), tr.plainly(), g)  # owner by name only
            if said:
                # which finding's, where the decision has several
                followups.append({"key": m.key, "overdue": bool(states[m.key]["overdue"]),
                                  "text": (kind_name(m.kind, tr) + ": " if len(grp) > 1
                                           else "") + said})
        out.append({
            "key": f.key, "kind": f.kind, "severity": f.severity, "sentence": sentences[0],
            "question": question, "also": sentences[1:],
            "keys": [m.key for m in grp],
            "people": data["people"][f.key],
            "accountable": [{"id": a, "label": tr.label(g, a),
                             "why": tr(ACCOUNTABLE_WHY[why[a]]) if a in why else None}
                            for a in f.accountable],
            "partners": [{"id": a, "label": tr.label(g, a)}
                         for a in partners[:MAX_PARTNERS]],
            "more_partners": max(0, len(partners) - MAX_PARTNERS),
            # a semicolon between partners where a name holds a comma (names_joined)
            "partners_separator": "; " if any(
                "," in tr.label(g, a) for a in partners[:MAX_PARTNERS]) else ", ",
            "measure": None if deadline is None else {
                "id": deadline[1], "label": tr.label(g, deadline[1]), "end": deadline[0]},
            "suggestion": suggestion,
            "effect": _effect_text(grp, shown, g, tr) if suggestion else None,
            "followups": followups,
            "declined": declined_text(declined[f.key], g, tr) if f.key in declined else None,
        })
    return out
