"""Page assembly: a built view becomes a self-contained, offline HTML page (or a fragment
of one, or an ``<iframe srcdoc>``) of our own template.

* **Self-contained**: vis-network's script and style are inlined from the copy that pyvis
  ships in its package; the page loads nothing from anywhere (no CDN, no Bootstrap).
* **Safe**: labels and tooltips are user data. The template autoescapes; node and edge
  data travel as one JSON document in a ``<script type="application/json">`` block with
  ``<``, ``>`` and ``&`` written as ``\\u003c`` … so no text can close the block; the page
  script only ever sets ``textContent``, and vis-network's tooltip uses ``innerText`` on
  plain title strings.
* **In the reader's language**: the template's texts go through the view's
  :class:`polku.present.i18n.Translator`, and the page script takes its few sentences from the
  JSON document (``texts``), so it holds no language of its own. A name in another language
  (a Finnish-only name on a Swedish page) is marked with it (:mod:`polku.present.langmarks`):
  in the page's HTML as ``lang``, in the JSON document by its marks, which the page script
  turns into ``<span lang>`` in its tooltips and details (the canvas draws plain text).
* **Fast**: nodes and edges go to the page in bulk (pyvis's ``add_node`` checks membership
  in a list, which is quadratic); pyvis serves for the physics and layout options model.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from polku import privacy
from polku.io import atomic
from polku.errors import PolkuError
from polku.privacy import AUDIENCES, EDITOR, MIN_CELL, PUBLIC
from polku.words import N_
from polku.present import langmarks
from polku.present.i18n import Translator, translator
from polku.present.views.facts import View
from polku.present.views.registry import build_view
from polku.present.views.table import table_rows


def _vis_options(view: View) -> dict[str, Any]:
    """vis-network options, built with pyvis's options model where it has one."""
    from pyvis.network import Network

    net = Network(directed=True, layout=view.hierarchical)
    big = len(view.nodes) > 600 or view.cluster is not None
    # What the browser lays out: a closed cluster is one node.
    drawn = len(view.nodes)
    if view.cluster:
        drawn = len(view.cluster["groups"]) + sum(1 for n in view.nodes if not n.get("cid"))
    if view.hierarchical:
        net.options.layout.hierarchical.enabled = True
        net.options.layout.hierarchical.levelSeparation = 260
        net.options.layout.hierarchical.sortMethod = "directed"
        net.options.layout.hierarchical.direction = "LR"  # type: ignore[attr-defined]
        net.options.layout.hierarchical.nodeSpacing = 115  # type: ignore[attr-defined]
        net.options.layout.hierarchical.shakeTowards = "roots"  # type: ignore[attr-defined]
        net.toggle_physics(False)
        net.set_edge_smooth("cubicBezier")
    elif not view.physics:
        net.toggle_physics(False)
    else:
        net.force_atlas_2based(gravity=-80 if not big else -60, central_gravity=0.01,
                               spring_length=120 if not big else 110, spring_strength=0.05,
                               damping=0.5, overlap=0.3 if not big else 0.2)
        # Layout time grows with nodes × iterations; fewer, coarser steps for big pictures.
        net.options.physics.stabilization.iterations = (
            350 if drawn < 600 and not view.cluster else 200 if drawn < 1200 else 120)
        net.options.physics.stabilization.updateInterval = 25
        net.set_edge_smooth("continuous")
    options = json.loads(net.options.to_json())
    if view.hierarchical:
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier",
                                      "forceDirection": "horizontal", "roundness": 0.45}
    elif big:
        options["edges"]["smooth"] = False
        options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    else:
        options["layout"] = {"improvedLayout": True, "randomSeed": 7}
    options["edges"]["color"] = {"inherit": False}
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.55}}
    options["edges"]["selectionWidth"] = 2
    options["nodes"] = {
        "font": {"size": 17, "face": "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
                 "color": "#1f2933", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "widthConstraint": {"maximum": 170},
        "shadow": {"enabled": not big, "size": 6, "x": 1, "y": 2, "color": "rgba(0,0,0,0.18)"},
    }
    options["interaction"].update({"hover": True, "tooltipDelay": 120,
                                   "navigationButtons": False, "keyboard": False,
                                   "hideEdgesOnDrag": big, "hideEdgesOnZoom": big})
    return options


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style from the copy pyvis ships, ready to inline."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-9.*/vis-network.min.js"), reverse=True)
    if not candidates:
        raise PolkuError("pyvis's copy of vis-network is missing", file=str(lib))
    js = candidates[0].read_text(encoding="utf-8")
    css = (candidates[0].parent / "vis-network.css").read_text(encoding="utf-8")
    # The source map would be fetched by developer tools; nothing may be fetched.
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", css)
    return _inline_safe(js, "script"), _inline_safe(css, "style")


