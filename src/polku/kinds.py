"""The catalogue of finding kinds: one entry per kind, with its severity and meaning.

Every place that needs to know a kind asks here: the ecosystem findings
(:mod:`polku.analyses.findings`), the plan findings (:mod:`polku.analyses.plan_findings`), the Cypher
findings, the report's "what it means" column, and the README's kinds table (a test holds
the README to this catalogue). A new kind is one new entry here, then the code that fires it.

The exact rules are in ``docs/findings.md``; ``meaning`` is the one line a leader reads.

>>> KIND_CATALOGUE["long-wait"].severity
'warning'
>>> severities("plan")["actor-overload"]
'warning'
>>> "actor-overload" in severities("ecosystem")
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from polku.words import N_

#: The ``long-wait`` limit in days (a setting of the spec, default 30): the commands, the
#: API, the report and the views all take their default from here.
LONG_WAIT_DAYS = 30

#: The utilisation (inflow / capacity) a suggested capacity for an ``over-capacity`` service
#: aims at (a setting, default 0.85): the suggestion leaves headroom instead of stopping just
#: under full. Why 0.85: in a queue with random arrivals the wait grows as ρ / (1 − ρ), so
#: near full every extra client costs much more wait (one place: about 6 service times of
#: wait at 0.85, 19 at 0.95, 49 at 0.98), and a month with a tenth more referrals than the
#: average tips a queue planned at 0.95 over its capacity; 85 % is the occupancy hospital
#: capacity planning has used since Bagust et al. (BMJ 1999) showed shortages rising
#: steeply above it. :func:`polku.analyses.queues.headroom` computes the capacity.
TARGET_UTILIZATION = 0.85

#: The least a suggested capacity raise must shorten the predicted wait by, in days (a
#: setting, default 7), to be offered. Why: where the model is calibrated to the observed
#: waits, most of a long wait can be lead time outside the queue (booking, paperwork, the
#: client's own timing) that no capacity moves; a raise of half the capacity that buys one
#: day is not a fix worth a budget line. A week is the rhythm waits are booked and reported
#: in. A raise under it is not offered; the suggestions say instead that the over-capacity
#: is nominal (:func:`polku.analyses.suggest.declined_capacities`).
MIN_WAIT_GAIN_DAYS = 7

#: ``actor-overload`` fires when an actor leads more running plan measures than this in
#: one month (a setting, default 3).
MAX_CONCURRENT_LEADS = 3

#: The longest ranking of services a question may ask for (``top`` of the bottlenecks and
#: the report: the services of a national graph ten times today's size fit in it; more is
#: a typo), the same on every door.
MAX_TOP = 100_000
#: The most best paths a question may ask for (``k`` of the paths, a segment's view and its
#: blueprint: each is a search of its own), the same on every door.
MAX_PATHS = 50

#: The layers findings come from: the ecosystem graph, the action plan beside it, and an
#: event log read against the graph (``polku eventlog``).
LAYERS = ("ecosystem", "plan", "eventlog")


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: its name (the JSON ``kind``), severity, the layers that fire it
    and what it means in one line; the node types its subject may be (``subjects``) and,
    for a kind that fires more than once on one subject, the node types of each id of its
    key's detail (``detail``, ``docs/findings.md``, "The stable key") and what that detail
    is, in words (``detail_text``). A follow-up's key is read against these
    (:func:`polku.followup.check_key`). ``responsibility`` says whether the kind is a
    responsibility ``gap`` (nobody answers for the subject, or not yet) or ``overlap``
    (several do, or several providers' services do the same): the report lists those
    under their own heading (:data:`RESPONSIBILITY_KINDS`), not with the other errors and
    warnings."""

    name: str
    severity: str
    layers: tuple[str, ...]
    meaning: str
    subjects: tuple[str, ...] = ()
    detail: tuple[tuple[str, ...], ...] = ()
    detail_text: str = ""
    responsibility: str = ""


#: what a step of a designed path is (a key's detail names steps)
_STEP = ("service", "outcome")

_ECO = ("ecosystem",)
_PLAN = ("plan",)
_BOTH = ("ecosystem", "plan")
_LOG = ("eventlog",)

