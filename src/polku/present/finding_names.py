"""What a finding in JSON adds for people: its ``names`` object, each id it mentions
(``subject``, ``related``, ``accountable``, ``measures``) → the name the table and the
messages give that node in the reader's language, so that a client can show "service | who
must act" without asking other routes for the names.

The ids stay the data; the names are worded here, at the edge, from the graph the finding
was found in (the published copy for the public: a name is no figure). Findings as the
JSON of the API and the command line gives them, names and all, are :func:`named_dicts`;
``polku.records`` (:func:`records`) gives them for a model and a language.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import networkx as nx

from polku.finding import Finding
from polku.present.i18n import Translator, merged_region_names
from polku.present.messages import subject_name, worded_dicts

#: a measure's title in JSON is whole: a client cuts it where it shows it (the table cuts
#: it to its column, :class:`polku.present.printers.ActingNames`)
WHOLE = 1 << 30


def plan_label(g: nx.MultiDiGraph, node: str, tr: Translator, width: int = 48) -> str:
    """A plan's node as a table names it (:func:`polku.present.printers.plan_labels`): a
    measure by its number and title, any other node by its name in ``tr``'s language, cut
    to ``width``.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("measure-1-3", type="measure", name="Kehitetään johtamista")
    >>> plan_label(g, "measure-1-3", translator("fi")), plan_label(g, "measure-1-3", translator("fi"), 12)
    ('1.3 Kehitetään johtamista', '1.3 Kehitet…')
    """
    from polku.present.views.plan import measure_number

    text = tr.label(g, node)
    if g.nodes[node].get("type") == "measure":
        text = f"{measure_number(node)} {text}"
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


class FindingNames:
    """Each id of a finding by name in ``tr``'s language, a node named by its type as the
    table and the messages name it: a plan measure by its number and whole title
    (:func:`plan_label`), a referral without a name by its two ends, any other node by its
    label (the language's name, else the next one polku falls back to), each with its
    region in a merged graph of several (:func:`subject_name`); an id the graph does not
    hold as itself.

    Made once per answer: each id is named once, however many findings mention it (a
    national graph's 7,000 findings name a few thousand nodes some 20,000 times).

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("te", type="actor", name="TE-palvelut", name_sv="TE-tjänster")
    >>> g.add_node("velka", type="service", name="Velkaneuvonta")
    >>> g.add_node("measure-1-3", type="measure", name="Kehitetään johtamista")
    >>> FindingNames(g, translator("sv"))(Finding("no-lead", "warning", "velka", ("gone",),
    ...                                           "", {}, ("te",), ("measure-1-3",)))
    {'velka': 'Velkaneuvonta', 'gone': 'gone', 'te': 'TE-tjänster', 'measure-1-3': '1.3 Kehitetään johtamista'}
    """

    __slots__ = ("g", "tr", "regions", "_said", "_labels")

    def __init__(self, g: nx.MultiDiGraph | None, tr: Translator) -> None:
        self.g, self.tr = g, tr.plainly()  # names alone: the id is the key beside each
        self.regions = merged_region_names(g, tr.lang) if g is not None else {}
        self._said: dict[str, str] = {}
        self._labels: dict[str, str] = {}  # a referral's ends are named on their own too

    def __call__(self, f: Finding) -> Mapping[str, str]:
        """``f``'s ids → their names: its subject, then its related ids, who must act and
        its plan measures, each in its sorted order, each once."""
        name = self.name
        out = {f.subject: name(f.subject)}
        for ids in (f.related, f.accountable, f.measures):
            for node in ids:
                out[node] = name(node)
        return out

    def name(self, node: str) -> str:
        """``node`` by name, worked out the first time it is asked."""
        said = self._said.get(node)
        if said is None:
            said = self._said[node] = self._name(node)
        return said

    def _name(self, node: str) -> str:
        g = self.g
        data = g._node.get(node) if g is not None else None
        if g is None or data is None:
            return node
        if data.get("type") == "measure":
            return plan_label(g, node, self.tr, WHOLE)
        return subject_name(g, node, self.tr, self.regions, self._label)

    def _label(self, node: str) -> str:
        """``node``'s label alone (:meth:`~polku.present.i18n.Translator.label`), once."""
        said = self._labels.get(node)
        if said is None:
            said = self._labels[node] = self.tr.label(self.g, node)
        return said


def key_named(key: str, names: FindingNames) -> str:
    """A finding named by its stable key alone (an overdue follow-up's), as the findings
    created and resolved beside it are: its kind's name and its subject's, what its key's
    detail names in brackets (a broken path's two steps in step order); the key itself
    where its subject is no node of the graph (a follow-up outlives the node its finding
    was about) or it is not a key.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("seg", type="segment", name="Nuoret")
    >>> g.add_node("need", type="need", name="Työnhaku")
    >>> said = FindingNames(g, translator("fi"))
    >>> key_named("unmet-need:seg:need", said), key_named("long-wait:gone", said)
    ('kattamaton tarve: Nuoret (Työnhaku)', 'long-wait:gone')
    """
    from polku.followup import key_nodes
    from polku.kinds import KIND_CATALOGUE
    from polku.present.i18n import kind_name

    ids = [node for node, _ in key_nodes(key)]
    if not ids or names.g is None or ids[0] not in names.g:
        return key
    kind = key.split(":", 1)[0]
    subject, *detail = ids
    said = f"{kind_name(kind, names.tr)}: {names.name(subject)}"
    if detail:
        # two steps of a path are a step from one to the other; other details a list
        between = " → " if len(KIND_CATALOGUE[kind].detail) > 1 else ", "
        said += f" ({between.join(names.name(n) for n in detail)})"
    return said


def followup_names(state: Mapping[str, Any], names: FindingNames) -> dict[str, str]:
    """What a follow-up mentions by id, by name (a finding's ``names``, for a follow-up
    in JSON): the ids of its finding's key (its subject, then its detail's) and its owner,
    each once; an id the graph does not hold as itself.

    >>> from polku.graph import new_graph
    >>> from polku.present.i18n import translator
    >>> g = new_graph(); g.add_node("te", type="actor", name="TE-palvelut")
    >>> g.add_node("typ", type="service", name="TYP")
    >>> followup_names({"finding": "over-capacity:typ", "owner": "te"},
    ...                FindingNames(g, translator("fi")))
    {'typ': 'TYP', 'te': 'TE-palvelut'}
    """
    from polku.followup import key_nodes

    ids = [node for node, _ in key_nodes(str(state.get("finding") or ""))]
    if state.get("owner"):
        ids.append(str(state["owner"]))
    return {node: names.name(node) for node in dict.fromkeys(ids)}


def named_dicts(findings: Iterable[Finding | Mapping[str, Any]], g: nx.MultiDiGraph,
                tr: Translator) -> list[dict[str, Any]]:
    """Findings as the findings JSON of the API and the command line gives each
    (``docs/findings.md``): its object with the message in ``tr``'s language and its
    ``names`` (each id it mentions by name, :class:`polku.present.finding_names.FindingNames`:
    one for them all, each id named once), from ``g``, the graph they were found in.
    ``polku.records`` is :func:`records`, these for a model and a language."""
    return worded_dicts(findings, g, tr, FindingNames(g, tr))


def records(findings: Iterable[Finding | Mapping[str, Any]], model: Any, lang: str = "fi",
            audience: str = "editor") -> list[dict[str, Any]]:
    """Findings as plain dicts, one per finding, as the findings JSON of the command line
    and the API gives each (:func:`named_dicts`): its stable ``key``, its ``message`` in
    ``lang`` (``fi``, the default, as everywhere polku writes for people; ``sv`` or
    ``en``) and its ``names`` (its ids by name): what a table takes as it is
    (``pandas.DataFrame(polku.records(found, m))``). ``model`` is the model the findings
    were answered from (``audience`` as :func:`polku.ops.operations.answer` was asked: the
    public's findings are worded from the published copy) or a graph; this is
    ``polku.records``.

    >>> from polku.graph import new_graph
    >>> from polku.analyses.findings import find
    >>> g = new_graph(); g.add_node("debt", type="service", name="Velkaneuvonta")
    >>> [sorted(r) for r in records(find(g), g)][:1]
    [['accountable', 'key', 'kind', 'measures', 'message', 'metrics', 'names', 'related', 'severity', 'subject']]
    >>> records(find(g), g)[0]["message"], records(find(g), g)[0]["names"]
    ('Velkaneuvonta (debt): tuottaja puuttuu', {'debt': 'Velkaneuvonta'})
    >>> records(find(g), g, "sv")[0]["key"], records(find(g), g, "sv")[0]["message"][:30]
    ('service-without-provider:debt', 'Velkaneuvonta (debt): producen')
    """
    from polku.present.i18n import translator

    g = model.published(audience).graph if hasattr(model, "published") else model
    return named_dicts(findings, g, translator(lang))
