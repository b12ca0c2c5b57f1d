"""The deck as a PowerPoint file: native, editable charts holding their data; maps as PNG images."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from observatoire import charts, units
from observatoire.render.layout import (
    ACCENT,
    FONT_NAME,
    INK,
    LINE,
    PAGE_H,
    PAGE_W,
    Box,
    ChartBox,
    MapBox,
    Page,
    Rect,
    TableBox,
    Text,
)
from observatoire.slides import Slide

Progress = Callable[[float, str], None]


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _number_format(values, unit: str) -> str:
    decimals = 0 if all(float(v).is_integer() for v in values) else 1
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    suffix = unit if unit == "%" or unit in units.MONEY else None
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
    values = [v for col in c.value_cols for v in df[col] if v is not None and v == v]
    data = CategoryChartData(number_format=_number_format(values, c.unit))
    data.categories = [str(x) for x in df[c.category_col]]
    for name, col in zip(c.names(), c.value_cols):
        data.add_series(name, [None if v is None or v != v else float(v) for v in df[col]])  # NaN: no bar
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
        colours = c.series_colours or charts.SERIES_COLOURS
        for i, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colours[i % len(colours)])
        labels.font.bold = True
        labels.font.color.rgb = _rgb(charts.WHITE)
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
        for series, colour in zip(plot.series, c.series_colours or charts.SERIES_COLOURS):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.bold = True
        labels.font.color.rgb = _rgb(charts.WHITE)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(item.font)
        return
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    chart.has_legend = len(plot.series) > 1  # a figure in two years: one coloured series per year
    if chart.has_legend:
        plot.gap_width, plot.overlap = 60, -5
        for series, colour in zip(plot.series, c.series_colours or charts.SERIES_COLOURS):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(item.font)
        return
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(ACCENT)
    if c.colour_col:
        for point, code in zip(series.points, df[c.colour_col]):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(charts.TYPE_COLOURS.get(code, ACCENT))


def _pptx_table(slide, item: TableBox) -> None:
    """A native table: header and total on a light fill, the « … et N autres lignes » line merged across."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    t = item.table
    rows = [t.header, *t.rows] + ([(t.more,) + ("",) * (len(t.header) - 1)] if t.more else []) + (
        [t.total] if t.total else [])
    row_h = min(0.42, item.box.h / len(rows))
    frame = slide.shapes.add_table(len(rows), len(t.header), Inches(item.box.x), Inches(item.box.y),
                                   Inches(item.box.w), Inches(row_h * len(rows)))
    frame.name = "Tableau"
    table = frame.table
    table.first_row, table.horz_banding = True, False
    weights = [1.0 if n else 2.6 for n in t.numeric]
    for column, weight in zip(table.columns, weights):
        column.width = Inches(item.box.w * weight / sum(weights))
    for r, values in enumerate(rows):
        table.rows[r].height = Inches(row_h)
        is_more = bool(t.more) and r == len(t.rows) + 1
        if is_more:
            table.cell(r, 0).merge(table.cell(r, len(t.header) - 1))
        for c, value in enumerate(values[:1] if is_more else values):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(charts.TILE if r == 0 or (t.total and r == len(rows) - 1) else charts.WHITE)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            para = cell.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.RIGHT if t.numeric[c] and not is_more else PP_ALIGN.LEFT
            run = para.add_run()
            run.text = value
            font = run.font
            font.name, font.size, font.color.rgb = FONT_NAME, Pt(item.font), _rgb(charts.GREY if is_more else INK)
            font.bold = r == 0 or bool(t.total and r == len(rows) - 1)
            font.italic = is_more


def _pptx_picture(slide, item: MapBox, image: bytes) -> None:
    shape = slide.shapes.add_picture(io.BytesIO(image), *_emu(item.box))
    shape.name = f"Carte {item.slide.id}"


def write(pages: Sequence[Page], images: dict, progress: Progress | None = None) -> bytes:
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
            elif isinstance(item, TableBox):
                _pptx_table(slide, item)
            elif isinstance(item, MapBox):
                _pptx_picture(slide, item, images[(item.slide.id, MapBox, "png")])
        slide.notes_slide.notes_text_frame.text = page.slide.notes
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
