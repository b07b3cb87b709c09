"""Interactive views of a polku graph: one self-contained, offline HTML page per view.

Designers would rather look than read. A view turns the typed graph (plus the analyses'
findings and best paths) into nodes and edges for vis-network, and :func:`render_html`
puts them into a page of our own template (:mod:`polku.present.views.page` says how the page
stays self-contained and safe).

Views (``--view``), one module each, listed in :mod:`polku.present.views.registry`:

``ecosystem``
    actors, services, segments, needs and outcomes; referrals drawn as edges from their
    ``from`` service to their ``to`` target. Past ``cluster_threshold`` nodes the page
    groups services with their provider (or the provider's region) into clusters that
    open on click.
``segment:S``
    what segment S can reach (R(S) of the findings spec), left to right from the entries
    to the outcomes, the k best paths highlighted and unmet needs as red need nodes.
``path:P``
    one designed path step by step; steps without a referral between them are marked.
``blueprint:P``, ``blueprint:S``
    a service blueprint of designed path P, or of segment S's best paths: lanes per
    organisation, steps left to right, each hand-off's wait, volume, information and owner,
    the needs met and left uncovered; one SVG drawn on the server, with a table alternative.
``responsibility``
    actors and what they lead, take part in, are consulted on or informed of; subjects
    with no lead or several leads are marked.
``plan``, ``timeline``
    the action plan's goals, measures and who leads them; its measures over the months.

The diff page (:mod:`polku.present.views.diff`) draws two graphs at once, so it is not in the
registry of one-graph views: ``polku diff --format html`` builds it from the ecosystem view
of both graphs' union.

Any view can be narrowed with ``focus``/``depth``: only what lies within ``depth`` steps
of one node, in both directions (:mod:`polku.present.views.focus`). Colours, legends and the
lookups every view shares are in :mod:`polku.present.views.facts`.

>>> from polku.graph import new_graph, add_edge
>>> g = new_graph("demo")
>>> g.add_node("a", type="actor", name="Kela", kind="kela")
>>> g.add_node("s", type="service", name="<b>Työkokeilu</b>")
>>> add_edge(g, "a", "s", "provides")
>>> page = render_html(g, "ecosystem")
>>> "<b>Työkokeilu" in page, "\\\\u003cb\\\\u003eTyökokeilu" in page
(False, True)
"""

from __future__ import annotations

from polku.present.views.facts import (DASHES_NO, DASHES_UNKNOWN, EDGE_COLOURS, KIND_COLOURS, PATH_COLOURS, SEVERITY_COLOURS, TYPE_COLOURS, UNMET_COLOUR, View, reach)
from polku.present.views.page import (iframe, json_for_html, page_assets, render_fragment, render_html, view_html, write_view)
from polku.present.views.registry import (VIEW_NAMES, VIEWS, analysed, build_view, menu, parse_view)

__all__ = [
    "View", "analysed", "build_view", "render_html", "view_html", "render_fragment",
    "page_assets", "iframe",
    "write_view", "parse_view", "json_for_html", "reach", "VIEWS", "VIEW_NAMES", "menu",
    "DASHES_NO", "DASHES_UNKNOWN", "EDGE_COLOURS", "KIND_COLOURS", "PATH_COLOURS",
    "SEVERITY_COLOURS", "TYPE_COLOURS", "UNMET_COLOUR",
]
