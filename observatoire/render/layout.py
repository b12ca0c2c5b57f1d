"""Slide layout: each slide placed once as boxes in inches (text, rectangles, charts, maps) on a 16:9 page.

Every back end (PowerPoint, PDF) draws the same boxes. Text is fitted with Liberation Sans
metrics (the same as Arial, the font the deck uses).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import ImageFont

from observatoire import charts, fmt
from observatoire.block import Chart
from observatoire.render.table import SlideTable, slide_table
from observatoire.slides import LOCATOR, Slide, places

PAGE_W, PAGE_H = 13.333, 7.5  # inches, 16:9
FONT_NAME = "Arial"
INK = charts.INK
GREY = charts.GREY
ACCENT = charts.ACCENT
BRAND = charts.BRAND
TILE_FILL = charts.TILE
BADGE_FILL, BADGE_INK = charts.BADGE, charts.BADGE_INK
LINE = 1.2  # line height, in font sizes
FONT_FILES = {
    False: ["/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    True: ["/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
           "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
           "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
}
BODY_STRIP = 0.75  # inches under a 100 % bar chart for each sentence of its facts


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
    """A slide's chart: native in PowerPoint, a plotly SVG in the PDF."""

    box: Box
    slide: Slide
    font: float = 16


@dataclass(frozen=True, eq=False)
class MapBox:
    """A slide's map: a PNG in PowerPoint, an SVG in the PDF; chart and data default to the slide's own."""

    box: Box
    slide: Slide
    font: float = 14
    chart: Chart | None = None
    data: pd.DataFrame | None = None

    @property
    def spec(self) -> tuple[Chart, pd.DataFrame]:
        return (self.chart, self.data) if self.chart is not None else (self.slide.chart, self.slide.data)


@dataclass(frozen=True)
class TableBox:
    """A slide's table: a native table in PowerPoint, an HTML table (real text) in the PDF."""

    box: Box
    table: SlideTable
    font: float = 14  # points


Item = Text | Rect | ChartBox | MapBox | TableBox


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
    """Summary (and result tiles) on the left, the project's place on a small map of France on the right."""
    results = slide.data if slide.data is not None else pd.DataFrame()
    if slide.locator is not None:
        map_w = 4.3
        text_w = area.w - map_w - 0.35
        tiles_h = 0.0 if results.empty else min(1.5 * math.ceil(len(results) / 2), area.h * 0.5)
        summary = Box(area.x, area.y, text_w, area.h - tiles_h - (0.2 if tiles_h else 0))
        items: list[Item] = [_text(summary, [Para(b, 24) for b in slide.body], "Résumé"),
                             MapBox(Box(area.x + text_w + 0.35, area.y, map_w, area.h - 0.45), slide, 12,
                                    LOCATOR, slide.locator),
                             _text(Box(area.x + text_w + 0.35, area.y + area.h - 0.4, map_w, 0.4),
                                   [Para(str(slide.locator.place.iloc[0]), 16, colour=GREY)], "Lieu",
                                   align="center")]
        if not results.empty:
            items += _result_tiles(results, Box(area.x, area.y + area.h - tiles_h, text_w, tiles_h), 2)
        return items
    text_w = area.w if results.empty else 6.9
    items = [_text(Box(area.x, area.y, text_w, area.h), [Para(b, 24) for b in slide.body], "Résumé")]
    if results.empty:
        return items
    x0 = area.x + text_w + 0.35
    return items + _result_tiles(results, Box(x0, area.y, area.x + area.w - x0, area.h),
                                 1 if len(results) <= 3 else 2)


def _result_tiles(results: pd.DataFrame, area: Box, columns: int) -> list[Item]:
    rows = list(results.itertuples())
    nrows = math.ceil(len(rows) / columns)
    gap = 0.18
    w = (area.w - gap * (columns - 1)) / columns
    h = min(1.45, (area.h - gap * (nrows - 1)) / nrows)
    specs = []
    for i, r in enumerate(rows):
        box = Box(area.x + (i % columns) * (w + gap), area.y + (i // columns) * (h + gap), w, h)
        paras = [Para(fmt.with_unit(r.value, r.unit), 28, bold=True, colour=ACCENT, space_after=0.1),
                 Para(r.label, 16)]
        specs.append((box, paras, f"Résultat {i + 1}"))
    return _tiles(specs, pad=0.12)


def _places(slide: Slide, area: Box) -> list[Item]:
    """The names of a point map's few places, listed beside it."""
    paras = []
    for name, place in places(slide):
        paras += [Para(name, 16, bold=True, colour=ACCENT, space_after=0.1), Para(place, 14, space_after=0.5)]
    return [_text(area, paras, "Lieux")]


WIDE_TABLE = 8  # columns from which a table beside a slide's facts takes most of the width


def _table(slide: Slide, area: Box) -> list[Item]:
    """The block's table (rows capped), its facts on the right when it has any."""
    items: list[Item] = []
    wide = len(slide.data.columns) >= WIDE_TABLE  # many columns: the facts get a narrower column (text fitted)
    table_w = area.w if not slide.body else (area.w - 2.7 if wide else 8.6)
    if len(slide.data):
        shown = slide_table(slide.data)
        font = 14 if len(shown.header) <= 6 else 12
        items.append(TableBox(Box(area.x, area.y, table_w, area.h), shown, font))
    else:
        table_w = 0.0
    if slide.body:
        x = area.x + table_w + (0.3 if table_w else 0)
        items.append(_text(Box(x, area.y, area.x + area.w - x, area.h), [Para(b, 20, space_after=0.7)
                                                                         for b in slide.body], "Faits"))
    return items


def layout(slide: Slide, number: int, total: int) -> Page:
    """Place a slide's title, content, caption and footer on a 13.33 x 7.5 in page."""
    if slide.kind == "title":
        return Page(slide, _title_page(slide, number, total))
    items = _frame(slide, number, total)
    area = _content(slide)
    if slide.kind == "kpis":
        items += _kpi_tiles(slide.data, area)
    elif slide.kind == "map":
        ranked, listed = slide.side is not None and len(slide.side), places(slide)
        map_w = 8.4 if ranked or listed else area.w
        items.append(MapBox(Box(area.x, area.y, map_w, area.h), slide))
        beside = Box(area.x + map_w + 0.3, area.y + 0.2, area.w - map_w - 0.3, area.h - 0.2)
        if ranked:
            items += _ranking(slide.side, beside, slide.side_title)
        elif listed:
            items += _places(slide, beside)
    elif slide.kind == "project":
        items += _project(slide, area)
    elif slide.kind == "table":
        items += _table(slide, area)
    elif slide.chart is not None and slide.chart.kind == "stacked" and slide.body:
        # 100 % bars need the width to write every share: their facts go under them
        strip = BODY_STRIP * len(slide.body)
        items.append(ChartBox(Box(area.x, area.y, area.w, area.h - strip), slide))
        items.append(_text(Box(area.x, area.y + area.h - strip, area.w, strip),
                           [Para(b, 20, space_after=0.3) for b in slide.body], "Faits", valign="middle"))
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
