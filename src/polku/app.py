"""The HTTP API and web UI: ``create_app(sources)`` returns a FastAPI app over some graphs.

The app is a thin layer, like the CLI: it loads graphs with :func:`polku.load.load_graph`,
runs the same analyses and renders the same views. Graphs are read lazily and read again
when their file changes, so a designer can edit a workbook and reload the page.

JSON API (every graph addressed by its name, the file or folder name without suffix):

=======================================  =================================================
``GET /api/graphs``                      the graphs served, with counts by kind
``GET /api/graphs/{g}``                  what ``polku show`` says
``GET /api/graphs/{g}/findings``         the findings JSON of the spec (``long_wait_days``,
                                         ``severity`` = lowest severity to include)
``GET /api/graphs/{g}/bottlenecks``      betweenness and flow ranking (``top``)
``GET /api/graphs/{g}/paths``            k best paths of a segment (``segment``, ``k``, ``to``)
``GET /api/graphs/{g}/whatif``           findings created and resolved (``remove``)
``GET /api/graphs/{g}/plan``             the plan layer, as ``polku plan show --format json``
``GET /api/graphs/{g}/export``           the graph as ``turtle`` or ``jsonld`` (``format``)
=======================================  =================================================

Web UI: ``/`` lists the graphs, ``/graphs/{g}`` shows one with its findings and links to
every view, ``/graphs/{g}/view?view=…`` is an interactive view, ``/graphs/{g}/report`` the
leader's report. Every page is self-contained (no CDN).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import networkx as nx
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi_offline import FastAPIOffline
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from jinja2 import Environment

from .errors import PolkuError
from .kinds import LONG_WAIT_DAYS
from .load import load_graph
from .privacy import suppress, suppress_figures

SEVERITIES = ("error", "warning", "info")


def discover(sources: Sequence[str | Path]) -> dict[str, Path]:
    """Graph name -> source: files given directly, and in folders every ``.ttl``,
    ``.jsonld``, ``.xlsx`` and workbook folder (a folder holding ``services.csv``).

    A Turtle file wins over the workbook of the same name, as ``polku import`` makes it.
    """
    found: dict[str, Path] = {}
    for src in sources:
        path = Path(src)
        if not path.exists():
            raise PolkuError("no such file or folder", file=str(path))
        if path.is_file() or (path / "services.csv").exists() or (path / "actors.csv").exists():
            found.setdefault(path.stem, path)
            continue
        entries = sorted(path.iterdir(), key=lambda p: (p.suffix.lower() != ".ttl", p.name))
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.suffix.lower() in (".ttl", ".jsonld", ".xlsx") or (
                    entry.is_dir() and (entry / "services.csv").exists()):
                found.setdefault(entry.stem, entry)
    return found


@dataclass
class GraphStore:
    """The graphs one app serves, loaded on first use and again when their files change."""
    sources: dict[str, Path]
    _cache: dict[str, tuple[float, nx.MultiDiGraph]] = field(default_factory=dict)

    def _stamp(self, path: Path) -> float:
        if path.is_dir():
            return max((p.stat().st_mtime for p in path.iterdir()), default=0.0)
        return path.stat().st_mtime

    def get(self, name: str) -> nx.MultiDiGraph:
        if name not in self.sources:
            raise HTTPException(404, f"no graph named '{name}'")
        path = self.sources[name]
        stamp = self._stamp(path)
        cached = self._cache.get(name)
        if cached is None or cached[0] != stamp:
            g = load_graph(path)
            g.graph["name"] = name
            self._cache[name] = (stamp, g)
        return self._cache[name][1]


_PAGE = """<!doctype html>
<html lang="fi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · polku</title>
<style>
 body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
 header{background:#0b3d62;color:#fff;padding:.8rem 1.5rem} header a{color:#fff;text-decoration:none;font-weight:600}
 main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem}
 table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1.5rem}
 th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top;font-size:.93rem}
 th{background:#eef2f6} .error{color:#b42318;font-weight:600} .warning{color:#a15c00;font-weight:600}
 .info{color:#1f5fa8} ul.views{columns:2} a{color:#0b5cad}
 code{background:#eef2f6;padding:0 .25rem;border-radius:3px}
</style></head>
<body><header><a href="/">polku</a> · {{ title }}</header><main>
{% if page == "index" %}
<h1>Alueelliset verkot · Regional graphs</h1>
<table><tr><th>graph</th><th>actors</th><th>services</th><th>segments</th><th>referrals</th><th>paths</th><th>measures</th></tr>
{% for g in graphs %}<tr><td><a href="/graphs/{{ g.name }}">{{ g.name }}</a></td>
<td>{{ g.counts.actor }}</td><td>{{ g.counts.service }}</td><td>{{ g.counts.segment }}</td>
<td>{{ g.counts.referral }}</td><td>{{ g.counts.path }}</td><td>{{ g.counts.measure }}</td></tr>
{% else %}<tr><td colspan="7">No graphs found.</td></tr>{% endfor %}</table>
<p>JSON: <a href="/api/graphs">/api/graphs</a> · OpenAPI: <a href="/docs">/docs</a></p>
{% else %}
<h1>{{ info.graph }}</h1>
<p>{% for k, n in info.counts.items() if n %}{{ n }} {{ k }}{% if not loop.last %} · {% endif %}{% endfor %}</p>
<p><a href="/graphs/{{ info.graph }}/report">Raportti · Report</a> ·
 <a href="/api/graphs/{{ info.graph }}/findings">findings JSON</a> ·
 <a href="/api/graphs/{{ info.graph }}/export?format=turtle">Turtle</a></p>
<h2>Näkymät · Views</h2>
<ul class="views">
{% for v, text in views %}<li><a href="/graphs/{{ info.graph }}/view?view={{ v | urlencode }}">{{ text }}</a></li>{% endfor %}
</ul>
<h2>Havainnot · Findings ({{ findings | length }})</h2>
<table><tr><th>severity</th><th>kind</th><th>subject</th><th>message</th></tr>
{% for f in findings %}<tr><td class="{{ f.severity }}">{{ f.severity }}</td><td>{{ f.kind }}</td>
<td><code>{{ f.subject }}</code></td><td>{{ f.message }}</td></tr>
{% else %}<tr><td colspan="4">No findings.</td></tr>{% endfor %}</table>
{% endif %}
</main></body></html>
"""


def create_app(sources: Sequence[str | Path] = ("graphs",)) -> FastAPI:
    """A FastAPI app serving the graphs found in ``sources`` (files or folders).

    >>> from fastapi.testclient import TestClient
    >>> TestClient(create_app(["graphs/keski-uusimaa.ttl"])).get("/api/graphs").json()[0]["name"]
    'keski-uusimaa'
    """
    store = GraphStore(discover(sources))
    # /docs loads its scripts from an installed package, not from a CDN: it must work on a
    # machine with no network (fastapi_offline ships the assets). No /redoc: ReDoc's page
    # fetches its logo from redoc.ly whatever it is told.
    app = FastAPIOffline(redoc_url=None, title="polku", version=__import__("polku").__version__,
                  description="Regional service ecosystems as knowledge graphs: findings, "
                  "bottlenecks, service paths and views.")
    app.state.store = store
    env = Environment(autoescape=True)
    page = env.from_string(_PAGE)

    @app.exception_handler(PolkuError)
    async def polku_error(request: Request, exc: PolkuError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.get("/api/graphs")
    def graphs() -> list[dict[str, Any]]:
        from .graph import summary
        return [{"name": n, "counts": summary(store.get(n))} for n in sorted(store.sources)]

    @app.get("/api/graphs/{name}")
    def graph_info(name: str) -> dict[str, Any]:
        from .describe import describe
        return suppress_figures(describe(store.get(name)))

    @app.get("/api/graphs/{name}/findings")
    def findings(name: str, long_wait_days: float = LONG_WAIT_DAYS,
                 severity: str = Query("info", pattern="^(error|warning|info)$")) -> dict:
        from .findings import find
        keep = SEVERITIES[: SEVERITIES.index(severity) + 1]
        result = [f.to_dict() for f in find(store.get(name), long_wait_days=long_wait_days)
                  if f.severity in keep]
        return suppress_figures({"graph": name, "findings": result})

    @app.get("/api/graphs/{name}/bottlenecks")
    def bottlenecks(name: str, top: int = Query(20, ge=1)) -> dict:
        from .bottlenecks import bottlenecks as rank
        return suppress_figures(rank(store.get(name), top=top))

    @app.get("/api/graphs/{name}/paths")
    def paths(name: str, segment: str, k: int = Query(5, ge=1, le=50),
              to: str | None = None) -> dict:
        from .paths import paths_report
        return paths_report(store.get(name), segment, k=k, to=to)

    @app.get("/api/graphs/{name}/whatif")
    def whatif(name: str, remove: str, long_wait_days: float = LONG_WAIT_DAYS) -> dict:
        from .whatif import whatif as run
        return suppress_figures(run(store.get(name), remove, long_wait_days=long_wait_days))

    @app.get("/api/graphs/{name}/plan")
    def plan(name: str) -> dict:
        from .plan import plan_summary
        return plan_summary(store.get(name))

    @app.get("/api/graphs/{name}/export")
    def export(name: str, format: str = Query("turtle", pattern="^(turtle|jsonld)$")):
        from . import rdf
        g = suppress(store.get(name))
        if format == "turtle":
            return PlainTextResponse(rdf.graph_turtle(g), media_type="text/turtle")
        return PlainTextResponse(rdf.graph_jsonld(g), media_type="application/ld+json")

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        from .graph import summary
        rows = [{"name": n, "counts": summary(store.get(n))} for n in sorted(store.sources)]
        return page.render(page="index", title="graphs", graphs=rows)

    @app.get("/graphs/{name}", response_class=HTMLResponse)
    def graph_page(name: str) -> str:
        from .describe import describe
        from .findings import find
        from .graph import label, nodes_of
        g = store.get(name)
        views = [("ecosystem", "Ekosysteemi · Ecosystem"),
                 ("responsibility", "Vastuut · Responsibilities")]
        views += [(f"segment:{s}", f"Segmentti: {label(g, s)}") for s in nodes_of(g, "segment")]
        views += [(f"path:{p}", f"Polku: {label(g, p)}") for p in nodes_of(g, "path")]
        if nodes_of(g, "measure"):
            views += [("plan", "Suunnitelma · Plan"), ("timeline", "Aikajana · Timeline")]
        return page.render(page="graph", title=name, info=suppress_figures(describe(g)),
                           views=views,
                           findings=suppress_figures([f.to_dict() for f in find(g)]))

    @app.get("/graphs/{name}/view", response_class=HTMLResponse)
    def view(name: str, view: str = "ecosystem", focus: str | None = None,
             depth: int = Query(1, ge=0, le=20), k: int = Query(5, ge=1, le=50)) -> str:
        from .render import analysed, render_html
        g = store.get(name)
        kwargs = analysed(g, view, k=k)
        if focus:
            kwargs.update(focus=focus, depth=depth)
        return render_html(suppress(g), view, **kwargs)

    @app.get("/graphs/{name}/report", response_class=HTMLResponse)
    def report(name: str) -> str:
        from .report import report_data, report_html
        g = store.get(name)
        return report_html(suppress(g), suppress_figures(report_data(g)))

    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory polku.app:app_from_env``: sources from ``POLKU_GRAPHS``
    (``os.pathsep``-separated), default ``graphs``."""
    return create_app(os.environ.get("POLKU_GRAPHS", "graphs").split(os.pathsep))


__all__ = ["create_app", "discover", "GraphStore", "app_from_env"]
