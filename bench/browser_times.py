"""Browser time from navigation to every chart drawn, per view (a page, or a section of it; Playwright + Debian
Chromium), the bytes each page sends to the browser beyond Streamlit's own static bundle, and the CPU time
of the browser's main thread for it (less swayed by the machine's load: bench.browser_profile)."""

from __future__ import annotations

import statistics
import time

from bench.pages import TERRITORY, VIEWS
from bench.server import Server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

# True once the script has finished and every chart on the page has drawn: plotly SVG
# charts have their main SVG, SVG maps (geo subplots) their polygons, plotly maps with a
# basemap their MapLibre map loaded, pydeck maps a canvas.
ALL_DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) return false;
  if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
  for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const gd = el.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) return false;
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (sub) { if (!sub.map || !sub.map.loaded()) return false; }
    else if (!gd.querySelector('.main-svg')) return false;
    if (gd._fullLayout.geo && !gd.querySelector('.geo .choroplethlocation')) return false;
  }
  for (const el of document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')) {
    if (!el.querySelector('canvas')) return false;
  }
  return true;
}"""


def _measure(page, cdp, url: str, runs: int) -> tuple[float, int]:
    """Median seconds to every chart drawn, and median bytes received beyond /static/ (via CDP)."""
    times, sizes = [], []
    for _ in range(runs):
        received = {"bytes": 0}
        urls: dict[str, str] = {}

        def on_frame(event, received=received):
            received["bytes"] += len(event["response"]["payloadData"].encode())

        def on_request(event, urls=urls):
            urls[event["requestId"]] = event["request"]["url"]

        def on_finished(event, received=received, urls=urls):
            if "/static/" not in urls.get(event["requestId"], "/static/"):  # Streamlit's bundle left out
                received["bytes"] += int(event["encodedDataLength"])

        cdp.on("Network.webSocketFrameReceived", on_frame)
        cdp.on("Network.requestWillBeSent", on_request)
        cdp.on("Network.loadingFinished", on_finished)
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(ALL_DRAWN, timeout=60_000, polling=50)
        times.append(time.perf_counter() - started)
        page.wait_for_timeout(300)
        sizes.append(received["bytes"])
        cdp.remove_listener("Network.webSocketFrameReceived", on_frame)
        cdp.remove_listener("Network.requestWillBeSent", on_request)
        cdp.remove_listener("Network.loadingFinished", on_finished)
        page.goto("about:blank")
    return statistics.median(times), int(statistics.median(sizes))


def measure(runs: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    from bench import browser_profile

    out: dict = {"runs": runs, "pages_s": {}, "pages_bytes": {}, "pages_cpu_s": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        with Server("bench/floor_empty.py") as floor:
            _measure(page, cdp, floor.url, 1)  # warm the browser's cache of Streamlit's bundle
            out["floor_empty_s"], out["floor_empty_bytes"] = _measure(page, cdp, floor.url, runs)
            out["floor_empty_cpu_s"] = browser_profile.cpu(browser, page, floor.url)
        with Server() as server:
            for name, (_, path, section) in VIEWS.items():
                url = f"{server.url}/{path}?territoire={TERRITORY}" + (f"&{section}" if section else "")
                _measure(page, cdp, url, 1)
                out["pages_s"][name], out["pages_bytes"][name] = _measure(page, cdp, url, runs)
                out["pages_cpu_s"][name] = browser_profile.cpu(browser, page, url)
        browser.close()
    return out
