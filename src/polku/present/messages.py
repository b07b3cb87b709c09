"""The finding messages, one catalogued template per message, in the reader's language.

Every analysis that writes a finding (:mod:`polku.analyses.findings`, :mod:`polku.analyses.plan_findings`,
:mod:`polku.analyses.neo4j_findings`, :mod:`polku.io.eventlog`) builds its ``message`` here from the
nodes' labels in that language (``name_sv``/``name_en`` where given) and numbers as the
language writes them, so the networkx and the Cypher findings say exactly the same thing,
and the analyses decide *what* is found while this module decides how it is said. Kind
names, ids and metrics never change with the language; only the message does.

The templates are English (the catalogues' source texts); ``scripts/i18n`` extracts them
and ``polku/locale/{fi,sv}`` translate them. Finnish and Swedish put the node's name first
or after a colon, so that no name has to be inflected.

>>> from polku.present.i18n import translator
>>> tr = translator("en")
>>> service_without_provider(tr, "Velkaneuvonta (debt)")
'Velkaneuvonta (debt) has no provider'
>>> service_without_provider(translator("fi"), "Velkaneuvonta (debt)")
'Velkaneuvonta (debt): tuottaja puuttuu'
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from polku.present.i18n import Translator


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


def name(g: nx.MultiDiGraph, node: str, tr: Translator) -> str:
    """:func:`named` with the node's label in ``tr``'s language."""
    return named(node, tr.label(g, node) if node in g else node)


def names(g: nx.MultiDiGraph, nodes: Iterable[str], tr: Translator) -> str:
    """Several nodes, sorted by id, as :func:`name` shows each."""
    return ", ".join(name(g, n, tr) for n in sorted(nodes))


def labels(g: nx.MultiDiGraph, nodes: Iterable[str], tr: Translator) -> str:
    """Several nodes by label only (the plan's messages; printers show the ids beside)."""
    return ", ".join(tr.label(g, n) for n in nodes)


# -- services, segments and referrals (polku.analyses.findings, polku.analyses.neo4j_findings) -------------------

def service_without_provider(tr: Translator, service: str) -> str:
    return tr("{service} has no provider").format(service=service)


def no_lead(tr: Translator, service: str, count: int, providers: str) -> str:
    return tr("{service} has {count} providers ({providers}) and no lead").format(
        service=service, count=tr.number(count), providers=providers)


def multiple_leads(tr: Translator, subject: str, count: int, leads: str) -> str:
    return tr("{subject} has {count} leads: {leads}").format(
        subject=subject, count=tr.number(count), leads=leads)


def segment_without_lead(tr: Translator, segment: str, others: str) -> str:
    if others:
        return tr("Nobody leads the work for {segment} (other roles: {others})").format(
            segment=segment, others=others)
    return tr("Nobody leads the work for {segment}").format(segment=segment)


def referral_without_owner(tr: Translator, referral: str, source: str, target: str) -> str:
    return tr("The referral {referral} from {source} to {target} has no owner and no "
              "lead").format(referral=referral, source=source, target=target)


def no_information_flow(tr: Translator, referral: str, source: str, target: str) -> str:
    return tr("The client's information does not travel with the referral {referral} from "
              "{source} to {target}").format(referral=referral, source=source, target=target)


def long_wait(tr: Translator, referral: str, source: str, target: str, days: float,
              limit: float) -> str:
    return tr("The referral {referral} from {source} to {target} waits a median of {days} "
              "days (limit {limit})").format(referral=referral, source=source, target=target,
                                             days=tr.number(days), limit=tr.number(limit))


def over_capacity(tr: Translator, service: str, inflow: float, capacity: float) -> str:
    return tr("{service} takes in {inflow} clients a month against a capacity of "
              "{capacity}").format(service=service, inflow=tr.number(inflow),
                                   capacity=tr.number(capacity))


def segment_without_outcome(tr: Translator, segment: str, entries: str) -> str:
    if entries:
        return tr("{segment} reaches no outcome from its entries ({entries})").format(
            segment=segment, entries=entries)
    return tr("{segment} reaches no outcome: it has no entries").format(segment=segment)


def unmet_need(tr: Translator, segment: str, need: str) -> str:
    return tr("No service that {segment} can reach addresses the need {need}").format(
        segment=segment, need=need)


def overlapping_services(tr: Translator, segment: str, count: int, need: str,
                         services: str) -> str:
    return tr("For {segment}, {count} services from different providers, with no referral "
              "between them, address the need {need}: {services}").format(
        segment=segment, count=tr.number(count), need=need, services=services)


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
                step_b: int, service_b: str) -> str:
    return tr("Designed path {path}: no referral for {segment} leads from step {step_a} "
              "{service_a} to step {step_b} {service_b}").format(
        path=path, segment=segment, step_a=step_a, service_a=service_a, step_b=step_b,
        service_b=service_b)


# -- the plan (polku.analyses.plan_findings) ------------------------------------------------------------

def measure_without_lead(tr: Translator, measure: str, participants: str) -> str:
    if participants:
        return tr("{measure} has no lead; participants: {participants}").format(
            measure=measure, participants=participants)
    return tr("{measure} has no lead").format(measure=measure)


def deferred_responsibility(tr: Translator, measure: str, said: str | None) -> str:
    if said:
        return tr("{measure} leaves the division of work to be agreed later "
                  "(\"{said}\")").format(measure=measure, said=said)
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
    return tr("{actor} leads {count} measures at once in {month} (the setting allows "
              "{limit}); over the limit in {months} months, {first} to {last}").format(
        actor=actor, count=tr.number(count), month=month, limit=tr.number(limit),
        months=tr.number(months), first=first, last=last)


# -- event logs (polku.io.eventlog) ---------------------------------------------------------------

def unmodelled_flow(tr: Translator, source: str, target: str, count: int) -> str:
    return tr.ngettext("{source} hands {count} client over to {target} in the event log, but "
                       "the graph has no referral between them",
                       "{source} hands {count} clients over to {target} in the event log, "
                       "but the graph has no referral between them",
                       count).format(source=source, target=target, count=tr.number(count))
