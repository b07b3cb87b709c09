"""The words polku shows for its own terms: one catalogue of display names, as English source
texts marked for the catalogues. :func:`N_` marks a text where it is defined; it is
translated where it is shown (:mod:`polku.present.i18n`: ``severity_name``, ``role_name``,
``type_name``, ``edge_kind_name``, ``status_name``), in the glossary's words (Finnish virhe,
varoitus, tiedoksi; päävastuu, osallistuja, kuultava, tiedotettava; Swedish fel, varning,
för kännedom; huvudansvar, deltagare, hörs, informeras). This module is part of the ground
so that the kinds catalogue and every step can name things without the translator; the
ids (the JSON's ``info``, a role's ``lead``) never change, only the words shown for them.

>>> N_("warning")
'warning'
>>> SEVERITY_NAMES["info"], ROLE_NAMES["consulted"], NODE_TYPE_NAMES["segment"]
('for information', 'consulted', ('client segment', 'client segments'))
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a text for the catalogues where it is defined; it is translated where shown."""
    return message


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message that counts for the catalogues, its singular and its plural
    (``scripts/i18n`` extracts the calls of this name as one entry); it is worded where it
    is shown, by the count (:class:`polku.errors.Counted`, the API's ``ApiError``).

    >>> ngettext("{n} region", "{n} regions")
    ('{n} region', '{n} regions')
    """
    return singular, plural


#: A finding's severity (the JSON keeps ``error``, ``warning``, ``info``).
SEVERITY_NAMES: dict[str, str] = {
    "error": N_("error"), "warning": N_("warning"), "info": N_("for information"),
}

#: A finding kind as people call it (the JSON keeps the kind's id; ``polku.kinds`` holds
#: each kind's severity and meaning).
KIND_NAMES: dict[str, str] = {
    "service-without-provider": N_("service without a provider"),
    "no-lead": N_("nobody leads"),
    "multiple-leads": N_("several leads"),
    "referral-without-owner": N_("referral without an owner"),
    "no-information-flow": N_("information does not travel"),
    "long-wait": N_("long wait"),
    "unreachable-service": N_("service nobody reaches"),
    "dead-end": N_("dead end"),
    "segment-without-outcome": N_("client segment without an outcome"),
    "unmet-need": N_("unmet need"),
    "overlapping-services": N_("overlapping services"),
    "segment-without-lead": N_("client segment without a lead"),
    "over-capacity": N_("over capacity"),
    "single-point-of-failure": N_("single point of failure"),
    "path-broken": N_("broken designed path"),
    "deferred-responsibility": N_("division of work still to be agreed"),
    "measure-without-indicator": N_("measure without an indicator"),
    "actor-overload": N_("too many leads at once"),
    "risk-without-mitigation": N_("risk without mitigation"),
    "unmodelled-flow": N_("flow missing from the graph"),
}

#: An actor's kind (an organisation's kind in the workbook's ``kind`` column) as people say it.
ACTOR_KIND_NAMES: dict[str, str] = {
    "wellbeing-county": N_("wellbeing services county"),
    "employment-area": N_("employment area"),
    "municipality": N_("municipality"),
    "joint-authority": N_("joint municipal authority"),
    "kela": N_("Kela"),
    "third-sector": N_("third-sector organisation"),
    "employer": N_("employer"),
    "education": N_("education"),
    "occupational-health": N_("occupational health care"),
    "research": N_("research"),
    "state": N_("central government"),
    "other": N_("other"),
}

#: How a service with several providers is organised (the ``services`` sheet's
#: ``organised``) as people say it.
ORGANISED_NAMES: dict[str, str] = {"jointly": N_("jointly"), "separately": N_("separately")}

#: The role of a responsibility (RACI: lead = R/A, then participant, consulted, informed).
ROLE_NAMES: dict[str, str] = {
    "lead": N_("lead"), "participant": N_("participant"), "consulted": N_("consulted"),
    "informed": N_("informed"),
}

#: What each role means (the RACI legend).
ROLE_MEANINGS: dict[str, str] = {
    "lead": N_("leads and answers for it"), "participant": N_("takes part"),
    "consulted": N_("is asked before decisions"), "informed": N_("is told of decisions"),
}

#: A node type: (one, several). Every type of :data:`polku.graph.NODE_TYPES`.
NODE_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "actor": (N_("actor"), N_("actors")),
    "service": (N_("service"), N_("services")),
    "outcome": (N_("outcome"), N_("outcomes")),
    "need": (N_("need"), N_("needs")),
    "segment": (N_("client segment"), N_("client segments")),
    "referral": (N_("referral"), N_("referrals")),
    "responsibility": (N_("responsibility"), N_("responsibilities")),
    "path": (N_("designed path"), N_("designed paths")),
    "goal": (N_("plan goal"), N_("plan goals")),
    "measure": (N_("plan measure"), N_("plan measures")),
    "indicator": (N_("indicator"), N_("indicators")),
    "risk": (N_("risk"), N_("risks")),
}

#: An edge kind, as the relation reads from its source to its target. Every kind of
#: :data:`polku.graph.EDGE_KINDS`.
EDGE_KIND_NAMES: dict[str, str] = {
    "part_of": N_("part of the organisation"),
    "provides": N_("provides the service"),
    "addresses": N_("meets the need"),
    "for_segment": N_("for the client segment"),
    "has_need": N_("the client segment's need"),
    "entry": N_("enters at the service"),
    "from": N_("referral from the service"),
    "to": N_("referral to"),
    "owner": N_("owner of the referral"),
    "responsibility": N_("responsibility for"),
    "path_segment": N_("designed path of the client segment"),
    "step": N_("step of the designed path"),
    "in_goal": N_("measure of the plan goal"),
    "subject": N_("plan measure works on"),
    "has_indicator": N_("indicator of the plan measure"),
    "has_risk": N_("risk of the plan measure"),
}

#: A need's work-ability factor (the ``needs`` sheet's ``factor``, docs/workbook.md) as
#: people say it; a factor not named here is shown as the workbook writes it.
FACTOR_NAMES: dict[str, str] = {
    "health": N_("health and functional capacity"), "competence": N_("competence"),
    "social": N_("social situation"), "motivation": N_("motivation and attitudes"),
    "work": N_("work and working life"),
}

#: The follow-up status of a finding (what a team has done about it).
STATUS_NAMES: dict[str, str] = {
    "new": N_("new"), "in-progress": N_("in progress"), "resolved": N_("resolved"),
    "accepted-risk": N_("accepted risk"),
}

#: The words shown for a yes or no (a boolean column's codes).
BOOL_NAMES: dict[str, str] = {"yes": N_("yes"), "no": N_("no")}

#: Every choice column's codes, in order, with the words shown for them: what a word the
#: column does not take is refused with (:func:`polku.errors.not_a_choice`), each code by
#: its reader's word. Each word, translated, is one the column reads back as its code
#: (``polku.io.workbook.CHOICE_WORDS``, tests/test_workbook_choices.py).
CHOICE_NAMES_BY_COLUMN: dict[str, dict[str, str]] = {
    "bool": BOOL_NAMES,
    "role": ROLE_NAMES,
    "information_flow": {**BOOL_NAMES, "unknown": N_("unknown")},
    "status": STATUS_NAMES,
    "kind": ACTOR_KIND_NAMES,
    "organised": ORGANISED_NAMES,
}

#: Why a finding vanished after a change (:mod:`polku.analyses.vanished`; the JSON's
#: ``reason``): only ``resolved`` is good news.
VANISHED_REASONS: dict[str, str] = {
    "resolved": N_("resolved"), "removed": N_("gone with what was removed"),
    "unreachable": N_("no longer reachable"),
}

#: A parameter an error names, as every door can say it (the CLI adds its option, the API
#: its field, a page marks its form field): the key is the parameter's ``field``.
PARAMETER_NAMES: dict[str, str] = {
    "long_wait_days": N_("the long-wait threshold (days)"),
    "max_concurrent_leads": N_("the most concurrent leads"),
    "top": N_("the number of services shown"),
    "k": N_("the number of paths"),
    "depth": N_("the depth around the focus"),
    "max_expansions": N_("the search limit"),
}


#: the removal what-if's question per kind of node it removes (a referral is named by its
#: two ends instead): Swedish names the node in its definite form ('Tänk om aktören X togs
#: bort'), which a kind's name put into one sentence for every kind cannot give
REMOVAL_QUESTIONS: dict[str, str] = {
    "actor": N_("What if the actor {name} were removed from {graph}?"),
    "service": N_("What if the service {name} were removed from {graph}?"),
}


#: Why an organisation must act on a finding, by the reason code of
#: :func:`polku.analyses.accountable.why_accountable` (the report's and the graph page's
#: "Päättää: Keusote, ohjaavan palvelun päävastuutaho").
ACCOUNTABLE_WHY: dict[str, str] = {
    "lead": N_("the lead"), "owner": N_("the referral's owner"),
    "provider": N_("the service's provider"),
    "participant": N_("a participant of the measure"),
    "source-lead": N_("the lead of the referring service"),
    "source-provider": N_("the referring service's provider"),
    "segment-lead": N_("the lead of the path's client segment"),
    "measure-lead": N_("the lead of the risk's measure"),
    "measure-participant": N_("a participant of the risk's measure"),
    "subject": N_("the finding is about it"),
}
