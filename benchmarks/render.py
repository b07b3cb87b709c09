"""How fast are the views at national size, in Python and in the browser?

Measures, in one run, on the synthetic national workbook (benchmarks/synthetic.py,
≈3,000 services, 600 segments, 5,000 referrals; its ecosystem view has ≈3,900 nodes, past
the clustering threshold):

1. Writing the ecosystem page in-process (view built, page rendered, file written
   atomically), with the findings already computed; and ``polku render`` end to end as a
   subprocess (start-up, loading, findings and writing included).
2. The browser: headless Chromium opens the page from disk with every request blocked;
   time from navigation to a stable network (layout iterations done and physics stopped,
   clusters collapsed), as the page itself reports it (``window.polku.timings``).
3. Against pyvis's own path (``--pyvis-sizes``, default 0.25 and 1 ≈ 1,000 and 3,900
   view nodes, unclustered): ``Network.from_nx`` + ``generate_html`` versus our build +
   render of the same ecosystem, as a ratio; pyvis's ``add_node`` checks membership in a
   list, so its ratio grows with the size. (pyvis's page would also need a CDN; only the
   Python side is compared.)

Run: ``.venv/bin/python benchmarks/render.py`` (``--size``, ``--repeat N``, ``--keep DIR``,
``--no-browser``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import networkx as nx  # noqa: E402

from polku.present import views  # noqa: E402
from polku.analyses.findings import find  # noqa: E402
from polku.io.load import load_graph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def workbook(size: float, folder: Path) -> Path:
    import synthetic

    if not (folder / "services.csv").exists():
        synthetic.write_workbook_csv(synthetic.generate(size=size, seed=42), folder)
    return folder


def best(times: list[float]) -> float:
    return min(times)


def time_write(g: nx.MultiDiGraph, findings: list, out: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        views.write_view(g, "ecosystem", out, audience="editor", findings=findings)
        times.append(time.perf_counter() - t)
    return times


def time_cli(wb: Path, out: Path, repeat: int) -> list[float]:
    script = Path(sys.executable).parent / "polku"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "polku.cli"]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd + ["render", str(wb), "-o", str(out), "--view", "ecosystem"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def time_browser(page_path: Path, repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    url = page_path.resolve().as_uri()
    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            blocked: list[str] = []

            def route(r, blocked=blocked):
                if r.request.url == url:
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector('.polku-view[data-stable="1"]', state="attached",
                                   timeout=300_000)
            wall = time.perf_counter() - t
            timings = page.evaluate("window.polku.timings")
            nav = page.evaluate("window.polku.stableAt")  # ms since navigation start
            drawn = page.evaluate("window.polku.nodes.length")
            physics = page.evaluate("window.network.physics.options.enabled")
            if blocked:
                raise SystemExit(f"the page attempted requests: {blocked[:3]}")
            runs.append({"wall": wall, "since_navigation": nav / 1000, "timings": timings,
                         "drawn": drawn, "physics_on": physics})
            page.close()
        browser.close()
    return runs


def ecosystem_nx(g: nx.MultiDiGraph) -> nx.DiGraph:
    """The ecosystem view's nodes and referral edges as a plain graph for pyvis.from_nx."""
    view = views.build_view(g, "ecosystem", cluster_threshold=10**9)
    h = nx.DiGraph()
    for n in view.nodes:
        h.add_node(n["id"], label=n["label"], title=n["title"], shape=n["shape"],
                   size=n["size"], color=n["color"]["background"])
    for e in view.edges:
        h.add_edge(e["from"], e["to"], title=e.get("title", ""), width=e["width"])
    return h


def compare_pyvis(g: nx.MultiDiGraph, findings: list, repeat: int) -> tuple[float, float, int]:
    from pyvis.network import Network

    h = ecosystem_nx(g)
    ours, theirs = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        views.render_html(g, "ecosystem", audience="editor", findings=findings,
                          cluster_threshold=10**9)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        net = Network(directed=True, cdn_resources="remote")
        net.from_nx(h)
        net.generate_html()
        theirs.append(time.perf_counter() - t)
    return best(ours), best(theirs), h.number_of_nodes()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=float, default=1.0)
    ap.add_argument("--pyvis-sizes", default="0.25,1",
                    help="comma-separated sizes for the pyvis comparison")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="reuse/keep the generated workbooks here")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="polku-render-bench-"))
    base = args.keep or tmp
    try:
        wb = workbook(args.size, base / f"national-{args.size:g}")
        g = load_graph(wb)
        findings = [f.to_dict() for f in find(g)]
        view = views.build_view(g, "ecosystem", findings=findings)
        out = tmp / "ecosystem.html"
        print(f"graph: size {args.size:g}, {g.number_of_nodes()} nodes in the typed graph, "
              f"{len(view.nodes)} in the ecosystem view, {len(view.edges)} edges, "
              f"clustered: {bool(view.cluster)} "
              f"({len(view.cluster['groups']) if view.cluster else 0} groups)")

        writes = time_write(g, findings, out, args.repeat)
        print(f"write page in-process : best {best(writes):.3f} s, median "
              f"{statistics.median(writes):.3f} s, {out.stat().st_size / 1e6:.1f} MB")
        cli = time_cli(wb, tmp / "cli.html", args.repeat)
        print(f"polku render (CLI)     : best {best(cli):.3f} s end to end (start-up, load, "
              "findings, write)")

        if not args.no_browser:
            runs = time_browser(out, args.repeat)
            stable = [r["since_navigation"] for r in runs]
            t = runs[0]["timings"]
            print(f"browser until stable  : best {best(stable):.2f} s, median "
                  f"{statistics.median(stable):.2f} s after navigation "
                  f"(JSON parsed {t['parsed'] / 1000:.2f} s, network built "
                  f"{t['network'] / 1000:.2f} s, stable {t['stable'] / 1000:.2f} s after "
                  f"the script started; {runs[0]['drawn']} nodes drawn, physics on after: "
                  f"{runs[0]['physics_on']})")

        for size in (float(x) for x in args.pyvis_sizes.split(",")):
            small = g if size == args.size else load_graph(
                workbook(size, base / f"national-{size:g}"))
            small_findings = [f.to_dict() for f in find(small)]
            ours, theirs, n = compare_pyvis(small, small_findings, args.repeat)
            print(f"vs pyvis from_nx      : size {size:g}, {n} nodes: ours {ours:.3f} s, "
                  f"pyvis {theirs:.3f} s, ratio pyvis/ours {theirs / ours:.1f}×")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