def _inline_safe(text: str, tag: str) -> str:
    """Text that can sit inside <script>/<style> without closing it early."""
    return re.sub(rf"</(?={tag})", r"<\\/", text, flags=re.IGNORECASE)


def _asset(name: str) -> str:
    return resources.files("polku").joinpath("templates", name).read_text(encoding="utf-8")


def json_for_html(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script type="application/json">`` element:
    no ``<``, ``>`` or ``&`` survive, so ``</script>`` and ``<!--`` cannot appear.

    >>> json_for_html({"label": "</script><!--"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # the language marks of names (polku.present.langmarks) as escapes too: the page's own
    # marks are turned into markup, and these are the script's to read
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
            .replace(langmarks.OPEN, "\\ue000").replace(langmarks.BETWEEN, "\\ue001")
            .replace(langmarks.CLOSE, "\\ue002"))


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("polku", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)


def _script_texts(tr: Translator) -> dict[str, str]:
    """The sentences ``polku-view.js`` shows, in the view's language (``{name}`` fields are
    filled in by the script)."""
    return {
        "noMatch": tr("No node matches “{text}”."),
        "found": tr("Found {label}."),
        "foundMore": tr("Found {label}; other matches: {more}."),
        "shown": tr("{shown} of {total} shown."),
        "aggregate": tr("Connections into a closed group: {n}"),
    }


def _drawn(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nodes or edges as the page script takes them: a ``label`` is drawn on the canvas, which
    has no language, so it is plain text; a ``title`` (the tooltip and details) keeps its
    marks, from which the script marks names with their language."""
    return [dict(x, label=langmarks.unmarked(x["label"]))
            if isinstance(x.get("label"), str) and langmarks.OPEN in x["label"] else x
            for x in items]


def _payload(view: View) -> dict[str, Any]:
    cluster = view.cluster
    if cluster is not None:
        cluster = dict(cluster, groups={k: dict(grp, label=langmarks.unmarked(str(grp["label"])))
                                        for k, grp in cluster["groups"].items()})
    return {
        "kind": view.kind,
        "lang": view.lang,
        "texts": _script_texts(translator(view.lang)),
        "nodes": _drawn(view.nodes),
        "edges": _drawn(view.edges),
        "options": _vis_options(view),
        "types": view.types(),
        "segments": view.segments,
        "cluster": cluster,
        "hierarchical": view.hierarchical,
        "physics": view.physics and not view.hierarchical,
        "minScale": view.min_scale,
        "labels": view.labels,
    }


def page_assets() -> Markup:
    """The ``<style>`` and ``<script>`` elements every view needs, for a page's ``<head>``;
    a report that embeds several views as fragments includes them once."""
    js, css = _vis_assets()
    own_css = _inline_safe(_asset("polku-view.css"), "style")
    # our two scripts as one element: the labels (polku-labels.js) before the view
    own_js = _inline_safe(_asset("polku-labels.js") + "\n" + _asset("polku-view.js"), "script")
    return Markup(f"<style>{css}</style>\n<style>{own_css}</style>\n"
                  f"<script>{js}</script>\n<script>{own_js}</script>")


def render_fragment(g: nx.MultiDiGraph, view: str, *, element_id: str = "polku-view",
                    height: str = "100%", level: int = 1, table: bool = False,
                    **kwargs: Any) -> Markup:
    """One view as an HTML fragment (``<section>`` with its data and start-up script) for
    a page that already has :func:`page_assets` in its head. ``element_id`` must be unique
    on the page; ``level`` is its title's heading level (3 under a report's h2);
    ``table`` puts the network's text alternative below it (:func:`astable`), as the page
    of one view has it. Keyword arguments as for :func:`build_view` (``lang`` among them:
    the fragment's ``<section lang>`` says it, so it may differ from the page's)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", element_id):
        raise PolkuError(f"element id '{element_id}' must be letters, digits, - and _")
    v = build_view(g, view, **kwargs)
    fragment = _fragment(v, element_id, height, level)
    return Markup(fragment + astable(v, element_id)) if table else fragment


def astable(v: View, element_id: str = "polku-view") -> Markup:
    """A network view's nodes and links as tables in a closed ``<details>`` (its picture's
    text alternative, WCAG 1.1.1: the canvas's name says to open it), its ids after the
    view's ``element_id``; nothing for a chart, whose table is part of it."""
    if v.chart is not None:
        return Markup("")
    nodes, edges = table_rows(v, translator(v.lang))
    return Markup(langmarks.html(_env().get_template("view-table.html").render(
        nodes=nodes, edges=edges, prefix=element_id, **translator(v.lang).jinja_globals())))


def _fragment(v: View, element_id: str, height: str, level: int = 1) -> Markup:
    if v.chart is not None:
        # a chart of its own (the timeline): no network, no script, no data payload
        return Markup(langmarks.html(_env().get_template(v.template or "chart.html").render(
            view=v, element_id=element_id, level=level, **translator(v.lang).jinja_globals())))
    tpl = _env().get_template("view.html")
    return Markup(langmarks.html(tpl.render(view=v, element_id=element_id, height=height,
                                            level=level,
                                            data=Markup(json_for_html(_payload(v))),
                                            **translator(v.lang).jinja_globals())))


#: what a caller computes from the graph for :func:`build_view`: for the public the page
#: computes them itself, from the published copy
ANALYSES = ("findings", "paths", "eco", "facts")


def render_html(g: nx.MultiDiGraph, view: str, *, audience: str = PUBLIC,
                min_cell: int = MIN_CELL, long_wait_days: float | None = None,
                **kwargs: Any) -> str:
    """One view as a complete, self-contained HTML page in ``lang`` (fi, sv or en; default
    Finnish) with ``<html lang>`` to match, for ``audience`` (:func:`public_view`).

    A page is a file for other people (``docs/workbook.md`` → Privacy), so it is the
    **public's** by default, as ``polku render``'s is: drawn on the published copy of ``g``
    (small cells, below ``min_cell``, read ``<5``; a total one is part of reads *at least*)
    with the findings and best paths computed there (``long_wait_days``: the findings'
    threshold), the very page ``polku render`` writes. ``audience="editor"`` draws the
    owner's own page: ``g`` as it is, with the analyses given (keyword arguments as for
    :func:`build_view`; :func:`polku.present.views.analysed` runs them)."""
    return view_html(public_view(g, view, audience=audience, min_cell=min_cell,
                                 long_wait_days=long_wait_days, **kwargs))


def public_view(g: nx.MultiDiGraph, view: str, *, audience: str = PUBLIC,
                min_cell: int = MIN_CELL, long_wait_days: float | None = None,
                **kwargs: Any) -> View:
    """The view ``audience`` reads (the view :func:`render_html` and :func:`write_view`
    draw). For the ``public`` it is built as the ``view`` operation builds it for a reader
    without a credential (:class:`polku.present.operations.ViewOf`, ``polku render``): on
    :func:`polku.privacy.suppress`'s copy of ``g``, with its findings and best paths
    (:func:`polku.present.views.analysed`) run on that copy, so nothing on the page rests on
    a small cell. Analyses given (``findings``, ``paths``, ``eco``, ``facts``) are refused
    there with a :class:`TypeError`: computed from the true figures, they would show what
    the page leaves out. For an ``editor``, :func:`build_view` of ``g`` and the arguments
    as they are."""
    from polku.present.views.registry import analysed

    if audience not in AUDIENCES:
        raise PolkuError(N_("unknown audience '{audience}'"), params={"audience": audience},
                         field="audience")
    if audience == EDITOR:
        if long_wait_days is not None:
            raise TypeError("long_wait_days is the public page's (it runs its own findings); "
                            "the owner's page draws the findings given: "
                            "analysed(g, view, long_wait_days=...)")
        return build_view(g, view, **kwargs)
    given = [name for name in ANALYSES if kwargs.get(name) is not None]
    if given:
        raise TypeError(f"a page for the public (the default audience) is drawn on the "
                        f"published copy with the analyses run there: leave out "
                        f"{', '.join(given)} (computed from the true figures, they would show "
                        f"what the page leaves out), or pass audience='editor' for the "
                        f"owner's own page")
    shown = privacy.suppress(g, min_cell)
    # the arguments the view operation passes (ViewOf.arguments): the findings at the
    # threshold asked, a segment's best paths, the index they were found with
    from polku.analyses.reach import ecosystem

    eco = ecosystem(shown)
    found = analysed(shown, view, k=kwargs.get("k", 5), to=kwargs.get("to"),
                     long_wait_days=long_wait_days, eco=eco)
    return build_view(shown, view, **{**found, "eco": eco, **kwargs})


def view_html(v: View) -> str:
    """A complete, self-contained page for a view the caller built (and perhaps restyled,
    as the diff page does), in the view's language."""
    page = _env().get_template("page.html")
    words = translator(v.lang).jinja_globals()
    # a chart (timeline, blueprint) has its own table already
    table = astable(v)
    return langmarks.html(page.render(
        view=v, title=page_title(v.title, v.graph_title),
        assets=page_assets() if v.chart is None else "",
        fragment=_fragment(v, "polku-view", "100%"), table=table, **words))


def page_title(title: str, graph: str) -> str:
    """A view page's ``<title>``: the view's title and the graph's, once when the view's
    own title already names the graph (the plan's timeline), as plain text (the marks of a
    name in another language cannot stand in a ``<title>``). Two regions' views of one
    segment are two pages (WCAG 2.4.2).

    >>> page_title("Kundgrupp · Unga", "Mellersta Nyland"), page_title("Plan · A", "A")
    ('Kundgrupp · Unga · Mellersta Nyland', 'Plan · A')
    """
    title, graph = langmarks.unmarked(title), langmarks.unmarked(graph)
    return title if not graph or graph in title else f"{title} · {graph}"


def iframe(html: str, *, title: str = "polku view", height: str = "640px") -> Markup:
    """Embed a page from :func:`render_html` in another page as ``<iframe srcdoc>``; the
    page is attribute-escaped whole, so it stays as safe as it was."""
    return Markup('<iframe class="polku-view-frame" title="{}" sandbox="allow-scripts" '
                  'style="width:100%;height:{};border:1px solid #d0d7de;border-radius:8px" '
                  'srcdoc="{}"></iframe>').format(title, height, html)


def write_view(g: nx.MultiDiGraph, view: str, out: str | Path, *, audience: str = PUBLIC,
               min_cell: int = MIN_CELL, **kwargs: Any) -> Path:
    """Render one view to ``out`` (written atomically) and return the path: a file for
    other people, so the public's page by default, as ``polku render`` writes it
    (:func:`render_html`; ``audience="editor"`` for the owner's own copy)."""
    html = render_html(g, view, audience=audience, min_cell=min_cell, **kwargs)
    atomic.write_text(out, html)
    return Path(out)

