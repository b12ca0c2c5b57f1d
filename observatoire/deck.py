"""Render slide specs (observatoire.slides) to PowerPoint and PDF, and to plotly figures.

No Streamlit import. A slide is first laid out once as a list of boxes in inches (text,
rectangles, charts, map images) on a 16:9 page; two back ends draw the same layout:
- PowerPoint (python-pptx): charts are native PowerPoint charts holding their data
  (editable in PowerPoint), maps are PNG images; every slide has a footer (territory,
  data year, sources) and speaker notes with the full sources;
- PDF: each slide drawn with Pillow at 1920x1080 (charts and maps as plotly PNGs from
  kaleido), one page per slide.
Text is fitted with Liberation Sans metrics (the same as Arial, the font the deck uses).
"""

from __future__ import annotations

import asyncio
import atexit
import io
import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from observatoire import charts, fmt
from observatoire.slides import Slide

Progress = Callable[[float, str], None]

PAGE_W, PAGE_H = 13.333, 7.5  # inches, 16:9
PDF_DPI = 144  # 1920 x 1080 pages
FONT_NAME = "Arial"
INK = charts.INK
GREY = "#5f6368"
ACCENT = charts.ACCENT
BRAND = "#C8102E"  # the dashboard's primary colour (.streamlit/config.toml)
TILE_FILL = "#f3f5f8"
BADGE_FILL = "#fff4cc"
BADGE_INK = "#5c4400"
DONUT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
LINE = 1.2  # line height, in font sizes
FONT_FILES = {
    False: ["/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    True: ["/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
           "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
           "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
}


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in inches from the top left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Para:
    text: str
    size: float  # points
    bold: bool = False
    colour: str = INK
    italic: bool = False
    space_after: float = 0.35  # in font sizes


@dataclass(frozen=True)
class Text:
    box: Box
    paras: tuple[Para, ...]
    name: str
    align: str = "left"  # left, center, right
    valign: str = "top"  # top, middle, bottom
    fill: str | None = None
    pad: float = 0.0  # inches of inner margin (tiles, badges)
    is_title: bool = False


@dataclass(frozen=True)
class Rect:
    box: Box
    fill: str
    name: str


@dataclass(frozen=True)
class ChartBox:
    """A slide's chart: native in PowerPoint, a plotly image in the PDF."""

    box: Box
    slide: Slide
    font: float = 16


@dataclass(frozen=True)
class MapBox:
    """A slide's map: a plotly image in both formats."""

    box: Box
    slide: Slide
    font: float = 14


Item = Text | Rect | ChartBox | MapBox


@dataclass
class Page:
    slide: Slide
    items: list[Item] = field(default_factory=list)


@lru_cache(maxsize=64)
def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES[bold]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _wrap(text: str, font, width: float) -> list[str]:
    """Greedy word wrap of one paragraph to a width in font units."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for word in raw.split(" "):
            candidate = f"{line} {word}" if line else word
            if not line or font.getlength(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _measure(paras: Sequence[Para], width_pt: float) -> float:
    """Height in points of paragraphs wrapped to width_pt."""
    total = 0.0
    for i, p in enumerate(paras):
        lines = _wrap(p.text, _font(p.bold, round(p.size * 2) / 2), width_pt)
        total += len(lines) * p.size * LINE + (p.size * p.space_after if i < len(paras) - 1 else 0)
    return total


def fit_factor(paras: Sequence[Para], box: Box, pad: float = 0.0, floor: float = 0.55) -> float:
    """The largest factor (1 down to floor) by which the paragraphs' sizes fit in the box."""
    width, height = (box.w - 2 * pad) * 72, (box.h - 2 * pad) * 72
    factor = 1.0
    while factor > floor and _measure([replace(p, size=p.size * factor) for p in paras], width) > height:
        factor -= 0.05
    return factor


def _scaled(paras: Sequence[Para], factor: float) -> tuple[Para, ...]:
    return tuple(replace(p, size=round(p.size * factor * 2) / 2) for p in paras)


def fit(paras: Sequence[Para], box: Box, pad: float = 0.0) -> tuple[Para, ...]:
    """The paragraphs shrunk by one factor so that they fit in the box."""
    return _scaled(paras, fit_factor(paras, box, pad))


def _text(box: Box, paras: Sequence[Para], name: str, **kwargs) -> Text:
    return Text(box, fit(paras, box, kwargs.get("pad", 0.0)), name, **kwargs)


def _tiles(specs: Sequence[tuple[Box, Sequence[Para], str]], pad: float) -> list[Text]:
    """Tiles of a grid, their text shrunk by one common factor so that they look alike."""
    factor = min(fit_factor(paras, box, pad) for box, paras, _ in specs)
    return [Text(box, _scaled(paras, factor), name, fill=TILE_FILL, pad=pad, valign="middle")
            for box, paras, name in specs]


RULE_BOX = Box(0.55, 0.30, 1.3, 0.07)
TITLE_BOX = Box(0.55, 0.47, 12.23, 0.92)
SUBTITLE_BOX = Box(0.55, 1.42, 12.23, 0.42)
CAPTION_BOX = Box(0.55, 6.50, 9.4, 0.38)
BADGE_BOX = Box(10.18, 6.50, 2.6, 0.38)
FOOTER_BOX = Box(0.55, 6.98, 11.1, 0.34)
NUMBER_BOX = Box(11.78, 6.98, 1.0, 0.34)
CONTENT_BOTTOM = 6.42


def _content(slide: Slide) -> Box:
    top = 1.95 if slide.subtitle else 1.55
    return Box(0.55, top, 12.23, CONTENT_BOTTOM - top)


def _frame(slide: Slide, number: int, total: int) -> list[Item]:
    """Title, rule, subtitle, caption, demonstration badge, footer and slide number."""
    items: list[Item] = [
        _text(TITLE_BOX, [Para(slide.title, 30, bold=True)], "Titre", is_title=True),
        Rect(RULE_BOX, BRAND, "Filet"),
    ]
    if slide.subtitle:
        items.append(_text(SUBTITLE_BOX, [Para(slide.subtitle, 18, colour=GREY)], "Sous-titre"))
    if slide.caption:
        items.append(_text(CAPTION_BOX, [Para(slide.caption, 14, colour=GREY, italic=True)], "Légende",
                           valign="middle"))
    if slide.demo:
        items.append(_text(BADGE_BOX, [Para("données de démonstration", 13, bold=True, colour=BADGE_INK)],
                           "Badge démonstration", align="center", valign="middle", fill=BADGE_FILL, pad=0.04))
    items += _footer(slide, number, total)
    return items


def _footer(slide: Slide, number: int, total: int) -> list[Item]:
    return [
        _text(FOOTER_BOX, [Para(slide.footer, 11, colour=GREY)], "Pied de page", valign="middle"),
        _text(NUMBER_BOX, [Para(f"{number} / {total}", 11, colour=GREY)], "Numéro", align="right",
              valign="middle"),
    ]


def _title_page(slide: Slide, number: int, total: int) -> list[Item]:
    paras = [Para(slide.subtitle, 24, colour=GREY, space_after=0.8)] + [Para(b, 16, colour=GREY) for b in slide.body]
    return [
        Rect(Box(0, 0, 0.35, PAGE_H), BRAND, "Bandeau"),
        _text(Box(1.2, 1.2, 11.0, 2.4), [Para(slide.title, 40, bold=True)], "Titre", valign="bottom", is_title=True),
        _text(Box(1.2, 3.85, 11.0, 2.2), paras, "Sous-titre"),
        *_footer(slide, number, total),
    ]


def _kpi_tiles(data: pd.DataFrame, area: Box) -> list[Item]:
    rows = list(data.itertuples())
    columns = 3 if len(rows) > 4 else max(2, len(rows))
    nrows = math.ceil(len(rows) / columns)
    gap = 0.25
    w = (area.w - gap * (columns - 1)) / columns
    h = min(2.2, (area.h - gap * (nrows - 1)) / nrows)
    specs = []
    for i, r in enumerate(rows):
        box = Box(area.x + (i % columns) * (w + gap), area.y + (i // columns) * (h + gap), w, h)
        paras = [Para(fmt.with_unit(r.value, r.unit), 40, bold=True, colour=ACCENT, space_after=0.15),
                 Para(r.label, 18, bold=True, space_after=0.3), Para(r.caption, 13, colour=GREY)]
        specs.append((box, paras, f"Chiffre clé {i + 1}"))
    return _tiles(specs, pad=0.18)


def _ranking(side: pd.DataFrame, area: Box, header: str) -> list[Item]:
    items: list[Item] = [_text(Box(area.x, area.y, area.w, 0.45), [Para(header, 16, bold=True, colour=GREY)],
                               "Classement")]
    row_h = min(0.62, (area.h - 0.5) / max(len(side), 1))
    for i, r in enumerate(side.itertuples()):
        y = area.y + 0.5 + i * row_h
        items.append(_text(Box(area.x, y, 0.85, row_h), [Para(fmt.number(r.value), 20, bold=True, colour=ACCENT)],
                           f"Rang {i + 1} valeur", align="right", valign="middle"))
        items.append(_text(Box(area.x + 1.0, y, area.w - 1.0, row_h), [Para(str(r.label), 17)],
                           f"Rang {i + 1} territoire", valign="middle"))
    return items


def _project(slide: Slide, area: Box) -> list[Item]:
    results = slide.data if slide.data is not None else pd.DataFrame()
    text_w = area.w if results.empty else 6.9
    items: list[Item] = [_text(Box(area.x, area.y, text_w, area.h), [Para(b, 22) for b in slide.body], "Résumé")]
    if results.empty:
        return items
    rows = list(results.itertuples())
    columns = 1 if len(rows) <= 3 else 2
    nrows = math.ceil(len(rows) / columns)
    x0, gap = area.x + text_w + 0.35, 0.18
    w = (area.x + area.w - x0 - gap * (columns - 1)) / columns
    h = min(1.45, (area.h - gap * (nrows - 1)) / nrows)
    specs = []
    for i, r in enumerate(rows):
        box = Box(x0 + (i % columns) * (w + gap), area.y + (i // columns) * (h + gap), w, h)
        value = fmt.with_unit(r.value, r.unit)
        paras = [Para(value, 26, bold=True, colour=ACCENT, space_after=0.1), Para(r.label, 16)]
        specs.append((box, paras, f"Résultat {i + 1}"))
    return items + _tiles(specs, pad=0.12)


def layout(slide: Slide, number: int, total: int) -> Page:
    """Place a slide's title, content, caption and footer on a 13.33 x 7.5 in page."""
    if slide.kind == "title":
        return Page(slide, _title_page(slide, number, total))
    items = _frame(slide, number, total)
    area = _content(slide)
    if slide.kind == "kpis":
        items += _kpi_tiles(slide.data, area)
    elif slide.kind == "map":
        map_w = 8.4 if slide.side is not None and len(slide.side) else area.w
        items.append(MapBox(Box(area.x, area.y, map_w, area.h), slide))
        if map_w < area.w:
            items += _ranking(slide.side, Box(area.x + map_w + 0.3, area.y + 0.2, area.w - map_w - 0.3, area.h - 0.2),
                              slide.side_title)
    elif slide.kind == "project":
        items += _project(slide, area)
    else:  # chart, with its facts on the right when it has any
        chart_w = area.w if not slide.body else 7.4
        if slide.chart is not None:
            items.append(ChartBox(Box(area.x, area.y, chart_w, area.h), slide))
        else:
            chart_w = 0.0
        if slide.body:
            x = area.x + chart_w + (0.3 if chart_w else 0)
            items.append(_text(Box(x, area.y + 0.3, area.x + area.w - x, area.h - 0.3),
                               [Para(b, 22, space_after=0.7) for b in slide.body], "Faits", valign="middle"))
    return Page(slide, items)


def layout_deck(slides: Sequence[Slide]) -> list[Page]:
    return [layout(s, i, len(slides)) for i, s in enumerate(slides, start=1)]


# --------------------------------------------------------------------------- plotly figures


def figure(slide: Slide, height: int, font_size: float = 16, width: int | None = None) -> go.Figure:
    """The plotly figure of a chart or map slide, with the dashboard's colours and formats."""
    c, df = slide.chart, slide.data
    if c is None:
        raise ValueError(f"La diapositive {slide.id} n'a pas de graphique")
    value = c.value_cols[0]
    if c.kind in ("bar", "column"):
        fig = charts.bar(df, c.category_col, value, unit=c.unit, colour_col=c.colour_col,
                         horizontal=c.kind == "bar", height=height)
        fig.update_traces(textfont_size=font_size)
        if c.kind == "bar":
            fig.update_layout(margin={"r": font_size * 3})
    elif c.kind == "stacked":
        long = df.melt(id_vars=c.category_col, value_vars=list(c.value_cols), var_name="series", value_name="value")
        fig = charts.stacked_shares(long, c.category_col, "series", "value",
                                    dict(zip(c.value_cols, c.series_colours or DONUT_COLOURS)), height=height)
        fig.update_traces(textfont_size=font_size, textfont_color="white")
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(legend={"font": {"size": font_size}, "y": -0.08, "yanchor": "top", "traceorder": "normal"},
                          uniformtext={"minsize": font_size * 0.8, "mode": "hide"})
    elif c.kind == "doughnut":
        fig = charts.donut(df, c.category_col, value, unit=c.unit, colours=list(c.series_colours or DONUT_COLOURS),
                           height=height)
        fig.update_traces(textfont_size=font_size)
        fig.update_layout(legend={"font": {"size": font_size}}, margin={"l": 20, "r": 20, "t": 30, "b": 30})
    elif c.kind == "map":
        from observatoire import maps

        # the territory of the slide, outlined and shown with its neighbours
        fig = maps.choropleth(df, c.level, value, unit=c.unit, value_name=c.names()[0], height=height,
                              width=width or maps.WIDTH_HINT, focus=c.zoom_to[1] if c.zoom_to else None)
        fig.update_layout(legend={"font": {"size": font_size * 0.8}})
        fig.update_annotations(font_size=max(font_size * 0.5, 10))  # the map credit
    else:
        raise ValueError(f"Type de graphique inconnu : {c.kind}")
    fig.update_layout(font={"size": font_size}, width=width)
    return fig


def _rings(geometry: dict) -> list[list]:
    """Exterior rings of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def static_map(fig: go.Figure, width: int, height: int) -> dict:
    """The same map redrawn as SVG (a plotly figure dict): filled polygons on Web Mercator axes, no WebGL.

    Exported images need no zoom or hover: plain scatter polygons render in a fraction of the
    time of a geo subplot (and of MapLibre's WebGL, with a basemap), with no topology to load.
    Colours come from each trace's own colour scale, so the image matches the screen.
    Plain dicts rather than plotly objects: validating thousands of points costs a second.
    """
    from plotly.colors import sample_colorscale

    from observatoire import geo

    def y_of(lats) -> list:
        """Web Mercator ordinates, None (a gap between lines) kept."""
        values = np.array([np.nan if v is None else v for v in lats], dtype=float)
        ys = np.round(geo.mercator_y(values), 5).astype(object)
        ys[np.isnan(values)] = None
        return ys.tolist()

    source = fig.to_plotly_json()
    data: list[dict] = []
    for trace in source["data"]:
        if trace["type"] in ("choropleth", "choroplethmap"):
            z = np.asarray(trace["z"], dtype=float)
            zmin = trace.get("zmin", float(z.min()) if len(z) else 0.0)
            zmax = trace.get("zmax", float(z.max()) if len(z) else 1.0)
            scale = [list(step) for step in trace["colorscale"]]
            colours = sample_colorscale(scale, list(np.clip((z - zmin) / ((zmax - zmin) or 1.0), 0, 1)),
                                        colortype="rgb")
            shapes = {f["id"]: f["geometry"] for f in trace["geojson"]["features"]}
            line = trace.get("marker", {}).get("line", {})
            for location, colour in zip(trace["locations"], colours):
                xs: list = []
                lats: list = []
                for ring in _rings(shapes[location]):
                    xs += [pt[0] for pt in ring] + [None]
                    lats += [pt[1] for pt in ring] + [None]
                data.append({"type": "scatter", "x": xs, "y": y_of(lats), "mode": "lines", "fill": "toself",
                             "fillcolor": colour, "line": line, "hoverinfo": "skip", "showlegend": False})
            if trace.get("showlegend"):
                data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": trace.get("name"),
                             "showlegend": True,
                             "marker": {"symbol": "square", "size": 12, "color": colours[0] if colours else "#ccc"}})
            if trace.get("showscale", True) and len(z):
                data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "showlegend": False,
                             "hoverinfo": "skip",
                             "marker": {"color": [zmin, zmax], "cmin": zmin, "cmax": zmax, "colorscale": scale,
                                        "showscale": True, "colorbar": trace.get("colorbar", {})}})
        elif trace["type"] in ("scattergeo", "scattermap"):  # frames, outlines, inset names
            keep = {k: trace[k] for k in ("mode", "line", "text", "textposition", "textfont") if k in trace}
            data.append({"type": "scatter", "x": list(trace["lon"]), "y": y_of(trace["lat"]), **keep,
                         "hoverinfo": "skip", "showlegend": False})
    layout = dict(source["layout"])
    view, ranges = layout.pop("map", {}), layout.pop("geo", {})
    layout.pop("template", None)
    margin = layout.get("margin", {})
    plot_w = width - margin.get("l", 80) - margin.get("r", 80)
    plot_h = height - margin.get("t", 100) - margin.get("b", 80)
    if ranges:  # SVG map: its lon/lat ranges fitted into the plot area, as plotly does
        (w, e), (s, n) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
        y0, y1 = float(geo.mercator_y(s)), float(geo.mercator_y(n))
        per_px = max((e - w) / plot_w, (y1 - y0) / plot_h)
        cx, cy = (w + e) / 2, (y0 + y1) / 2
    else:  # MapLibre map (with a basemap): its centre and zoom
        per_px = 360 / (512 * 2 ** view.get("zoom", 4))
        cx, cy = view["center"]["lon"], float(geo.mercator_y(view["center"]["lat"]))
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    layout.update(width=width, height=height, plot_bgcolor="white",
                  xaxis={"range": [cx - plot_w * per_px / 2, cx + plot_w * per_px / 2], **axis},
                  yaxis={"range": [cy - plot_h * per_px / 2, cy + plot_h * per_px / 2], **axis})
    return {"data": data, "layout": layout}


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
        """PNG bytes of each (figure, options) job, rendered concurrently."""
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


@lru_cache(maxsize=1)
def missing_image_engine() -> str | None:
    """Why the deck cannot be built on this machine (no Chromium for kaleido), in French; None when it can.

    Looked up once per process: installing Chromium takes a restart of the dashboard.
    """
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
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


def _job(item: ChartBox | MapBox) -> tuple[go.Figure | dict, dict]:
    """The figure of a chart or map box at the box's size, drawn at PDF_DPI."""
    width, height = round(item.box.w * 72), round(item.box.h * 72)
    fig = figure(item.slide, height, item.font, width=width)
    if isinstance(item, MapBox):
        fig = static_map(fig, width, height)
    return fig, {"format": "png", "width": width, "height": height, "scale": PDF_DPI / 72}


def render_images(pages: Sequence[Page], charts_too: bool, progress: Progress | None = None,
                  batch: int = 2 * _Renderer.TABS) -> dict[tuple[str, type], bytes]:
    """PNG of every map (and of every chart when charts_too, for the PDF), keyed by (slide id, item type)."""
    wanted = [it for p in pages for it in p.items
              if isinstance(it, MapBox) or (charts_too and isinstance(it, ChartBox))]
    if progress:
        progress(0.0, "Démarrage du moteur d'images" if _RENDERER._loop is None else "Images des graphiques")
    _RENDERER.start()
    images = {}
    for start in range(0, len(wanted), batch):
        chunk = wanted[start:start + batch]
        if progress:
            progress(start / max(len(wanted), 1),
                     f"Images {start + 1} à {start + len(chunk)} sur {len(wanted)} : graphiques et cartes")
        for item, image in zip(chunk, _RENDERER.render([_job(it) for it in chunk])):
            images[(item.slide.id, type(item))] = image
    return images


# --------------------------------------------------------------------------- PowerPoint


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _number_format(values, unit: str) -> str:
    decimals = 0 if all(float(v).is_integer() for v in values) else 1
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    suffix = {"%": "%", "M€": "M€", "k€": "k€", "€": "€"}.get(unit)
    return f'{base}"\u00a0{suffix}"' if suffix else base


def _emu(box: Box):
    from pptx.util import Inches

    return Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)


def _fill_text_frame(tf, item: Text) -> None:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(tf, side, Inches(item.pad))
    tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[item.valign]
    align = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[item.align]
    for i, p in enumerate(item.paras):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = align
        para.line_spacing = Pt(p.size * LINE)
        para.space_after = Pt(p.size * p.space_after) if i < len(item.paras) - 1 else Pt(0)
        para.space_before = Pt(0)
        run = para.add_run()
        run.text = p.text
        font = run.font
        font.name, font.size, font.bold, font.italic = FONT_NAME, Pt(p.size), p.bold, p.italic
        font.color.rgb = _rgb(p.colour)


def _pptx_text(slide, item: Text) -> None:
    from pptx.enum.shapes import MSO_SHAPE

    if item.is_title and slide.shapes.title is not None:
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = _emu(item.box)
        shape.text_frame.clear()
    elif item.fill:
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *_emu(item.box))
        shape.adjustments[0] = 0.08
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(item.fill)
        shape.line.fill.background()
        shape.shadow.inherit = False
    else:
        shape = slide.shapes.add_textbox(*_emu(item.box))
    shape.name = item.name
    _fill_text_frame(shape.text_frame, item)


def _pptx_rect(slide, item: Rect) -> None:
    from pptx.enum.shapes import MSO_SHAPE

    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_emu(item.box))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(item.fill)
    shape.line.fill.background()
    shape.shadow.inherit = False
    shape.name = item.name


def chart_data(slide: Slide):
    """python-pptx chart data (categories and one series per value column) of a chart slide."""
    from pptx.chart.data import CategoryChartData

    c, df = slide.chart, slide.data
    values = [v for col in c.value_cols for v in df[col]]
    data = CategoryChartData(number_format=_number_format(values, c.unit))
    data.categories = [str(x) for x in df[c.category_col]]
    for name, col in zip(c.names(), c.value_cols):
        data.add_series(name, [float(v) for v in df[col]])
    return data


def _pptx_chart(slide, item: ChartBox) -> None:
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
    from pptx.util import Pt

    c, df = item.slide.chart, item.slide.data
    kind = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
            "stacked": XL_CHART_TYPE.BAR_STACKED_100, "doughnut": XL_CHART_TYPE.DOUGHNUT}[c.kind]
    data = chart_data(item.slide)
    frame = slide.shapes.add_chart(kind, *_emu(item.box), data)
    frame.name = f"Graphique {item.slide.id}"
    chart = frame.chart
    chart.font.name, chart.font.size = FONT_NAME, Pt(item.font)
    chart.font.color.rgb = _rgb(INK)
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = data.number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(item.font)
    labels.font.name = FONT_NAME
    labels.show_value = True
    chart.has_title = False  # the slide's title says what the chart shows
    if c.kind == "doughnut":
        plot.vary_by_categories = True
        colours = c.series_colours or DONUT_COLOURS
        for i, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colours[i % len(colours)])
        labels.font.bold = True
        labels.font.color.rgb = _rgb("#ffffff")
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.RIGHT
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(item.font)
        hole = plot._element.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}holeSize")
        if hole is not None:
            hole.set("val", "55")
        return
    plot.gap_width = 45
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    axis = chart.category_axis
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.format.line.fill.background()
    axis.tick_labels.font.size = Pt(item.font)
    if c.kind != "column":
        axis.reverse_order = True  # first category at the top, as on the dashboard
    if c.kind == "stacked":
        plot.overlap = 100
        for series, colour in zip(plot.series, c.series_colours or DONUT_COLOURS):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.bold = True
        labels.font.color.rgb = _rgb("#ffffff")
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(item.font)
        return
    chart.has_legend = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(ACCENT)
    if c.colour_col:
        for point, code in zip(series.points, df[c.colour_col]):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(charts.TYPE_COLOURS.get(code, ACCENT))


