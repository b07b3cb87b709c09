"""The web UI's pages: the index, a graph with its findings and edit forms, the views and
their table alternatives, the path explorer, the bottleneck ranking, the change log and the
report. Every page is self-contained (inline styles and scripts, nothing from a CDN), in
Finnish with English beside it, and shows a banner while a graph's source is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import escape

from .. import workbook
from ..errors import PolkuError
from ..graph import label, nodes_of
from ..privacy import suppress, suppress_figures
from .api import graph_headers
from .contract import ApiError, responses
from .store import Entry, GraphStore

PAGE = responses(400, 404, 409)


def environment() -> Environment:
    return Environment(loader=PackageLoader("polku", "templates/server"),
                       autoescape=select_autoescape(default=True, default_for_string=True))


@dataclass(frozen=True)
class FormColumn:
    name: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Form:
    """One edit form of the graph page: a sheet and the columns it offers."""
    id: str
    sheet: str
    title: str
    columns: tuple[str, ...]
    mode: str = "upsert"  # "upsert": new row or edit one; "update": edit only


FORMS = (
    Form("service", "services", "Palvelu · Service",
         ("id", "name", "providers", "capacity_per_month", "entry", "needs", "segments",
          "legal_basis")),
    Form("referral", "referrals", "Lähete · Referral",
         ("id", "from", "to", "segments", "volume_per_month", "median_wait_days", "owner",
          "information_flow")),
    Form("responsibility", "responsibilities", "Vastuu · Responsibility",
         ("actor", "subject", "role", "note")),
    Form("owner", "referrals", "Lähetteen omistaja · Referral owner", ("owner",), "update"),
)
HINTS = {"refs": "ids separated by ';'", "ref": "an id", "number": "a number (0,5 or 0.5)",
         "integer": "a whole number", "ratio": "a share between 0 and 1"}


def form_columns(form: Form) -> list[FormColumn]:
    sheet = workbook.SHEETS[form.sheet]
    out = []
    for name in form.columns:
        col = sheet.column(name)
        assert col is not None
        choices = col.choices or (("yes", "no") if col.kind == "bool" else ())
        targets = f" ({' or '.join(col.targets)})" if col.targets else ""
        out.append(FormColumn(name, name.replace("_", " "), col.required, tuple(choices),
                              HINTS.get(col.kind, "") + targets))
    return out


def form_keys(g: nx.MultiDiGraph, form: Form) -> list[tuple[str, str]]:
    if form.sheet == "responsibilities":
        from ..graph import responsibilities

        return [(f"{r.actor}~{r.subject}~{r.role}",
                 f"{label(g, r.actor)} → {label(g, r.subject)} ({r.role})")
                for r in responsibilities(g)]
    node_type = workbook.SHEETS[form.sheet].node_type
    out = []
    for n in nodes_of(g, str(node_type)):
        if node_type == "referral":
            src = next((v for _, v, k in g.out_edges(n, data="kind") if k == "from"), "")
            dst = next((v for _, v, k in g.out_edges(n, data="kind") if k == "to"), "")
            out.append((n, f"{n}: {label(g, src)} → {label(g, dst)}"))
        else:
            out.append((n, f"{label(g, n)} ({n})"))
    return out


def finding_link(g: nx.MultiDiGraph, name: str, subject: str) -> str:
    """The view that shows a finding's subject, focused there."""
    from urllib.parse import urlencode

    node_type = g.nodes[subject].get("type") if subject in g else None
    if node_type == "path":
        query = {"view": f"path:{subject}"}
    elif node_type == "segment":
        query = {"view": f"segment:{subject}"}
    elif node_type in ("measure", "goal", "indicator", "risk"):
        query = {"view": "plan", "focus": subject, "depth": 1}
    else:
        query = {"view": "ecosystem", "focus": subject, "depth": 1}
    return f"/graphs/{name}/view?{urlencode(query)}"


