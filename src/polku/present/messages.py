"""The finding messages: one catalogued template per message, and one writer per kind that
words a finding in the reader's language, at the edge.

Analyses (:mod:`polku.analyses.findings`, :mod:`polku.analyses.plan_findings`,
:mod:`polku.analyses.neo4j_findings`, :mod:`polku.analyses.eventlog`) return findings as data:
kind, severity, the ids they are about and their figures, with an empty ``message``. The
printers, the report, the views and the server then word them here (:func:`worded`,
:func:`worded_dicts`, :func:`finding_json`) from the finding and the graph it was found in:
the nodes' labels in the reader's language (``name_sv``/``name_en`` where given), numbers as
that language writes them, and what only the graph knows (a referral's two ends in order, a
plan measure's own words on its division of work, a designed path's step numbers). So the
networkx and the Cypher findings say exactly the same thing, findings are computed once and
worded for each reader, and kind names, ids and metrics never change with the language.

The templates are English (the catalogues' source texts); ``scripts/i18n`` extracts them
and ``polku/locale/{fi,sv}`` translate them. Finnish and Swedish put the node's name first
or after a colon, so that no name has to be inflected.

>>> from polku.present.i18n import translator
>>> tr = translator("en")
>>> service_without_provider(tr, "Velkaneuvonta (debt)")
'Velkaneuvonta (debt) has no provider'
>>> service_without_provider(translator("fi"), "Velkaneuvonta (debt)")
'Velkaneuvonta (debt): tuottaja puuttuu'
>>> from polku.finding import Finding
>>> from polku.graph import new_graph
>>> g = new_graph(); g.add_node("debt", type="service", name="Velkaneuvonta")
>>> [f.message for f in worded([Finding("dead-end", "error", "debt")], g, translator("en"))]
['Velkaneuvonta (debt) is reachable but no referral chain from it leads to an outcome']
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Iterable, Mapping, Sequence

import networkx as nx

from polku.finding import Finding, as_finding, number, with_names
from polku.present.i18n import Translator, as_counted, merged_region_names
from polku.privacy import LEFT_OUT_TEXT


# -- names -----------------------------------------------------------------------------------

def named(node: str | None, label: str | None) -> str:
    """A node as messages show it: its label, with the id in brackets when they differ (a
    missing end of a referral reads ``None``, as it always has).

    >>> named("debt", "Velkaneuvonta"), named("debt", None), named(None, None)
    ('Velkaneuvonta (debt)', 'debt', 'None')
    """
    if node is None:
        return "None"
    lab = str(label or node)
    return lab if lab == node else f"{lab} ({node})"


#: a merged graph's regions by id -> their names in the reader's language
#: (:func:`polku.present.i18n.merged_region_names`); empty for a graph of one region
Regions = Mapping[str, str]


def region_said(node: str, regions: Regions) -> str | None:
    """The name of the region a merged graph's node comes from (its id is
    ``<region>/<id>``, :func:`polku.graph.region_of`), or ``None``: a graph of one region,
    or an actor the regions share (``national/kela``).

    >>> region_said("ra/velka", {"ra": "Keski-Uusimaa"}), region_said("national/kela", {"ra": "X"})
    ('Keski-Uusimaa', None)
    """
    if not regions:
        return None
    prefix, slash, _ = node.partition("/")
    return regions.get(prefix) if slash else None


def in_region(tr: Translator, text: str, node: str, regions: Regions) -> str:
    """A node's ``text`` (its label, a measure's title) with the name of the region it
    comes from, where the graph has several (a national developer reads findings of many
    regions at once; names, not ids).

    >>> from polku.present.i18n import translator
    >>> in_region(translator("fi"), "Velkaneuvonta", "ra/velka", {"ra": "Keski-Uusimaa"})
    'Velkaneuvonta (Keski-Uusimaa)'
    >>> in_region(translator("fi"), "Kela", "national/kela", {"ra": "Keski-Uusimaa"})
    'Kela'
    """
    region = region_said(node, regions)
    if region is None:
        return text
    return tr("{name} ({region})").format(name=text, region=region)


def name(g: nx.MultiDiGraph, node: str, tr: Translator,
         regions: Regions | None = None) -> str:
    """:func:`named` with the node's label in ``tr``'s language; the label alone when
    ``tr`` words plainly (:meth:`~polku.present.i18n.Translator.plainly`: the report and
    the pages, where the ids are on hover and in the details). A node of a merged graph of
    several regions says its region too (``regions``, worked out from ``g`` when not given).

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("debt", type="service", name="Velkaneuvonta")
    >>> name(g, "debt", translator("en")), name(g, "debt", translator("en").plainly())
    ('Velkaneuvonta (debt)', 'Velkaneuvonta')
    >>> g.add_node("ra/debt", type="service", name="Velkaneuvonta")
    >>> name(g, "ra/debt", translator("en"), {"ra": "Central Uusimaa", "rb": "Central Finland"})
    'Velkaneuvonta (Central Uusimaa, ra/debt)'
    """
    if regions is None:
        regions = merged_region_names(g, tr.lang)
    label = tr.label(g, node)  # the id itself for a node not in g
    region = region_said(node, regions)
    if tr.plain or (region is not None and label == node):
        return label if region is None else in_region(tr, label, node, regions)
    if region is None:
        return named(node, label)
    return tr("{name} ({region}, {id})").format(name=label, region=region, id=node)


def subject_name(g: nx.MultiDiGraph, node: str, tr: Translator,
                 regions: Regions | None = None,
                 label: Callable[[str], str] | None = None) -> str:
    """What a finding is about, by name in ``tr``'s language: a node's label, and a referral,
    which has no name of its own, by its two ends. ``label`` gives a node's label where
    not ``tr.label`` (a caller naming thousands of nodes passes the labels it remembers:
    a referral's ends are often named on their own too).

    >>> from polku.graph import add_edge, new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("a", type="service", name="Alku")
    >>> g.add_node("b", type="service", name="Loppu"); g.add_node("r", type="referral")
    >>> add_edge(g, "r", "a", "from"); add_edge(g, "r", "b", "to")
    >>> subject_name(g, "r", translator("fi")), subject_name(g, "a", translator("fi"))
    ('ohjaus Alku → Loppu', 'Alku')
    """
    if regions is None:
        regions = merged_region_names(g, tr.lang)
    if label is None:
        label = partial(tr.label, g)
    data = g._node.get(node)
    if data is not None and data.get("type") == "referral" and not data.get("name"):
        # one walk of the adjacency for both ends (a finding's JSON names every referral
        # of a national graph's findings: polku.present.finding_names)
        source, target = _ends(g, node)
        if source is not None and target is not None:
            # both ends are of the referral's region: said once, after the referral
            return in_region(tr, tr("referral {source} → {target}").format(
                source=label(source), target=label(target)), node, regions)
    return in_region(tr, label(node), node, regions)


def names(g: nx.MultiDiGraph, nodes: Iterable[str], tr: Translator) -> str:
    """Several nodes, sorted by id, as :func:`name` shows each."""
    return ", ".join(name(g, n, tr) for n in sorted(nodes))


def labels(g: nx.MultiDiGraph, nodes: Iterable[str], tr: Translator,
           regions: Regions | None = None) -> str:
    """Several nodes by label only (the plan's messages; printers show the ids beside),
    each with its region's name in a merged graph of several regions (:func:`in_region`)."""
    if regions is None:
        regions = merged_region_names(g, tr.lang)
    return ", ".join(in_region(tr, tr.label(g, n), n, regions) for n in nodes)


# -- services, segments and referrals (polku.analyses.findings, polku.analyses.neo4j_findings) -------------------

def service_without_provider(tr: Translator, service: str) -> str:
    return tr("{service} has no provider").format(service=service)


def no_lead(tr: Translator, service: str, count: int, providers: str) -> str:
    return tr("{service} has {count} providers ({providers}) and no lead").format(
        service=service, count=tr.number(count), providers=providers)


def multiple_leads(tr: Translator, subject: str, count: int, leads: str) -> str:
    return tr("{subject} has {count} leads: {leads}").format(
        subject=subject, count=tr.number(count), leads=leads)


def referral_multiple_leads(tr: Translator, referral: str, source: str, target: str,
                            count: int, leads: str) -> str:
    """A referral's several leads, the referral named as every referral message names it:
    by its id and its two ends (worded plainly, by its ends alone)."""
    if not referral:
        return tr("The referral from {source} to {target} has {count} leads: {leads}").format(
            source=source, target=target, count=tr.number(count), leads=leads)
    return tr("The referral {referral} from {source} to {target} has {count} leads: "
              "{leads}").format(referral=referral, source=source, target=target,
                                count=tr.number(count), leads=leads)


def segment_without_lead(tr: Translator, segment: str, others: str) -> str:
    if others:
        return tr("Nobody leads the work for {segment} (other roles: {others})").format(
            segment=segment, others=others)
    return tr("Nobody leads the work for {segment}").format(segment=segment)


def referral_without_owner(tr: Translator, referral: str, source: str, target: str) -> str:
    if not referral:  # worded plainly: the referral by its two ends
        return tr("The referral from {source} to {target} has no owner and no lead").format(
            source=source, target=target)
    return tr("The referral {referral} from {source} to {target} has no owner and no "
              "lead").format(referral=referral, source=source, target=target)


def no_information_flow(tr: Translator, referral: str, source: str, target: str) -> str:
    if not referral:
        return tr("The client's information does not travel with the referral from {source} "
                  "to {target}").format(source=source, target=target)
    return tr("The client's information does not travel with the referral {referral} from "
              "{source} to {target}").format(referral=referral, source=source, target=target)


def long_wait(tr: Translator, referral: str, source: str, target: str, days: float,
              limit: float) -> str:
    shown = tr.number(days)
    if not referral:
        return tr.ngettext("The referral from {source} to {target} waits a median of {days} "
                           "day (limit {limit})",
                           "The referral from {source} to {target} waits a median of {days} "
                           "days (limit {limit})", as_counted(shown)).format(
            source=source, target=target, days=shown, limit=tr.number(limit))
    return tr.ngettext("The referral {referral} from {source} to {target} waits a median of "
                       "{days} day (limit {limit})",
                       "The referral {referral} from {source} to {target} waits a median of "
                       "{days} days (limit {limit})", as_counted(shown)).format(
        referral=referral, source=source, target=target, days=shown, limit=tr.number(limit))


def over_capacity(tr: Translator, service: str, inflow: float | None, capacity: float,
                  at_least: float | None = None) -> str:
    """A service over its capacity; for the public, whose inflow rests on small numbers
    and is not shown, the sentence says *at least* the published part of it (``at_least``:
    the finding's ``inflow_at_least``, as the bottleneck ranking writes it: whole clients,
    rounded down, or the decimals it takes to read above the capacity, cut, never rounded
    up), and reads whole without it where none is published.

    >>> from polku.present.i18n import translator
    >>> over_capacity(translator("en"), "S", None, 5)
    'S takes in more clients a month than its capacity of 5 (the inflow is not shown: it rests on small numbers)'
    >>> over_capacity(translator("en"), "S", None, 7, at_least=8)
    'S takes in at least 8 clients a month against a capacity of 7 (the rest of the inflow is not shown: it rests on small numbers)'
    >>> over_capacity(translator("fi"), "S", None, 7, at_least=7.58)
    'S: tulee vähintään 7,5 asiakasta kuukaudessa, kun kapasiteetti on 7 (muuta tulovirtaa ei näytetä, koska se perustuu pieniin lukuihin)'
    >>> over_capacity(translator("fi"), "S", 56.91, 55), over_capacity(translator("fi"), "S", 55.3, 55)
    ('S: tulee 57 asiakasta kuukaudessa, kun kapasiteetti on 55', 'S: tulee 55,3 asiakasta kuukaudessa, kun kapasiteetti on 55')
    >>> over_capacity(translator("fi"), "S", 15.02, 15)
    'S: tulee 15,02 asiakasta kuukaudessa, kun kapasiteetti on 15'
    """
    if (inflow is None or isinstance(inflow, str)) and isinstance(at_least, (int, float)) \
            and not isinstance(at_least, bool) and at_least > 0:
        shown = tr.number(_floor_above(at_least, capacity))
        return tr.ngettext(
            "{service} takes in at least {inflow} client a month against a capacity of "
            "{capacity} (the rest of the inflow is not shown: it rests on small numbers)",
            "{service} takes in at least {inflow} clients a month against a capacity of "
            "{capacity} (the rest of the inflow is not shown: it rests on small numbers)",
            as_counted(shown)).format(service=service, inflow=shown,
                                      capacity=tr.number(capacity))
    if inflow is None or isinstance(inflow, str):
        return tr("{service} takes in more clients a month than its capacity of {capacity} "
                  "(the inflow is not shown: it rests on small numbers)").format(
            service=service, capacity=tr.number(capacity))
    # whole clients a month, as every text writes them (a what-if's inflow is computed:
    # 56,91); where the whole number would not read as above the capacity, the decimals it
    # takes to (15,3; 15,02: "15 against 15" reads as no overload)
    shown = tr.clients(inflow, over=capacity)
    return tr.ngettext("{service} takes in {inflow} client a month against a capacity of "
                       "{capacity}",
                       "{service} takes in {inflow} clients a month against a capacity of "
                       "{capacity}", as_counted(shown)).format(
        service=service, inflow=shown, capacity=tr.number(capacity))


def _floor_above(value: float, limit: float | None) -> float | int:
    """A lower bound as a sentence writes it: whole, rounded down (as the bottleneck
    ranking's *at least*), or where that would not read above ``limit`` while ``value``
    is, cut to the decimals it takes to (7.58 over 7: 7.5), so that it stays a lower bound
    and the sentence does not read "at least 7 against 7".

    >>> _floor_above(8, 7), _floor_above(7.58, 7), _floor_above(7.004, 7), _floor_above(9.9, None)
    (8, 7.5, 7.004, 9)
    """
    digits = 0
    while True:
        scale = 10 ** digits
        cut = math.floor(value * scale + 1e-9) / scale
        if not isinstance(limit, (int, float)) or isinstance(limit, bool) or cut > limit \
                or value <= limit or digits >= 6:
            return number(cut)
        digits += 1


def segment_without_outcome(tr: Translator, segment: str, entries: str) -> str:
    if entries:
        return tr("{segment} reaches no outcome from its entries ({entries})").format(
            segment=segment, entries=entries)
    return tr("{segment} reaches no outcome: it has no entries").format(segment=segment)


def unmet_need(tr: Translator, segment: str, need: str) -> str:
    # the services the segment reaches that are open to it (docs/findings.md): an entry
    # it reaches but may not use does not meet its need, though it may address it
    return tr("For {segment}, no service that they can reach and that is open to them "
              "addresses the need {need}").format(segment=segment, need=need)


#: the most unlinked pairs an overlapping-services sentence names (the count says them all)
MOST_PAIRS = 10


def overlapping_services(tr: Translator, segment: str, count: int, need: str,
                         pairs: str) -> str:
    """Services for one need with no referral between them: ``count`` pairs, named in
    ``pairs`` (``A – B; C – D``). The pairs, not the services: of five services that
    address a need, four may refer to each other, and "five services with no referral
    between them" said so of all of them.

    >>> from polku.present.i18n import translator
    >>> overlapping_services(translator("en"), "S", 2, "N", "A – C; B – C")
    'For S, 2 pairs of services from different providers address the need N with no referral between them: A – C; B – C'
    """
    return tr.ngettext(
        "For {segment}, {count} pair of services from different providers addresses the "
        "need {need} with no referral between them: {pairs}",
        "For {segment}, {count} pairs of services from different providers address the "
        "need {need} with no referral between them: {pairs}", count).format(
        segment=segment, count=tr.number(count), need=need, pairs=pairs)


def overlapping_services_unpaired(tr: Translator, segment: str, count: int, need: str,
                                  services: str) -> str:
    """The same finding read back without its pairs (a findings file written before they
    were part of its data): true of the services as a whole, not of every pair."""
    return tr("For {segment}, {count} services from different providers address the need "
              "{need}, and some pairs of them have no referral between them: "
              "{services}").format(segment=segment, count=tr.number(count), need=need,
                                   services=services)


def single_point_of_failure(tr: Translator, service: str, count: int, segments: str) -> str:
    return tr.ngettext("Without {service}, {count} segment reaches no outcome: {segments}",
                       "Without {service}, {count} segments reach no outcome: {segments}",
                       count).format(service=service, count=tr.number(count),
                                     segments=segments)


def unreachable_service(tr: Translator, service: str) -> str:
    return tr("No client can reach {service}: no segment's path and no entry service leads "
              "there").format(service=service)


def dead_end(tr: Translator, service: str) -> str:
    return tr("{service} is reachable but no referral chain from it leads to an "
              "outcome").format(service=service)


def path_broken(tr: Translator, path: str, segment: str, step_a: int, service_a: str,
                step_b: int, service_b: str, again: Sequence[int] = ()) -> str:
    said = tr("Designed path {path}: no referral for {segment} leads from step {step_a} "
              "{service_a} to step {step_b} {service_b}").format(
        path=path, segment=segment, step_a=step_a, service_a=service_a, step_b=step_b,
        service_b=service_b)
    if again:  # the path takes the same pair of steps again further on
        said += tr.ngettext(" (and again from step {steps})", " (and again from steps {steps})",
                            len(again)).format(steps=", ".join(map(str, again)))
    return said


# -- the plan (polku.analyses.plan_findings) ------------------------------------------------------------

def measure_without_lead(tr: Translator, measure: str, participants: str) -> str:
    if participants:
        return tr("{measure} has no lead; participants: {participants}").format(
            measure=measure, participants=participants)
    return tr("{measure} has no lead").format(measure=measure)


def deferred_responsibility(tr: Translator, measure: str, said: str | None) -> str:
    if said:
        return tr("{measure} leaves the division of work to be agreed later "
                  "({said})").format(measure=measure, said=tr.quote(said))
    return tr("{measure} leaves the division of work to be agreed later").format(
        measure=measure)


def measure_without_indicator(tr: Translator, measure: str) -> str:
    return tr("{measure} has no indicator: nobody can tell whether it worked").format(
        measure=measure)


def risk_without_mitigation(tr: Translator, risk: str, measure: str) -> str:
    return tr("The risk “{risk}” of {measure} has no mitigation").format(risk=risk,
                                                                           measure=measure)


def actor_overload(tr: Translator, actor: str, count: int, month: str, limit: int,
                   months: int, first: str, last: str) -> str:
    # two counts, each in its own form: the limit may be 0 (one measure is over it), and a
    # single month over the limit is its first and its last
    peak = tr.ngettext("{actor} leads {count} measure at once in {month} (the limit is "
                       "{limit})",
                       "{actor} leads {count} measures at once in {month} (the limit is "
                       "{limit})", count).format(
        actor=actor, count=tr.number(count), month=tr.month(month), limit=tr.number(limit))
    over = tr.ngettext("over the limit in {months} month, {first}",
                       "over the limit in {months} months, {first} to {last}",
                       months).format(months=tr.number(months), first=tr.month(first),
                                      last=tr.month(last))
    return tr("{peak}; {over}").format(peak=peak, over=over)


# -- event logs (polku.io.eventlog) ---------------------------------------------------------------

def unmodelled_flow(tr: Translator, source: str, target: str, count: int | str) -> str:
    """The sentence of an unmodelled flow of ``count`` clients; for the public, whose count
    of fewer than the threshold reads ``<5`` (:func:`polku.ops.operations.log_answer_for`),
    *fewer than 5*.

    >>> from polku.present.i18n import translator
    >>> unmodelled_flow(translator("en"), "A", "B", "<5")
    'A hands fewer than 5 clients over to B in the event log (small numbers are left out), but the graph has no referral between them'
    """
    left_out = LEFT_OUT_TEXT.fullmatch(count) if isinstance(count, str) else None
    if left_out:
        n = int(left_out.group(1))
        return tr.ngettext("{source} hands fewer than {n} client over to {target} in the event "
                           "log (small numbers are left out), but the graph has no referral "
                           "between them",
                           "{source} hands fewer than {n} clients over to {target} in the "
                           "event log (small numbers are left out), but the graph has no "
                           "referral between them", n).format(source=source, target=target,
                                                              n=tr.number(n))
    return tr.ngettext("{source} hands {count} client over to {target} in the event log, but "
                       "the graph has no referral between them",
                       "{source} hands {count} clients over to {target} in the event log, "
                       "but the graph has no referral between them",
                       count).format(source=source, target=target, count=tr.number(count))


# -- the writers: a finding and its graph -> the sentence ------------------------------------

class Wording:
    """Findings found in the graph ``g`` being worded in ``tr``'s language: what the writers
    need, and each node's name as messages show it, worked out once.

    Why: a national graph's seven thousand findings name the same few thousand nodes some
    14,000 times (a segment in each of its unmet needs, a referral's two ends in up to three
    findings). The names are remembered for one wording only (:func:`worded` makes one per
    call): the graph and its labels may change before the next.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("debt", type="service", name="Velkaneuvonta")
    >>> w = Wording(g, translator("en"))
    >>> w.name("debt"), w.names(["x", "debt"])
    ('Velkaneuvonta (debt)', 'Velkaneuvonta (debt), x')
    """

    __slots__ = ("g", "tr", "regions", "_names", "_hops")

    def __init__(self, g: nx.MultiDiGraph, tr: Translator) -> None:
        self.g = g
        self.tr = tr
        #: a merged graph's regions by name, worked out once (empty for one region's graph)
        self.regions: Regions = merged_region_names(g, tr.lang)
        self._names: dict[str, str] = {}
        self._hops: dict[str, tuple[str, str, str]] = {}

    def name(self, node: str) -> str:
        """The node as :func:`name` shows it."""
        shown = self._names.get(node)
        if shown is None:
            shown = self._names[node] = name(self.g, node, self.tr, self.regions)
        return shown

    def label(self, node: str) -> str:
        """The node by its label only, with its region in a merged graph of several (the
        plan's messages: :func:`labels`)."""
        return in_region(self.tr, self.tr.label(self.g, node), node, self.regions)

    def labels(self, nodes: Iterable[str]) -> str:
        """Several nodes as :meth:`label` shows each, in the order given."""
        return ", ".join(map(self.label, nodes))

    def title(self, measure: str) -> str:
        """A plan measure as :func:`title` shows it."""
        return title(self.g, measure, self.tr, regions=self.regions)

    def names(self, nodes: Iterable[str]) -> str:
        """Several nodes, sorted by id, as :func:`names` shows them."""
        return ", ".join(map(self.name, sorted(nodes)))

    def names_by_name(self, nodes: Iterable[str]) -> str:
        """Several nodes as :meth:`name` shows each, by name in the order of the reader's
        alphabet (two of one name by id), a semicolon between them where a name holds a
        comma (:func:`polku.present.i18n.names_joined`): a list the reader compares with
        another list of the same nodes (a decision's candidates)."""
        from polku.present.i18n import alphabetical, names_joined
        from polku.present.langmarks import unmarked

        said = sorted((self.name(n), n) for n in nodes)
        said.sort(key=lambda x: (alphabetical(unmarked(x[0]), self.tr.lang), x[1]))
        return names_joined(text for text, _ in said)

    def hop(self, referral: str) -> tuple[str, str, str]:
        """A referral's id and its two ends as messages show them (a missing end reads
        ``None``); worded plainly, no id: a referral is named by its two ends (its id is
        only an id)."""
        shown = self._hops.get(referral)
        if shown is None:
            src, dst = _ends(self.g, referral)
            shown = self._hops[referral] = (
                "" if self.tr.plain else referral,
                named(None, None) if src is None else self.name(src),
                named(None, None) if dst is None else self.name(dst))
        return shown

    def message(self, f: Finding) -> str:
        """The finding's sentence, by the writer of its kind (a kind without one keeps the
        message it came with)."""
        writer = WRITERS.get(f.kind)
        return writer(f, self) if writer is not None else f.message


#: A writer words one finding of its kind (from the graph it was found in, in the reader's
#: language: the :class:`Wording`).
Writer = Callable[[Finding, Wording], str]


def _ends(g: nx.MultiDiGraph, referral: str) -> tuple[str | None, str | None]:
    """A referral's ``from`` and ``to`` ends (None where the graph has none)."""
    src = dst = None
    # the adjacency directly: a national graph words some 2,000 referral findings
    for v, keyed in g._adj.get(referral, {}).items():
        for d in keyed.values():
            kind = d.get("kind")
            if kind == "from":
                src = v
            elif kind == "to":
                dst = v
    return src, dst


def _is_measure(g: nx.MultiDiGraph, node: str) -> bool:
    return node in g and g.nodes[node].get("type") == "measure"


def _is_referral(g: nx.MultiDiGraph, node: str) -> bool:
    return node in g and g.nodes[node].get("type") == "referral"


def title(g: nx.MultiDiGraph, measure: str, tr: Translator, n: int = 60,
          regions: Regions | None = None) -> str:
    """The start of a plan measure's title in ``tr``'s language, quoted (printers show the
    id beside the message); in a merged graph of several regions, the region's name after
    it (the regions' plans may have measures of the same title).

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("ra/m", type="measure", name="Ohjaamo", name_sv="Navigatorn")
    >>> title(g, "ra/m", translator("sv"), regions={"ra": "Mellersta Nyland"})
    '”Navigatorn” (Mellersta Nyland)'
    >>> title(g, "ra/m", translator("en"), regions={"ra": "Central Uusimaa"})
    '“Ohjaamo” (Central Uusimaa)'
    """
    if regions is None:
        regions = merged_region_names(g, tr.lang)
    t = tr.label(g, measure)
    # quoted as the sentence around it quotes: ” ” in Finnish and Swedish, “ ” in English
    return in_region(tr, tr.quote(t if len(t) <= n else t[:n - 1].rstrip() + '…'), measure,
                     regions)


def _said(g: nx.MultiDiGraph, measure: str) -> str | None:
    """The first line of what the plan says about a deferred division of work."""
    said = g.nodes[measure].get("deferred_text") if measure in g else None
    return said.splitlines()[0] if said else None


def _path_pair(f: Finding, g: nx.MultiDiGraph) -> tuple[str, int, str, int]:
    """A ``path-broken`` finding's two steps in order, with the designer's numbers: its
    ``from`` at step ``metrics.step``, its ``to`` the next step (its first number after it;
    the steps between may have been removed, as in a what-if). A finding that does not say
    ``from`` and ``to`` (read from an older file): the one of ``related`` numbered
    ``metrics.step`` first."""
    step = f.metrics.get("step")
    numbers: dict[str, list[int]] = {}
    for v, keyed in g._adj.get(f.subject, {}).items():
        for d in keyed.values():
            if d.get("kind") == "step":
                numbers.setdefault(v, []).append(d.get("order"))
    # plain loops, no generators: a national graph words some 500 broken steps
    related = f.related
    first, second = f.metrics.get("from"), f.metrics.get("to")
    if first is None or second is None:
        first = second = related[0]
        for n in related:
            if step in numbers.get(n, ()):
                first = second = n
                break
        for n in related:
            if n != first:
                second = n
                break
    after = [n for n in numbers.get(second, ()) if step is None or n > step]
    return first, step, second, min(after) if after else None


def _service_without_provider(f: Finding, w: Wording) -> str:
    return service_without_provider(w.tr, w.name(f.subject))


def _no_lead(f: Finding, w: Wording) -> str:
    if _is_measure(w.g, f.subject):
        return measure_without_lead(w.tr, w.title(f.subject), w.labels(f.related))
    return no_lead(w.tr, w.name(f.subject), len(f.related), w.names(f.related))


def _multiple_leads(f: Finding, w: Wording) -> str:
    if _is_measure(w.g, f.subject):
        return multiple_leads(w.tr, w.title(f.subject), len(f.related), w.labels(f.related))
    if _is_referral(w.g, f.subject):
        return referral_multiple_leads(w.tr, *w.hop(f.subject), len(f.related),
                                       w.names(f.related))
    return multiple_leads(w.tr, w.name(f.subject), len(f.related), w.names(f.related))


def _segment_without_lead(f: Finding, w: Wording) -> str:
    # by name, as the decision on it names the candidates for the lead
    return segment_without_lead(w.tr, w.name(f.subject), w.names_by_name(f.related))


def _referral_without_owner(f: Finding, w: Wording) -> str:
    return referral_without_owner(w.tr, *w.hop(f.subject))


def _no_information_flow(f: Finding, w: Wording) -> str:
    return no_information_flow(w.tr, *w.hop(f.subject))


def _long_wait(f: Finding, w: Wording) -> str:
    return long_wait(w.tr, *w.hop(f.subject), number(f.metrics.get("median_wait_days")),
                     number(f.metrics.get("limit")))


def _over_capacity(f: Finding, w: Wording) -> str:
    return over_capacity(w.tr, w.name(f.subject), f.metrics.get("inflow"),
                         f.metrics.get("capacity"),
                         f.metrics.get("inflow_at_least") if f.metrics.get("hidden") else None)


def _segment_without_outcome(f: Finding, w: Wording) -> str:
    return segment_without_outcome(w.tr, w.name(f.subject), w.names(f.related))


def _unmet_need(f: Finding, w: Wording) -> str:
    need = f.metrics.get("need") or (f.related[0] if f.related else "")
    return unmet_need(w.tr, w.name(f.subject), w.name(need))


def _overlapping_services(f: Finding, w: Wording) -> str:
    need = w.name(str(f.metrics.get("need")))
    pairs = f.metrics.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        return overlapping_services_unpaired(w.tr, w.name(f.subject), len(f.related), need,
                                             w.names(f.related))
    named = "; ".join(f"{w.name(a)} – {w.name(b)}" for a, b in pairs[:MOST_PAIRS])
    return overlapping_services(w.tr, w.name(f.subject), len(pairs), need,
                                named + (" …" if len(pairs) > MOST_PAIRS else ""))


def _single_point_of_failure(f: Finding, w: Wording) -> str:
    segs = f.related
    return single_point_of_failure(w.tr, w.name(f.subject), len(segs),
                                   w.names(segs[:5]) + (" …" if len(segs) > 5 else ""))


def _unreachable_service(f: Finding, w: Wording) -> str:
    return unreachable_service(w.tr, w.name(f.subject))


def _dead_end(f: Finding, w: Wording) -> str:
    return dead_end(w.tr, w.name(f.subject))


def _path_broken(f: Finding, w: Wording) -> str:
    a, step_a, b, step_b = _path_pair(f, w.g)
    segment = f.metrics.get("segment")
    again = [n for n in f.metrics.get("steps") or () if n != step_a]
    return path_broken(w.tr, w.name(f.subject), w.name(segment) if segment else "–",
                       step_a, w.name(a), step_b, w.name(b), again)


def _deferred_responsibility(f: Finding, w: Wording) -> str:
    return deferred_responsibility(w.tr, w.title(f.subject), _said(w.g, f.subject))


def _measure_without_indicator(f: Finding, w: Wording) -> str:
    return measure_without_indicator(w.tr, w.title(f.subject))


def _risk_without_mitigation(f: Finding, w: Wording) -> str:
    measure = f.related[0] if f.related else ""
    # the risk is the measure's, of the same region: said once, after the measure
    return risk_without_mitigation(w.tr, w.tr.label(w.g, f.subject), w.title(measure))


def _actor_overload(f: Finding, w: Wording) -> str:
    m = f.metrics
    return actor_overload(w.tr, w.label(f.subject), m.get("concurrent"), m.get("month"),
                          m.get("max_concurrent_leads"), m.get("months_over"),
                          m.get("first_month"), m.get("last_month"))


def _unmodelled_flow(f: Finding, w: Wording) -> str:
    # the event log's services are always shown with their ids, even where label = id
    tr, g = w.tr, w.g
    a = f.subject
    b = f.related[0] if f.related else ""
    if tr.plain:
        return unmodelled_flow(tr, w.label(a), w.label(b), f.metrics.get("count"))
    if w.regions:  # a merged graph's services: the region beside the id
        return unmodelled_flow(tr, w.name(a), w.name(b), f.metrics.get("count"))
    return unmodelled_flow(tr, f"{tr.label(g, a)} ({a})", f"{tr.label(g, b)} ({b})",
                           f.metrics.get("count"))


#: Kind -> its writer: every kind of :data:`polku.kinds.KIND_CATALOGUE` (a test checks).
WRITERS: dict[str, Writer] = {
    "service-without-provider": _service_without_provider,
    "no-lead": _no_lead,
    "multiple-leads": _multiple_leads,
    "referral-without-owner": _referral_without_owner,
    "no-information-flow": _no_information_flow,
    "long-wait": _long_wait,
    "unreachable-service": _unreachable_service,
    "dead-end": _dead_end,
    "segment-without-outcome": _segment_without_outcome,
    "unmet-need": _unmet_need,
    "overlapping-services": _overlapping_services,
    "segment-without-lead": _segment_without_lead,
    "over-capacity": _over_capacity,
    "single-point-of-failure": _single_point_of_failure,
    "path-broken": _path_broken,
    "deferred-responsibility": _deferred_responsibility,
    "measure-without-indicator": _measure_without_indicator,
    "actor-overload": _actor_overload,
    "risk-without-mitigation": _risk_without_mitigation,
    "unmodelled-flow": _unmodelled_flow,
}


def message(f: Finding | Mapping[str, Any], g: nx.MultiDiGraph, tr: Translator) -> str:
    """The sentence of one finding (a :class:`~polku.finding.Finding` or its JSON object)
    in ``tr``'s language; ``g`` is the graph it was found in. A kind without a writer keeps
    the message it came with."""
    return Wording(g, tr).message(as_finding(f))


def worded(findings: Iterable[Finding], g: nx.MultiDiGraph, tr: Translator) -> list[Finding]:
    """The same findings, in the same order, with their messages in ``tr``'s language."""
    say = Wording(g, tr).message
    return [f.with_message(say(f)) for f in findings]


def worded_dicts(findings: Iterable[Finding | Mapping[str, Any]], g: nx.MultiDiGraph,
                 tr: Translator, names: Callable[[Finding], Mapping[str, str]] | None = None
                 ) -> list[dict[str, Any]]:
    """Findings as JSON objects (any extra keys kept) with the message in ``tr``'s
    language; where ``names`` is given, each with its ``names`` too, before its ``key``
    (:class:`polku.present.finding_names.FindingNames`: one for them all, each id named
    once)."""
    say = Wording(g, tr).message
    out = []
    for f in findings:
        d = f.to_dict() if isinstance(f, Finding) else dict(f)
        found = as_finding(f)
        d["message"] = say(found)
        out.append(d if names is None else with_names(d, names(found)))
    return out


def finding_json(f: Finding, g: nx.MultiDiGraph, tr: Translator) -> dict[str, Any]:
    """One finding's JSON object (``docs/findings.md``) with its message in ``tr``'s
    language."""
    return {**f.to_dict(), "message": message(f, g, tr)}