def _pptx_picture(slide, item: MapBox, image: bytes) -> None:
    shape = slide.shapes.add_picture(io.BytesIO(image), *_emu(item.box))
    shape.name = f"Carte {item.slide.id}"


def _pptx(pages: Sequence[Page], images: dict, progress: Progress | None = None) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(PAGE_W), Inches(PAGE_H)
    title_only = prs.slide_layouts[5]
    for i, page in enumerate(pages):
        if progress:
            progress(i / len(pages), f"PowerPoint : diapositive {i + 1} / {len(pages)}")
        slide = prs.slides.add_slide(title_only)
        for item in page.items:
            if isinstance(item, Text):
                _pptx_text(slide, item)
            elif isinstance(item, Rect):
                _pptx_rect(slide, item)
            elif isinstance(item, ChartBox):
                _pptx_chart(slide, item)
            elif isinstance(item, MapBox):
                _pptx_picture(slide, item, images[(item.slide.id, MapBox)])
        slide.notes_slide.notes_text_frame.text = page.slide.notes
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- PDF


def _px(v: float) -> int:
    return round(v * PDF_DPI)


def _draw_text(draw: ImageDraw.ImageDraw, item: Text) -> None:
    box, pad = item.box, item.pad
    if item.fill:
        draw.rounded_rectangle([_px(box.x), _px(box.y), _px(box.x + box.w), _px(box.y + box.h)],
                               radius=_px(min(box.w, box.h) * 0.08), fill=item.fill)
    scale = PDF_DPI / 72  # pixels per point
    width_pt = (box.w - 2 * pad) * 72
    blocks = []
    for i, p in enumerate(item.paras):
        font = _font(p.bold, round(p.size * 2) / 2)
        lines = _wrap(p.text, font, width_pt)
        blocks.append((p, _font(p.bold, p.size * scale), lines,
                       p.size * p.space_after if i < len(item.paras) - 1 else 0))
    height = sum(len(lines) * p.size * LINE + after for p, _, lines, after in blocks) * scale
    top = _px(box.y + pad)
    room = _px(box.h - 2 * pad)
    y = top + {"top": 0, "middle": (room - height) / 2, "bottom": room - height}[item.valign]
    left, right = _px(box.x + pad), _px(box.x + box.w - pad)
    for p, font, lines, after in blocks:
        for line in lines:
            w = font.getlength(line)
            x = {"left": left, "center": (left + right - w) / 2, "right": right - w}[item.align]
            # Place the text in the middle of its line box, as PowerPoint does.
            draw.text((x, y + p.size * scale * (LINE - 1) / 2), line, font=font, fill=p.colour)
            y += p.size * LINE * scale
        y += after * scale


