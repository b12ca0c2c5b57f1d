"""Where a page's browser time goes: main-thread CPU per load, and what it runs (Chromium trace and CPU profile).

Wall time to every chart drawn swings with the machine's load; the renderer main thread's CPU time
(thread time of its top-level tasks, from the trace) swings much less, and it is what a page costs:
Streamlit's frontend and plotly.js run on that one thread. `python -m bench.browser_profile [view ...]`
(a view: a page label, or « label · section » as in bench.pages.VIEWS) prints, per view, the wall time,
the main-thread CPU, both as multiples of the empty page, and the CPU profile by origin (plotly.js, React,
Streamlit's markdown, styles, data grid; "(program)" samples, outside JavaScript or not attributed, are shown
apart and grow when the machine is loaded).
"""

from __future__ import annotations

import collections
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.browser_times import ALL_DRAWN, ARGS, CHROMIUM
from bench.pages import TERRITORY, VIEWS
from bench.server import Server

TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"]
# A profile sample goes to the first origin found on its stack (file names of Streamlit's bundle).
ORIGINS = (("plotly.js", "PlotlyChart"), ("grille (st.dataframe)", "DataFrame"),
           ("markdown", "StreamlitMarkdown"), ("styles (emotion)", "emotion"), ("React", "react-dom"),
           ("Streamlit (autre)", "/static/js/"))


def _load(page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(ALL_DRAWN, timeout=60_000, polling=50)
    return time.perf_counter() - started


def _wall(page, url: str, runs: int = 3) -> float:
    """Median wall seconds to every chart drawn, each load from a blank page."""
    seconds = []
    for _ in range(runs):
        seconds.append(_load(page, url))
        page.goto("about:blank")
    return statistics.median(seconds)


def main_thread_seconds(trace: Path) -> float:
    """CPU seconds of the renderer main thread's top-level tasks in a Chromium trace."""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    tasks = sorted((e for e in events if e.get("ph") == "X" and e.get("name") == "RunTask"
                    and (e.get("pid"), e.get("tid")) in main), key=lambda e: e["ts"])
    total, end = 0, 0
    for task in tasks:  # nested tasks are inside their parent's time
        if task["ts"] >= end:
            total += task.get("tdur", task["dur"])
            end = task["ts"] + task["dur"]
    return total / 1e6


def cpu(browser, page, url: str, runs: int = 3) -> float:
    """Median main-thread CPU seconds from navigation to every chart drawn (after one warm-up load)."""
    _load(page, url)
    page.goto("about:blank")
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace.json"
        for _ in range(runs):
            browser.start_tracing(page=page, path=str(trace), categories=TRACE_CATEGORIES)
            _load(page, url)
            browser.stop_tracing()
            seconds.append(main_thread_seconds(trace))
            page.goto("about:blank")
    return statistics.median(seconds)


def origins(page, url: str) -> dict[str, float]:
    """Milliseconds of main-thread CPU profile samples of one load, by origin (ORIGINS, then the browser's own)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    cdp.send("Profiler.start")
    _load(page, url)
    profile = cdp.send("Profiler.stop")["profile"]
    cdp.detach()
    page.goto("about:blank")
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}
    spent: collections.Counter = collections.Counter()
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"]):
        spent[node_id] += delta
    out: collections.Counter = collections.Counter()
    for node_id, micros in spent.items():
        stack, x = [], node_id
        while x is not None:
            stack.append(nodes[x]["callFrame"]["url"])
            x = parent.get(x)
        own = nodes[node_id]["callFrame"]["functionName"]
        name = next((label for label, part in ORIGINS if any(part in u for u in stack)), None)
        out[name or {"(program)": "hors JavaScript ou non attribué", "(garbage collector)": "ramasse-miettes",
                     "(idle)": "inactif"}.get(own, "autre")] += micros / 1000
    return dict(out.most_common())


def main(names: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    names = names or list(VIEWS)
    with sync_playwright() as p, Server("bench/floor_empty.py") as floor, Server() as server:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        floor_cpu = cpu(browser, page, floor.url)
        floor_wall = _wall(page, floor.url)
        print(f"page vide : {floor_wall:.2f} s, fil principal {floor_cpu * 1000:.0f} ms")
        for name in names:
            _, path, section = VIEWS[name]
            url = f"{server.url}/{path}?territoire={TERRITORY}" + (f"&{section}" if section else "")
            seconds = cpu(browser, page, url)
            wall = _wall(page, url)
            spent = ", ".join(f"{k} {v:.0f}" for k, v in origins(page, url).items() if v >= 5)
            print(f"{name} : {wall:.2f} s ({wall / floor_wall:.1f} ×), fil principal {seconds * 1000:.0f} ms "
                  f"({seconds / floor_cpu:.1f} ×) ; profil (ms) : {spent}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
