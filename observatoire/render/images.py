"""Images of plotly figures through kaleido's headless Chromium, kept for the process.

PNG of maps for PowerPoint, SVG of charts and maps for the PDF. Nothing is requested outside the machine.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

import plotly.graph_objects as go

from observatoire.charts import block_figure
from observatoire.render.figures import legend_aside, static_map
from observatoire.render.layout import ChartBox, MapBox, Page

Progress = Callable[[float, str], None]
PNG_SCALE = 2  # maps in PowerPoint at 144 dpi


class _Renderer:
    """One headless Chromium (kaleido) kept for the process, used from any thread.

    Unlike kaleido's own sync server, it requests nothing outside the machine (no MathJax
    from a CDN) and serves concurrent callers (Streamlit sessions) safely. One tab: on two
    cores a second tab doubled the start-up time and saved nothing per figure.
    """

    TABS = 1

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def start(self) -> None:
        with self._lock:
            if self._loop is not None:
                return
            import kaleido

            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()

            async def open_browser():
                k = kaleido.Kaleido(n=self.TABS, mathjax=False)
                await k.open()
                return k

            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(timeout=120)
            self._loop = loop
            atexit.register(self.close)

    def render(self, jobs: Sequence[tuple[go.Figure | dict, dict]]) -> list[bytes]:
        """Image bytes (PNG or SVG) of each (figure, options) job, rendered concurrently."""
        self.start()

        async def all_jobs():
            return await asyncio.gather(*(self._kaleido.calc_fig(fig if isinstance(fig, dict) else fig.to_dict(),
                                                                 opts=opts) for fig, opts in jobs))

        return asyncio.run_coroutine_threadsafe(all_jobs(), self._loop).result(timeout=300)

    def close(self) -> None:
        with self._lock:
            if self._loop is None:
                return
            try:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(timeout=30)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._loop = self._kaleido = None


_RENDERER = _Renderer()


def browser_path() -> str | None:
    """The Chromium kaleido uses (BROWSER_PATH, or found on the machine), also the one that prints the PDF."""
    from choreographer.browsers.chromium import Chromium

    found = Chromium.find_browser(skip_local=False)
    return str(found) if found else None


@lru_cache(maxsize=1)
def missing_image_engine() -> str | None:
    """Why the deck cannot be built on this machine (no Chromium for kaleido), in French; None when it can.

    Looked up once per process: installing Chromium takes a restart of the dashboard.
    """
    path = browser_path()
    if path and os.access(path, os.X_OK):
        return None
    where = f" ({path} absent)" if path else ""
    return ("L'export PowerPoint / PDF a besoin du navigateur Chromium, introuvable sur ce serveur" + where + ". "
            "L'administrateur du serveur peut l'installer avec « sudo apt-get install chromium » (paquet Debian "
            "chromium), ou indiquer son emplacement dans la variable BROWSER_PATH, puis relancer le tableau de bord.")


def warm_up() -> None:
    """Start the image renderer in the background (the first start takes a few seconds)."""
    if _RENDERER._loop is None and not _RENDERER._lock.locked() and missing_image_engine() is None:
        threading.Thread(target=_RENDERER.start, name="kaleido-start", daemon=True).start()


def png(fig: go.Figure, width: int, height: int, scale: float = 2) -> bytes:
    """A PNG of a plotly figure."""
    return _RENDERER.render([(fig, {"format": "png", "width": width, "height": height, "scale": scale})])[0]



def _job(item: ChartBox | MapBox, image_format: str) -> tuple[go.Figure | dict, dict]:
    """The figure of a chart or map box at the box's size (maps redrawn as SVG shapes)."""
    width, height = round(item.box.w * 72), round(item.box.h * 72)
    chart, data = item.spec if isinstance(item, MapBox) else (item.slide.chart, item.slide.data)
    fig = block_figure(chart, data, height, item.font, width=width)
    if isinstance(item, MapBox):
        if chart.kind == "points":
            legend_aside(fig, item.font)
        fig = static_map(fig, width, height)
    scale = PNG_SCALE if image_format == "png" else 1
    return fig, {"format": image_format, "width": width, "height": height, "scale": scale}


def render_images(pages: Sequence[Page], formats: Sequence[str], progress: Progress | None = None,
                  batch: int = 2 * _Renderer.TABS) -> dict[tuple[str, type, str], bytes]:
    """Images keyed by (slide id, item type, format): map PNGs for PowerPoint, chart and map SVGs for the PDF."""
    wanted = []
    for item in (it for p in pages for it in p.items if isinstance(it, ChartBox | MapBox)):
        if "pptx" in formats and isinstance(item, MapBox):
            wanted.append((item, "png"))
        if "pdf" in formats:
            wanted.append((item, "svg"))
    if progress:
        progress(0.0, "Démarrage du moteur d'images" if _RENDERER._loop is None else "Images des graphiques")
    _RENDERER.start()
    images = {}
    for start in range(0, len(wanted), batch):
        chunk = wanted[start:start + batch]
        if progress:
            progress(start / max(len(wanted), 1),
                     f"Images {start + 1} à {start + len(chunk)} sur {len(wanted)} : graphiques et cartes")
        for (item, kind), image in zip(chunk, _RENDERER.render([_job(it, kind) for it, kind in chunk])):
            images[(item.slide.id, type(item), kind)] = image
    return images