def _pdf_page(page: Page, images: dict) -> Image.Image:
    im = Image.new("RGB", (_px(PAGE_W), _px(PAGE_H)), "white")
    draw = ImageDraw.Draw(im)
    for item in page.items:
        if isinstance(item, Text):
            _draw_text(draw, item)
        elif isinstance(item, Rect):
            b = item.box
            draw.rectangle([_px(b.x), _px(b.y), _px(b.x + b.w) - 1, _px(b.y + b.h) - 1], fill=item.fill)
        else:
            picture = Image.open(io.BytesIO(images[(item.slide.id, type(item))])).convert("RGB")
            size = (_px(item.box.w), _px(item.box.h))
            if picture.size != size:
                picture = picture.resize(size, Image.Resampling.LANCZOS)
            im.paste(picture, (_px(item.box.x), _px(item.box.y)))
    return im


def _pdf(pages: Sequence[Page], images: dict, progress: Progress | None = None) -> bytes:
    rendered = []
    for i, page in enumerate(pages):
        if progress:
            progress(i / len(pages), f"PDF : page {i + 1} / {len(pages)}")
        rendered.append(_pdf_page(page, images))
    buffer = io.BytesIO()
    rendered[0].save(buffer, "PDF", save_all=True, append_images=rendered[1:], resolution=PDF_DPI, quality=92,
                     title="Observatoire COORACE", author="COORACE")
    return buffer.getvalue()


