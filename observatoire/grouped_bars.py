"""Bars side by side, one series per value column: a figure in two years (observatoire.years), on a page (labels
above the bars, footnotes under them, any width) and on a slide (footnotes beside the bars).

Drawn by charts.block_figure for a bar or column chart of several value columns; the look (fonts, French
numbers, label placement) is charts.py's.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from observatoire import fmt
from observatoire.charts import (
    GREY,
    LABEL_ROOM,
    LEGEND_LINE,
    TICK_ROOM,
    _bars_height,
    _footnotes,
    _labels,
    _labels_above,
    base_layout,
    short_labels,
)

NOTES_ASIDE = 0.62  # share of a slide's chart width left to the plot when its footnotes stand beside it
NOTE_ASIDE_WIDTH = 36  # characters of a footnote line beside a slide's bars


def _footnotes_aside(fig: go.Figure, notes: list[str]) -> None:
    """Notes printed at the right of the plot area (a slide's chart), top-aligned."""
    if not notes:
        return
    # lines short enough for the full-screen slide, whose notes are written at 18 px (presentation.readable)
    lines = [line for n in notes for line in textwrap.wrap(n, NOTE_ASIDE_WIDTH, subsequent_indent="   ")]
    fig.update_xaxes(domain=[0, NOTES_ASIDE])
    fig.add_annotation(text="<br>".join(fmt.plotly_text(n) for n in lines), x=NOTES_ASIDE + 0.04, y=1,
                       xref="paper", yref="paper", xanchor="left", yanchor="top", showarrow=False, align="left",
                       font={"size": 12, "color": GREY})



def grouped(df: pd.DataFrame, label_col: str, value_cols: tuple[str, ...], names: tuple[str, ...],
            colours: tuple[str, ...], unit: str = "nombre", horizontal: bool = True, height: int | None = None,
            labels_above: bool = False) -> go.Figure:
    """Bars side by side, one series per value column (a figure in two years), in the data's order, values written
    in French format, the legend under the chart. A missing value draws no bar and no label."""
    shown, notes = short_labels(df[label_col])
    order = slice(None, None, -1) if horizontal else slice(None)  # horizontal: the first category at the top
    labels = _labels(shown)[order]
    fig = go.Figure()
    series = list(zip(value_cols, names, colours))
    for col, name, colour in series[order]:  # plotly stacks a horizontal group upwards: the first year on top
        values = [None if pd.isna(v) else float(v) for v in df[col]][order]
        text = ["" if v is None else fmt.with_unit(v, unit) for v in values]
        hover = f"%{{{'y' if horizontal else 'x'}}}<br>{fmt.plotly_text(name)} : %{{text}}<extra></extra>"
        common = {"name": fmt.plotly_text(name), "marker_color": colour, "text": text, "textposition": "outside",
                  "cliponaxis": False, "constraintext": "none", "hovertemplate": hover}
        fig.add_trace(go.Bar(x=values, y=labels, orientation="h", **common) if horizontal
                      else go.Bar(x=labels, y=values, **common))
    n = len(labels)
    above = labels_above and horizontal
    legend_room = LEGEND_LINE + 14
    default = round(_bars_height(n) * 1.5) + legend_room if above else max(260, 56 * n + 40 + legend_room)
    height = height or default
    fig = base_layout(fig, height)
    # the legend under horizontal bars, above columns (their labels are under them)
    fig.update_layout(barmode="group", showlegend=True, bargroupgap=0.05,
                      legend={"orientation": "h", "x": 0, "y": 0 if horizontal else 1.0,
                              "yanchor": "top" if horizontal else "bottom",
                              "traceorder": "reversed" if horizontal else "normal"},
                      margin={"b": legend_room} if horizontal else {"t": legend_room, "b": TICK_ROOM})
    if labels_above:
        _footnotes(fig, notes, below=legend_room if horizontal else TICK_ROOM)
    else:  # a slide is wide, not tall: the notes beside the bars leave them their height
        _footnotes_aside(fig, notes)
    if labels_above:  # a page: the footnotes' lines make the chart taller, the bars keep their room
        height += fig.layout.margin.b - (legend_room if horizontal else TICK_ROOM)
        fig.update_layout(height=height)
    top = max((v for col in value_cols for v in pd.to_numeric(df[col], errors="coerce").dropna()), default=0) or 1
    axis = {"showgrid": False, "showticklabels": False, "zeroline": False}
    if horizontal:
        fig.update_xaxes(**axis, range=[0, top * 1.3])
        fig.update_yaxes(automargin=True)
        fig.update_layout(margin={"r": 60})
        if above:
            fig.update_layout(margin={"t": LABEL_ROOM, "r": 10})
            _labels_above(fig, n, height)
    else:
        fig.update_yaxes(**axis, range=[0, top * 1.2])
        fig.update_xaxes(tickangle=0)
    return fig