#: Every kind, in the order of the spec's tables (ecosystem first, then the plan layer).
KIND_CATALOGUE: Mapping[str, FindingKind] = {k.name: k for k in (
    FindingKind("service-without-provider", "error", _ECO, N_("no actor delivers the service"),
                subjects=("service",)),
    FindingKind("no-lead", "error", _BOTH,
                N_("two or more providers (or a plan measure) and nobody leads"),
                subjects=("service", "measure"), responsibility="gap"),
    FindingKind("multiple-leads", "warning", _BOTH, N_("two or more actors lead the same thing"),
                subjects=("service", "referral", "segment", "measure"),
                responsibility="overlap"),
    FindingKind("referral-without-owner", "error", _ECO, N_("nobody answers for the hand-off"),
                subjects=("referral",), responsibility="gap"),
    FindingKind("no-information-flow", "warning", _ECO,
                N_("the client's information does not travel with the referral"),
                subjects=("referral",)),
    FindingKind("long-wait", "warning", _ECO,
                N_("the median wait of a referral is above the limit"),
                subjects=("referral",)),
    FindingKind("unreachable-service", "warning", _ECO, N_("no client can get to the service"),
                subjects=("service",)),
    FindingKind("dead-end", "error", _ECO,
                N_("clients get in, but no referral chain leads to an outcome"),
                subjects=("service",)),
    FindingKind("segment-without-outcome", "error", _ECO,
                N_("a client segment can reach no outcome at all"),
                subjects=("segment",)),
    FindingKind("unmet-need", "error", _ECO,
                N_("a segment's need that no service it can reach addresses"),
                subjects=("segment",), detail=(("need",),),
                detail_text=N_("the need")),
    FindingKind("overlapping-services", "info", _ECO,
                N_("several providers' services address the same need of a segment"),
                subjects=("segment",), detail=(("need",),),
                detail_text=N_("the need"), responsibility="overlap"),
    FindingKind("segment-without-lead", "warning", _ECO,
                N_("nobody answers for this group of people"),
                subjects=("segment",), responsibility="gap"),
    FindingKind("over-capacity", "warning", _ECO,
                N_("more clients are referred in than the service can take"),
                subjects=("service",)),
    FindingKind("single-point-of-failure", "warning", _ECO,
                N_("without this service a segment reaches no outcome"),
                subjects=("service",)),
    FindingKind("path-broken", "error", _ECO, N_("a designed path has a step no referral carries"),
                subjects=("path",), detail=(_STEP, _STEP),
                detail_text=N_("the two steps in step order, from+to")),
    FindingKind("deferred-responsibility", "warning", _PLAN,
                N_("a plan measure's division of work is still to be agreed"),
                subjects=("measure",), responsibility="gap"),
    FindingKind("measure-without-indicator", "warning", _PLAN,
                N_("a plan measure has no indicator"),
                subjects=("measure",)),
    FindingKind("actor-overload", "warning", _PLAN,
                N_("an actor leads more plan measures at once than the limit"),
                subjects=("actor",)),
    FindingKind("risk-without-mitigation", "info", _PLAN,
                N_("the plan names a risk but no way to mitigate it"),
                subjects=("risk",)),
    # an outcome is a node of an event log as a service is: clients may leave one too
    FindingKind("unmodelled-flow", "warning", _LOG,
                N_("the event log shows clients handed over where the graph has no referral"),
                subjects=_STEP, detail=(_STEP,),
                detail_text=N_("the service the clients went to")),
)}


#: Kinds that say a subject has nobody in charge, and that it has several: the views, the
#: RACI matrix and the report mark subjects from these findings (one definition for all).
NO_LEAD_KINDS = ("no-lead", "segment-without-lead", "referral-without-owner")
SEVERAL_LEADS_KINDS = ("multiple-leads",)
#: The responsibility gaps and overlaps (each kind's ``responsibility``), in the
#: catalogue's order: the report lists them under "Responsibility overlaps and gaps", each
#: finding there alone (``docs/findings.md``, "Responsibility gaps and overlaps").
RESPONSIBILITY_KINDS = tuple(k.name for k in KIND_CATALOGUE.values() if k.responsibility)


def severities(layer: str | None = None) -> dict[str, str]:
    """Kind → severity for one layer (``ecosystem``, ``plan`` or ``eventlog``), or for every
    kind."""
    if layer is not None and layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r} (use {', '.join(LAYERS[:-1])} or {LAYERS[-1]})")
    return {k.name: k.severity for k in KIND_CATALOGUE.values()
            if layer is None or layer in k.layers}


def meaning(kind: str) -> str:
    """The one line that says what ``kind`` means, in English ('' for a kind the catalogue
    lacks); :meth:`polku.present.i18n.Translator.gettext` gives it in another language."""
    entry = KIND_CATALOGUE.get(kind)
    return entry.meaning if entry else ""