# --------------------------------------------------------------------------- entry points


def export(slides: Sequence[Slide], formats: Sequence[str] = ("pptx", "pdf"),
           progress: Progress | None = None) -> dict[str, bytes]:
    """The deck in each format asked ("pptx", "pdf"), images rendered once for both."""
    if not slides:
        raise ValueError("Aucune diapositive à exporter")
    pages = layout_deck(slides)
    steps = {"images": 0.6, "pptx": 0.15, "pdf": 0.25}

    def part(start: float, share: float) -> Progress | None:
        return (lambda f, text: progress(start + share * f, text)) if progress else None

    images = render_images(pages, charts_too="pdf" in formats, progress=part(0.0, steps["images"]))
    out, done = {}, steps["images"]
    if "pptx" in formats:
        out["pptx"] = _pptx(pages, images, part(done, steps["pptx"]))
        done += steps["pptx"]
    if "pdf" in formats:
        out["pdf"] = _pdf(pages, images, part(done, steps["pdf"]))
    if progress:
        progress(1.0, "Présentation prête")
    return out


def to_pptx(slides: Sequence[Slide], progress: Progress | None = None) -> bytes:
    return export(slides, ("pptx",), progress)["pptx"]


def to_pdf(slides: Sequence[Slide], progress: Progress | None = None) -> bytes:
    return export(slides, ("pdf",), progress)["pdf"]