def views_of(g: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """The views the UI offers for ``g`` (the views package's menu)."""
    from ..views import menu

    return menu(g)


def _lines(title: Any) -> list[str]:
    return [line for line in str(title or "").splitlines() if line.strip()]


def table_rows(view: Any) -> tuple[list[dict], list[dict]]:
    """A view's nodes and edges as rows: the same facts the picture's tooltips give."""
    by_id = {n["id"]: n.get("label") or n["id"] for n in view.nodes}
    nodes = [{"label": n.get("label") or n["id"], "type": n.get("ptype", ""),
              "lines": _lines(n.get("title"))[1:] or [n["id"]]} for n in view.nodes]
    edges = [{"source": by_id.get(e["from"], e["from"]), "target": by_id.get(e["to"], e["to"]),
              "kind": e.get("kind", ""), "label": e.get("label", ""),
              "lines": _lines(e.get("title"))} for e in view.edges]
    return nodes, edges


def pages_router(store: GraphStore, writable: bool) -> APIRouter:
    router = APIRouter()
    env = environment()

    def html(template: str, of: Entry | None = None, status: int = 200, **context: Any
             ) -> HTMLResponse:
        stale = of.problem_text() if of is not None and of.problem is not None else None
        body = env.get_template(template).render(stale=stale, **context)
        return HTMLResponse(body, status_code=status,
                            headers=graph_headers(of) if of is not None else None)

    @router.get("/", response_class=HTMLResponse, responses=responses(400))
    def index() -> HTMLResponse:
        """The graphs served, with their state and source."""
        rows = [e.summary(store.shadowed.get(e.source.name, [])) for e in store.entries()]
        return html("index.html", title="Verkot · Graphs", graphs=rows)

    @router.get("/graphs/{name}", response_class=HTMLResponse, responses=PAGE)
    def graph_page(name: str) -> HTMLResponse:
        """One graph: its findings (each linked to its node in a view), views (each with a
        table alternative), and the edit forms."""
        from ..describe import describe
        from ..findings import find

        g, entry = store.get(name)
        findings = [dict(suppress_figures(f.to_dict()), link=finding_link(g, name, f.subject))
                    for f in find(g)]
        forms = [dict(id=f.id, sheet=f.sheet, title=f.title, mode=f.mode,
                      columns=form_columns(f),
                      existing=form_keys(g, f)) for f in FORMS]
        return html("graph.html", entry, title=name, info=suppress_figures(describe(g)),
                    views=views_of(g),
                    findings=findings, forms=forms, writable=writable, etag=entry.etag,
                    entry=entry.summary(store.shadowed.get(name, [])))

    @router.get("/graphs/{name}/view", response_class=HTMLResponse, responses=PAGE)
    def view(name: str, view: str = "ecosystem", focus: str | None = None,
             depth: int = Query(1, ge=0, le=20), k: int = Query(5, ge=1, le=50)
             ) -> HTMLResponse:
        """An interactive view (the page ``polku render`` writes)."""
        from ..views import analysed, render_html

        g, entry = store.get(name)
        try:
            kwargs = analysed(g, view, k=k)
            if focus:
                kwargs.update(focus=focus, depth=depth)
            page = render_html(suppress(g), view, **kwargs)
        except PolkuError as e:
            raise ApiError(400, e.message, field="focus" if focus and focus in e.message
                           else "view") from None
        if entry.problem is not None:
            banner = ('<div role="status" style="background:#fff4ce;border-bottom:2px solid '
                      '#7a4100;color:#3d2100;padding:.4rem 1rem">Lähde on rikki · The source '
                      f'is broken; the last good version is shown: {escape(entry.problem_text())}'
                      '</div>')
            page = page.replace('<body class="polku-page">', '<body class="polku-page">' + banner, 1)
        return HTMLResponse(page, headers=graph_headers(entry))

    @router.get("/graphs/{name}/table", response_class=HTMLResponse, responses=PAGE)
    def table(name: str, view: str = "ecosystem", focus: str | None = None,
              depth: int = Query(1, ge=0, le=20), k: int = Query(5, ge=1, le=50)
              ) -> HTMLResponse:
        """A view's facts as tables: for screen readers and keyboard users."""
        from ..views import analysed, build_view

        g, entry = store.get(name)
        try:
            kwargs = analysed(g, view, k=k)
            if focus:
                kwargs.update(focus=focus, depth=depth)
            v = build_view(suppress(g), view, **kwargs)
        except PolkuError as e:
            raise ApiError(400, e.message, field="view") from None
        nodes, edges = table_rows(v)
        return html("table.html", entry, title=v.title, name=name, view=v, spec=view,
                    nodes=nodes, edges=edges)

    @router.get("/graphs/{name}/paths", response_class=HTMLResponse, responses=PAGE)
    def path_explorer(name: str, segment: str | None = None, to: str | None = None,
                      k: int = Query(5, ge=1, le=50)) -> HTMLResponse:
        """Path explorer: a segment's k best paths (to an outcome) and its designed paths."""
        from ..paths import paths_report

        g, entry = store.get(name)
        segments = [(s, label(g, s)) for s in nodes_of(g, "segment")]
        outcomes = [(o, label(g, o)) for o in nodes_of(g, "outcome")]
        segment = segment or (segments[0][0] if segments else None)
        report, error = None, None
        if segment:
            try:
                report = paths_report(g, segment, k=k, to=to or None)
            except PolkuError as e:
                error = e.message
        return html("paths.html", entry, status=400 if error else 200,
                    title=f"Polut · Paths: {name}", name=name, segments=segments,
                    outcomes=outcomes, segment=segment, to=to, k=k, report=report, error=error)

    @router.get("/graphs/{name}/bottlenecks", response_class=HTMLResponse, responses=PAGE)
    def bottleneck_page(name: str, top: int = Query(20, ge=1, le=1000)) -> HTMLResponse:
        """The bottleneck ranking: betweenness and flow."""
        from ..bottlenecks import bottlenecks

        g, entry = store.get(name)
        return html("bottlenecks.html", entry, title=f"Pullonkaulat · Bottlenecks: {name}",
                    name=name, ranking=suppress_figures(bottlenecks(g, top=top)))

    @router.get("/graphs/{name}/changes", response_class=HTMLResponse, responses=PAGE)
    def changes_page(name: str) -> HTMLResponse:
        """The change log, newest first."""
        entry = store.entry(name)
        return html("changes.html", entry, title=f"Muutokset · Changes: {name}", name=name,
                    changes=store.changelog(name).newest_first(500))

    @router.get("/graphs/{name}/report", response_class=HTMLResponse, responses=PAGE)
    def report(name: str) -> HTMLResponse:
        """The leader's report."""
        from ..report import report_data, report_html

        g, entry = store.get(name)
        return HTMLResponse(report_html(suppress(g), suppress_figures(report_data(g))),
                            headers=graph_headers(entry))

    return router


def error_page(status: int, code: str, message: str) -> str:
    """An error as a page in the UI's language (Finnish, with English beside it)."""
    headings = {400: "Virheellinen pyyntö · Bad request", 401: "Tunniste puuttuu · Not signed in",
                403: "Ei oikeutta · Forbidden", 404: "Ei löydy · Not found",
                405: "Menetelmä ei käy · Method not allowed",
                409: "Ristiriita · Conflict", 412: "Verkko on muuttunut · The graph changed",
                422: "Rivi ei kelpaa · The row is not valid",
                428: "ETag puuttuu · If-Match needed"}
    return environment().get_template("error.html").render(
        title=headings.get(status, "Virhe · Error"), heading=headings.get(status, "Virhe · Error"),
        message=message, status=status, code=code, stale=None)
